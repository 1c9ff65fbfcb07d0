from django.urls import path

from renshi.exams.views import seating as v

# Mounted at /exams/seating/.
urlpatterns = [
    path("<int:exam_pk>/", v.exam_seating, name="seating_exam"),
    path("<int:exam_pk>/sessions/new/", v.session_create, name="seating_session_create"),
    path("sessions/<int:pk>/", v.session_edit, name="seating_session_edit"),
    path("sessions/<int:pk>/delete/", v.session_delete, name="seating_session_delete"),
    path("<int:exam_pk>/sites/new/", v.site_create, name="seating_site_create"),
    path("sites/<int:pk>/", v.site_detail, name="seating_site"),
    path("sites/<int:pk>/edit/", v.site_edit, name="seating_site_edit"),
    path("sites/<int:pk>/delete/", v.site_delete, name="seating_site_delete"),
    path("sites/<int:pk>/rooms/add/", v.rooms_add, name="seating_rooms_add"),
    path("rooms/<int:pk>/", v.room_detail, name="seating_room"),
    path("rooms/<int:pk>/edit/", v.room_edit, name="seating_room_edit"),
    path("rooms/<int:pk>/delete/", v.room_delete, name="seating_room_delete"),
    path("<int:exam_pk>/assign/", v.assign, name="seating_assign"),
    path("draws/<int:pk>/", v.draw_detail, name="seating_draw"),
    path("draws/<int:pk>/verify/", v.draw_verify, name="seating_draw_verify"),
    path("seats/<int:pk>/ticket.pdf", v.office_ticket, name="ticket_office_pdf"),
    path("<int:exam_pk>/tickets/", v.batch_start, name="ticket_batch_start"),
    path("ticket-batches/<int:pk>/", v.batch_detail, name="ticket_batch"),
    path("ticket-batches/<int:pk>/status/", v.batch_status, name="ticket_batch_status"),
    path("ticket-batches/<int:pk>/download/", v.batch_download, name="ticket_batch_download"),
    path("verify/", v.verify_ticket, name="ticket_verify"),
    path("me/<int:application_pk>/ticket.pdf", v.candidate_ticket, name="ticket_download"),
]

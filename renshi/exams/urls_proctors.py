from django.urls import path

from renshi.exams.views import proctors as v

# Mounted at /exams/proctors/.
urlpatterns = [
    # The pool (exam office).
    path("pool/", v.pool_list, name="proctor_pool"),
    path("pool/new/", v.pool_create, name="proctor_create"),
    path("pool/import/", v.pool_import, name="proctor_import"),
    path("pool/template.xlsx", v.pool_template, name="proctor_template"),
    path("pool/<int:pk>/", v.proctor_detail, name="proctor_detail"),
    path("pool/<int:pk>/relatives/", v.relative_add, name="proctor_relative_add"),
    path("pool/<int:pk>/account/", v.account_create, name="proctor_account"),
    path("relatives/<int:pk>/remove/", v.relative_remove, name="proctor_relative_remove"),
    # The draw and the sites' lists (exam office).
    path("exam/<int:exam_pk>/", v.exam_proctors, name="proctor_exam"),
    path("exam/<int:exam_pk>/draw/", v.draw_run, name="proctor_draw"),
    path("exam/<int:exam_pk>/incidents/", v.exam_incidents, name="incident_list"),
    path("draw/<int:pk>/verify/", v.draw_verify, name="proctor_draw_verify"),
    path("site/<int:site_pk>/", v.site_list, name="proctor_site"),
    path("site/<int:site_pk>/export.xlsx", v.site_export, name="proctor_site_export"),
    # A proctor's own assignments; the room sheet of the day (office or the room's proctors).
    path("mine/", v.mine, name="proctor_mine"),
    path("session/<int:session_pk>/room/<int:room_pk>/", v.room_sheet, name="room_sheet"),
    path(
        "session/<int:session_pk>/room/<int:room_pk>/record/",
        v.incident_create,
        name="incident_create",
    ),
    path("incident/<int:pk>/", v.incident_edit, name="incident_edit"),
    path("incident/<int:pk>/withdraw/", v.incident_withdraw, name="incident_withdraw"),
    # A candidate's own records.
    path("me/", v.candidate_incidents, name="candidate_incidents"),
]

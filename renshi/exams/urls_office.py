from django.urls import path

from renshi.exams.views import office

# Mounted at /exams/office/.
urlpatterns = [
    path("", office.exam_list, name="office_exam_list"),
    path("new/", office.exam_create, name="office_exam_create"),
    path("<int:pk>/", office.exam_detail, name="office_exam_detail"),
    path("<int:pk>/edit/", office.exam_edit, name="office_exam_edit"),
    path("<int:pk>/publish/", office.exam_publish, name="office_exam_publish"),
    path("<int:exam_pk>/announcement/", office.announcement_edit, name="office_announcement"),
    path("<int:exam_pk>/change-notice/", office.change_notice, name="office_change_notice"),
    path("<int:exam_pk>/subjects/new/", office.subject_create, name="office_subject_create"),
    path("subjects/<int:pk>/", office.subject_edit, name="office_subject_edit"),
    path("subjects/<int:pk>/delete/", office.subject_delete, name="office_subject_delete"),
    path("<int:exam_pk>/areas/new/", office.area_create, name="office_area_create"),
    path("areas/<int:pk>/", office.area_edit, name="office_area_edit"),
    path("areas/<int:pk>/delete/", office.area_delete, name="office_area_delete"),
    path("<int:exam_pk>/positions/", office.position_list, name="office_position_list"),
    path("<int:exam_pk>/positions/import/", office.position_import, name="office_position_import"),
    path(
        "<int:exam_pk>/positions/import/<str:token>/",
        office.position_import_confirm,
        name="office_position_import_confirm",
    ),
    path("position-template.xlsx", office.position_template, name="office_position_template"),
]

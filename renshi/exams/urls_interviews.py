from django.urls import path

from renshi.exams.views import interviews as v

# Mounted at /exams/interviews/.
urlpatterns = [
    path("examiners/", v.examiner_list, name="interviews_examiners"),
    path("examiners/new/", v.examiner_create, name="interviews_examiner_create"),
    path("examiners/import/", v.examiner_import, name="interviews_examiner_import"),
    path("examiners/template.xlsx", v.examiner_template, name="interviews_examiner_template"),
    path("exams/<int:exam_pk>/", v.exam_panels, name="interviews_exam"),
    path("exams/<int:exam_pk>/panels/new/", v.panel_create, name="interviews_panel_create"),
    path("exams/<int:exam_pk>/draw/", v.examiners_draw, name="interviews_draw"),
    path("panels/<int:pk>/", v.panel_detail, name="interviews_panel"),
    path("panels/<int:pk>/order/", v.order_draw, name="interviews_order_draw"),
    path("slots/<int:pk>/absent/", v.slot_absent, name="interviews_slot_absent"),
    path("me/", v.my_panels, name="interviews_my_panels"),
    path("me/panels/<int:pk>/", v.my_panel, name="interviews_my_panel"),
    path("exams/<int:exam_pk>/hiring/", v.exam_hiring, name="interviews_hiring"),
    path("exams/<int:exam_pk>/weights/", v.weights_save, name="interviews_weights"),
    path("exams/<int:exam_pk>/composite/", v.composite_compute, name="interviews_composite"),
    path("exams/<int:exam_pk>/physical/", v.physical_list, name="interviews_physical_list"),
    path("steps/<int:pk>/<str:stage>/", v.step_record, name="interviews_step"),
    path("exams/<int:exam_pk>/notices/new/", v.notice_create, name="interviews_notice_create"),
    path("notices/<int:pk>/", v.notice_detail, name="interviews_notice"),
    path("notices/<int:pk>/publish/", v.notice_publish, name="interviews_notice_publish"),
    path("notices/<int:pk>/objections/", v.objection_create, name="interviews_objection_create"),
    path("objections/<int:pk>/decide/", v.objection_decide, name="interviews_objection_decide"),
    path("notices/<int:pk>/final/", v.notice_finalise, name="interviews_notice_final"),
    path("public/", v.public_notices, name="interviews_public_notices"),
    path("public/<int:pk>/", v.public_notice, name="interviews_public_notice"),
]

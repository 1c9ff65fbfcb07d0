from django.urls import path

from renshi.sunshine import views, views_manage

app_name = "sunshine"

urlpatterns = [
    path("", views.notices),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/object/", views.objection_create, name="object"),
    path("notices/<int:pk>/object/done/", views.objection_done, name="objection_done"),
    path("objections/lookup/", views.objection_lookup, name="objection_lookup"),
    path("reports/", views.reports, name="reports"),
    path("reports/done/", views.report_done, name="report_done"),
    path("reports/lookup/", views.report_lookup, name="report_lookup"),
    path("manage/", views_manage.home, name="manage"),
    path("manage/notices/", views_manage.manage_notices, name="manage_notices"),
    path("manage/notices/new/", views_manage.notice_new, name="notice_new"),
    path("manage/notices/<int:pk>/", views_manage.manage_notice, name="manage_notice"),
    path("manage/notices/<int:pk>/publish/", views_manage.notice_publish, name="notice_publish"),
    path("manage/notices/<int:pk>/withdraw/", views_manage.notice_withdraw, name="notice_withdraw"),
    path("manage/import/<int:hire_id>/", views_manage.import_exam, name="import_exam"),
    path("manage/objections/", views_manage.objection_list, name="manage_objections"),
    path("manage/objections/<int:pk>/", views_manage.objection_detail, name="manage_objection"),
    path(
        "manage/objections/<int:pk>/attachment/",
        views_manage.objection_attachment,
        name="objection_attachment",
    ),
    path("manage/reports/", views_manage.report_list, name="manage_reports"),
    path("manage/reports/stats/", views_manage.report_stats, name="report_stats"),
    path("manage/reports/<int:pk>/", views_manage.report_detail, name="manage_report"),
    path("manage/reports/<int:pk>/route/", views_manage.report_route, name="report_route"),
    path("manage/reports/<int:pk>/handle/", views_manage.report_handle, name="report_handle"),
    path("manage/reports/<int:pk>/answer/", views_manage.report_answer, name="report_answer"),
    path(
        "manage/reports/<int:pk>/attachments/<int:attachment_id>/",
        views_manage.report_attachment,
        name="report_attachment",
    ),
]

from django.urls import path

from renshi.hall import views, views_stats
from renshi.hall import views_cases as vc

app_name = "hall"

urlpatterns = [
    path("items/", views.item_list, name="item_list"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.item_new, name="item_new"),
    path("manage/export/", views.export_all, name="export_all"),
    path("manage/import/", views.import_yaml, name="import_yaml"),
    path("manage/items/<str:code>/", views.item_versions, name="item_versions"),
    path("manage/items/<str:code>/export/", views.export_item, name="export_item"),
    path("manage/versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("manage/versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("manage/versions/<int:pk>/new-draft/", views.version_new_draft, name="version_new_draft"),
    path("manage/versions/<int:pk>/submit/", views.version_submit, name="version_submit"),
    path("manage/versions/<int:pk>/return/", views.version_return, name="version_return"),
    path("manage/versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("manage/versions/<int:pk>/diff/<int:other>/", views.version_diff, name="version_diff"),
    # Cases (办件): units, the window, the bureau's tasks, public progress lookup.
    path("", vc.hall_home, name="home"),
    path("file/<str:code>/", vc.case_file, name="case_file"),
    path("cases/", vc.unit_cases, name="unit_cases"),
    path("cases/<int:pk>/", vc.case_detail, name="case_detail"),
    path("cases/<int:pk>/materials/<int:material_pk>/", vc.material_file, name="material_file"),
    path("cases/<int:pk>/notices/<int:notice_pk>/", vc.notice_print, name="notice_print"),
    path("cases/<int:pk>/supply/", vc.case_supply, name="case_supply"),
    path("cases/<int:pk>/withdraw/", vc.case_withdraw, name="case_withdraw"),
    path("cases/<int:pk>/rate/", vc.case_rate, name="case_rate"),
    path("cases/<int:pk>/supplement/", vc.case_supplement, name="case_supplement"),
    path("cases/<int:pk>/accept/", vc.case_accept, name="case_accept"),
    path("cases/<int:pk>/refuse/", vc.case_refuse, name="case_refuse"),
    path("cases/<int:pk>/deliver/", vc.case_deliver, name="case_deliver"),
    path("cases/<int:pk>/suspend/", vc.case_suspend, name="case_suspend"),
    path("cases/<int:pk>/resume/", vc.case_resume, name="case_resume"),
    path("cases/<int:pk>/extension/", vc.extension_request, name="extension_request"),
    path(
        "cases/<int:pk>/extension/<int:extension_pk>/",
        vc.extension_decide,
        name="extension_decide",
    ),
    path("cases/<int:pk>/tasks/<int:task_pk>/complete/", vc.task_complete, name="task_complete"),
    path("cases/<int:pk>/tasks/<int:task_pk>/return/", vc.task_return, name="task_return"),
    path("cases/<int:pk>/tasks/<int:task_pk>/recall/", vc.task_recall, name="task_recall"),
    path("cases/<int:pk>/tasks/<int:task_pk>/claim/", vc.task_claim, name="task_claim"),
    path("cases/<int:pk>/tasks/<int:task_pk>/delegate/", vc.task_delegate, name="task_delegate"),
    path("cases/<int:pk>/tasks/<int:task_pk>/reassign/", vc.task_reassign, name="task_reassign"),
    path("window/", vc.intake_queue, name="intake_queue"),
    path("tasks/", vc.task_list, name="task_list"),
    path("ratings/", vc.follow_ups, name="follow_ups"),
    path("ratings/<int:rating_pk>/follow-up/", vc.follow_up, name="follow_up"),
    path("progress/", vc.progress, name="progress"),
    # Statistics (办件统计, issue 5 item 7): bureau roles.
    path("stats/", views_stats.stats, name="stats"),
]

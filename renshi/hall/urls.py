from django.urls import path

from renshi.hall import views

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
]

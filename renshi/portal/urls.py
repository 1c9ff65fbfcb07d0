from django.urls import path

from renshi.portal import views, views_manage

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("news/<slug:slug>/", views.category, name="category"),
    path("article/<int:pk>/", views.article, name="article"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    # Web editors (网站编辑)
    path("manage/", views_manage.manage_list, name="manage_list"),
    path("manage/new/", views_manage.article_new, name="manage_new"),
    path("manage/<int:pk>/", views_manage.article_edit, name="manage_edit"),
    path("manage/<int:pk>/publish/", views_manage.article_publish, name="manage_publish"),
    path("manage/<int:pk>/withdraw/", views_manage.article_withdraw, name="manage_withdraw"),
    path("manage/<int:pk>/attachments/", views_manage.attachment_add, name="attachment_add"),
    path(
        "manage/attachments/<int:pk>/delete/",
        views_manage.attachment_remove,
        name="attachment_remove",
    ),
    path("manage/visits/", views_manage.visit_stats, name="visits"),
]

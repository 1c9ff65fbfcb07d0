from django.urls import path

from renshi.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("study/", views.study_list, name="study_list"),
    path("study/<int:pk>/", views.study_detail, name="study_detail"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_edit, name="manage_new"),
    path("manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", views.manage_edit, name="manage_edit"),
    path("manage/<int:pk>/publish/", views.manage_publish, name="manage_publish"),
    path("manage/<int:pk>/withdraw/", views.manage_withdraw, name="manage_withdraw"),
    path("manage/<int:pk>/repeal/", views.manage_repeal, name="manage_repeal"),
    path("manage/<int:pk>/link/", views.manage_link, name="manage_link"),
    path("manage/<int:pk>/attach/", views.manage_attach, name="manage_attach"),
    path("manage/study/", views.manage_study_list, name="manage_study_list"),
    path("manage/study/new/", views.manage_study_edit, name="manage_study_new"),
    path("manage/study/<int:pk>/edit/", views.manage_study_edit, name="manage_study_edit"),
    path(
        "manage/study/<int:pk>/publish/",
        views.manage_study_publish,
        name="manage_study_publish",
    ),
]

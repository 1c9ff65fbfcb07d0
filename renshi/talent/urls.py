from django.urls import path

from renshi.talent import views, views_party, views_unit

app_name = "talent"

urlpatterns = [
    path("", views.index, name="index"),
    path("openings/<int:pk>/", views.opening_detail, name="opening"),
    path("me/resume/", views.resume_edit, name="resume_edit"),
    path("me/requests/", views.my_requests, name="my_requests"),
    path("me/requests/<int:pk>/<str:answer>/", views.request_answer, name="request_answer"),
    path("unit/", views_unit.unit_home, name="unit_home"),
    path("unit/openings/new/", views_unit.opening_edit, name="opening_new"),
    path("unit/openings/<int:pk>/edit/", views_unit.opening_edit, name="opening_edit"),
    path("unit/openings/<int:pk>/publish/", views_unit.opening_publish, name="opening_publish"),
    path("unit/openings/<int:pk>/close/", views_unit.opening_close, name="opening_close"),
    path("unit/resumes/", views_unit.resume_search, name="unit_resumes"),
    path("unit/resumes/<int:pk>/", views_unit.resume_detail, name="unit_resume"),
    path("unit/requests/", views_unit.unit_requests, name="unit_requests"),
    path("stats/", views_unit.stats, name="stats"),
    path("party/", views_party.member_home, name="party_home"),
    path("party/notices/<int:pk>/file/", views_party.notice_attachment, name="party_file"),
    path("party/manage/", views_party.secretary_home, name="party_manage"),
    path("party/manage/<int:pk>/", views_party.organisation, name="party_org"),
    path("party/manage/<int:pk>/remind/", views_party.remind, name="party_remind"),
    path("party/manage/<int:pk>/notices/new/", views_party.notice_new, name="party_notice_new"),
    path(
        "party/manage/<int:pk>/members/<int:member_pk>/<str:answer>/",
        views_party.member_decide,
        name="party_decide",
    ),
    path(
        "party/manage/<int:pk>/members/<int:member_pk>/",
        views_party.checkins,
        name="party_checkins",
    ),
]

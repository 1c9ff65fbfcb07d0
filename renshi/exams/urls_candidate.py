from django.urls import path

from renshi.exams.views import candidate, candidate_profile, candidate_reclaim

urlpatterns = [
    path("signup/", candidate.candidate_signup, name="candidate_signup"),
    path("login/", candidate.candidate_login, name="candidate_login"),
    path("logout/", candidate.candidate_logout, name="candidate_logout"),
    path("password-reset/", candidate.candidate_password_reset, name="candidate_password_reset"),
    path("captcha/<slug:purpose>.png", candidate.captcha_image, name="captcha"),
    path("", candidate_profile.candidate_home, name="candidate_home"),
    path("profile/", candidate_profile.profile, name="profile"),
    path("profile/education/new/", candidate_profile.education_form, name="education_add"),
    path("profile/education/<int:pk>/", candidate_profile.education_form, name="education_edit"),
    path(
        "profile/education/<int:pk>/delete/",
        candidate_profile.education_delete,
        name="education_delete",
    ),
    path("profile/work/new/", candidate_profile.work_form, name="work_add"),
    path("profile/work/<int:pk>/", candidate_profile.work_form, name="work_edit"),
    path("profile/work/<int:pk>/delete/", candidate_profile.work_delete, name="work_delete"),
    path("photo/", candidate_profile.photo, name="photo"),
    path("photos/<int:pk>.jpg", candidate_profile.candidate_photo, name="candidate_photo"),
    path("reclaim/", candidate_reclaim.reclaim_new, name="reclaim"),
    path("reclaim/status/", candidate_reclaim.reclaim_status, name="reclaim_status"),
    path("reclaims/", candidate_reclaim.reclaim_review_list, name="reclaim_review_list"),
    path("reclaims/<int:pk>/", candidate_reclaim.reclaim_review, name="reclaim_review"),
    path("reclaims/<int:pk>/proof/", candidate_reclaim.reclaim_proof, name="reclaim_proof"),
]

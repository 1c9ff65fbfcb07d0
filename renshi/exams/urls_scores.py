from django.urls import path

from renshi.exams.views import scores

urlpatterns = [
    # Exam office (考试中心)
    path("exam/<int:exam_pk>/", scores.exam_scores, name="scores_exam"),
    path("exam/<int:exam_pk>/rules/", scores.rules_edit, name="scores_rules"),
    path("exam/<int:exam_pk>/template.xlsx", scores.import_template, name="scores_template"),
    path("exam/<int:exam_pk>/import/", scores.import_upload, name="scores_import"),
    path(
        "exam/<int:exam_pk>/import/<str:token>/",
        scores.import_confirm,
        name="scores_import_confirm",
    ),
    path("exam/<int:exam_pk>/publish/", scores.publish, name="scores_publish"),
    path("exam/<int:exam_pk>/reviews/", scores.review_list, name="scores_reviews"),
    path("reviews/<int:pk>/decide/", scores.review_decide, name="scores_review_decide"),
    path("exam/<int:exam_pk>/shortlist/", scores.shortlist_build, name="scores_shortlist_build"),
    path(
        "exam/<int:exam_pk>/positions/<int:position_pk>/",
        scores.position_scores,
        name="scores_position",
    ),
    path("shortlist/<int:pk>/decide/", scores.entry_decide, name="scores_entry_decide"),
    path("shortlist/<int:pk>/replace/", scores.entry_replace, name="scores_entry_replace"),
    # Candidates and the public
    path("me/<int:application_pk>/", scores.my_scores, name="scores_mine"),
    path("me/<int:application_pk>/review/", scores.review_request, name="scores_review_request"),
    path("lookup/", scores.lookup, name="scores_lookup"),
]

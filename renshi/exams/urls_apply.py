from django.urls import path

from renshi.exams.views import apply, review

urlpatterns = [
    # Candidates
    path("positions/<int:position_pk>/apply/", apply.apply, name="apply"),
    path("my/", apply.my_applications, name="my_applications"),
    path("my/<int:pk>/", apply.application_detail, name="application_detail"),
    path("my/<int:pk>/withdraw/", apply.application_withdraw, name="application_withdraw"),
    path("my/<int:pk>/pay/", apply.payment_start, name="payment_start"),
    path("my/<int:pk>/paid/", apply.payment_return, name="payment_return"),
    path("my/<int:pk>/waiver/", apply.waiver_apply, name="waiver_apply"),
    path("my/<int:pk>/refund/", apply.refund_request, name="refund_request"),
    # Hiring units' reviewers and the exam office
    path("review/", review.review_list, name="review_list"),
    path("review/<int:pk>/", review.review_detail, name="review_detail"),
    path("waivers/", review.waiver_list, name="waiver_list"),
    path("waivers/<int:pk>/decide/", review.waiver_decide, name="waiver_decide"),
    path("waivers/<int:pk>/proof/", review.waiver_proof, name="waiver_proof"),
    path("ratio/<int:exam_pk>/", review.opening_ratio, name="opening_ratio"),
    path("finance/<int:exam_pk>.xlsx", review.finance_export, name="finance_export"),
]

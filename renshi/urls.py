from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("renshi.core.urls")),
    path("personnel/", include("renshi.personnel.urls")),
    path("exams/", include("renshi.exams.urls")),
    path("pay/", include("renshi.payments.urls")),
    path("hall/", include("renshi.hall.urls")),
    path("site/", include("renshi.portal.urls")),
    path("policies/", include("renshi.policies.urls")),
    path("sunshine/", include("renshi.sunshine.urls")),
    path("talent/", include("renshi.talent.urls")),
    path("api/v1/", include("renshi.api.urls")),
    path("django-admin/", admin.site.urls),
]

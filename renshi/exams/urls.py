from django.urls import include, path

app_name = "exams"

# One module of routes per area of the app, so each area's views and URLs stay together.
urlpatterns = [
    path("", include("renshi.exams.urls_public")),
    path("office/", include("renshi.exams.urls_office")),
    path("me/", include("renshi.exams.urls_candidate")),
    path("", include("renshi.exams.urls_apply")),
    # Exam administration (考务): one module per area.
    path("seating/", include("renshi.exams.urls_seating")),
    path("proctors/", include("renshi.exams.urls_proctors")),
    path("scores/", include("renshi.exams.urls_scores")),
    path("interviews/", include("renshi.exams.urls_interviews")),
]

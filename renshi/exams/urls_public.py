from django.urls import path

from renshi.exams.views import public

urlpatterns = [
    path("", public.exam_list, name="exam_list"),
    path("<int:pk>/", public.exam_detail, name="exam_detail"),
    path("<int:exam_pk>/positions/", public.position_list, name="position_list"),
    path(
        "<int:exam_pk>/positions/underfilled/",
        public.position_underfilled,
        name="position_underfilled",
    ),
    path("positions/<int:pk>/", public.position_detail, name="position_detail"),
]

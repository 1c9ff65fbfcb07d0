from django.urls import path, re_path

from renshi.api.decorators import not_found
from renshi.api.views import establishment, people, schema, units

app_name = "api"

urlpatterns = [
    path("units/", units.unit_list, name="unit_list"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("people/", people.person_list, name="person_list"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("establishment/", establishment.establishment_usage, name="establishment"),
    path("openapi.json", schema.openapi, name="openapi"),
    # Anything else under /api/v1/ that ends in a slash answers in JSON too (others get the slash
    # appended first by CommonMiddleware).
    re_path(r"^(?:.*/)?$", not_found, name="not_found"),
]

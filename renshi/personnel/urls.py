from django.urls import path

from renshi.personnel.views import appointment_form, exports, imports, people, stats, units

app_name = "personnel"

urlpatterns = [
    path("people/", people.person_list, name="person_list"),
    path("people/export/", exports.person_export, name="person_export"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/reveal/<str:field>/", people.person_reveal, name="person_reveal"),
    path(
        "people/<int:pk>/appointment-form/",
        appointment_form.appointment_form,
        name="appointment_form",
    ),
    path("units/", units.unit_list, name="unit_list"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/ledger/", units.unit_ledger, name="unit_ledger"),
    path("stats/", stats.stats, name="stats"),
    path("stats/export/", stats.stats_export, name="stats_export_all"),
    path("stats/export/<slug:key>/", stats.stats_export, name="stats_export"),
    path("import/", imports.import_upload, name="import"),
]

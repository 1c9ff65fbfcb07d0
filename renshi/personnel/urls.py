from django.urls import path

from renshi.personnel.views import (
    appointment_form,
    clerks,
    establishment,
    events,
    exports,
    imports,
    people,
    records,
    stats,
    unit_edit,
    units,
)

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
    path("people/<int:pk>/<str:kind>/add/", records.record_add, name="record_add"),
    path(
        "people/<int:pk>/<str:kind>/<int:record_id>/edit/",
        records.record_edit,
        name="record_edit",
    ),
    path(
        "people/<int:pk>/<str:kind>/<int:record_id>/delete/",
        records.record_delete,
        name="record_delete",
    ),
    path("people/<int:pk>/event/<str:event>/", events.person_event, name="person_event"),
    path("units/<int:pk>/hire/", events.unit_hire, name="unit_hire"),
    path(
        "units/<int:pk>/establishment/",
        establishment.establishment_approve,
        name="establishment_approve",
    ),
    path("units/<int:pk>/leader-posts/", establishment.leader_posts, name="leader_posts"),
    path("units/<int:pk>/reserve/", establishment.reservation_create, name="reservation_create"),
    path(
        "units/<int:pk>/reserve/<int:reservation_id>/release/",
        establishment.reservation_release,
        name="reservation_release",
    ),
    path("units/", units.unit_list, name="unit_list"),
    path("units/new/", unit_edit.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", unit_edit.unit_edit, name="unit_edit"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/ledger/", units.unit_ledger, name="unit_ledger"),
    path("stats/", stats.stats, name="stats"),
    path("clerks/<int:user_id>/", clerks.clerk_scope, name="clerk_scope"),
    path("stats/export/", stats.stats_export, name="stats_export_all"),
    path("stats/export/<slug:key>/", stats.stats_export, name="stats_export"),
    path("import/", imports.import_upload, name="import"),
    path("import/template/", imports.import_template, name="import_template"),
    path("import/<str:token>/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/<str:token>/errors/", imports.import_errors, name="import_errors"),
    path("import/jobs/<int:pk>/", imports.import_job, name="import_job"),
    path("import/jobs/<int:pk>/status/", imports.import_job_status, name="import_job_status"),
]

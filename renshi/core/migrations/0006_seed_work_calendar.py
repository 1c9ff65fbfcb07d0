"""Seed the working calendar with the years chinesecalendar knows that matter now (2024–2026).

Older or newer years: `manage.py load_work_calendar --years ...`; years the package does not
know are entered by the system administrator on the 工作日历 page."""

from django.db import migrations

YEARS = (2024, 2025, 2026)


def seed(apps, schema_editor):
    from renshi.core.work_calendar import official_days

    Day = apps.get_model("core", "WorkCalendarDay")
    existing = set(Day.objects.filter(date__year__in=YEARS).values_list("date", flat=True))
    Day.objects.bulk_create(
        Day(
            date=day,
            kind=kind,
            is_workday=kind in ("workday", "makeup"),
            name=name,
            source="chinesecalendar",
        )
        for year in YEARS
        for day, kind, name in official_days(year)
        if day not in existing
    )


def unseed(apps, schema_editor):
    Day = apps.get_model("core", "WorkCalendarDay")
    Day.objects.filter(date__year__in=YEARS, source="chinesecalendar").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0005_work_calendar")]

    operations = [migrations.RunPython(seed, unseed)]

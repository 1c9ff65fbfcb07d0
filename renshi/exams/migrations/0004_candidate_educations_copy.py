import datetime

from django.db import migrations, models

def fill_copies(apps, schema_editor):
    """Copy every candidate's education rows (the format of exams.education_copy.as_copy)."""
    Candidate = apps.get_model("exams", "Candidate")
    Education = apps.get_model("exams", "Education")
    names = [f.attname for f in Education._meta.concrete_fields if f.attname != "candidate_id"]
    ids = list(Candidate.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        copies = {pk: [] for pk in chunk}
        for row in Education.objects.filter(candidate_id__in=chunk).order_by(
            "candidate_id", "-graduated_on", "-id"
        ):
            copies[row.candidate_id].append(
                {
                    name: value.isoformat() if isinstance(value, datetime.date) else value
                    for name in names
                    for value in [getattr(row, name)]
                }
            )
        Candidate.objects.bulk_update(
            [Candidate(pk=pk, educations_copy=rows) for pk, rows in copies.items()],
            ["educations_copy"],
            batch_size=1000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0003_fewer_hot_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="educations_copy",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_copies, migrations.RunPython.noop, elidable=True),
    ]

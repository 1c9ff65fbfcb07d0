from django.db import migrations, models

COMPOUND_SURNAMES = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 独孤 南宫 呼延".split()
)


def backfill(apps, schema_editor):
    # One statement for the common case, then the few compound surnames.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("UPDATE personnel_person SET given_name = substr(name, 2)")
        for surname in COMPOUND_SURNAMES:
            cursor.execute(
                "UPDATE personnel_person SET given_name = substr(name, 3) "
                "WHERE name LIKE %s AND length(name) > 2",
                [surname + "%"],
            )


class Migration(migrations.Migration):
    dependencies = [("personnel", "0005_person_list_order_index")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="given_name",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=50, verbose_name="名"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

from django.db import migrations

PG_UP = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS person_name_trgm ON personnel_person USING gin (name gin_trgm_ops);
CREATE INDEX IF NOT EXISTS person_initials_prefix
    ON personnel_person (name_initials varchar_pattern_ops);
CREATE INDEX IF NOT EXISTS person_pinyin_prefix
    ON personnel_person (name_pinyin varchar_pattern_ops);
CREATE INDEX IF NOT EXISTS unit_path_prefix ON personnel_unit (path varchar_pattern_ops);
"""
PG_DOWN = """
DROP INDEX IF EXISTS person_name_trgm;
DROP INDEX IF EXISTS person_initials_prefix;
DROP INDEX IF EXISTS person_pinyin_prefix;
DROP INDEX IF EXISTS unit_path_prefix;
"""


def up(apps, schema_editor):
    # Substring search on Chinese names and prefix search on pinyin over 1,000,000 people.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("personnel", "0001_initial")]

    operations = [migrations.RunPython(up, down)]

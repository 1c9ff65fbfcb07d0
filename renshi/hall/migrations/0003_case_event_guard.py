from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION renshi_case_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'hall_caseevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS hall_caseevent_immutable ON hall_caseevent;
CREATE TRIGGER hall_caseevent_immutable
    BEFORE UPDATE OR DELETE ON hall_caseevent
    FOR EACH ROW EXECUTE FUNCTION renshi_case_event_immutable();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS hall_caseevent_immutable ON hall_caseevent;
DROP FUNCTION IF EXISTS renshi_case_event_immutable();
"""


def guard(apps, schema_editor):
    # A case's history is append-only like the audit trail: PostgreSQL refuses UPDATE/DELETE.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD)


class Migration(migrations.Migration):
    dependencies = [("hall", "0002_cases")]

    operations = [migrations.RunPython(guard, unguard)]

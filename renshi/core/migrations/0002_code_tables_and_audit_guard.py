from django.db import migrations

AUDIT_GUARD = """
CREATE OR REPLACE FUNCTION renshi_audit_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditevent_immutable ON core_auditevent;
CREATE TRIGGER core_auditevent_immutable
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION renshi_audit_immutable();
"""

AUDIT_GUARD_REVERSE = """
DROP TRIGGER IF EXISTS core_auditevent_immutable ON core_auditevent;
DROP FUNCTION IF EXISTS renshi_audit_immutable();
"""


def load_tables(apps, schema_editor):
    from renshi.core.codetables import load

    load(apps.get_model("core", "CodeTable"), apps.get_model("core", "CodeItem"))


def guard_audit(apps, schema_editor):
    # The database itself refuses UPDATE/DELETE on the audit trail (PostgreSQL).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(AUDIT_GUARD, params=None)


def unguard_audit(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(AUDIT_GUARD_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(load_tables, migrations.RunPython.noop),
        migrations.RunPython(guard_audit, unguard_audit),
    ]

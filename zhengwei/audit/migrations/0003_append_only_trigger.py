"""On PostgreSQL, refuse UPDATE of audit entries and DELETE of entries inside retention.

SQLite (the single-machine mode) relies on the model and queryset guards alone.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_entry_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'audit entries are append-only';
  END IF;
  IF TG_OP = 'DELETE' AND OLD.at > now() - interval '180 days' THEN
    RAISE EXCEPTION 'audit entries are kept at least 180 days';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_guard BEFORE UPDATE OR DELETE ON audit_auditentry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_guard();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS audit_entry_guard ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_guard();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]
    operations = [migrations.RunPython(forward, backward)]

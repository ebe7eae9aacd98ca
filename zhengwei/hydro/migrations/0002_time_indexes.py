"""Indexes on observation time, chosen per database.

PostgreSQL: BRIN on ``tm``. Observations arrive in time order, so each 128-page block range holds
a narrow time span and a BRIN index of a few hundred kilobytes prunes a window query ("all
stations, last 24 h") to the blocks of that window, where a B-tree on 17.5 million rows would take
hundreds of megabytes and slow every insert. SQLite (development): an ordinary index.
"""

from django.db import migrations

TABLES = ("hydro_rainobservation", "hydro_riverobservation", "hydro_reservoirobservation")


def create(apps, schema_editor):
    brin = schema_editor.connection.vendor == "postgresql"
    for table in TABLES:
        using = " USING brin (tm) WITH (pages_per_range = 32)" if brin else " (tm)"
        schema_editor.execute(f"CREATE INDEX {table}_tm_idx ON {table}{using}")


def drop(apps, schema_editor):
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_tm_idx")


class Migration(migrations.Migration):
    dependencies = [("hydro", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]

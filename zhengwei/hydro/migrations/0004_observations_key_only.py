"""Observations keep two indexes: the (station, tm) key and BRIN on tm.

The station foreign key had its own B-tree (and on PostgreSQL a second one for LIKE): the key
already serves "this station's rows", and the two extra trees doubled the server's cost of
loading a file. The BRIN indexes summarise new block ranges as they fill (autosummarize):
rows loaded after the index was built sit in unsummarised ranges, which every window query reads
whole until a VACUUM summarises them — the whole table after a bulk load.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLES = ("hydro_rainobservation", "hydro_riverobservation", "hydro_reservoirobservation")


def autosummarize(on: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            schema_editor.execute(
                f"ALTER INDEX {table}_tm_idx SET (autosummarize = {'on' if on else 'off'})"
            )

    return run


def key_only(model_name: str) -> migrations.AlterField:
    return migrations.AlterField(
        model_name=model_name,
        name="station",
        field=models.ForeignKey(
            db_constraint=False,
            db_index=False,
            on_delete=django.db.models.deletion.CASCADE,
            to="hydro.station",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("hydro", "0003_import_kinds_flood_indexes")]

    operations = [
        key_only("rainobservation"),
        key_only("reservoirobservation"),
        key_only("riverobservation"),
        migrations.RunPython(autosummarize(True), autosummarize(False)),
    ]

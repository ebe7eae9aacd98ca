"""Re-encrypt the reporters' phones and names written before field encryption (Fernet, by
lib/secretbox) under the field key ring (lib/fieldcrypt: AES-GCM or SM4-GCM), in batches."""

from django.db import migrations

from zhengwei.lib import fieldcrypt

COLUMNS = (
    ("reporter_phone_sealed", "reports.report.reporter_phone"),
    ("reporter_name_sealed", "reports.report.reporter_name"),
)


def encrypt_existing(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ring = fieldcrypt.settings_ring()
    for field, context in COLUMNS:
        legacy = Report.objects.exclude(**{field: ""}).exclude(**{f"{field}__startswith": "zf1$"})
        for pk, stored in legacy.values_list("pk", field).iterator(chunk_size=500):
            plain = fieldcrypt.reveal(stored, context)
            Report.objects.filter(pk=pk).update(**{field: fieldcrypt.encrypt(plain, ring, context)})


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_emergency_deadlines")]
    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop)]

"""Re-encrypt every field-encrypted column under the active key and cipher.

Add the new key to FIELD_KEYS, point FIELD_KEY_ACTIVE at it (and FIELD_CIPHER, to switch between
AES-GCM and SM4-GCM), restart, then run ``python manage.py rotate_field_keys``. It works in
batches, one transaction each, and shows its progress. It is resumable: a value already under the
active key is skipped, so a run that stopped half-way just runs again. Remove the old key from
FIELD_KEYS only after a run that reports 0 values left.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models.functions import Cast

from zhengwei.audit.services import audit_record
from zhengwei.lib import fieldcrypt


class Command(BaseCommand):
    help = "Re-encrypt field-encrypted personal data under FIELD_KEY_ACTIVE / FIELD_CIPHER."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch: int, **options):
        ring = fieldcrypt.settings_ring()
        total_done = 0
        for label, field, context in fieldcrypt.COLUMNS:
            model = apps.get_model(label)
            # The column as stored (a sealed field's own reads decrypt), compared by pk only:
            # a sealed identifier's equality look-up goes to its blind index.
            stale = (
                model._base_manager.exclude(**{field: ""})
                .exclude(**{f"{field}__startswith": f"zf1${ring.cipher}${ring.active}$"})
                .annotate(stored=Cast(field, models.TextField()))
                .order_by("pk")
            )
            left = stale.count()
            self.stdout.write(f"{label}.{field}: {left} values to re-encrypt")
            done, last = 0, None
            while True:
                rows = stale if last is None else stale.filter(pk__gt=last)
                chunk = list(rows.values_list("pk", "stored")[:batch])
                if not chunk:
                    break
                with transaction.atomic():
                    for pk, stored in chunk:
                        plain = fieldcrypt.reveal_column(stored, label, field, context)
                        model._base_manager.filter(pk=pk).annotate(
                            stored=Cast(field, models.TextField())
                        ).filter(stored=stored).update(
                            **{field: fieldcrypt.encrypt(plain, ring, context)}
                        )
                done += len(chunk)
                last = chunk[-1][0]
                self.stdout.write(f"  {done}/{left} ({100 * done // max(left, 1)} %)")
            total_done += done
        audit_record(
            action="fieldcrypt.rotate",
            actor_name="system",
            object_type="fieldcrypt",
            object_repr=f"{total_done} values",
            after={"key": ring.active, "cipher": ring.cipher, "re_encrypted": total_done},
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{total_done} values re-encrypted under key {ring.active} ({ring.cipher}); 0 left."
            )
        )

"""Verify the audit log's hash chain and report the first broken link.

``python manage.py audit_verify`` exits with status 1 when the chain is broken, so cron or a
monitoring check can alert on it; the last line names the head link, to write down off-host.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhengwei.audit.chain import verify
from zhengwei.audit.models import AuditEntry
from zhengwei.audit.services import audit_record

REASONS = {
    "start": "the oldest entry does not continue the chain (entries before it were removed "
    "outside the retention job)",
    "link": "the entry does not point at the one before it (an entry was removed or inserted)",
    "content": "the entry's content does not match its link (the entry was changed)",
}


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; report the first broken link."

    def handle(self, *args, **options):
        total = AuditEntry.objects.count()
        self.stdout.write(f"Verifying {total} audit entries…")

        def progress(done: int) -> None:
            self.stdout.write(f"  {done}/{total} ({100 * done // max(total, 1)} %)")

        result = verify(progress=progress)
        # The check is on the record either way (等保: the audit process itself is audited).
        audit_record(
            action="audit.verify",
            actor_name="system",
            object_type="audit.auditentry",
            object_repr=f"{result.checked} entries",
            after={
                "checked": result.checked,
                "broken_id": result.broken_id,
                "reason": result.reason,
            },
            outcome="ok" if result.ok else "failed",
        )
        if not result.ok:
            entry = AuditEntry.objects.filter(pk=result.broken_id).first()
            where = f"#{result.broken_id}" + (f" ({entry})" if entry else "")
            raise CommandError(
                f"Chain broken at entry {where} after {result.checked} good entries: "
                f"{REASONS[result.reason]}."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Chain intact: {result.checked} entries. Head link {result.head}")
        )

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppendOnlyError(RuntimeError):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries are removed only by the retention job")

    def _prune(self):
        # The one legitimate removal: entries past retention (see audit.services.audit_prune).
        return super().delete()


class AuditEntry(models.Model):
    """One append-only record of a state change, a sign-in or a sensitive read.

    On PostgreSQL a trigger (migrations 0003, 0004) also refuses UPDATE, and refuses DELETE of
    anything younger than the retention period, so even a raw SQL session cannot rewrite history;
    and every entry is a link of a keyed hash chain, so what a database owner changes anyway is
    found by ``manage.py audit_verify``.
    """

    # Set by audit_record before the entry is sealed into the hash chain (so not auto_now_add,
    # which would change it after the link was computed).
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Copied so the entry stays readable after the person is renamed or removed.
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    actor_org = models.CharField(_("actor organisation"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("source IP"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, default="ok")
    # The hash chain (audit/chain.py): the previous entry's link and this entry's own, an HMAC
    # over both and the content above; ``manage.py audit_verify`` finds the first broken link.
    prev_hash = models.CharField(_("previous link"), max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(
        pgettext_lazy("hash chain", "link"), max_length=64, blank=True, editable=False
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries are removed only by the retention job")


class PurgeRun(models.Model):
    """What one run of the retention purge did to one class of personal data (the purge report)."""

    run = models.UUIDField(_("run"), db_index=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    data_class = models.CharField(_("data class"), max_length=64)
    days = models.PositiveIntegerField(_("retention period (days)"))
    cutoff = models.DateTimeField(_("purged what is older than"))
    records = models.PositiveIntegerField(_("records purged"), default=0)
    files = models.PositiveIntegerField(_("files deleted"), default=0)
    oldest_kept = models.DateTimeField(_("oldest kept"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "data_class"]
        verbose_name = _("personal-data purge")
        verbose_name_plural = _("personal-data purges")
        indexes = [models.Index(fields=["-at"], name="audit_purge_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.records}"

"""Citizens' disaster reports (我报灾情): the report, its handling steps, photos and routing.

State changes go through ``services.py``; reads through ``selectors.py``. The reporter's phone
number and name are stored sealed (Fernet, FIELD_ENCRYPTION_KEY) with a keyed hash for look-ups
and a masked copy (138****1234) for display; the full number only leaves through
``services.report_reveal_phone``, which is audited.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengwei.lib import fieldcrypt
from zhengwei.lib.sealed import BlindIndexField, SealedIdentityField
from zhengwei.orgs.models import Organisation, OrgKind, User, WeChatAccount
from zhengwei.reports.geo import Datum, LocationFlag

# The states, hazards and priorities live with the state machine, which rules on them.
from zhengwei.reports.workflow import DONE_STATES, Hazard, Priority, State, escalation_label

__all__ = [
    "ApiKey",
    "Channel",
    "EmergencyPeriod",
    "Datum",
    "Hazard",
    "LocationFlag",
    "Priority",
    "RateCounter",
    "Report",
    "ReportPhoto",
    "ReportStep",
    "ReportView",
    "RoutingRule",
    "State",
    "StepKind",
    "TicketCounter",
]


class Channel(models.TextChoices):
    CHAT = "chat", _("WeChat chat")
    H5 = "h5", _("Mobile form")
    PHONE = "phone", _("Phone call")
    UNIT = "unit", _("County unit")
    OPEN311 = "open311", _("Open311 API")


# Reports a citizen sends by themselves (the acknowledgement metrics are measured on these).
CITIZEN_CHANNELS = {Channel.CHAT, Channel.H5, Channel.OPEN311}


class StepKind(models.TextChoices):
    RECEIVE = "receive", _("Received")
    ACK = "ack", _("Acknowledged")
    TRIAGE = "triage", _("Triaged")
    DISPATCH = "dispatch", _("Dispatched")
    SIGN = "sign", _("Signed for")
    CONTACT = "contact", _("Contacted the reporter")
    PROGRESS = "progress", _("Progress")
    RESOLVE = "resolve", _("Resolved")
    CLOSE = "close", _("Closed")
    DUPLICATE = "duplicate", _("Marked as duplicate")
    MERGE = "merge", _("Duplicates merged in")
    REFER = "refer", _("Referred")
    REJECT = "reject", _("Rejected")
    ESCALATE = "escalate", _("Escalated")
    SUPERVISE = "supervise", _("Supervision (督办)")
    REOPEN = "reopen", _("Reopened")
    CITIZEN_REJECT = "citizen_reject", _("Reporter rejected the closure")
    RATE = "rate", _("Rated")
    NOTE = "note", _("Note")
    PHOTOS = "photos", _("Photos added")


def private_storage() -> FileSystemStorage:
    return _PRIVATE_STORAGE


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT/private: never served by the web server, only through permission-checked views."""

    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "private")

    @cached_property
    def base_url(self):
        return None


_PRIVATE_STORAGE = PrivateStorage()


class TicketCounter(models.Model):
    """One row per prefix and day; incremented under a row lock, so numbers never repeat."""

    key = models.CharField(max_length=24, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ticket counter")
        verbose_name_plural = _("ticket counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class Report(models.Model):
    account = models.ForeignKey(
        WeChatAccount, on_delete=models.PROTECT, related_name="reports", verbose_name=_("account")
    )
    ticket = models.CharField(_("ticket"), max_length=24, unique=True)
    # A random id for Open311 tokens and other references that must not be guessable.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    lives_in_danger = models.BooleanField(_("lives in danger"), default=False)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RECEIVED
    )

    # Location: always WGS-84 here; the datum it came in is recorded.
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    input_datum = models.CharField(
        _("input datum"), max_length=8, choices=Datum.choices, default=Datum.WGS84
    )
    accuracy_m = models.FloatField(_("accuracy (m)"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    county_code = models.CharField(_("county code"), max_length=12, blank=True, db_index=True)
    county_name = models.CharField(_("county"), max_length=40, blank=True)
    location_flag = models.CharField(
        _("location check"), max_length=20, choices=LocationFlag.choices
    )

    # Reporter (personal data).
    reporter_openid = SealedIdentityField(
        _("reporter openid"),
        blank=True,
        context="reports.report.reporter_openid",
        index="reporter_openid_index",
    )
    reporter_openid_index = BlindIndexField(source="reporter_openid")
    reporter_phone_sealed = models.TextField(blank=True)
    reporter_phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    reporter_phone_masked = models.CharField(_("phone"), max_length=24, blank=True)
    reporter_name_sealed = models.TextField(blank=True)

    entered_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    api_key = models.ForeignKey(
        "ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    handler = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("duty officer"),
    )
    assigned_unit = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        limit_choices_to={"kind": OrgKind.UNIT},
        verbose_name=_("unit"),
    )
    assignee = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit officer"),
    )

    # Times.
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    auto_ack_at = models.DateTimeField(_("automatic acknowledgement"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), db_index=True)
    first_ack_at = models.DateTimeField(_("first acknowledged"), null=True, blank=True)
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("contacted"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)

    # 0 = with the duty officer, 1 = duty leader, 2 = office leader.
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    suggested_duplicates = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="+"
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    first_seen_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    first_seen_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("first opened by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("disaster report")
        verbose_name_plural = _("disaster reports")
        indexes = [
            models.Index(fields=["account", "state"]),
            models.Index(fields=["account", "created_at"]),
            models.Index(fields=["reporter_openid_index"]),
        ]

    def __str__(self) -> str:
        return self.ticket

    # --- personal data (sealed) -------------------------------------------------------------
    @property
    def reporter_phone(self) -> str:
        return fieldcrypt.reveal(self.reporter_phone_sealed, "reports.report.reporter_phone")

    @property
    def reporter_name(self) -> str:
        return fieldcrypt.reveal(self.reporter_name_sealed, "reports.report.reporter_name")

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lng is not None

    def is_overdue(self, now=None) -> bool:
        return self.state not in DONE_STATES and (now or timezone.now()) > self.due_at

    @property
    def escalation_label(self) -> str:
        """The level in words: 已督办至带班领导 / 已督办至办公室领导."""
        return escalation_label(self.escalation_level)


# The reporter's phone and name are field-encrypted; rotate_field_keys re-encrypts them.
fieldcrypt.register("reports.Report", "reporter_phone_sealed", "reports.report.reporter_phone")
fieldcrypt.register("reports.Report", "reporter_name_sealed", "reports.report.reporter_name")


class ReportStep(models.Model):
    """One handling step: who did what, when, and what the citizen and the office were told."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=16, choices=StepKind.choices)
    from_state = models.CharField(
        pgettext_lazy("state change", "from"), max_length=12, choices=State.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=12, choices=State.choices)
    actor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("report step", "by"),
    )
    # Who it was when not a signed-in person: "市民", "系统", "Open311 · 12345热线".
    actor_label = models.CharField(max_length=80, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    public_note = models.TextField(_("note to the reporter"), blank=True, max_length=1000)
    internal_note = models.TextField(_("internal note"), blank=True, max_length=2000)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("handling step")
        verbose_name_plural = _("handling steps")

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.from_state}→{self.to_state}"

    @property
    def who(self) -> str:
        return str(self.actor) if self.actor_id else self.actor_label


def _photo_path(instance: ReportPhoto, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower() or ".bin"
    return timezone.now().strftime(f"reports/%Y/%m/{uuid.uuid4().hex}{ext}")


class ReportPhoto(models.Model):
    """A photo: the original bytes for the office, a re-encoded copy without EXIF for everyone else."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    original = models.FileField(storage=private_storage, upload_to=_photo_path, max_length=200)
    display = models.FileField(storage=private_storage, upload_to=_photo_path, max_length=200)
    original_format = models.CharField(max_length=8)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"{self.report_id} #{self.pk}"


class RoutingRule(models.Model):
    """County × hazard → unit. A blank hazard matches every hazard of the county."""

    account = models.ForeignKey(
        WeChatAccount,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("account"),
    )
    county_code = models.CharField(_("county code"), max_length=12)
    county_name = models.CharField(_("county"), max_length=40, blank=True)
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices, blank=True)
    unit = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        limit_choices_to={"kind": OrgKind.UNIT},
        verbose_name=_("unit"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["county_code", "hazard"]
        unique_together = [("account", "county_code", "hazard")]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        hazard = self.get_hazard_display() if self.hazard else _("any hazard")
        return f"{self.county_name or self.county_code} · {hazard} → {self.unit}"


class ReportView(models.Model):
    """The first time each person opened a report (the first row is 'first seen')."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    org_kind = models.CharField(max_length=20, choices=OrgKind.choices, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        unique_together = [("report", "user")]
        verbose_name = _("report view")
        verbose_name_plural = _("report views")

    def __str__(self) -> str:
        return f"{self.report_id} ← {self.user_id} {self.at:%Y-%m-%d %H:%M}"


class RateCounter(models.Model):
    """Submissions per identity (openid, phone, IP, API key) per fixed window, shared by processes."""

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("key", "window_start")]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%H:%M} {self.count}"


class ApiKey(models.Model):
    """An Open311 client. Only the SHA-256 of the key is stored; the key is shown once."""

    account = models.ForeignKey(
        WeChatAccount, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("account")
    )
    name = models.CharField(_("client name"), max_length=80)
    prefix = models.CharField(_("key prefix"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class EmergencyPeriod(models.Model):
    """A period of emergency mode on one account (typhoon, rainstorm): who switched it on and off.

    While one is open (no ``ended_at``) unacknowledged reports escalate on the shorter
    REPORT_ACK_EMERGENCY_* deadlines and every console shows the mode.
    """

    account = models.ForeignKey(
        WeChatAccount,
        on_delete=models.CASCADE,
        related_name="emergency_periods",
        verbose_name=_("account"),
    )
    reason = models.CharField(_("reason"), max_length=200)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    started_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ended by"),
    )
    # The acknowledgement deadlines (minutes per priority) in force while it was on, and the
    # ordinary ones it replaced: settings change, the history must say what applied then.
    ack_minutes = models.JSONField(_("acknowledgement deadlines"), default=dict, blank=True)
    normal_ack_minutes = models.JSONField(
        _("ordinary acknowledgement deadlines"), default=dict, blank=True
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("emergency mode")
        verbose_name_plural = _("emergency mode periods")
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(ended_at__isnull=True),
                name="reports_one_open_emergency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.started_at:%Y-%m-%d %H:%M} {self.reason}"

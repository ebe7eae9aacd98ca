"""Performance records: what was published, incidents, menu probes, veto alerts, and the
scorecards with their items and each review step (one row per step)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengwei.orgs.models import WeChatAccount


class PublicationKind(models.TextChoices):
    PUSH = "push", _("Mass push")
    PUBLISH = "publish", _("Publication (not pushed)")


class PublicationSource(models.TextChoices):
    WECHAT = "wechat", _("WeChat event")
    NEWSROOM = "newsroom", _("Newsroom")
    MANUAL = "manual", _("Entered by the office")


class Publication(models.Model):
    """One push or publication seen on the account (the basis of "days since the last post")."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField(_("published"))
    kind = models.CharField(_("kind"), max_length=10, choices=PublicationKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    article_count = models.PositiveSmallIntegerField(_("articles"), default=1)
    original_count = models.PositiveSmallIntegerField(_("original articles"), default=0)
    source = models.CharField(_("source"), max_length=10, choices=PublicationSource.choices)
    ref = models.CharField(max_length=64, blank=True)  # publish_id / msg_id; "" when entered
    ok = models.BooleanField(_("succeeded"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [models.Index(fields=["account", "published_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "source", "ref"],
                condition=~models.Q(ref=""),
                name="perf_publication_ref_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.published_at:%Y-%m-%d %H:%M} {self.title}"


class IncidentKind(models.TextChoices):
    SERIOUS_ERROR = "serious_error", _("Serious wording error")
    LEAK = "leak", _("Leak of secrets or personal data")
    PROHIBITED = "prohibited", _("Prohibited content or link")
    TYPO = "typo", _("Confirmed typo")


VETO_INCIDENTS = {IncidentKind.SERIOUS_ERROR, IncidentKind.LEAK, IncidentKind.PROHIBITED}


class Incident(models.Model):
    """A confirmed error on the account, recorded by the office reviewer (the indicator source for
    serious errors, leaks and prohibited content: any one is a 单项否决 event)."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("occurred"))
    description = models.TextField(_("description"), max_length=2000)
    evidence_url = models.CharField(_("link to the post"), max_length=400, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [models.Index(fields=["account", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class MenuProbe(models.Model):
    """One daily check of a menu link (govrules (a) row 6: failing = HTTP error or ≥ 15 s)."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("menu item"), max_length=60)
    url = models.CharField(_("link"), max_length=400)
    probed_at = models.DateTimeField(_("checked"), default=timezone.now)
    ok = models.BooleanField(_("working"))
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        ordering = ["-probed_at"]
        indexes = [models.Index(fields=["account", "probed_at"])]

    def __str__(self) -> str:
        return f"{self.label} {'ok' if self.ok else 'fail'}"


class ReprintRequest(models.Model):
    """An article a superior body designated for reprinting (上级指定转载, e.g. an 应急管理部 or 省政府
    notice), recorded by the office: the source of "reprint latency" (govrules (a) row 10). The
    reprint is the newsroom article that names the same source link, or is entered by hand."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    source_url = models.URLField(_("link to the designated article"), max_length=1000)
    designated_by = models.CharField(_("designated by"), max_length=100)
    designated_at = models.DateTimeField(_("designated"))
    reprinted_at = models.DateTimeField(_("reprinted"), null=True, blank=True)
    reprint_url = models.CharField(_("link to the reprint"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-designated_at"]
        verbose_name = _("designated reprint")
        indexes = [models.Index(fields=["account", "designated_at"])]

    def __str__(self) -> str:
        return self.title


class RegistryFiling(models.Model):
    """The account's filing (备案) with the national 政务新媒体 registry (全国政务新媒体信息报送系统),
    as the office keeps it: the source of "account registry compliance" (govrules (a) row 23)."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    registry_number = models.CharField(_("filing number"), max_length=60)
    registered_name = models.CharField(_("name as filed"), max_length=100)
    registered_owner = models.CharField(_("owner (主体) as filed"), max_length=100)
    platform = models.CharField(_("platform"), max_length=20, default="微信")
    filed_on = models.DateField(_("filed on"))
    closing_on = models.DateField(_("closing on"), null=True, blank=True)
    stop_notice_url = models.CharField(_("link to the closing notice"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-filed_on", "-pk"]
        verbose_name = _("registry filing")

    def __str__(self) -> str:
        return f"{self.registry_number} {self.registered_name}"


class VetoCondition(models.TextChoices):
    NO_UPDATE = "no_update", _("No update within 14 days")
    NO_INTERACTION = "no_interaction", _("No working interaction channel")
    SERIOUS_ERROR = "serious_error", _("Serious error, leak or prohibited content")
    BROKEN_MENU = "broken_menu", _("Menu links failing")


class AlertLevel(models.TextChoices):
    AMBER = "amber", _("Warning")
    VETO = "veto", _("Veto")


class VetoAlert(models.Model):
    """A veto condition near (amber) or reached (veto) on an account: open until it clears."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    condition = models.CharField(_("condition"), max_length=16, choices=VetoCondition.choices)
    level = models.CharField(_("level"), max_length=8, choices=AlertLevel.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    notified = models.PositiveSmallIntegerField(_("people notified"), default=0)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["account", "cleared_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "condition", "level"],
                condition=models.Q(cleared_at__isnull=True),
                name="perf_one_open_alert",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_condition_display()} ({self.get_level_display()})"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Band(models.TextChoices):
    EXCELLENT = "excellent", "优"
    GOOD = "good", "良"
    FAIR = "fair", "中"
    POOR = "poor", "差"


class ScorecardState(models.TextChoices):
    DRAFT = "draft", _("Computed")
    REVIEWING = "reviewing", _("Under review")
    SIGNED = "signed", _("Signed off")


class IllegalTransition(ValidationError):
    pass


class Scorecard(models.Model):
    """A 100-point scorecard of one account for one period (end exclusive) against the service
    levels of the contract in force; once signed it is the acceptance record (履约验收书)."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.PROTECT, related_name="+")
    contract_id = models.PositiveBigIntegerField(null=True, blank=True)
    contract_label = models.CharField(_("contract"), max_length=200, blank=True)
    period = models.CharField(
        pgettext_lazy("reporting period", "period"), max_length=8, choices=PeriodKind.choices
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until (exclusive)"))
    state = models.CharField(
        _("state"), max_length=10, choices=ScorecardState.choices, default=ScorecardState.DRAFT
    )
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=1, default=0)
    uncapped = models.DecimalField(
        _("score before the veto cap"), max_digits=5, decimal_places=1, default=0
    )
    band = models.CharField(_("grade"), max_length=10, choices=Band.choices, blank=True)
    vetoed = models.BooleanField(_("veto"), default=False)
    scaled = models.BooleanField(_("scaled for missing data"), default=False)
    veto_codes = models.JSONField(_("veto indicators"), default=list, blank=True)
    payment_pct = models.DecimalField(
        _("payment adjustment (%)"), max_digits=6, decimal_places=2, default=0
    )
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sign_comment = models.TextField(_("sign-off comment"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-start", "period"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period", "start"], name="perf_scorecard_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.period} {self.start}"


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("To be reviewed")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")
    RESPONDED = "responded", _("Contractor responded")
    ADJUSTED = "adjusted", _("Adjusted")


FINAL_ITEM_STATUSES = {ItemStatus.CONFIRMED, ItemStatus.ADJUSTED}


class ScorecardItem(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("indicator"), max_length=40)
    label = models.CharField(_("indicator"), max_length=120)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    direction = models.CharField(max_length=10)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True)
    missing_days = models.PositiveSmallIntegerField(_("days without data"), default=0)
    points_max = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    points_computed = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    points = models.DecimalField(_("points earned"), max_digits=5, decimal_places=1, null=True)
    met = models.BooleanField(null=True)
    veto = models.BooleanField(_("veto item"), default=False)
    vetoed = models.BooleanField(_("veto event"), default=False)
    evidence_url = models.CharField(max_length=400, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("review"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scorecard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "code"], name="perf_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.points}/{self.points_max}"


class ReviewKind(models.TextChoices):
    CONFIRM = "confirm", _("Confirmed")
    DISPUTE = "dispute", _("Disputed")
    RESPOND = "respond", _("Contractor's response")
    ADJUST = "adjust", _("Points adjusted")


class ItemReview(models.Model):
    """One review step on one scorecard item: who, when, what, why."""

    item = models.ForeignKey(ScorecardItem, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("step"), max_length=8, choices=ReviewKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    points = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item.code} {self.kind}"


class MonthFigures(models.Model):
    """The message and report figures of one account's closed month, kept so that a year (or a
    dashboard of twelve months) reads twelve rows instead of every message of the year. Filled by
    ``performance_tick`` once a month is over and its deadlines have passed (``settles_at``); a
    record of that month changing afterwards (a late answer, a comment fetched late) marks the
    row stale, and the month is read from the records until the job fills it again.

    The parts add up exactly: counts, and whole-second histograms of the durations (a median
    does not add up across months, a histogram does), so a stored month gives the very figures
    the records give (``performance/tests/test_month_figures.py``)."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day
    messages = models.JSONField(default=dict)  # interactions.aggregates.conversation_month_parts
    reports = models.JSONField(default=dict)  # reports.aggregates.report_month_parts
    settles_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)
    stale = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="perf_month_figures_unique")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m}"

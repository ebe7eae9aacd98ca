"""The newsroom: columns and cadence, topics (报题) and assignments, office directions (选题指令),
articles with revisions, the review chain (三审, one row per step), findings of the checks
before review, pushes to WeChat (≤ 8 articles each), emergencies and live coverage.

State changes go through ``services``; reads through ``selectors``. States and transitions live
in ``workflow.py``.
"""

from __future__ import annotations

import hashlib
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengwei.lib.sealed import BlindIndexField, SealedIdentityField
from zhengwei.newsroom.workflow import ArticleState, PushState, StepState, TopicState
from zhengwei.orgs.models import Role, User, WeChatAccount

__all__ = [
    "Article",
    "ArticleState",
    "Assignment",
    "ChainMode",
    "ChainStep",
    "Column",
    "Comment",
    "Direction",
    "Emergency",
    "EmergencyKind",
    "Finding",
    "FindingKind",
    "FindingState",
    "LiveEntry",
    "LiveEntryState",
    "LiveEvent",
    "NewsImage",
    "PreviewBinding",
    "Push",
    "PushMode",
    "PushState",
    "ResponseLevel",
    "ReviewStep",
    "Revision",
    "RosterEntry",
    "StepState",
    "Term",
    "TermKind",
    "Topic",
    "TopicState",
]

MAX_ARTICLES_PER_PUSH = 8


class Column(models.Model):
    """A column (栏目) with its planned cadence."""

    account = models.ForeignKey(
        WeChatAccount, on_delete=models.CASCADE, related_name="columns", verbose_name=_("account")
    )
    name = models.CharField(_("name"), max_length=40)
    per_week = models.PositiveSmallIntegerField(
        _("planned pushes a week"), default=0, help_text=_("0: as needed")
    )
    color = models.CharField(_("colour"), max_length=7, default="#2f6fb0")
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["account", "order", "name"]
        unique_together = [("account", "name")]
        verbose_name = _("column")
        verbose_name_plural = _("columns")

    def __str__(self) -> str:
        return self.name


class Direction(models.Model):
    """Material and direction the office sends the contractor (选题指令)."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="directions")
    column = models.ForeignKey(Column, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("direction"), blank=True)
    material = models.TextField(_("material"), blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("office direction")

    def __str__(self) -> str:
        return self.title


class Topic(models.Model):
    """A proposed topic (报题): accepted, it becomes an assignment."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="topics")
    column = models.ForeignKey(
        Column, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("column")
    )
    direction = models.ForeignKey(
        Direction, null=True, blank=True, on_delete=models.SET_NULL, related_name="topics"
    )
    title = models.CharField(_("topic"), max_length=120)
    angle = models.TextField(_("angle"), blank=True)
    material = models.TextField(_("material"), blank=True)
    # Planning date (the calendar) is not the publishing time (Ghost's lesson).
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=TopicState.choices, default=TopicState.PROPOSED
    )
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("topic")

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="assignment")
    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="assignments")
    owner = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="newsroom_assignments", verbose_name=_("owner")
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("assignment")

    def __str__(self) -> str:
        return str(self.topic)


class PushMode(models.TextChoices):
    PUBLISH = "publish", _("Publish (发表, no notification)")
    MASS_SEND = "mass_send", _("Mass send (群发, notifies followers)")


class Push(models.Model):
    """One WeChat push of up to 8 articles, planned, scheduled and published as one."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="pushes")
    title = models.CharField(_("title"), max_length=120)
    planned_for = models.DateField(_("planned for"))
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    mode = models.CharField(
        _("mode"), max_length=10, choices=PushMode.choices, default=PushMode.MASS_SEND
    )
    state = models.CharField(
        _("state"), max_length=12, choices=PushState.choices, default=PushState.PLANNED
    )
    emergency = models.ForeignKey(
        "Emergency", null=True, blank=True, on_delete=models.SET_NULL, related_name="pushes"
    )
    # Idempotency: one key per push, sent as clientmsgid; draft and publish ids kept as soon as
    # WeChat returns them, so a retry resumes where the last attempt stopped, never repeats.
    key = models.CharField(max_length=64, unique=True, default="")
    draft_media_id = models.CharField(max_length=128, blank=True)
    publish_id = models.CharField(max_length=64, blank=True)
    msg_id = models.CharField(max_length=64, blank=True)
    msg_data_id = models.CharField(max_length=64, blank=True)
    article_id = models.CharField(max_length=128, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    scheduled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-planned_for", "-pk"]
        indexes = [
            models.Index(fields=["account", "planned_for"]),
            models.Index(fields=["state", "publish_at"]),
        ]
        verbose_name = _("push")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = uuid.uuid4().hex
        super().save(*args, **kwargs)


class Article(models.Model):
    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="articles")
    column = models.ForeignKey(
        Column, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("column")
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    push = models.ForeignKey(
        Push, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=64)
    author = models.CharField(_("author"), max_length=32, blank=True)
    digest = models.CharField(_("digest"), max_length=256, blank=True)
    body_html = models.TextField(pgettext_lazy("article", "body"), blank=True)
    cover = models.ForeignKey(
        "NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_original = models.BooleanField(_("original"), default=True)
    source_url = models.URLField(_("source link"), max_length=1000, blank=True)
    source = models.CharField(
        _("source"), max_length=60, blank=True, help_text=_("Who offered it, e.g. hydro.briefing")
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ArticleState.choices, default=ArticleState.DRAFT
    )
    revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    emergency = models.BooleanField(_("emergency fast track"), default=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    url = models.URLField(_("article link"), max_length=1000, blank=True)
    # Images another app offered with the article, kept here but not yet on WeChat:
    # {src in the body: NewsImage id}. Uploaded and replaced by their WeChat URLs as soon as
    # WeChat answers (article_images_upload); until then the checks hold the article back.
    pending_images = models.JSONField(default=dict, blank=True)
    # The draft the last phone preview was made from (replaced by the next preview).
    preview_media_id = models.CharField(max_length=128, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["account", "state"])]
        verbose_name = _("article")

    def __str__(self) -> str:
        return self.title

    @property
    def locked(self) -> bool:
        return self.state == ArticleState.IN_REVIEW

    def content_hash(self) -> str:
        return content_hash(
            self.title,
            self.author,
            self.digest,
            self.body_html,
            self.is_original,
            self.source_url,
            self.cover_id,
        )


def content_hash(*parts) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()


class Revision(models.Model):
    """Every save of an article: reviewers compare any two."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=64)
    author = models.CharField(max_length=32, blank=True)
    digest = models.CharField(max_length=256, blank=True)
    body_html = models.TextField(blank=True)
    is_original = models.BooleanField(default=True)
    source_url = models.URLField(max_length=1000, blank=True)
    cover_id = models.BigIntegerField(null=True, blank=True)
    hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["article", "number"]
        unique_together = [("article", "number")]
        verbose_name = _("revision")

    def __str__(self) -> str:
        return f"{self.article} · r{self.number}"


class ChainMode(models.TextChoices):
    NORMAL = "normal", _("Normal (三审)")
    EMERGENCY = "emergency", _("Emergency fast track")


class ChainStep(models.Model):
    """One configured level of an account's review chain (per mode). No rows: the defaults."""

    account = models.ForeignKey(
        WeChatAccount, on_delete=models.CASCADE, related_name="review_chain"
    )
    mode = models.CharField(max_length=10, choices=ChainMode.choices, default=ChainMode.NORMAL)
    order = models.PositiveSmallIntegerField()
    name = models.CharField(pgettext_lazy("approval", "level"), max_length=20)
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), default=0)
    escalate_to = models.CharField(
        _("escalate to"), max_length=24, choices=Role.choices, blank=True
    )

    class Meta:
        ordering = ["account", "mode", "order"]
        unique_together = [("account", "mode", "order")]
        verbose_name = _("review level")

    def __str__(self) -> str:
        return self.name


class ReviewStep(models.Model):
    """One review step as it happened (who, when, outcome, comment, the revision reviewed)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField()
    name = models.CharField(pgettext_lazy("approval", "level"), max_length=20)
    role = models.CharField(max_length=24, choices=Role.choices)
    mode = models.CharField(max_length=10, choices=ChainMode.choices, default=ChainMode.NORMAL)
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=StepState.choices, default=StepState.PENDING)
    started_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    escalate_to = models.CharField(max_length=24, choices=Role.choices, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["article", "round", "order"]
        indexes = [models.Index(fields=["state", "due_at"])]
        verbose_name = _("review step")

    def __str__(self) -> str:
        return f"{self.article} · {self.name}"


class Comment(models.Model):
    """A reviewer's comment, attached to a passage (the quoted text and its offset)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    quote = models.CharField(_("passage"), max_length=200, blank=True)
    offset = models.PositiveIntegerField(null=True, blank=True)
    body = models.TextField(_("comment"))
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:40]


class TermKind(models.TextChoices):
    BANNED = "banned", _("Banned word")
    SENSITIVE = "sensitive", _("Sensitive word")
    TYPO = "typo", _("Common typo")
    LEADER = "leader", _("Official's name and title")


class Term(models.Model):
    """An entry of an editable word list. Typos carry the right form; officials their title
    and rank (``rank``: order in which names must appear, smaller first)."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="terms")
    kind = models.CharField(_("list"), max_length=10, choices=TermKind.choices)
    term = models.CharField(_("term"), max_length=60)
    replacement = models.CharField(_("right form / title"), max_length=60, blank=True)
    rank = models.PositiveIntegerField(_("rank"), default=0)
    note = models.CharField(_("note"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "rank", "term"]
        unique_together = [("account", "kind", "term")]
        verbose_name = _("word list entry")

    def __str__(self) -> str:
        return self.term


class FindingKind(models.TextChoices):
    BANNED = "banned", _("Banned word")
    SENSITIVE = "sensitive", _("Sensitive word")
    TYPO = "typo", _("Possible typo")
    LEADER_TITLE = "leader_title", _("Official's title")
    LEADER_ORDER = "leader_order", _("Order of officials")
    PERSONAL = "personal", _("Personal data")
    LINK = "link", _("Link outside the allow-list")
    LIMIT = "limit", _("WeChat limit")


class FindingState(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding", "Open")
    CONFIRMED = "confirmed", _("Confirmed error")
    DISMISSED = "dismissed", _("Dismissed")


class Finding(models.Model):
    """One finding of the checks on one revision, at its position in the text."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="findings")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=14, choices=FindingKind.choices)
    serious = models.BooleanField(default=False)
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=200)
    suggestion = models.CharField(max_length=200, blank=True)
    message = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=FindingState.choices, default=FindingState.OPEN)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["revision", "start"]
        indexes = [models.Index(fields=["article", "state"])]
        verbose_name = _("finding")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"


class NewsImage(models.Model):
    """An image uploaded through the WeChat layer (stripped of EXIF/GPS first)."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="newsroom/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    wechat_url = models.URLField(max_length=1000, blank=True)  # media/uploadimg (body images)
    media_id = models.CharField(max_length=128, blank=True)  # add_material (covers)
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        unique_together = [("account", "sha256")]

    def __str__(self) -> str:
        return self.file.name


class PreviewBinding(models.Model):
    """A person's own WeChat on one account (openids are per account), where the phone preview
    (预览) of a draft goes. Bound by sending "绑定 <code>" to the account from that WeChat."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="preview_bindings")
    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    openid = SealedIdentityField(
        blank=True, context="newsroom.previewbinding.openid", index="openid_index"
    )
    openid_index = BlindIndexField(source="openid")
    bound_at = models.DateTimeField(null=True, blank=True)
    code = models.CharField(max_length=6, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "account"], name="newsroom_preview_once"),
        ]
        indexes = [models.Index(fields=["account", "code"])]
        verbose_name = _("preview WeChat")

    def __str__(self) -> str:
        return f"{self.user} · {self.account}"


class EmergencyKind(models.TextChoices):
    TYPHOON = "typhoon", _("Typhoon")
    RAINSTORM = "rainstorm", _("Rainstorm / flood")


class ResponseLevel(models.TextChoices):
    IV = "IV", _("Level Ⅳ")
    III = "III", _("Level Ⅲ")
    II = "II", _("Level Ⅱ")
    I = "I", _("Level Ⅰ")  # noqa: E741


class Emergency(models.Model):
    """An emergency the office declared: fast-track review, higher cadence, emergency menu."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="emergencies")
    kind = models.CharField(_("kind"), max_length=10, choices=EmergencyKind.choices)
    name = models.CharField(_("name"), max_length=60, help_text=_("e.g. 台风“纳沙”"))
    level = models.CharField(_("response level"), max_length=3, choices=ResponseLevel.choices)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    per_week = models.PositiveSmallIntegerField(_("pushes a week during it"), default=7)
    declared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What was there before the switch (menu, auto-replies), restored exactly on leaving.
    saved = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("emergency")

    def __str__(self) -> str:
        return f"{self.name} {self.get_level_display()}"

    @property
    def active(self) -> bool:
        return self.ended_at is None


class RosterEntry(models.Model):
    """A reporter rostered on site during an emergency."""

    emergency = models.ForeignKey(Emergency, on_delete=models.CASCADE, related_name="roster")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("where"), max_length=80)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.place}"


class LiveEvent(models.Model):
    """A live coverage (图文直播) page, public at /live/<slug>/."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=80)
    intro = models.TextField(_("introduction"), blank=True)
    is_open = models.BooleanField(pgettext_lazy("live coverage state", "live"), default=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class LiveEntryState(models.TextChoices):
    PENDING = "pending", _("Waiting for the office")
    APPROVED = "approved", _("Shown")
    REJECTED = "rejected", _("Not shown")


class LiveEntry(models.Model):
    event = models.ForeignKey(LiveEvent, on_delete=models.CASCADE, related_name="entries")
    body = models.TextField(_("text"))
    photo = models.ForeignKey(NewsImage, null=True, blank=True, on_delete=models.SET_NULL)
    state = models.CharField(
        max_length=10, choices=LiveEntryState.choices, default=LiveEntryState.PENDING
    )
    posted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(default=timezone.now)
    checked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-posted_at"]

    def __str__(self) -> str:
        return self.body[:40]

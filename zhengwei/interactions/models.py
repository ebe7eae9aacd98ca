"""Citizen interaction: the chat intake of 我报灾情, the messages sent to reporters, and the 互动
inbox of messages and article comments with its reviewed replies.

State changes go through ``services.py``; reads through ``selectors.py``. Every handling step of a
conversation and every review of a reply draft is its own row (who, when, outcome, comment).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengwei.interactions.errors import IllegalMove
from zhengwei.lib.sealed import BlindIndexField, SealedIdentityField
from zhengwei.orgs.models import WeChatAccount
from zhengwei.reports.models import State as ReportState


# --- chat intake ---------------------------------------------------------------------------
class DraftState(models.TextChoices):
    COLLECTING = "collecting", _("Collecting")
    CONFIRMED = "confirmed", pgettext_lazy("chat report", "Confirmed")
    ABANDONED = "abandoned", _("Abandoned")


class DraftStart(models.TextChoices):
    MENU = "menu", _("Menu button")
    KEYWORD = "keyword", _("Keyword")
    LOCATION = "location", _("Location")
    PHOTO = "photo", _("Photo")


class ChatDraft(models.Model):
    """What one citizen sent for one report (location, photos, voice and text) before confirming.

    Messages belong to the draft while they arrive within REPORT_CHAT_WINDOW_MINUTES of the last
    one. ``photos`` holds the WeChat media ids and PicUrls (the images are fetched after
    confirmation, by a task); ``texts`` the typed text and the voice recognition, in order.
    """

    account = models.ForeignKey(
        WeChatAccount, on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    openid = SealedIdentityField(
        _("citizen openid"), context="interactions.chatdraft.openid", index="openid_index"
    )
    openid_index = BlindIndexField(source="openid")
    state = models.CharField(
        _("state"), max_length=12, choices=DraftState.choices, default=DraftState.COLLECTING
    )
    started_how = models.CharField(
        pgettext_lazy("chat report", "started by"), max_length=10, choices=DraftStart.choices
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    # Not auto_now: the window runs from the citizen's last message, not from any save.
    updated_at = models.DateTimeField(_("last message"), default=timezone.now)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    location_label = models.CharField(_("place"), max_length=200, blank=True)
    photos = models.JSONField(_("photos"), default=list, blank=True)
    texts = models.JSONField(_("texts"), default=list, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    abandoned_at = models.DateTimeField(_("abandoned"), null=True, blank=True)
    report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("report"),
    )
    photos_attached = models.PositiveSmallIntegerField(default=0)
    photo_errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("chat report draft")
        verbose_name_plural = _("chat report drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "openid_index"],
                condition=Q(state="collecting"),
                name="interactions_one_collecting_draft",
            )
        ]
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.openid} {self.started_at:%m-%d %H:%M} {self.state}"

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lng is not None

    @property
    def is_empty(self) -> bool:
        return not (self.has_location or self.photos or self.texts)

    @property
    def description(self) -> str:
        return "\n".join(t.get("text", "") for t in self.texts if t.get("text"))[:2000]


# --- messages to reporters ------------------------------------------------------------------
class ReplyTemplate(models.Model):
    """What the reporter is told when their report enters a state; the office edits these.

    Placeholders: {ticket} {hazard} {unit} {deadline} {due} {next_step} {emergency} {status_url}
    {note} (the officer's own note, if any).
    """

    account = models.ForeignKey(
        WeChatAccount, on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    state = models.CharField(_("report state"), max_length=12, choices=ReportState.choices)
    text = models.TextField(_("message"), max_length=600)
    active = models.BooleanField(_("send"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["account", "state"]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "state"], name="interactions_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.get_state_display()}"


class NoticeKind(models.TextChoices):
    STEP = "step", _("Handling step")
    MERGE = "merge", _("Merged with another report")
    RATING_THANKS = "rating_thanks", _("Thanks for the rating")
    CHAT = "chat", _("Chat intake")


class CitizenNotice(models.Model):
    """One message sent (or queued) to a reporter about their report."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # One notice per step and reporter: the reporter of the report, and the reporters of the
    # reports merged into it (each told every public step of the surviving report).
    step = models.ForeignKey(
        "reports.ReportStep", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    openid = SealedIdentityField(context="interactions.citizennotice.openid", index="openid_index")
    openid_index = BlindIndexField(source="openid")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices, default=NoticeKind.STEP)
    state = models.CharField(max_length=12, choices=ReportState.choices, blank=True)
    text = models.TextField()
    outbound = models.ForeignKey(
        "wechat_outbound.OutboundMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asks_rating = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message to a reporter")
        verbose_name_plural = _("messages to reporters")
        indexes = [models.Index(fields=["account", "openid_index", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "openid_index"], name="interactions_notice_once_per_reporter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.openid} {self.kind} {self.created_at:%m-%d %H:%M}"


# --- the 互动 inbox -----------------------------------------------------------------------------
class Channel(models.TextChoices):
    MESSAGE = "message", _("Message")
    COMMENT = "comment", _("Article comment")


class Category(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    DISASTER = "disaster", _("Disaster")
    OTHER = "other", _("Other")


class ConversationState(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    CONVERTED = "converted", _("Became a disaster report")


class Conversation(models.Model):
    """One case in the inbox: a citizen's run of messages, or one article comment."""

    account = models.ForeignKey(
        WeChatAccount, on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    openid = SealedIdentityField(
        _("citizen openid"), context="interactions.conversation.openid", index="openid_index"
    )
    openid_index = BlindIndexField(source="openid")
    comment = models.OneToOneField(
        "wechat_outbound.Comment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("wechat comment", "comment"),
    )
    preview = models.CharField(_("summary"), max_length=200, blank=True)
    suggested_category = models.CharField(
        _("suggested class"), max_length=12, choices=Category.choices
    )
    category = models.CharField(_("class"), max_length=12, choices=Category.choices, blank=True)
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    classified_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ConversationState.choices,
        default=ConversationState.NEW,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    last_item_at = models.DateTimeField(_("last message"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    first_response_due = models.DateTimeField(_("first response due"))
    resolution_due = models.DateTimeField(_("resolution due"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    auto_replied = models.BooleanField(_("answered by an automatic reply"), default=False)
    # 0 = with the assignee / duty officer, 1 = duty leader, 2 = office leader.
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("disaster report"),
    )

    class Meta:
        ordering = ["-last_item_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["account", "state"]),
            models.Index(fields=["account", "openid_index", "channel"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.preview[:30]}"

    @property
    def effective_category(self) -> str:
        return self.category or self.suggested_category

    @property
    def is_open(self) -> bool:
        return self.state in (ConversationState.NEW, ConversationState.OPEN)

    def overdue(self, now=None) -> str:
        """ "first_response", "resolution" or "" (on time or finished)."""
        if not self.is_open:
            return ""
        now = now or timezone.now()
        if self.first_response_at is None and now > self.first_response_due:
            return "first_response"
        if now > self.resolution_due:
            return "resolution"
        return ""


class InboxItem(models.Model):
    """What the citizen said: one inbound message or one comment."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="items")
    inbound_message = models.OneToOneField(
        "wechat_inbound.InboundMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.ForeignKey(
        "wechat_outbound.Comment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(max_length=16)  # text, voice, link, comment, draft
    text = models.TextField(blank=True)
    auto_reply = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.text[:30]}"


def delivery_label(outbound_state: str) -> str:
    """An outbound message's state as the console says it."""
    return str(
        {
            "queued": _("Being sent"),
            "sending": _("Being sent"),
            "sent": _("Sent"),
            "failed": _("Sending failed"),
            "retrying": _("Retrying: WeChat did not take it; it is sent again automatically"),
            "waiting_window": _("Queued: goes out automatically when the citizen writes again"),
        }.get(outbound_state, outbound_state)
    )


class ReplyState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved, sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Sending failed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReplyDraft(models.Model):
    """A reply to a conversation. Office staff send directly (``direct``); a contractor's draft
    waits for an office member's approval before it goes out."""

    TRANSITIONS = {
        ReplyState.PENDING: {ReplyState.APPROVED, ReplyState.RETURNED, ReplyState.WITHDRAWN},
        ReplyState.RETURNED: {ReplyState.PENDING, ReplyState.WITHDRAWN},
        ReplyState.APPROVED: {ReplyState.SENT, ReplyState.FAILED},
        ReplyState.FAILED: {ReplyState.APPROVED, ReplyState.WITHDRAWN},
        ReplyState.SENT: set(),
        ReplyState.WITHDRAWN: set(),
    }

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("reply"), max_length=600)
    state = models.CharField(
        _("state"), max_length=10, choices=ReplyState.choices, default=ReplyState.PENDING
    )
    direct = models.BooleanField(_("sent without review"), default=False)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("drafted"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    outbound = models.ForeignKey(
        "wechat_outbound.OutboundMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["drafted_at", "id"]
        verbose_name = _("reply draft")
        verbose_name_plural = _("reply drafts")

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.text[:30]} ({self.state})"

    @property
    def delivery_label(self) -> str:
        """What actually happened to a sent reply: a reply beyond the citizen's 48-hour window
        waits in a queue until they write again, and says so."""
        message = self.outbound
        if self.state != ReplyState.SENT or message is None:
            return str(self.get_state_display())
        return delivery_label(message.state)

    def move_to(self, state: str) -> None:
        if state not in self.TRANSITIONS[self.state]:
            raise IllegalMove(
                _("A reply that is “%(from)s” cannot become “%(to)s”.")
                % {"from": ReplyState(self.state).label, "to": ReplyState(state).label}
            )
        self.state = state


class ReviewOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ReplyReview(models.Model):
    """One office review of a reply draft."""

    draft = models.ForeignKey(ReplyDraft, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("reply review")
        verbose_name_plural = _("reply reviews")

    def __str__(self) -> str:
        return f"{self.draft_id} {self.outcome} {self.at:%m-%d %H:%M}"


class StepKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    CLASSIFIED = "classified", _("Classified")
    ASSIGNED = "assigned", _("Assigned")
    DRAFTED = "drafted", _("Reply drafted")
    APPROVED = "approved", _("Reply approved")
    RETURNED = "returned", _("Reply returned")
    REPLIED = "replied", _("Replied")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    CONVERTED = "converted", _("Became a disaster report")


class ConversationStep(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=12, choices=StepKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=80, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("conversation step")
        verbose_name_plural = _("conversation steps")

    def __str__(self) -> str:
        return f"{self.conversation_id} {self.kind}"

    @property
    def who(self) -> str:
        return str(self.actor) if self.actor_id else self.actor_label

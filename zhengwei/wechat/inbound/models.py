from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengwei.lib.sealed import (
    BlindIndexField,
    SealedIdentityField,
    SealedJSONField,
    SealedTextField,
)
from zhengwei.orgs.models import MessageMode


class Kind(models.TextChoices):
    MESSAGE = "message", _("Message")
    EVENT = "event", _("Event")


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    PROCESSED = "processed", _("Processed")
    FAILED = "failed", _("Failed")


class InboundMessage(models.Model):
    """One delivery from WeChat (message or event), stored before it is acknowledged.

    The row is also the processing queue: ``state`` moves received → processing → processed (or
    failed), and only a conditional UPDATE may move it out of received, so handlers run once.
    """

    # No separate FK index: every index below starts with the account.
    account = models.ForeignKey(
        "orgs.WeChatAccount",
        on_delete=models.PROTECT,
        related_name="inbound_messages",
        db_index=False,
        verbose_name=_("account"),
    )
    dedupe_key = models.CharField(_("de-duplication key"), max_length=191)
    # Personal data sealed at rest (lib/sealed): the sender, the message as received and its
    # fields (text, location…), and the passive reply (addressed to the sender).
    from_user = SealedIdentityField(
        _("sender (openid)"), context="wechat.inbound.from_user", index="from_user_index"
    )
    from_user_index = BlindIndexField(source="from_user")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    msg_type = models.CharField(_("message type"), max_length=32)
    event = models.CharField(_("event"), max_length=64, blank=True)
    event_key = models.CharField(_("event key"), max_length=512, blank=True)
    msg_id = models.CharField(_("message id"), max_length=32, blank=True)
    create_time = models.BigIntegerField(_("sent at (WeChat time)"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    raw_xml = SealedTextField(_("XML (decrypted)"), context="wechat.inbound.raw_xml")
    fields = SealedJSONField(_("fields"), context="wechat.inbound.fields")
    mode = models.CharField(
        pgettext_lazy("message encryption", "mode"), max_length=12, choices=MessageMode.choices
    )
    known = models.BooleanField(_("known type"), default=True)
    # The passive reply given on first delivery (plain XML), re-sent verbatim to WeChat's retries.
    reply_xml = SealedTextField(_("passive reply"), blank=True, context="wechat.inbound.reply_xml")
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RECEIVED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "dedupe_key"], name="wx_inbound_dedupe")
        ]
        indexes = [
            models.Index(fields=["account", "-received_at"], name="wx_inbound_list"),
            models.Index(
                fields=["account", "from_user_index", "-received_at"], name="wx_inbound_user"
            ),
            # Partial: only the rows still waiting, so the worker's scan stays tiny.
            models.Index(
                fields=["state", "id"],
                name="wx_inbound_pending",
                condition=Q(state__in=["received", "processing", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        what = f"{self.msg_type}/{self.event}" if self.event else self.msg_type
        return f"{what} {self.from_user} {self.create_time}"

    @property
    def sent_at(self) -> datetime:
        return datetime.fromtimestamp(self.create_time, tz=UTC)

    def field(self, name: str) -> str:
        value = (self.fields or {}).get(name)
        return value if isinstance(value, str) else ""


class RejectReason(models.TextChoices):
    UNKNOWN_ACCOUNT = "unknown_account", _("Unknown account")
    MISSING_PARAMS = "missing_params", _("Missing signature parameters")
    BAD_SIGNATURE = "bad_signature", _("Bad signature")
    BAD_MSG_SIGNATURE = "bad_msg_signature", _("Bad msg_signature")
    STALE = "stale_timestamp", _("Timestamp outside the allowed window")
    DECRYPT = "decrypt_failed", _("Could not decrypt")
    MALFORMED = "malformed", _("Malformed or forbidden XML")
    TOO_LARGE = "too_large", _("Body too large")
    MODE = "mode_mismatch", _("Plaintext body for an encrypted account")
    RECIPIENT = "wrong_recipient", _("Addressed to another account")
    METHOD = "method", _("Method not allowed")


class CallbackRejection(models.Model):
    """A request the callback refused: the explanation of "rejected input is logged"."""

    account = models.ForeignKey(
        "orgs.WeChatAccount",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("account"),
    )
    reason = models.CharField(_("reason"), max_length=24, choices=RejectReason.choices)
    status = models.PositiveSmallIntegerField(_("HTTP status"))
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("source IP"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=255)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("rejected callback")
        verbose_name_plural = _("rejected callbacks")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.reason} {self.ip}"


class Match(models.TextChoices):
    EXACT = "exact", _("Whole message equals the keyword")
    CONTAINS = "contains", _("Message contains the keyword")


class KeywordReply(models.Model):
    account = models.ForeignKey(
        "orgs.WeChatAccount",
        on_delete=models.CASCADE,
        related_name="keyword_replies",
        verbose_name=_("account"),
    )
    keyword = models.CharField(
        _("keyword"),
        max_length=60,
        help_text=_("Letters are matched without regard to case or extra spaces."),
    )
    match = models.CharField(_("match"), max_length=8, choices=Match.choices, default=Match.EXACT)
    reply_text = models.TextField(_("reply"), max_length=600)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("keyword reply")
        verbose_name_plural = _("keyword replies")
        ordering = ["account", "keyword"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "keyword", "match"], name="wx_keyword_unique"
            )
        ]

    def __str__(self) -> str:
        return self.keyword


class MenuClickReply(models.Model):
    account = models.ForeignKey(
        "orgs.WeChatAccount",
        on_delete=models.CASCADE,
        related_name="menu_click_replies",
        verbose_name=_("account"),
    )
    event_key = models.CharField(
        _("menu key"),
        max_length=128,
        help_text=_("The key of a CLICK button in the custom menu, e.g. FLOOD_NOW."),
    )
    reply_text = models.TextField(_("reply"), max_length=600)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("menu click reply")
        verbose_name_plural = _("menu click replies")
        ordering = ["account", "event_key"]
        constraints = [
            models.UniqueConstraint(fields=["account", "event_key"], name="wx_menu_click_unique")
        ]

    def __str__(self) -> str:
        return self.event_key


class MenuButtonName(models.Model):
    """The name a menu button had, from the time a menu with it became current: the message log
    shows a click by the name the citizen pressed, never by its key. Kept here, beside the
    messages, because the menu itself belongs to the outbound app (which imports this one)."""

    account = models.ForeignKey(
        "orgs.WeChatAccount",
        on_delete=models.CASCADE,
        related_name="menu_button_names",
        db_index=False,
        verbose_name=_("account"),
    )
    # A click's key, or a link button's URL (what WeChat sends as EventKey).
    key = models.CharField(_("menu key"), max_length=512)
    name = models.CharField(_("button name"), max_length=60)
    since = models.DateTimeField(_("in the menu since"))

    class Meta:
        verbose_name = _("menu button name")
        verbose_name_plural = _("menu button names")
        ordering = ["account", "key", "-since"]
        indexes = [models.Index(fields=["account", "key", "-since"], name="wx_menu_button_name")]

    def __str__(self) -> str:
        return self.name


# --- what speaks for the office: automatic replies and the menu, drafted and approved ----------


class ChangeKind(models.TextChoices):
    KEYWORD = "keyword", _("Keyword reply")
    MENU_REPLY = "menu_reply", _("Menu click reply")
    MENU = "menu", _("Custom menu")
    # The menu and replies a declared emergency switches to (newsroom): approved by declaring it.
    EMERGENCY_SET = "emergency_set", _("Emergency menu and replies")


class ChangeOp(models.TextChoices):
    CREATE = "create", _("Add")
    UPDATE = "update", _("Change")
    DELETE = "delete", _("Delete")
    PUBLISH = "publish", _("Publish")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved, taking effect")
    APPLIED = "applied", _("In effect")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FAILED = "failed", _("Approved, but failed to take effect")


class ContentChange(models.Model):
    """A change to what the account says to citizens by itself (keyword and menu-click replies,
    the custom menu), drafted by someone who may not speak for the office and waiting for the
    office's approval. Nothing of it reaches citizens before its state is ``approved``; each
    approval or return is a ``ContentReview`` row."""

    account = models.ForeignKey(
        "orgs.WeChatAccount", on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    kind = models.CharField(_("what"), max_length=16, choices=ChangeKind.choices)
    op = models.CharField(_("change"), max_length=8, choices=ChangeOp.choices)
    # The reply changed or deleted (keyword / menu reply); none for additions and the menu.
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    payload = models.JSONField(_("proposed"), default=dict, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ChangeState.choices, default=ChangeState.PENDING
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    drafted_at = models.DateTimeField(_("drafted"), default=timezone.now)
    # The approval levels the account's operation model asked for when it was drafted.
    chain = models.JSONField(default=list, blank=True)
    fast_track = models.BooleanField(_("emergency fast track"), default=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    applied_at = models.DateTimeField(_("took effect"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-drafted_at", "-id"]
        verbose_name = _("change to automatic replies or menu")
        verbose_name_plural = _("changes to automatic replies and menu")
        indexes = [models.Index(fields=["account", "state"], name="wx_change_state")]

    def __str__(self) -> str:
        # Shown to people (audit object names, the home page's recent activity): labels, not codes.
        return f"#{self.pk} {self.get_kind_display()} · {self.get_op_display()} · {self.get_state_display()}"

    @property
    def summary(self) -> str:
        p = self.payload or {}
        b = self.before or {}
        if self.kind == ChangeKind.KEYWORD:
            return p.get("keyword") or b.get("keyword") or ""
        if self.kind == ChangeKind.MENU_REPLY:
            return p.get("event_key") or b.get("event_key") or ""
        if self.kind == ChangeKind.MENU:
            return " / ".join(x.get("name", "") for x in p.get("button") or [])
        return p.get("note", "")


class ReviewOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ContentReview(models.Model):
    """One step of the office's review of a ``ContentChange``: who, at which level, when, what."""

    change = models.ForeignKey(ContentChange, on_delete=models.CASCADE, related_name="reviews")
    level = models.PositiveSmallIntegerField(pgettext_lazy("approval", "level"))
    role = models.CharField(_("as"), max_length=24, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices)
    fast_track = models.BooleanField(_("emergency fast track"), default=False)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("review of a change")
        verbose_name_plural = _("reviews of changes")

    def __str__(self) -> str:
        return f"{self.change_id} L{self.level} {self.outcome}"

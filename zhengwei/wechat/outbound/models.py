from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengwei.lib import secretbox
from zhengwei.lib.sealed import BlindIndexField, SealedIdentityField
from zhengwei.orgs.models import WeChatAccount


class TokenMode(models.TextChoices):
    STABLE = "stable", _("Stable token (stable_token)")
    CLASSIC = "classic", _("Classic token (cgi-bin/token)")


class AccessToken(models.Model):
    """The one access token of an account, shared by every web and worker process."""

    account = models.OneToOneField(
        WeChatAccount, on_delete=models.CASCADE, related_name="access_token"
    )
    # Sealed like the AppSecret: a database dump must not hand out a live credential.
    token_sealed = models.TextField(blank=True)
    expires_at = models.DateTimeField(default=timezone.now)
    mode = models.CharField(max_length=8, choices=TokenMode.choices, default=TokenMode.STABLE)
    fetched_at = models.DateTimeField(null=True, blank=True)
    fetch_count = models.PositiveIntegerField(default=0)
    # force_refresh is capped at 20 a day and 30 s apart (reference §3.1): count them.
    force_refresh_day = models.DateField(null=True, blank=True)
    force_refresh_count = models.PositiveSmallIntegerField(default=0)
    last_force_refresh_at = models.DateTimeField(null=True, blank=True)
    # The refresh lease (tokens._claim_lease) when Redis is not configured.
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")

    def __str__(self) -> str:
        return f"{self.account} · {self.mode} · {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def token(self) -> str:
        return secretbox.unseal(self.token_sealed, key=settings.FIELD_ENCRYPTION_KEY)

    @token.setter
    def token(self, value: str) -> None:
        self.token_sealed = secretbox.seal(value, key=settings.FIELD_ENCRYPTION_KEY)


class ApiCall(models.Model):
    """One HTTP attempt against the WeChat API.

    A table rather than only log lines: quota use (2000 token fetches a day, one mass send),
    error rates and latency feed the contractor's monthly scorecard and the admin's view, and
    outbound volume is small (hundreds a day). Every attempt is also written to the log.
    """

    account = models.ForeignKey(
        WeChatAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=6)
    endpoint = models.CharField(max_length=100)  # the path only: never the token or secret
    attempt = models.PositiveSmallIntegerField(default=1)
    errcode = models.IntegerField(null=True, blank=True)
    error = models.CharField(max_length=100, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("WeChat API call")
        verbose_name_plural = _("WeChat API calls")

    def __str__(self) -> str:
        return f"{self.method} {self.endpoint} → {self.errcode}"


class WindowKind(models.TextChoices):
    MESSAGE = "message", _("Citizen sent a message (48 h)")
    INTERACTION = "interaction", _("Menu click, scan or follow (1 min)")


class ServiceWindow(models.Model):
    """The customer-service window a citizen's interaction opens (reference §3.6)."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    openid = SealedIdentityField(context="wechat.servicewindow.openid", index="openid_index")
    openid_index = BlindIndexField(source="openid")
    kind = models.CharField(max_length=12, choices=WindowKind.choices)
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    quota = models.PositiveSmallIntegerField()
    sent_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("service window")
        verbose_name_plural = _("service windows")
        constraints = [
            models.UniqueConstraint(fields=["account", "openid_index"], name="wx_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.openid} {self.sent_count}/{self.quota} → {self.expires_at:%m-%d %H:%M}"

    def is_open(self, now=None) -> bool:
        return self.expires_at > (now or timezone.now()) and self.sent_count < self.quota


class OutboundState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    WAITING_WINDOW = "waiting_window", _("Waiting for the citizen to write")
    # WeChat certainly did not take it (busy, -1, quota, circuit open): tried again after a
    # growing, jittered delay (next_attempt_at), at most outbound.max_attempts times.
    RETRYING = "retrying", _("Retrying")


class IllegalTransition(RuntimeError):
    pass


class OutboundMessage(models.Model):
    """A customer-service message to one citizen, kept until WeChat lets it through."""

    TRANSITIONS = {
        OutboundState.QUEUED: {OutboundState.SENDING, OutboundState.WAITING_WINDOW},
        # A network error leaves it queued again for the sweep to retry.
        OutboundState.SENDING: {
            OutboundState.SENT,
            OutboundState.FAILED,
            OutboundState.WAITING_WINDOW,
            OutboundState.QUEUED,
            OutboundState.RETRYING,
        },
        OutboundState.RETRYING: {OutboundState.SENDING, OutboundState.FAILED},
        OutboundState.WAITING_WINDOW: {OutboundState.QUEUED, OutboundState.FAILED},
        OutboundState.SENT: set(),
        OutboundState.FAILED: set(),
    }

    account = models.ForeignKey(
        WeChatAccount, on_delete=models.CASCADE, related_name="outbound_messages"
    )
    openid = SealedIdentityField(
        _("citizen openid"), context="wechat.outboundmessage.openid", index="openid_index"
    )
    openid_index = BlindIndexField(source="openid")
    msgtype = models.CharField(_("message type"), max_length=20)
    body = models.JSONField(_("body"))
    personal = models.BooleanField(_("about personal matters"), default=False)
    # What the message answers, e.g. "report:42", so later apps can show the thread.
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=OutboundState.choices, default=OutboundState.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    errcode = models.IntegerField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "openid_index", "state"])]
        verbose_name = _("customer-service message")
        verbose_name_plural = _("customer-service messages")

    def __str__(self) -> str:
        return f"{self.msgtype} → {self.openid} ({self.get_state_display()})"

    def move_to(self, state: str) -> None:
        if state not in self.TRANSITIONS[self.state]:
            raise IllegalTransition(f"{self.state} → {state}")
        self.state = state


class CircuitState(models.TextChoices):
    CLOSED = "closed", _("Normal")
    OPEN = "open", _("Circuit open")
    HALF_OPEN = "half_open", _("Probing")


class ApiCircuit(models.Model):
    """The circuit breaker for one account's calls to WeChat, shared by every process (see
    zhengwei/wechat/outbound/circuit.py): after repeated failures calls stop for a while instead
    of each worker waiting out its own timeouts and retries."""

    account = models.OneToOneField(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=CircuitState.choices, default=CircuitState.CLOSED
    )
    failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    open_until = models.DateTimeField(_("paused until"), null=True, blank=True)
    open_seconds = models.PositiveIntegerField(default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("WeChat API circuit")
        verbose_name_plural = _("WeChat API circuits")

    def __str__(self) -> str:
        return f"{self.account_id}: {self.state}"


class CommentThread(models.Model):
    """An article whose comments are polled: WeChat pushes no event for new comments."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    msg_data_id = models.BigIntegerField()
    index = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=64, blank=True)
    is_open = models.BooleanField(default=True)
    poll_until = models.DateTimeField()
    last_polled_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("comment thread")
        verbose_name_plural = _("comment threads")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "msg_data_id", "index"], name="wx_comment_thread_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.msg_data_id}#{self.index}"


class Comment(models.Model):
    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    msg_data_id = models.BigIntegerField()
    index = models.PositiveSmallIntegerField(default=0)
    user_comment_id = models.BigIntegerField()
    openid = SealedIdentityField(context="wechat.comment.openid", index="openid_index")
    openid_index = BlindIndexField(source="openid")
    content = models.TextField(pgettext_lazy("wechat comment", "comment"))
    created = models.DateTimeField(_("written"))
    elected = models.BooleanField(_("featured"), default=False)
    reply = models.TextField(_("reply"), blank=True)
    reply_at = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(default=False)
    first_seen_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = pgettext_lazy("wechat comment", "comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "msg_data_id", "index", "user_comment_id"],
                name="wx_comment_unique",
            )
        ]

    def __str__(self) -> str:
        return self.content[:40]


class DatacubeRow(models.Model):
    """One row of WeChat's statistics, kept locally: the platform keeps only limited history."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(max_length=40)
    ref_date = models.DateField()
    # What distinguishes rows of one day: user_source, msgid, … ("" when one row a day).
    key = models.CharField(max_length=128, blank=True)
    data = models.JSONField()
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["endpoint", "ref_date", "key"]
        verbose_name = _("statistics row")
        verbose_name_plural = _("statistics rows")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "endpoint", "ref_date", "key"], name="wx_datacube_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.ref_date} {self.key}"


class JsapiTicket(models.Model):
    """The account's JS-SDK ticket (jsapi_ticket), shared by every process like the token.

    WeChat caps getticket calls per day and every wx.config on every phone needs a signature made
    with it, so it is fetched once per expiry under a lock (see tickets.py), never per page view.
    """

    account = models.OneToOneField(
        WeChatAccount, on_delete=models.CASCADE, related_name="jsapi_ticket"
    )
    ticket_sealed = models.TextField(blank=True)  # sealed: a live credential
    expires_at = models.DateTimeField(default=timezone.now)
    fetched_at = models.DateTimeField(null=True, blank=True)
    fetch_count = models.PositiveIntegerField(default=0)
    # The refresh lease (tickets._claim_lease) when Redis is not configured.
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("JS-SDK ticket")
        verbose_name_plural = _("JS-SDK tickets")

    def __str__(self) -> str:
        return f"{self.account} · jsapi · {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def ticket(self) -> str:
        return secretbox.unseal(self.ticket_sealed, key=settings.FIELD_ENCRYPTION_KEY)

    @ticket.setter
    def ticket(self, value: str) -> None:
        self.ticket_sealed = secretbox.seal(value, key=settings.FIELD_ENCRYPTION_KEY)


class MenuSource(models.TextChoices):
    PUBLISHED = "published", _("Published from the console")
    FETCHED = "fetched", _("Read from WeChat")
    RECORDED = "recorded", _("Recorded locally")


class PublishedMenu(models.Model):
    """The custom menu as last published (or read back), kept so that the console shows it without
    a call to WeChat. One row per publication: the newest is the current menu."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    json = models.JSONField(_("menu"))  # exactly the body of menu/create: {"button": [...]}
    source = models.CharField(
        max_length=10, choices=MenuSource.choices, default=MenuSource.PUBLISHED
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("published menu")
        verbose_name_plural = _("published menus")

    def __str__(self) -> str:
        return f"{self.account} · {self.published_at:%Y-%m-%d %H:%M}"

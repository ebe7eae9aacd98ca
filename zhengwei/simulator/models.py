"""State of the simulated WeChat platform.

These tables stand for WeChat's side of the world (its tokens, followers, drafts, the citizens'
phones), not for the platform's records: the platform never reads them, it only talks to the
simulator over HTTP, exactly as it talks to api.weixin.qq.com. They live in the same database
only because that is what a single-machine demo has.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Mode(models.TextChoices):
    PLAINTEXT = "plaintext", _("Plaintext")
    COMPATIBLE = "compatible", _("Compatible")
    SAFE = "safe", _("Safe (encrypted)")


class AccountType(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription account")
    SERVICE = "service", _("Service account")


class SimAccount(models.Model):
    name = models.CharField(_("account name"), max_length=60)
    original_id = models.CharField(_("original id"), max_length=32, unique=True)
    app_id = models.CharField(_("AppID"), max_length=32, unique=True)
    secret = models.CharField(_("AppSecret"), max_length=64)
    token = models.CharField(_("token"), max_length=32)
    aes_key = models.CharField(_("EncodingAESKey"), max_length=43, blank=True)
    mode = models.CharField(_("message mode"), max_length=12, choices=Mode.choices)
    account_type = models.CharField(_("account type"), max_length=12, choices=AccountType.choices)
    verified = models.BooleanField(_("verified"), default=True)
    callback_url = models.URLField(_("callback URL"), max_length=500)
    # The menu as the last successful menu/create stored it ({"button": [...]}); null: none.
    menu = models.JSONField(null=True, blank=True)
    menu_id = models.BigIntegerField(null=True, blank=True)
    # Set on the simulator's page: the next mass send is accepted, then finishes with this
    # MASSSENDJOBFINISH Status (e.g. err(10001)) instead of going out. Used once.
    mass_fail_next = models.CharField(_("next mass send"), max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("simulated account")
        verbose_name_plural = _("simulated accounts")

    def __str__(self) -> str:
        return f"{self.name} ({self.original_id})"

    @property
    def is_subscription(self) -> bool:
        return self.account_type == AccountType.SUBSCRIPTION


class TokenKind(models.TextChoices):
    CLASSIC = "classic", "cgi-bin/token"
    STABLE = "stable", "cgi-bin/stable_token"


class SimToken(models.Model):
    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="tokens")
    kind = models.CharField(max_length=8, choices=TokenKind.choices)
    value = models.CharField(max_length=200, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # Set when a newer token replaced this one: it stays valid until then, 40001 after.
    superseded_until = models.DateTimeField(null=True, blank=True)
    forced = models.BooleanField(default=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["account", "kind", "-issued_at"])]

    def __str__(self) -> str:
        return f"{self.kind} token of {self.account_id}"

    def valid_until(self):
        if self.superseded_until and self.superseded_until < self.expires_at:
            return self.superseded_until
        return self.expires_at


class SimCounter(models.Model):
    """A per-account, per-day (Beijing time) count: API quotas, force refreshes, mass sends."""

    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="counters")
    name = models.CharField(max_length=60)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "name", "day"], name="sim_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.day}: {self.count}"


class SimSequence(models.Model):
    """Monotonic numbers (msg_data_id, publish_id, msg_id …) per account."""

    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="sequences")
    name = models.CharField(max_length=30)
    value = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "name"], name="sim_seq_unique")]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class SimFollower(models.Model):
    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="followers")
    openid = models.CharField(_("openid"), max_length=64)
    # Shown on the simulator's pages only: WeChat has not returned nicknames since 2021-12-27.
    nickname = models.CharField(_("nickname"), max_length=40, blank=True)
    subscribed = models.BooleanField(_("following"), default=True)
    subscribe_time = models.DateTimeField(null=True, blank=True)
    unsubscribe_time = models.DateTimeField(null=True, blank=True)
    subscribe_scene = models.CharField(max_length=40, default="ADD_SCENE_SEARCH")
    tagid_list = models.JSONField(default=list, blank=True)
    remark = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "openid"], name="sim_follower_unique")
        ]
        verbose_name = _("simulated follower")
        verbose_name_plural = _("simulated followers")

    def __str__(self) -> str:
        return self.nickname or self.openid


class MediaPurpose(models.TextChoices):
    TEMPORARY = "temporary", "media/upload"
    MATERIAL = "material", "material/add_material"
    UPLOADIMG = "uploadimg", "media/uploadimg"
    CITIZEN = "citizen", _("sent by a citizen")


class SimMedia(models.Model):
    """Temporary media, permanent material (``permanent``), body images and citizens' photos."""

    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="media")
    media_id = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10)  # image | voice | video | thumb
    purpose = models.CharField(max_length=10, choices=MediaPurpose.choices)
    permanent = models.BooleanField(default=False)
    fmt = models.CharField(max_length=8)  # jpg, png, amr, mp4 …
    filename = models.CharField(max_length=200, blank=True)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    md5 = models.CharField(max_length=32)
    title = models.CharField(max_length=200, blank=True)
    introduction = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.media_id[:12]}…"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.fmt, "application/octet-stream")

    def is_alive(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.deleted and (self.expires_at is None or self.expires_at > now)


CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "amr": "audio/amr",
    "mp3": "audio/mpeg",
    "speex": "audio/ogg",
    "mp4": "video/mp4",
}


class MaterialManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(permanent=True)


class SimMaterial(SimMedia):
    """Permanent material, the same table seen through ``permanent=True``."""

    objects = MaterialManager()

    class Meta:
        proxy = True


class SimDraft(models.Model):
    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="drafts")
    media_id = models.CharField(max_length=100, unique=True)
    articles = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Published or mass-sent drafts leave the draft box.
    consumed_at = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"draft {self.media_id[:12]}…"


class SimPublish(models.Model):
    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="publishes")
    publish_id = models.BigIntegerField(unique=True)
    msg_data_id = models.BigIntegerField()
    article_id = models.CharField(max_length=100, unique=True)
    draft_media_id = models.CharField(max_length=100)
    # 0 success, 1 publishing, 2 originality failed, 3 failed, 4 rejected, 5 deleted, 6 banned
    final_status = models.PositiveSmallIntegerField(default=0)
    fail_idx = models.JSONField(default=list, blank=True)
    completes_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    deleted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"publish {self.publish_id}"

    def status(self, now=None) -> int:
        now = now or timezone.now()
        if now < self.completes_at:
            return 1
        if self.deleted and self.final_status == 0:
            return 5
        return self.final_status


class SimMassSend(models.Model):
    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="mass_sends")
    msg_id = models.BigIntegerField(unique=True)
    msg_data_id = models.BigIntegerField(null=True, blank=True)
    msgtype = models.CharField(max_length=12)
    payload = models.JSONField()
    clientmsgid = models.CharField(max_length=100, blank=True, db_index=True)
    is_to_all = models.BooleanField(default=False)
    tag_id = models.BigIntegerField(null=True, blank=True)
    preview_to = models.CharField(max_length=64, blank=True)  # set for mass/preview
    total_count = models.PositiveIntegerField(default=0)
    filter_count = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    completes_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    deleted = models.BooleanField(default=False)
    # The MASSSENDJOBFINISH Status of a send that failed after submission (err(10001), send
    # fail); empty: it went out.
    fail_status = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"mass send {self.msg_id}"

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if self.deleted:
            return "DELETE"
        if now < self.completes_at:
            return "SENDING"
        return "SEND_FAIL" if self.fail_status else "SEND_SUCCESS"


class ArticleSource(models.TextChoices):
    PUBLISH = "publish", pgettext_lazy("state", "published")
    MASS = "mass", _("mass-sent")


class SimArticle(models.Model):
    """One article of a publish or a mass send: what its URL shows and what comments attach to."""

    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="articles")
    msg_data_id = models.BigIntegerField()
    idx = models.PositiveSmallIntegerField()  # 1-based, as in article_detail and datacube
    source = models.CharField(max_length=8, choices=ArticleSource.choices)
    article_id = models.CharField(max_length=100, blank=True, db_index=True)
    title = models.CharField(max_length=200)
    author = models.CharField(max_length=64, blank=True)
    digest = models.TextField(blank=True)
    content = models.TextField(blank=True)
    content_source_url = models.CharField(max_length=1100, blank=True)
    thumb_media_id = models.CharField(max_length=100, blank=True)
    comment_open = models.BooleanField(default=False)
    only_fans_can_comment = models.BooleanField(default=False)
    read_count = models.PositiveIntegerField(default=0)
    visible_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    deleted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "idx"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "msg_data_id", "idx"], name="sim_article_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.msg_data_id}_{self.idx} {self.title}"


class SimComment(models.Model):
    article = models.ForeignKey(SimArticle, on_delete=models.CASCADE, related_name="comments")
    user_comment_id = models.PositiveIntegerField()
    openid = models.CharField(max_length=64)
    content = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    elected = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    reply_content = models.TextField(blank=True)
    reply_time = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user_comment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user_comment_id"], name="sim_comment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"comment {self.user_comment_id} on {self.article_id}"


class WindowKind(models.TextChoices):
    MESSAGE = "message", _("after a message: 5 in 48 h")
    INTERACTION = "interaction", _("after a click or follow: 3 in 1 min")


class SimCustomerWindow(models.Model):
    """Customer-service quota: opened by a citizen's message (5 in 48 h) or by a menu click or
    follow (3 in 1 min); each new trigger opens a fresh window."""

    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="windows")
    openid = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, choices=WindowKind.choices)
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    quota = models.PositiveSmallIntegerField()
    used = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "openid", "kind"], name="sim_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} window of {self.openid}"

    def is_open(self, now) -> bool:
        return self.opened_at <= now < self.expires_at


class Direction(models.TextChoices):
    UP = "up", _("citizen to account")
    DOWN = "down", _("account to citizen")


class ItemSource(models.TextChoices):
    CITIZEN = "citizen", _("sent by the citizen")
    REPLY = "reply", _("passive reply")
    CUSTOM = "custom", _("customer-service message")
    MASS = "mass", _("mass send")
    PREVIEW = "preview", _("mass-send preview")
    SYSTEM = "system", _("WeChat notice")


class SimPhoneItem(models.Model):
    """One bubble on a citizen's phone. ``payload`` is normalised for display:
    ``{"msgtype": "text"|"image"|"location"|"voice"|"event"|"news"|"mpnews"|"notice", ...}``."""

    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="phone_items")
    openid = models.CharField(max_length=64, db_index=True)
    direction = models.CharField(max_length=4, choices=Direction.choices)
    source = models.CharField(max_length=8, choices=ItemSource.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    # Mass-send pushes appear when the job finishes.
    visible_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["visible_at", "id"]

    def __str__(self) -> str:
        return f"{self.direction} {self.source} for {self.openid}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class SimDelivery(models.Model):
    """An event WeChat pushes to the account's callback on its own (PUBLISHJOBFINISH,
    MASSSENDJOBFINISH), queued durably and sent by the simulator's delivery thread."""

    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    xml = models.TextField()  # the plaintext message; encrypted per the account's mode on send
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} ({self.status})"

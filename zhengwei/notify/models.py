"""Notifications to office staff: one row per person told, and one delivery row per outbound
channel (SMS gateway, 政务微信, e-mail) it went out on.

The console shows a person's notifications (list, badge, banner and sound on open consoles);
the deliveries are the log of what left the platform, so a leader with no console open still
hears, and anyone can check who was told what, when, and whether it arrived.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengwei.orgs.models import User, WeChatAccount


class Notification(models.Model):
    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    account = models.ForeignKey(
        WeChatAccount,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("account"),
    )
    # A dotted code of what it is about, e.g. "report.escalated"; shown through KIND_LABELS.
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True, max_length=2000)
    url = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notify_unread"),
            models.Index(fields=["recipient", "id"], name="notify_cursor"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("Government WeChat (政务微信)")
    EMAIL = "email", _("E-mail")


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (will retry)")
    GAVE_UP = "gave_up", _("Failed (gave up)")


class Delivery(models.Model):
    """One notification on one outbound channel: the delivery log."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # The address it went to, masked for display (the full one is on the person's record).
    address = models.CharField(_("address"), max_length=120)
    state = models.CharField(
        _("state"), max_length=8, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    gateway = models.CharField(_("gateway"), max_length=20, blank=True)
    provider_id = models.CharField(_("gateway message id"), max_length=80, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notify_due")]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.state}"

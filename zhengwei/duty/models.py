"""The duty console's change log: one row per change of a report or a conversation.

Open consoles poll "what changed after row N" (an index range scan on the primary key; empty in
the usual case), so a second of polling costs one cheap query per console. Rows are kept two days.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengwei.orgs.models import WeChatAccount


class ChangeKind(models.TextChoices):
    REPORT = "report", _("Disaster report")
    CONVERSATION = "conversation", _("Conversation")


class Change(models.Model):
    account = models.ForeignKey(
        WeChatAccount, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=12, choices=ChangeKind.choices)
    object_id = models.PositiveBigIntegerField()
    verb = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("console change")
        verbose_name_plural = _("console changes")
        indexes = [models.Index(fields=["account", "id"], name="duty_change_cursor")]

    def __str__(self) -> str:
        return f"{self.pk} {self.kind}:{self.object_id} {self.verb}"

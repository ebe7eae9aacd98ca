"""Retention of citizens' message texts (registered with lib/retention in apps.py): processed
messages older than the period keep their type and time (statistics) but lose their content."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min

from zhengwei.wechat.inbound.models import InboundMessage


def inbound_forget_texts(cutoff: datetime) -> int:
    return (
        InboundMessage.objects.filter(received_at__lt=cutoff, processed_at__isnull=False)
        .exclude(raw_xml="")
        .update(raw_xml="", fields={}, reply_xml="")
    )


def inbound_oldest_text(cutoff: datetime):
    return InboundMessage.objects.exclude(raw_xml="").aggregate(t=Min("received_at"))["t"]

"""Per-citizen submission limits kept in the database, so every web process shares them.

Fixed windows (REPORT_RATE_WINDOW_SECONDS, default 10 minutes). ``hit`` increments the counters of
all the keys of one submission atomically and refuses when any is full: one citizen (one openid,
one phone number) flooding the form is stopped while everybody else's reports go through. The IP
limit is much higher, because mobile carriers put many people behind one address.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhengwei.reports.models import RateCounter


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int


def window_seconds() -> int:
    return settings.REPORT_RATE_WINDOW_SECONDS


def citizen_limit() -> int:
    return settings.REPORT_RATE_LIMIT


def ip_limit() -> int:
    return settings.REPORT_RATE_LIMIT_IP


def api_limit() -> int:
    return settings.REPORT_RATE_LIMIT_API


def _key(kind: str, value: str) -> str:
    return f"{kind}:" + hashlib.sha256(value.encode()).hexdigest()[:40]


def keys_for(
    *, openid: str = "", phone_hash: str = "", ip: str = "", api_key_id=None
) -> list[Limit]:
    limits = []
    if openid:
        limits.append(Limit(_key("openid", openid), citizen_limit()))
    if phone_hash:
        limits.append(Limit(f"phone:{phone_hash[:40]}", citizen_limit()))
    if ip:
        limits.append(Limit(_key("ip", ip), ip_limit()))
    if api_key_id:
        limits.append(Limit(f"apikey:{api_key_id}", api_limit()))
    return limits


def _window(now: datetime) -> datetime:
    size = window_seconds()
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % size, tz=UTC)


@transaction.atomic
def hit(limits: list[Limit], *, now: datetime | None = None) -> bool:
    """Count one submission against every key; False (and nothing counted) if any key is full."""
    start = _window(now or timezone.now())
    for limit in limits:
        updated = RateCounter.objects.filter(
            key=limit.key, window_start=start, count__lt=limit.limit
        ).update(count=F("count") + 1)
        if updated:
            continue
        if RateCounter.objects.filter(key=limit.key, window_start=start).exists():
            transaction.set_rollback(True)
            return False
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=limit.key, window_start=start, count=1)
        except IntegrityError:
            updated = RateCounter.objects.filter(
                key=limit.key, window_start=start, count__lt=limit.limit
            ).update(count=F("count") + 1)
            if not updated:
                transaction.set_rollback(True)
                return False
    return True


def prune(*, now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=1)
    count, _ = RateCounter.objects.filter(window_start__lt=cutoff).delete()
    return count

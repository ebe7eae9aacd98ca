"""Small shared pieces of the simulator: identifiers, counters, sequences, public URLs."""

from __future__ import annotations

import secrets
import string
import time
from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhengwei.simulator.models import SimAccount, SimCounter, SimSequence
from zhengwei.simulator.router import alias

_B62 = string.ascii_letters + string.digits

# Where the sequences start: realistic magnitudes (msg_data_id 2247503051 in the doc samples).
SEQUENCE_STARTS = {
    "msg_data_id": 2247483700,
    "publish_id": 2247500000,
    "msg_id": 1000000001,
    "menu_id": 400000001,
}


def new_openid() -> str:
    """28 characters starting with ``o``, like WeChat's openids."""
    return "o" + "".join(secrets.choice(_B62) for _ in range(27))


def new_media_id() -> str:
    return secrets.token_urlsafe(48)  # 64 characters


def new_article_id() -> str:
    return secrets.token_urlsafe(33)  # 44 characters, like the doc sample


def new_token_value() -> str:
    return f"{int(time.time()) % 1000}_{secrets.token_urlsafe(96)}"


_last_msg_id = 0


def new_msg_id() -> int:
    """A 64-bit MsgId, unique and increasing within the process (microseconds << 12 | random)."""
    global _last_msg_id
    candidate = (int(time.time() * 1_000_000) << 12) | secrets.randbits(12)
    if candidate <= _last_msg_id:
        candidate = _last_msg_id + 1
    _last_msg_id = candidate
    return candidate


def today():
    return timezone.localdate()  # Beijing time: WeChat's quotas reset at local midnight


def counter(account: SimAccount, name: str, day=None) -> SimCounter:
    day = day or today()
    obj, _ = SimCounter.objects.get_or_create(account=account, name=name, day=day)
    return obj


def bump(account: SimAccount, name: str, day=None, by: int = 1) -> None:
    day = day or today()
    updated = SimCounter.objects.filter(account=account, name=name, day=day).update(
        count=F("count") + by, last_at=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic(using=alias()):
                SimCounter.objects.create(
                    account=account, name=name, day=day, count=by, last_at=timezone.now()
                )
        except IntegrityError:
            SimCounter.objects.filter(account=account, name=name, day=day).update(
                count=F("count") + by, last_at=timezone.now()
            )


def count_of(account: SimAccount, name: str, day=None) -> int:
    day = day or today()
    row = SimCounter.objects.filter(account=account, name=name, day=day).first()
    return row.count if row else 0


def next_number(account: SimAccount, name: str) -> int:
    """The next value of a per-account sequence; call inside a transaction."""
    seq = SimSequence.objects.select_for_update().filter(account=account, name=name).first()
    if seq is None:
        try:
            with transaction.atomic(using=alias()):
                SimSequence.objects.create(
                    account=account, name=name, value=SEQUENCE_STARTS.get(name, 1)
                )
                return SEQUENCE_STARTS.get(name, 1)
        except IntegrityError:
            seq = SimSequence.objects.select_for_update().get(account=account, name=name)
    seq.value += 1
    seq.save(update_fields=["value"])
    return seq.value


def public_base() -> str:
    """The simulator's own absolute URL (ending in /sim/), for PicUrl, article and image URLs."""
    base = settings.SIMULATOR_PUBLIC_URL or "http://127.0.0.1:8001/sim/"
    return base if base.endswith("/") else base + "/"


def public_url(path: str) -> str:
    """``path`` relative to the simulator root, e.g. ``media/<id>``."""
    return urljoin(public_base(), path.lstrip("/"))

"""The demo account (福建防汛, from zhengwei/demo/constants.py) and a few demo citizens."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhengwei.demo import constants as demo
from zhengwei.simulator.models import AccountType, Mode, SimAccount, SimFollower
from zhengwei.simulator.router import alias

# Citizens who followed before the platform was installed (no subscribe event is replayed).
# Nicknames are for the simulator's pages only.
DEMO_CITIZENS = [
    ("oFjFx0LinNvShi0000MinHou0001", "林女士（闽侯）"),
    ("oFjFx0ChenXianSheng0GuLou002", "陈先生（鼓楼）"),
    ("oFjFx0HuangAYi00000XiaPu0003", "黄阿姨（霞浦）"),
]


def demo_callback_url(original_id: str = demo.ORIGINAL_ID) -> str:
    base = settings.SIMULATOR_CALLBACK_BASE or "http://127.0.0.1:8000"
    return f"{base.rstrip('/')}/wechat/callback/{original_id}/"


def seed(*, reset: bool = False, staff: bool = False, out=None) -> SimAccount:
    """Create the demo account if missing (``reset``: restore every demo value; ``staff``: the
    demo people's own phones, for previews, as ./run has them). The callback URL always follows
    SIMULATOR_CALLBACK_BASE, since ports change between runs."""
    say = out or (lambda _m: None)
    values = {
        "name": demo.ACCOUNT_NAME,
        "app_id": demo.APP_ID,
        "secret": demo.APP_SECRET,
        "token": demo.TOKEN,
        "aes_key": demo.ENCODING_AES_KEY,
        "mode": Mode.SAFE,
        "account_type": AccountType.SUBSCRIPTION,
        "verified": True,
    }
    with transaction.atomic(using=alias()):
        account = SimAccount.objects.filter(original_id=demo.ORIGINAL_ID).first()
        if account is None:
            try:
                with transaction.atomic(using=alias()):
                    account = SimAccount.objects.create(
                        original_id=demo.ORIGINAL_ID,
                        callback_url=demo_callback_url(),
                        **values,
                    )
                say(f"simulator: created {account}")
            except IntegrityError:  # another process seeded it a moment ago
                account = SimAccount.objects.get(original_id=demo.ORIGINAL_ID)
        changed = []
        if reset:
            for field, value in values.items():
                if getattr(account, field) != value:
                    setattr(account, field, value)
                    changed.append(field)
            if account.menu is not None:
                account.menu, account.menu_id = None, None
                changed += ["menu", "menu_id"]
        url = demo_callback_url()
        if account.callback_url != url:
            account.callback_url = url
            changed.append("callback_url")
        if changed:
            account.save(update_fields=changed)
            say(f"simulator: updated {', '.join(changed)}")
        now = timezone.now()
        # ``staff``: the demo people's own phones follow too; their drafts' previews land there.
        phones = [*DEMO_CITIZENS, *(demo.PREVIEW_PHONES.values() if staff else ())]
        for n, (openid, nickname) in enumerate(phones):
            SimFollower.objects.get_or_create(
                account=account,
                openid=openid,
                defaults={
                    "nickname": nickname,
                    "subscribe_time": now - timedelta(days=300 - 40 * n),
                    "created_at": now - timedelta(days=300 - 40 * n),
                },
            )
    say(f"simulator: callback {account.callback_url}")
    return account


def ensure_seeded() -> None:
    """Seed on the first request that finds no account at all (one indexed query afterwards)."""
    if not SimAccount.objects.exists():
        seed(staff=True)


def demo_account() -> SimAccount:
    return SimAccount.objects.filter(original_id=demo.ORIGINAL_ID).first() or seed()

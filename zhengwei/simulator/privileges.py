"""What each account type may call (brief wechat.md §1). A subscription account, even verified,
has no web OAuth, no parametric QR codes and no template messages: those answer 48001."""

from __future__ import annotations

from zhengwei.simulator.models import SimAccount

VERIFIED_ONLY = frozenset(
    {"custom", "mass", "material", "draft", "publish", "user", "comment", "datacube"}
)
SERVICE_ONLY = frozenset({"oauth", "template", "qrcode"})


def allowed(account: SimAccount, capability: str | None) -> bool:
    if capability is None:
        return True
    if capability == "menu":
        return account.verified or not account.is_subscription
    if capability in SERVICE_ONLY:
        return account.verified and not account.is_subscription
    if capability in VERIFIED_ONLY:
        return account.verified
    return True

"""What the account type allows (reference wechat.md §1), checked before any HTTP.

Asking WeChat and getting 48001 back costs a call from the daily quota and tells the operator
nothing useful; a Chinese sentence saying which account type is needed does.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhengwei.orgs.models import WeChatAccount
from zhengwei.wechat.outbound.errors import PrivilegeError


class Capability(models.TextChoices):
    BASIC = "basic", _("basic interfaces")
    MENU = "menu", _("the custom menu")
    CUSTOMER_SERVICE = "customer_service", _("customer-service messages")
    MASS_SEND = "mass_send", _("mass sending")
    MASS_SEND_OPENIDS = "mass_send_openids", _("mass sending to a list of followers")
    MATERIAL = "material", _("materials, drafts and publishing")
    COMMENTS = "comments", _("comment management")
    DATACUBE = "datacube", _("statistics")
    USER_INFO = "user_info", _("follower information")
    OAUTH = "oauth", _("web authorisation (OAuth)")
    TEMPLATE = "template", _("template messages")
    QRCODE = "qrcode", _("parametric QR codes")


# Privileges of verified service accounts only: a subscription account never gets them, not
# even when verified.
SERVICE_ONLY = {
    Capability.OAUTH,
    Capability.TEMPLATE,
    Capability.QRCODE,
    Capability.MASS_SEND_OPENIDS,
}


def allows(account: WeChatAccount, capability: str) -> bool:
    if capability == Capability.BASIC:
        return True
    if capability in SERVICE_ONLY and account.is_subscription:
        return False
    # §1 lists no unverified account with these privileges; an unverified service account is
    # treated like an unverified subscription account.
    return account.verified


def require_capability(account: WeChatAccount, capability: str) -> None:
    if allows(account, capability):
        return
    what = Capability(capability).label
    if capability in SERVICE_ONLY and account.is_subscription:
        message = gettext(
            "%(account)s is a subscription account: %(what)s is available only to verified "
            "service accounts."
        )
    else:
        message = gettext(
            "%(account)s is not verified: %(what)s needs WeChat verification (微信认证) first."
        )
    raise PrivilegeError(message % {"account": account.name, "what": what}, endpoint=capability)

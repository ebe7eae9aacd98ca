"""Console navigation entries of this app (collected by ``zhengwei.console.nav``)."""

from django.utils.translation import gettext_lazy as _

from zhengwei.lib.nav import NavItem
from zhengwei.wechat.inbound import policy

ITEMS = (
    NavItem(
        group=_("WeChat"),
        label=_("Messages"),
        url_name="wechat_inbound:messages",
        action=policy.MESSAGES_VIEW,
        description=_("What citizens send to the account, as it arrives"),
        icon="✉",
        order=20,
    ),
    NavItem(
        group=_("WeChat"),
        label=_("Automatic replies"),
        url_name="wechat_inbound:replies",
        action=policy.REPLIES_VIEW,
        description=_("Keyword replies and menu click replies"),
        icon="↩",
        order=21,
    ),
    NavItem(
        group=_("WeChat"),
        label=_("Approval of replies and menu"),
        url_name="wechat_inbound:changes",
        action=policy.CHANGES_VIEW,
        description=_(
            "What the contractor drafts for the account to say by itself, approved by the office"
        ),
        icon="✔",
        order=22,
    ),
)

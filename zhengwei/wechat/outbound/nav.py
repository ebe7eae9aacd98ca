"""Console navigation entries of this app (collected by ``zhengwei.console.nav``)."""

from django.utils.translation import gettext_lazy as _

from zhengwei.lib.nav import NavItem
from zhengwei.wechat.outbound import policy

ITEMS = (
    NavItem(
        group=_("WeChat"),
        label=_("Custom menu"),
        url_name="wechat_outbound:menu",
        action=policy.MENU_MANAGE,
        description=_("The menu at the bottom of the account: edit, preview, publish"),
        icon="☰",
        order=22,
    ),
    NavItem(
        group=_("WeChat"),
        label=_("Account statistics"),
        url_name="wechat_outbound:stats",
        action=policy.STATS_VIEW,
        description=_("Followers and article reads per day"),
        icon="↗",
        order=23,
    ),
    NavItem(
        group=_("WeChat"),
        label=_("API call log"),
        url_name="wechat_outbound:api_log",
        action=policy.API_LOG_VIEW,
        description=_("Every call to the WeChat API, with errors and timings"),
        icon="⇄",
        order=24,
    ),
)

"""Console navigation entries of this app (collected by ``zhengwei.console.nav``)."""

from django.utils.translation import gettext_lazy as _

from zhengwei.interactions import policy as P
from zhengwei.lib.nav import NavItem
from zhengwei.wechat.outbound import policy as outbound_policy

group = _("Citizen interaction")

ITEMS = (
    NavItem(
        group,
        _("Inbox"),
        "interactions:inbox",
        P.INBOX_VIEW,
        _("Citizens' messages and article comments: classify, assign, reply"),
        "❝",
        30,
    ),
    NavItem(
        group,
        _("Reply templates"),
        "interactions:templates",
        P.TEMPLATES_VIEW,
        _("What the citizen is told at each step of a disaster report"),
        "✎",
        31,
    ),
    NavItem(
        group,
        _("Article comments"),
        "interactions:comments",
        outbound_policy.COMMENT_VIEW,
        _("Readers' comments on each push: open or close, feature, delete, reply"),
        "✉",
        32,
    ),
)

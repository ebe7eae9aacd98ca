"""Who may do what with the WeChat API (imported from WeChatOutboundConfig.ready).

Customer-service replies come in two kinds. A reply about a citizen's own matter (their disaster
report, their phone number, their address) is personal data: ``CUSTOMER_MESSAGE_SEND_PERSONAL``
is marked personal_data, so the policy never lets a contractor member send one, whatever role
they hold. General replies (opening hours, where to find the flood briefing, thanks) are not:
the contractor's operator may send those in the delegated model, as the thesis describes.
"""

from __future__ import annotations

from zhengwei.access.policy import EVERY_ROLE, register
from zhengwei.orgs.models import Role

MENU_MANAGE = "wechat.menu.manage"
CUSTOMER_MESSAGE_SEND = "wechat.customer_message.send"
CUSTOMER_MESSAGE_SEND_PERSONAL = "wechat.customer_message.send_personal"
MASS_SEND = "wechat.mass_send"
COMMENT_VIEW = "wechat.comment.view"
COMMENT_MANAGE = "wechat.comment.manage"
STATS_VIEW = "wechat.stats.view"
API_LOG_VIEW = "wechat.api_log.view"

_REPLIERS = {Role.DUTY_OFFICER, Role.DUTY_LEADER, Role.OFFICE_LEADER, Role.OPERATOR}
_COMMENT_MANAGERS = {Role.OPERATOR, Role.EDITOR, Role.OFFICE_LEADER, Role.SYSTEM_ADMIN}

register(MENU_MANAGE, {Role.OPERATOR, Role.SYSTEM_ADMIN})
register(CUSTOMER_MESSAGE_SEND, _REPLIERS)
register(CUSTOMER_MESSAGE_SEND_PERSONAL, _REPLIERS, personal_data=True)
# A push reaches every follower: the office leader, or the operator after the editorial sign-off.
register(MASS_SEND, {Role.OPERATOR, Role.OFFICE_LEADER, Role.SYSTEM_ADMIN})
register(COMMENT_MANAGE, _COMMENT_MANAGERS)
register(
    COMMENT_VIEW,
    _COMMENT_MANAGERS
    | {
        Role.PROJECT_MANAGER,
        Role.OFFICE_REVIEWER,
        Role.DUTY_LEADER,
        Role.DUTY_OFFICER,
        Role.AUDITOR,
    },
)
register(STATS_VIEW, EVERY_ROLE - {Role.UNIT_OFFICER})
register(API_LOG_VIEW, {Role.SYSTEM_ADMIN, Role.AUDITOR})

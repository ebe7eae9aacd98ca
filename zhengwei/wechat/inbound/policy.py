"""Actions of the inbound WeChat app (registered in the one policy, zhengwei.access.policy)."""

from zhengwei.access.policy import OFFICE_ROLES, register
from zhengwei.orgs.models import Role

MESSAGES_VIEW = "wechat.messages.view"
REPLIES_VIEW = "wechat.replies.view"
REPLIES_MANAGE = "wechat.replies.manage"
REJECTIONS_VIEW = "wechat.rejections.view"

# Office staff supervise; the contractor's operator and editors answer citizens. Coordinates, photo
# URLs and media ids are masked unless the viewer also passes personal_data.view.
register(MESSAGES_VIEW, OFFICE_ROLES | {Role.OPERATOR, Role.EDITOR})
register(REPLIES_VIEW, OFFICE_ROLES | {Role.OPERATOR, Role.EDITOR, Role.PROJECT_MANAGER})
# Replies are operations work: the operator role, held by the contractor in the delegated model
# and by office staff in the independent one (RoleRule decides who may hold it).
register(REPLIES_MANAGE, {Role.OPERATOR})
# Refused callback requests (bad signatures, stale timestamps…): what an administrator needs to
# find a wrong Token or EncodingAESKey, and what an auditor reviews.
register(REJECTIONS_VIEW, {Role.SYSTEM_ADMIN, Role.AUDITOR})

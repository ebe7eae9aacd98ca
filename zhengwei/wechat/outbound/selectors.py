"""Reads of WeChat API state, with the policy applied."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from zhengwei.access.policy import Action, may
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.outbound import policy
from zhengwei.wechat.outbound.models import ApiCall, Comment, DatacubeRow, OutboundMessage


def _require(user: User, action: str, account: WeChatAccount) -> None:
    if not may(user, action, account):
        raise PermissionDenied


def comment_list(*, user: User, account: WeChatAccount) -> QuerySet[Comment]:
    _require(user, policy.COMMENT_VIEW, account)
    return Comment.objects.filter(account=account, deleted=False)


def outbound_message_list(*, user: User, account: WeChatAccount) -> QuerySet[OutboundMessage]:
    """Messages to citizens; replies about personal matters only for who may see personal data."""
    _require(user, policy.CUSTOMER_MESSAGE_SEND, account)
    qs = OutboundMessage.objects.filter(account=account)
    if not may(user, Action.PERSONAL_DATA_VIEW, account):
        qs = qs.filter(personal=False)
    return qs


def datacube_rows(*, user: User, account: WeChatAccount, endpoint: str) -> QuerySet[DatacubeRow]:
    _require(user, policy.STATS_VIEW, account)
    return DatacubeRow.objects.filter(account=account, endpoint=endpoint)


def api_call_list(*, user: User, account: WeChatAccount) -> QuerySet[ApiCall]:
    _require(user, policy.API_LOG_VIEW, account)
    return ApiCall.objects.filter(account=account)

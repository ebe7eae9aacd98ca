"""Reads of WeChat API state, with the policy applied."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone

from zhengwei.access.policy import Action, may
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.outbound import policy
from zhengwei.wechat.outbound.models import (
    ApiCall,
    ApiCircuit,
    CircuitState,
    Comment,
    DatacubeRow,
    OutboundMessage,
    OutboundState,
    PublishedMenu,
)


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


@dataclass(frozen=True)
class DeliveryStatus:
    """What an operator needs to know about sending to WeChat right now."""

    circuit: str  # a CircuitState value
    circuit_label: str
    open_until: datetime | None
    failures: int
    last_error: str
    retrying: int  # messages waiting for their next attempt
    next_attempt_at: datetime | None
    failed_today: int


def delivery_status(*, user: User, account: WeChatAccount) -> DeliveryStatus:
    _require(user, policy.API_LOG_VIEW, account)
    row = ApiCircuit.objects.filter(account=account).first()
    state = row.state if row else CircuitState.CLOSED
    messages = OutboundMessage.objects.filter(account=account)
    retrying = messages.filter(state=OutboundState.RETRYING)
    first = retrying.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return DeliveryStatus(
        circuit=state,
        circuit_label=str(CircuitState(state).label),
        open_until=row.open_until if row and state != CircuitState.CLOSED else None,
        failures=row.failures if row else 0,
        last_error=row.last_error if row and row.failures else "",
        retrying=retrying.count(),
        next_attempt_at=first,
        failed_today=messages.filter(state=OutboundState.FAILED, updated_at__gte=since).count(),
    )


# --- menu ----------------------------------------------------------------------------------
def current_menu(*, user: User, account: WeChatAccount) -> PublishedMenu | None:
    """The menu as last published, recorded or read back; None when nothing is known locally."""
    _require(user, policy.MENU_MANAGE, account)
    return PublishedMenu.objects.filter(account=account).select_related("published_by").first()


# --- API calls -----------------------------------------------------------------------------
FAILED = ~Q(errcode=0)  # a WeChat errcode, or none at all (network error)


def api_call_search(
    *,
    user: User,
    account: WeChatAccount,
    endpoint: str = "",
    errcode: int | None = None,
    outcome: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[ApiCall]:
    qs = api_call_list(user=user, account=account)
    if endpoint:
        qs = qs.filter(endpoint=endpoint)
    if errcode is not None:
        qs = qs.filter(errcode=errcode)
    if outcome == "ok":
        qs = qs.filter(errcode=0)
    elif outcome == "error":
        qs = qs.filter(FAILED)
    if since:
        qs = qs.filter(at__gte=since)
    if until:
        qs = qs.filter(at__lt=until)
    return qs


def api_call_endpoints(*, user: User, account: WeChatAccount) -> list[str]:
    qs = api_call_list(user=user, account=account)
    return sorted(set(qs.values_list("endpoint", flat=True).distinct()))


def api_calls_per_hour(
    *, user: User, account: WeChatAccount, hours: int = 48, now: datetime | None = None
) -> dict[str, list]:
    """Calls and failed calls per local hour over the last ``hours`` hours, oldest first."""
    now = timezone.localtime(now or timezone.now())
    last = now.replace(minute=0, second=0, microsecond=0)
    first = last - timedelta(hours=hours - 1)
    counts = (
        api_call_list(user=user, account=account)
        .filter(at__gte=first)
        .annotate(hour=TruncHour("at", tzinfo=timezone.get_current_timezone()))
        .values("hour")
        .annotate(calls=Count("id"), errors=Count("id", filter=FAILED))
    )
    by_hour = {timezone.localtime(row["hour"]): row for row in counts}
    hours_list = [first + timedelta(hours=n) for n in range(hours)]
    return {
        "hours": [h.strftime("%m-%d %H:00") for h in hours_list],
        "calls": [by_hour.get(h, {}).get("calls", 0) for h in hours_list],
        "errors": [by_hour.get(h, {}).get("errors", 0) for h in hours_list],
    }


# --- statistics ----------------------------------------------------------------------------
@dataclass
class StatsDay:
    day: date
    new_user: int | None = None
    cancel_user: int | None = None
    cumulate_user: int | None = None
    read_user: int | None = None
    share_user: int | None = None

    @property
    def net_user(self) -> int | None:
        if self.new_user is None:
            return None
        return self.new_user - (self.cancel_user or 0)


def _num(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def stats_days(*, user: User, account: WeChatAccount, begin: date, end: date) -> list[StatsDay]:
    """Followers and reads per day from the stored statistics rows, for [begin, end].

    New and cancelled followers add up every user_source row of getusersummary; reads come from
    getbizsummary (the whole account), else from the sum of getarticleread's articles. A day
    without any row has None (unknown), not 0.
    """
    _require(user, policy.STATS_VIEW, account)
    rows = DatacubeRow.objects.filter(
        account=account,
        endpoint__in=["getusersummary", "getusercumulate", "getbizsummary", "getarticleread"],
        ref_date__gte=begin,
        ref_date__lte=end,
    ).values_list("endpoint", "ref_date", "data")
    days = {
        begin + timedelta(days=n): StatsDay(begin + timedelta(days=n))
        for n in range((end - begin).days + 1)
    }
    article_reads: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for endpoint, ref_date, data in rows:
        day = days[ref_date]
        data = data or {}
        detail = data.get("detail") or {}
        if endpoint == "getusersummary":
            day.new_user = (day.new_user or 0) + _num(data.get("new_user"))
            day.cancel_user = (day.cancel_user or 0) + _num(data.get("cancel_user"))
        elif endpoint == "getusercumulate":
            day.cumulate_user = _num(data.get("cumulate_user"))
        elif endpoint == "getbizsummary":
            day.read_user = (day.read_user or 0) + _num(detail.get("read_user"))
            day.share_user = (day.share_user or 0) + _num(detail.get("share_user"))
        else:
            article_reads[ref_date][0] += _num(detail.get("read_user"))
            article_reads[ref_date][1] += _num(detail.get("share_user"))
    for ref_date, (reads, shares) in article_reads.items():
        if days[ref_date].read_user is None:
            days[ref_date].read_user, days[ref_date].share_user = reads, shares
    return list(days.values())


def stats_latest_day(*, user: User, account: WeChatAccount) -> date | None:
    _require(user, policy.STATS_VIEW, account)
    return (
        DatacubeRow.objects.filter(account=account)
        .order_by("-ref_date")
        .values_list("ref_date", flat=True)
        .first()
    )

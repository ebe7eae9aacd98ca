"""Messages to reporters: each public step becomes a customer-service message; the citizen's
rating and rejection come back through chat."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.interactions import conf, sending, wording
from zhengwei.interactions.models import (
    CitizenNotice,
    NoticeKind,
    ReplyTemplate,
)
from zhengwei.interactions.services.common import log
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import WeChatAccount
from zhengwei.reports import notices as report_notices
from zhengwei.reports import selectors as report_selectors
from zhengwei.reports import services as reports
from zhengwei.reports.actors import Citizen
from zhengwei.reports.models import Report, ReportStep
from zhengwei.reports.models import State as ReportState
from zhengwei.reports.workflow import IllegalTransition
from zhengwei.wechat.outbound.errors import PrivilegeError, WeChatError


def template_for(account: WeChatAccount, state: str) -> tuple[str, bool]:
    row = ReplyTemplate.objects.filter(account=account, state=state).first()
    if row is not None:
        return row.text, row.active
    text, active = wording.DEFAULTS.get(state, ("", False))
    return str(text), active


def compose_told(report: Report, kind: str, from_state: str, to_state: str, note: str) -> str:
    """What the reporter is told of a step (registered with reports, which stores it as the
    step's ``public_note``): a change of state in the office's template for the new state, with
    the officer's own words as {note}, or only their words when that template is switched off; a
    step without a change of state, its note. "" when nothing is told."""
    custom = note if note and note != wording.default_note(kind, report) else ""
    if to_state and from_state != to_state:
        text, active = template_for(report.account, to_state)
        note = wording.render(text, wording.values_for(report, note=custom)) if active else custom
    return note[: sending.MAX_CHARS]


def _state_and_rating(step: ReportStep) -> tuple[str, bool]:
    """The state a step's notice announces ("" for none) and whether it asks for a rating (the
    resolution told in the office's template, which asks for one)."""
    if not step.to_state or step.from_state == step.to_state:
        return "", False
    asks = (
        step.to_state == ReportState.RESOLVED
        and template_for(step.report.account, step.to_state)[1]
    )
    return step.to_state, asks


def citizen_notify_step(*, step_id: int) -> CitizenNotice | None:
    """Tell a WeChat reporter about one step of their report (system; from report.step_added),
    and every reporter whose report was merged into it (each within their own 48-hour window:
    beyond it the message waits until they write again)."""
    step = (
        ReportStep.objects.select_related("report__account", "report__assigned_unit", "actor")
        .filter(pk=step_id)
        .first()
    )
    if step is None:
        return None
    # Sent exactly as the step stored it: the status page and the timeline show the same text.
    text = step.public_note
    if not text.strip():
        return None
    state, asks = _state_and_rating(step)
    report = step.report
    notice = None
    if report.reporter_openid:
        notice = _notify_one(step, report, report.reporter_openid, text, state, asks)
    if step.kind not in FOLLOWERS_SKIP:
        told = {report.reporter_openid}
        for merged in Report.objects.filter(duplicate_of=report).exclude(reporter_openid=""):
            if merged.reporter_openid in told:
                continue
            told.add(merged.reporter_openid)
            _notify_one(
                step,
                report,
                merged.reporter_openid,
                report_notices.merged_progress(merged, report, text),
                state,
                asks,
            )
    return notice


# Steps a merged reporter is not told again: the merge itself (their own report's duplicate step
# told them) and the reception of the surviving report.
FOLLOWERS_SKIP = {"merge", "receive", "duplicate"}


def _notify_one(
    step: ReportStep, report: Report, openid: str, text: str, state: str, asks: bool
) -> CitizenNotice | None:
    if CitizenNotice.objects.filter(step=step, openid=openid).exists():
        return None
    try:
        with transaction.atomic():
            message = sending.send_text(
                actor=sending.sender_for(step.actor, report.account),
                account=report.account,
                openid=openid,
                text=text,
                reference=f"report:{report.pk}",
            )
            notice = CitizenNotice.objects.create(
                account=report.account,
                report=report,
                step=step,
                openid=openid,
                kind=NoticeKind.STEP,
                state=state,
                text=sending.sent_text(message),
                outbound=message,
                asks_rating=asks,
            )
            publish_on_commit(
                "citizen_notice.sent",
                notice_id=notice.pk,
                report_id=report.pk,
                account_id=report.account_id,
            )
    except (PrivilegeError, WeChatError, PermissionDenied) as exc:
        log.warning("could not message a reporter of %s: %s", report.ticket, exc)
        return None
    return notice


def citizen_notify_merged(*, report_ids: list[int], parent_id: int) -> int:
    """Reporters whose reports followed a merge without a step of their own (system)."""
    parent = Report.objects.filter(pk=parent_id).first()
    if parent is None:
        return 0
    sent = 0
    for report in Report.objects.select_related("account").filter(pk__in=report_ids):
        if not report.reporter_openid:
            continue
        text = wording.merged_notice(report, parent)
        try:
            with transaction.atomic():
                message = sending.send_text(
                    actor=None,
                    account=report.account,
                    openid=report.reporter_openid,
                    text=text,
                    reference=f"report:{report.pk}",
                )
                CitizenNotice.objects.create(
                    account=report.account,
                    report=report,
                    openid=report.reporter_openid,
                    kind=NoticeKind.MERGE,
                    state=report.state,
                    text=sending.sent_text(message),
                    outbound=message,
                )
            sent += 1
        except (PrivilegeError, WeChatError) as exc:
            log.warning("could not message the reporter of %s: %s", report.ticket, exc)
    return sent


def _rating_notice(account: WeChatAccount, openid: str, now: datetime) -> CitizenNotice | None:
    """The citizen's rating request still waiting for an answer, about a report (or None)."""
    notice = (
        CitizenNotice.objects.select_related("report")
        .filter(
            account=account,
            openid=openid,
            asks_rating=True,
            answered_at__isnull=True,
            created_at__gte=now - conf.rating_window(),
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return notice if notice is not None and notice.report is not None else None


def _answer(notice: CitizenNotice, answer: str, now: datetime) -> None:
    notice.answered_at, notice.answer = now, answer
    notice.save(update_fields=["answered_at", "answer"])


def _chat_reply(account: WeChatAccount, openid: str, text: str, reference: str, report=None):
    message = sending.send_text(
        actor=None, account=account, openid=openid, text=text, reference=reference
    )
    CitizenNotice.objects.create(
        account=account,
        report=report,
        openid=openid,
        kind=NoticeKind.RATING_THANKS if report is not None else NoticeKind.CHAT,
        state=report.state if report is not None else "",
        text=sending.sent_text(message),
        outbound=message,
    )
    return message


def citizen_chat_reply(*, account: WeChatAccount, openid: str, text: str) -> None:
    """A short system answer in chat (e.g. "nothing to submit yet")."""
    try:
        with transaction.atomic():
            _chat_reply(account, openid, text, f"chat:{openid}"[:64])
    except (PrivilegeError, WeChatError) as exc:
        log.warning("could not answer %s in chat: %s", openid, exc)


def citizen_rate_from_chat(
    *, actor: Citizen, account: WeChatAccount, rating: int, now=None
) -> bool:
    """A "1".."5" answering the rating request; False when none is pending (not a rating)."""
    now = now or timezone.now()
    notice = _rating_notice(account, actor.openid, now)
    if notice is None:
        return False
    with transaction.atomic():
        try:
            reports.report_rate(
                actor=actor, report=notice.report, rating=rating, comment=_("Rated in chat.")
            )
            text = wording.rating_thanks(rating)
        except IllegalTransition:
            text = wording.already_rated()
        _answer(notice, str(rating), now)
        try:
            _chat_reply(account, actor.openid, text, f"report:{notice.report_id}", notice.report)
        except (PrivilegeError, WeChatError) as exc:
            log.warning("could not thank %s: %s", actor.openid, exc)
    return True


def citizen_reject_from_chat(
    *, actor: Citizen, account: WeChatAccount, text: str, now=None
) -> bool:
    """不满意 within the reopen window of one of the citizen's resolved reports (or the report
    theirs was merged into): reopened, supervised (督办) and the citizen answered — whether or
    not a rating came first. False when there is no such report (the text goes to the inbox)."""
    now = now or timezone.now()
    report = report_selectors.citizen_disputable_report(
        account=account, openid=actor.openid, now=now
    )
    if report is None:
        return False
    with transaction.atomic():
        try:
            reports.report_citizen_reject_closure(actor=actor, report=report, reason=text, now=now)
        except (IllegalTransition, PermissionDenied):
            return False
        for notice in CitizenNotice.objects.filter(
            account=account, openid=actor.openid, asks_rating=True, answered_at__isnull=True
        ):
            _answer(notice, "reject", now)
        try:
            _chat_reply(
                account,
                actor.openid,
                wording.rejection_received(report.ticket),
                f"report:{report.pk}",
                report,
            )
        except (PrivilegeError, WeChatError) as exc:
            log.warning("could not answer the rejection of %s: %s", report.ticket, exc)
    return True

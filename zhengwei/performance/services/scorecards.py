"""Scorecards: computed from the measures against the contract's service-level table, reviewed
item by item (the office confirms or disputes, the contractor responds, the office confirms or
adjusts), then signed off by the office leader — the acceptance record (履约验收书).

Each review step is its own ``ItemReview`` row; illegal steps raise ``ValidationError`` with a
message that says what to do instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import require
from zhengwei.audit.services import audit_record
from zhengwei.lib import indicators
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.notify.services import notification_send
from zhengwei.orgs.models import Role, User, WeChatAccount
from zhengwei.orgs.selectors import grants_for
from zhengwei.performance import measures, scoring
from zhengwei.performance import policy as P
from zhengwei.performance.models import (
    FINAL_ITEM_STATUSES,
    ItemReview,
    ItemStatus,
    PeriodKind,
    ReviewKind,
    Scorecard,
    ScorecardItem,
    ScorecardState,
)
from zhengwei.procurement import selectors as contracts


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """The month, quarter or year containing ``day``: (first day, first day after)."""
    if period == PeriodKind.MONTH:
        start = day.replace(day=1)
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    elif period == PeriodKind.QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = date(day.year, first_month, 1)
        end = date(day.year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1)
    elif period == PeriodKind.YEAR:
        start, end = date(day.year, 1, 1), date(day.year + 1, 1, 1)
    else:
        raise ValidationError(_("Unknown period."))
    return start, end


@dataclass
class Levels:
    contract_id: int | None
    contract_label: str
    levels: list[scoring.Level]
    pushes_per_week: Decimal | None = None


def levels_for(account: WeChatAccount, on: date) -> Levels | None:
    """The service-level table of the contract in force on ``on`` (procurement's, the only one),
    as the scorecard needs it; None when no contract is in force or it has no table."""
    contract = contracts.contract_current(account=account, on=on)
    if contract is None:
        return None
    rows = contracts.service_levels(contract)
    levels = []
    for row in rows:
        spec = indicators.get(row.indicator)
        levels.append(
            scoring.Level(
                code=row.indicator,
                points=Decimal(row.points),
                target=Decimal(row.target) if row.target is not None else None,
                direction=str(spec.direction),
                veto=spec.veto,
                deduction_percent=Decimal(row.deduction_percent or 0),
            )
        )
    if not levels:
        return None
    return Levels(contract.pk, str(contract)[:200], levels)


def _extra_vetoes(levels: list[scoring.Level], values: dict) -> list[str]:
    """National veto conditions the contract's table does not list still veto the period."""
    listed = {lv.code for lv in levels}
    out = []
    for spec in indicators.vetoes():
        value = values.get(spec.code)
        if spec.code in listed or value is None:
            continue
        if not indicators.met(spec, value):
            out.append(spec.code)
    return out


def scorecard_compute(
    *,
    actor: User,
    account: WeChatAccount,
    period: str,
    day: date,
    now: datetime | None = None,
    table: Levels | None = None,
) -> Scorecard:
    """Compute (or recompute, while nobody has reviewed it) the scorecard of ``account`` for the
    period containing ``day``."""
    require(actor, P.SCORECARD_COMPUTE, account)
    now = now or timezone.now()
    start, end = period_bounds(period, day)
    if start > timezone.localtime(now).date():
        raise ValidationError(_("This period has not started yet."))
    table = table or levels_for(account, start) or levels_for(account, end - (end - start) / 2)
    if table is None:
        raise ValidationError(
            _("No contract with a service-level table is in force for %(account)s on %(day)s.")
            % {"account": account.name, "day": start.isoformat()}
        )
    signed = Scorecard.objects.filter(
        account=account, period=period, state=ScorecardState.SIGNED, start__lt=end, end__gt=start
    ).first()
    if signed is not None:
        raise ValidationError(
            _(
                "The period overlaps the signed scorecard %(start)s–%(end)s; a signed scorecard is not recomputed."
            )
            % {"start": signed.start.isoformat(), "end": signed.end.isoformat()}
        )
    measured = measures.measure_account(
        account,
        start,
        end,
        now=now,
        pushes_per_week={account.pk: table.pushes_per_week} if table.pushes_per_week else None,
    )
    values = {code: m.value for code, m in measured.items()}
    card = scoring.score_card(
        table.levels, values, extra_vetoes=_extra_vetoes(table.levels, values)
    )
    payment = scoring.payment_adjustment(card.items, table.levels)
    with transaction.atomic():
        existing = (
            Scorecard.objects.select_for_update()
            .filter(account=account, period=period, start=start)
            .first()
        )
        if existing is not None and existing.state != ScorecardState.DRAFT:
            raise ValidationError(
                _("This scorecard is already under review; it is no longer recomputed.")
            )
        sc = existing or Scorecard(account=account, period=period, start=start, end=end)
        sc.contract_id = table.contract_id
        sc.contract_label = table.contract_label
        sc.total, sc.uncapped, sc.band = card.total, card.uncapped, card.band
        sc.vetoed, sc.scaled = card.vetoed, card.scaled
        sc.payment_pct = payment
        sc.veto_codes = card.veto_codes
        sc.computed_at, sc.computed_by = now, actor
        sc.save()
        sc.items.all().delete()
        level_of = {lv.code: lv for lv in table.levels}
        ScorecardItem.objects.bulk_create(
            [
                ScorecardItem(
                    scorecard=sc,
                    code=item.code,
                    label=indicators.get(item.code).label,
                    unit=indicators.get(item.code).unit,
                    direction=level_of[item.code].direction,
                    target=item.target,
                    value=item.value,
                    missing_days=measured[item.code].missing_days if item.code in measured else 0,
                    points_max=item.points_max,
                    points_computed=item.points,
                    points=item.points,
                    met=item.met,
                    veto=level_of[item.code].veto,
                    vetoed=item.vetoed,
                    detail=_jsonable(measured[item.code].detail) if item.code in measured else {},
                    order=n,
                )
                for n, item in enumerate(card.items)
            ]
        )
        audit_record(
            actor=actor,
            action="performance.scorecard.compute",
            obj=sc,
            after={
                "total": str(sc.total),
                "band": sc.band,
                "vetoed": sc.vetoed,
                "extra_vetoes": [c for c in card.veto_codes if c not in level_of],
                "payment_pct": str(payment),
            },
        )
        publish_on_commit("scorecard.computed", account_id=account.pk, scorecard_id=sc.pk)
    return sc


def _jsonable(detail: dict) -> dict:
    out = {}
    for k, v in (detail or {}).items():
        if isinstance(v, (datetime, date, Decimal)):
            v = str(v)
        elif isinstance(v, dict):
            v = _jsonable(v)
        out[k] = v
    return out


def _tell(scorecard: Scorecard, roles: set[str], title: str, body: str = "") -> None:
    """Tell the people holding ``roles`` on the scorecard's account (inside the transaction)."""
    people = sorted(
        {
            g.user_id
            for g in grants_for(account=scorecard.account)
            if g.role in roles and g.user.is_active
        }
    )
    notification_send(
        recipients=people,
        kind="performance.scorecard",
        title=title,
        body=body,
        url=reverse("performance:scorecard", args=[scorecard.pk]),
        account=scorecard.account,
    )


# --- review ------------------------------------------------------------------------------------
def _review(
    *,
    actor: User,
    item: ScorecardItem,
    action: str,
    kind: str,
    allowed_from: set[str],
    to: str,
    comment: str = "",
    points: Decimal | None = None,
) -> ScorecardItem:
    require(actor, action, item.scorecard.account)
    with transaction.atomic():
        scorecard = lock(item.scorecard)
        item.refresh_from_db()
        if scorecard.state == ScorecardState.SIGNED:
            raise ValidationError(_("This scorecard is signed off; its items no longer change."))
        if item.status not in allowed_from:
            raise ValidationError(
                _("This item is “%(status)s”: that step is not possible now.")
                % {"status": item.get_status_display()}
            )
        before = {"status": item.status, "points": str(item.points)}
        item.status = to
        if points is not None:
            item.points = points
        item.save(update_fields=["status", "points"])
        ItemReview.objects.create(
            item=item, kind=kind, actor=actor, comment=comment.strip(), points=points
        )
        if scorecard.state == ScorecardState.DRAFT:
            scorecard.state = ScorecardState.REVIEWING
        if points is not None:
            _retotal(scorecard)
        scorecard.save()
        audit_record(
            actor=actor,
            action=f"performance.scorecard.{kind}",
            obj=scorecard,
            before=before,
            after={
                "item": item.code,
                "status": to,
                "points": str(item.points),
                "comment": comment[:200],
            },
        )
        if kind == ReviewKind.DISPUTE:
            _tell(
                scorecard,
                {Role.PROJECT_MANAGER},
                _("The office disputes “%(item)s” on the scorecard %(start)s")
                % {"item": item.label, "start": scorecard.start.isoformat()},
                comment,
            )
        elif kind == ReviewKind.RESPOND:
            _tell(
                scorecard,
                {Role.OFFICE_REVIEWER, Role.OFFICE_LEADER},
                _("The contractor responded on “%(item)s” (scorecard %(start)s)")
                % {"item": item.label, "start": scorecard.start.isoformat()},
                comment,
            )
        publish_on_commit(
            "scorecard.reviewed",
            account_id=scorecard.account_id,
            scorecard_id=scorecard.pk,
            item=item.code,
            step=kind,
        )
    return item


def _retotal(scorecard: Scorecard) -> None:
    items = [
        scoring.ItemScore(i.code, i.points_max, i.target, i.value, i.points, i.met, i.vetoed)
        for i in scorecard.items.all()
    ]
    codes = {i.code for i in items}
    extra = [c for c in scorecard.veto_codes if c not in codes]
    card = scoring.total_of(items, extra_vetoes=extra)
    scorecard.total, scorecard.uncapped = card.total, card.uncapped
    scorecard.band, scorecard.vetoed = card.band, card.vetoed


def _need_comment(comment: str) -> None:
    if not comment.strip():
        raise ValidationError(_("Give a reason in the comment."))


def scorecard_item_confirm(*, actor: User, item: ScorecardItem, comment: str = "") -> ScorecardItem:
    """The office accepts the item as computed (or as the contractor explained it)."""
    return _review(
        actor=actor,
        item=item,
        action=P.SCORECARD_REVIEW,
        kind=ReviewKind.CONFIRM,
        allowed_from={ItemStatus.PENDING, ItemStatus.DISPUTED, ItemStatus.RESPONDED},
        to=ItemStatus.CONFIRMED,
        comment=comment,
    )


def scorecard_item_dispute(*, actor: User, item: ScorecardItem, comment: str) -> ScorecardItem:
    """The office disputes the item once, with its reason; the contractor may respond."""
    _need_comment(comment)
    if item.reviews.filter(kind=ReviewKind.DISPUTE).exists():
        raise ValidationError(
            _("This item has already been disputed once; confirm it or adjust its points.")
        )
    return _review(
        actor=actor,
        item=item,
        action=P.SCORECARD_REVIEW,
        kind=ReviewKind.DISPUTE,
        allowed_from={ItemStatus.PENDING, ItemStatus.CONFIRMED},
        to=ItemStatus.DISPUTED,
        comment=comment,
    )


def scorecard_item_respond(*, actor: User, item: ScorecardItem, comment: str) -> ScorecardItem:
    """The contractor answers a dispute."""
    _need_comment(comment)
    return _review(
        actor=actor,
        item=item,
        action=P.SCORECARD_RESPOND,
        kind=ReviewKind.RESPOND,
        allowed_from={ItemStatus.DISPUTED},
        to=ItemStatus.RESPONDED,
        comment=comment,
    )


def scorecard_item_adjust(
    *, actor: User, item: ScorecardItem, points, comment: str
) -> ScorecardItem:
    """The office settles a disputed item with other points than computed, saying why."""
    _need_comment(comment)
    try:
        points = Decimal(str(points)).quantize(Decimal("0.1"))
    except Exception:
        raise ValidationError(_("Points must be a number.")) from None
    if points < 0 or points > item.points_max:
        raise ValidationError(_("Points must be between 0 and %(max)s.") % {"max": item.points_max})
    return _review(
        actor=actor,
        item=item,
        action=P.SCORECARD_REVIEW,
        kind=ReviewKind.ADJUST,
        allowed_from={ItemStatus.DISPUTED, ItemStatus.RESPONDED},
        to=ItemStatus.ADJUSTED,
        comment=comment,
        points=points,
    )


def scorecard_sign(*, actor: User, scorecard: Scorecard, comment: str = "") -> Scorecard:
    """The office leader signs the reviewed scorecard off: it becomes the acceptance record."""
    require(actor, P.SCORECARD_SIGN, scorecard.account)
    with transaction.atomic():
        scorecard = lock(scorecard)
        if scorecard.state == ScorecardState.SIGNED:
            raise ValidationError(_("This scorecard is already signed off."))
        open_items = scorecard.items.exclude(status__in=FINAL_ITEM_STATUSES).count()
        if open_items:
            raise ValidationError(
                _("%(n)s items are not settled yet: confirm or adjust every item first.")
                % {"n": open_items}
            )
        scorecard.state = ScorecardState.SIGNED
        scorecard.signed_at = timezone.now()
        scorecard.signed_by = actor
        scorecard.sign_comment = comment.strip()
        scorecard.save()
        audit_record(
            actor=actor,
            action="performance.scorecard.sign",
            obj=scorecard,
            after={"total": str(scorecard.total), "band": scorecard.band},
        )
        _tell(
            scorecard,
            {Role.PROJECT_MANAGER, Role.OFFICE_REVIEWER},
            _("Scorecard %(start)s signed off: %(total)s points")
            % {"start": scorecard.start.isoformat(), "total": scorecard.total},
        )
        # Everything procurement needs to record the month's review (it cannot read ours).
        publish_on_commit(
            "scorecard.signed",
            account_id=scorecard.account_id,
            scorecard_id=scorecard.pk,
            contract_id=scorecard.contract_id,
            period=scorecard.period,
            start=scorecard.start.isoformat(),
            end=scorecard.end.isoformat(),
            total=str(scorecard.total),
            vetoed=scorecard.vetoed,
            grade=scorecard.get_band_display(),
            signed_on=timezone.localtime(scorecard.signed_at).date().isoformat(),
            signed_by_id=actor.pk,
        )
    return scorecard

"""Method routing: from the estimated value over the whole term, the dated threshold table in
force for the buyer's region and level, and the centralised catalogue, to the methods allowed.

Every decision names the rule, its source and the date it took effect (``Route.basis``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhengwei.procurement import rules
from zhengwei.procurement.models import CatalogueItem, Method, ThresholdRule
from zhengwei.procurement.workdays import working_days_between


class Band:
    CENTRAL = "central"  # in the 集中采购目录
    PUBLIC = "public"  # at or above the public-tender threshold
    BETWEEN = "between"  # between the decentralised limit and the public-tender threshold
    BELOW = "below"  # under the decentralised limit: the unit's internal procedure


SME_CEILING = Decimal("2000000.00")  # 200万 (财库〔2020〕46号 / 〔2022〕19号)
INTENTION_DAYS = 30


@dataclass
class Route:
    value: Decimal
    band: str
    default: str
    allowed: list[str]
    rule: ThresholdRule | None
    catalogue_item: CatalogueItem | None = None
    basis: str = ""
    needs: list[str] = field(default_factory=list)  # pre-steps the band requires

    @property
    def default_label(self) -> str:
        return Method(self.default).label


def threshold_for(*, region: str, level: str, on: date) -> ThresholdRule:
    rule = (
        ThresholdRule.objects.filter(region=region, level=level, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if rule is None:
        raise ValidationError(
            _(
                "No threshold table is in force for %(region)s (%(level)s) on %(date)s: add one on the thresholds page."
            )
            % {"region": region, "level": level, "date": on.isoformat()}
        )
    return rule


def _rule_text(rule: ThresholdRule) -> str:
    return _(
        "%(source)s, in force from %(date)s: decentralised limit ¥%(limit)s, public tender ¥%(tender)s"
    ) % {
        "source": rule.source,
        "date": rule.effective_from.isoformat(),
        "limit": f"{rule.decentralised_limit:,.2f}",
        "tender": f"{rule.public_tender_threshold:,.2f}",
    }


def route(
    *,
    value: Decimal,
    region: str,
    level: str,
    on: date,
    catalogue_item: CatalogueItem | None = None,
) -> Route:
    rule = threshold_for(region=region, level=level, on=on)
    basis = _rule_text(rule)
    if catalogue_item is not None and (
        catalogue_item.amount_threshold is None or value >= catalogue_item.amount_threshold
    ):
        return Route(
            value,
            Band.CENTRAL,
            Method.CENTRALISED,
            [Method.CENTRALISED, Method.FRAMEWORK],
            rule,
            catalogue_item,
            f"{rules.CENTRAL}；{catalogue_item.code} {catalogue_item.name}（{catalogue_item.source}，"
            f"{catalogue_item.effective_from.isoformat()}起）",
        )
    if value >= rule.public_tender_threshold:
        return Route(
            value,
            Band.PUBLIC,
            Method.OPEN_TENDER,
            [
                Method.OPEN_TENDER,
                Method.INVITED_TENDER,
                Method.CONSULTATION,
                Method.NEGOTIATION,
                Method.SINGLE_SOURCE,
            ],
            rule,
            basis=f"{basis}；{rules.PUBLIC_TENDER}",
            needs=["intention"],
        )
    if value >= rule.decentralised_limit:
        return Route(
            value,
            Band.BETWEEN,
            Method.CONSULTATION,
            [
                Method.CONSULTATION,
                Method.NEGOTIATION,
                Method.INVITED_TENDER,
                Method.OPEN_TENDER,
                Method.FRAMEWORK,
                Method.SINGLE_SOURCE,
            ],
            rule,
            basis=basis,
            needs=["intention", "sme"],
        )
    return Route(
        value,
        Band.BELOW,
        Method.BELOW_LIMIT,
        [
            Method.BELOW_LIMIT,
            Method.CONSULTATION,
            Method.NEGOTIATION,
            Method.OPEN_TENDER,
            Method.SINGLE_SOURCE,
        ],
        rule,
        basis=f"{basis}；{rules.BELOW_LIMIT}",
    )


def check_method(
    r: Route,
    method: str,
    *,
    on: date,
    approval_ref: str = "",
    single_source_ground: str = "",
    notice_from: date | None = None,
    notice_to: date | None = None,
    intention_published_on: date | None = None,
    sme_reserved: bool = False,
    sme_justification: str = "",
) -> None:
    """Refuse ``method`` for this route with the rule named; return quietly when it is allowed."""
    errors: list[str] = []
    if method == Method.INQUIRY:
        raise ValidationError(
            _("Request for quotation is refused for a service.") + f"（{rules.INQUIRY}）"
        )
    if method not in r.allowed:
        basis = rules.CENTRAL if r.band == Band.CENTRAL else r.basis
        raise ValidationError(
            _("%(method)s is not allowed for this purchase.") % {"method": Method(method).label}
            + f"（{basis}）"
        )
    if r.band == Band.PUBLIC and method != Method.OPEN_TENDER and not approval_ref.strip():
        errors.append(
            _(
                "A method other than open tender above the threshold needs the finance department's approval recorded."
            )
            + f"（{rules.PUBLIC_TENDER}）"
        )
    if method == Method.SINGLE_SOURCE:
        if not single_source_ground.strip():
            errors.append(
                _("Single source needs a statutory ground.") + f"（{rules.SINGLE_SOURCE}）"
            )
        if r.band in (Band.PUBLIC, Band.BETWEEN):
            if notice_from is None or notice_to is None:
                errors.append(
                    _("Single source needs a public notice of at least 5 working days.")
                    + f"（{rules.SINGLE_SOURCE}）"
                )
            elif working_days_between(notice_from - timedelta(days=1), notice_to) < 5:
                errors.append(
                    _("The single-source notice ran for fewer than 5 working days.")
                    + f"（{rules.SINGLE_SOURCE}）"
                )
            elif notice_to > on:
                errors.append(
                    _("The single-source notice has not ended yet.") + f"（{rules.SINGLE_SOURCE}）"
                )
    if "intention" in r.needs:
        if intention_published_on is None:
            errors.append(
                _("The procurement intention must be published first.") + f"（{rules.INTENTION}）"
            )
        elif (on - intention_published_on).days < INTENTION_DAYS:
            errors.append(
                _("The procurement intention was published fewer than 30 days ago.")
                + f"（{rules.INTENTION}）"
            )
    if "sme" in r.needs and r.value <= SME_CEILING and not sme_reserved:
        if not sme_justification.strip():
            errors.append(
                _("A purchase of this size is reserved for SMEs unless the reason is recorded.")
                + f"（{rules.SME}）"
            )
    if errors:
        raise ValidationError(errors)

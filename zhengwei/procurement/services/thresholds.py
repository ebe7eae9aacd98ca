"""The dated threshold table and the centralised catalogue, edited by the buyer (or the system
administrator): rows are added with their source and date, never changed in place, so every
past routing decision still names the row it used."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhengwei.access.policy import accounts_for, denied
from zhengwei.orgs.models import User
from zhengwei.procurement import policy as P
from zhengwei.procurement.models import CatalogueItem, Level, ThresholdRule
from zhengwei.procurement.money import parse_money
from zhengwei.procurement.services.common import audit, required_text


def _require(actor) -> None:
    if not isinstance(actor, User) or not accounts_for(actor, P.PROCUREMENT_THRESHOLDS):
        raise denied()


def threshold_add(
    *,
    actor: User,
    region: str,
    level: str,
    effective_from: date,
    decentralised_limit,
    public_tender_threshold,
    source: str,
    note: str = "",
) -> ThresholdRule:
    _require(actor)
    region = required_text(region, what=_("The region"))
    source = required_text(source, what=_("The source"))
    if level not in Level.values:
        raise ValidationError(_("Unknown level."))
    limit = parse_money(decentralised_limit, field=_("The decentralised limit"))
    tender = parse_money(public_tender_threshold, field=_("The public tender threshold"))
    if not 0 < limit <= tender:
        raise ValidationError(
            _(
                "The decentralised limit must be above zero and not above the public tender threshold."
            )
        )
    try:
        with transaction.atomic():
            row = ThresholdRule.objects.create(
                region=region,
                level=level,
                effective_from=effective_from,
                decentralised_limit=limit,
                public_tender_threshold=tender,
                source=source,
                note=note.strip(),
            )
            audit(
                actor,
                "procurement.threshold.add",
                row,
                after={
                    "limit": str(limit),
                    "tender": str(tender),
                    "from": effective_from.isoformat(),
                },
            )
    except IntegrityError:
        raise ValidationError(
            _("A table for this region and level from this date exists already.")
        ) from None
    return row


def catalogue_item_add(
    *,
    actor: User,
    region: str,
    effective_from: date,
    code: str,
    name: str,
    source: str,
    amount_threshold=None,
) -> CatalogueItem:
    _require(actor)
    code = required_text(code, what=_("The code"))
    name = required_text(name, what=_("The name"))
    source = required_text(source, what=_("The source"))
    amount = (
        parse_money(amount_threshold, field=_("The amount"))
        if amount_threshold not in (None, "")
        else None
    )
    try:
        with transaction.atomic():
            item = CatalogueItem.objects.create(
                region=required_text(region, what=_("The region")),
                effective_from=effective_from,
                code=code,
                name=name,
                source=source,
                amount_threshold=amount,
            )
            audit(actor, "procurement.catalogue.add", item, after={"code": code, "name": name})
    except IntegrityError:
        raise ValidationError(_("This item exists already for that date.")) from None
    return item


def catalogue_in_force(*, region: str, on: date) -> list[CatalogueItem]:
    """The catalogue in force on ``on``: the items of the latest catalogue date not after it."""
    latest = (
        CatalogueItem.objects.filter(region=region, effective_from__lte=on)
        .order_by("-effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    if latest is None:
        return []
    return list(CatalogueItem.objects.filter(region=region, effective_from=latest).order_by("code"))

"""Open Contracting Data Standard 1.1: one release per stage of each purchase (planning, tender,
tenderUpdate, award, contract, contractAmendment, implementation), the release package at
``/ocds/releases.json`` and the record package (one compiled record per ocid) at
``/ocds/records.json``. Public fields only: no bids' prices other than the award, no people.

``validate`` checks a package against the OCDS 1.1 schemas shipped in ``ocds_schema/`` (copied
unchanged from the standard; the references between them are resolved locally, never fetched).
"""

from __future__ import annotations

import json
from datetime import datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from zhengwei.procurement.models import Method, Purchase, PurchaseState, Step
from zhengwei.procurement.steps import ARTEFACT_NAMES

SCHEMA_DIR = Path(__file__).resolve().parent / "ocds_schema"
SCHEMA_BASE = "https://standard.open-contracting.org/schema/1__1__5/"

# tender.procurementMethod is a closed codelist; the Chinese method goes in …Details.
METHOD_CODES = {
    Method.OPEN_TENDER: "open",
    Method.CONSULTATION: "open",
    Method.NEGOTIATION: "limited",
    Method.INVITED_TENDER: "selective",
    Method.FRAMEWORK: "selective",
    Method.CENTRALISED: "open",
    Method.SINGLE_SOURCE: "direct",
    Method.BELOW_LIMIT: "limited",
    Method.INQUIRY: "limited",
}


def _amount(value) -> dict:
    # JSON has no decimal type: the yuan amount (two places, < 10^12) is written as a number whose
    # shortest representation is exactly the decimal (round-trips); the database keeps Decimal.
    return {"amount": float(Decimal(str(value))), "currency": "CNY"}


def _when(day) -> str:
    if isinstance(day, str):
        from datetime import date

        day = date.fromisoformat(day)
    return timezone.make_aware(datetime.combine(day, time(9, 0))).isoformat()


def _org_id(org) -> str:
    return f"CN-USCC-{org.credit_code}" if getattr(org, "credit_code", "") else f"zw-org-{org.pk}"


def _buyer(purchase: Purchase) -> dict:
    office = purchase.account.office
    return {"id": _org_id(office), "name": office.name}


def _party(org, roles) -> dict:
    return {"id": _org_id(org), "name": org.name, "roles": list(roles)}


def _release(purchase: Purchase, tag: str, n: int, day, **sections) -> dict:
    release = {
        "ocid": purchase.ocid,
        "id": f"{purchase.ocid}-{tag}-{n}",
        "date": _when(day),
        "tag": [tag],
        "initiationType": "tender",
        "language": "zh",
        "buyer": _buyer(purchase),
        "parties": [_party(purchase.account.office, ["buyer", "procuringEntity"])],
    }
    release.update(sections)
    return release


def purchase_releases(purchase: Purchase) -> list[dict]:
    """Every release of one purchase, in date order."""
    arts = {a.step: a for a in purchase.artefacts.all()}
    out: list[dict] = []
    budget = arts.get(Step.BUDGET)
    if budget is None:
        return out
    planning = {
        "budget": {
            "description": budget.data["budget_line"],
            "amount": _amount(budget.data["amount"]),
            "project": purchase.title,
        },
        "rationale": (
            arts[Step.ELIGIBILITY].data.get("category_label", "")
            if Step.ELIGIBILITY in arts
            else ""
        ),
        "documents": [
            {
                "id": f"{purchase.ocid}-doc-budget",
                "documentType": "budgetApproval",
                "title": budget.name,
            }
        ],
    }
    related = []
    if purchase.follows_id:
        previous = purchase.follows.purchase
        related.append(
            {
                "id": "1",
                "relationship": ["prior"],
                "title": previous.title,
                "scheme": "ocid",
                "identifier": previous.ocid,
            }
        )
    extra = {"relatedProcesses": related} if related else {}
    out.append(_release(purchase, "planning", 1, budget.completed_on, planning=planning, **extra))
    req = arts.get(Step.REQUIREMENTS)
    routing = arts.get(Step.ROUTING)
    if routing is None:
        return out
    tender = {
        "id": f"{purchase.ocid}-tender",
        "title": purchase.title,
        "description": req.data["deliverables"] if req else "",
        "status": "active",
        "procurementMethod": METHOD_CODES.get(routing.data["method"], "limited"),
        "procurementMethodDetails": routing.data["method_label"],
        "procurementMethodRationale": routing.data["basis"][:1000],
        "mainProcurementCategory": "services",
        "value": _amount(routing.data["value"]),
        "documents": [
            {
                "id": f"{purchase.ocid}-doc-requirements",
                "documentType": "technicalSpecifications",
                "title": "采购需求",
            }
        ],
    }
    out.append(_release(purchase, "tender", 1, routing.completed_on, tender=tender))
    if purchase.state == PurchaseState.CANCELLED and Step.AWARD not in arts:
        out.append(
            _release(
                purchase,
                "tenderCancellation",
                1,
                purchase.updated_at.date(),
                tender={**tender, "status": "cancelled"},
            )
        )
        return out
    ev = arts.get(Step.EVALUATION)
    if ev is None:
        return out
    bidders = [b.supplier for b in purchase.bids.select_related("supplier").order_by("pk")]
    tender_update = {
        **tender,
        "status": "complete",
        "tenderPeriod": {
            "startDate": _when(ev.data["issued_on"]),
            "endDate": _when(ev.data["deadline"]),
        },
        "numberOfTenderers": len(bidders),
        "tenderers": [{"id": _org_id(s), "name": s.name} for s in bidders],
        "documents": tender["documents"]
        + [
            {
                "id": f"{purchase.ocid}-doc-evaluation",
                "documentType": "evaluationReports",
                "title": ev.name,
            }
        ],
    }
    parties = [_party(s, ["tenderer"]) for s in bidders]
    release = _release(purchase, "tenderUpdate", 1, ev.completed_on, tender=tender_update)
    release["parties"] += parties
    out.append(release)
    award = arts.get(Step.AWARD)
    if award is None:
        return out
    winner = next(s for s in bidders if s.credit_code == award.data["credit_code"])
    release = _release(
        purchase,
        "award",
        1,
        award.completed_on,
        awards=[
            {
                "id": f"{purchase.ocid}-award-1",
                "title": award.name,
                "status": "active",
                "date": _when(award.completed_on),
                "value": _amount(award.data["amount"]),
                "suppliers": [{"id": _org_id(winner), "name": winner.name}],
            }
        ],
    )
    release["parties"] += [_party(winner, ["tenderer", "supplier"])]
    out.append(release)
    contract = getattr(purchase, "contract", None)
    if contract is None:
        return out
    base = {
        "id": f"{purchase.ocid}-contract-1",
        "awardID": f"{purchase.ocid}-award-1",
        "title": contract.number,
        "status": "active",
        "period": {"startDate": _when(contract.start), "endDate": _when(contract.end)},
        "value": _amount(contract.value),
        "dateSigned": _when(contract.signed_on),
        "documents": [
            {
                "id": f"{purchase.ocid}-doc-contract",
                "documentType": "contractSigned",
                "title": ARTEFACT_NAMES[Step.CONTRACT],
            }
        ],
    }
    release = _release(purchase, "contract", 1, contract.signed_on, contracts=[base])
    release["parties"] += [_party(contract.supplier, ["supplier"])]
    out.append(release)
    amendments = []
    for i, s in enumerate(contract.supplements.order_by("signed_on", "pk"), 1):
        amendments.append(
            {
                "id": str(i),
                "date": _when(s.signed_on),
                "rationale": s.reason,
                "description": f"补充合同 ¥{s.amount:,.2f}",
            }
        )
        out.append(
            _release(
                purchase,
                "contractAmendment",
                i,
                s.signed_on,
                contracts=[{**base, "amendments": list(amendments)}],
            )
        )
    milestones, transactions, documents = [], [], []
    events = []
    for r in contract.reviews.order_by("period"):
        milestones.append(
            {
                "id": f"review-{r.period:%Y-%m}",
                "title": f"{r.period:%Y年%m月} 绩效运行监控",
                "type": "reporting",
                "status": "met",
                "dateMet": _when(r.reviewed_on),
            }
        )
        events.append(r.reviewed_on)
    for a in contract.acceptances.order_by("accepted_on"):
        documents.append(
            {
                "id": f"acceptance-{a.pk}",
                "documentType": "completionCertificate",
                "title": f"履约验收书（{a.period_label}）",
                "datePublished": _when(a.accepted_on),
            }
        )
        events.append(a.accepted_on)
    for p in contract.payments.order_by("paid_on"):
        transactions.append(
            {
                "id": f"payment-{p.pk}",
                "source": "",
                "date": _when(p.paid_on),
                "value": _amount(p.amount),
                "payer": {
                    "id": _org_id(purchase.account.office),
                    "name": purchase.account.office.name,
                },
                "payee": {"id": _org_id(contract.supplier), "name": contract.supplier.name},
            }
        )
        events.append(p.paid_on)
    if events:
        implementation = {}
        if milestones:
            implementation["milestones"] = milestones
        if transactions:
            for t in transactions:
                t.pop("source")
            implementation["transactions"] = transactions
        if documents:
            implementation["documents"] = documents
        out.append(
            _release(
                purchase,
                "implementation",
                1,
                max(events),
                contracts=[
                    {
                        **base,
                        **({"amendments": amendments} if amendments else {}),
                        "implementation": implementation,
                    }
                ],
            )
        )
    return sorted(out, key=lambda r: r["date"])


def _purchases():
    return (
        Purchase.objects.select_related(
            "account__office", "follows__purchase", "contract__supplier"
        )
        .prefetch_related("artefacts")
        .order_by("pk")
    )


def _package_head(request, path: str) -> dict:
    uri = (
        request.build_absolute_uri(path)
        if request is not None
        else f"{settings.PUBLIC_URL.rstrip('/')}{path}"
        if getattr(settings, "PUBLIC_URL", "")
        else path
    )
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": timezone.now().replace(microsecond=0).isoformat(),
        "publisher": {"name": settings.PROCUREMENT_OCDS_PUBLISHER},
        "publicationPolicy": uri.rsplit("/ocds/", 1)[0] + "/ocds/" if "/ocds/" in uri else uri,
    }


def release_package(*, request=None) -> dict:
    releases = [r for p in _purchases() for r in purchase_releases(p)]
    return {**_package_head(request, "/ocds/releases.json"), "releases": releases}


def _merge(target: dict, source: dict) -> dict:
    """OCDS merge: objects merge field by field, arrays of objects with ids merge by id, other
    values are replaced by the later release's."""
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        elif (
            isinstance(value, list)
            and value
            and all(isinstance(v, dict) and "id" in v for v in value)
            and isinstance(target.get(key), list)
        ):
            by_id = {item.get("id"): item for item in target[key] if isinstance(item, dict)}
            for item in value:
                if item["id"] in by_id:
                    _merge(by_id[item["id"]], item)
                else:
                    target[key].append(json.loads(json.dumps(item)))
                    by_id[item["id"]] = target[key][-1]
        else:
            target[key] = json.loads(json.dumps(value))
    return target


def compile_releases(releases: list[dict]) -> dict:
    compiled: dict = {}
    for release in sorted(releases, key=lambda r: r["date"]):
        _merge(compiled, {k: v for k, v in release.items() if k not in ("id", "tag")})
    compiled["id"] = f"{releases[-1]['ocid']}-compiled"
    compiled["tag"] = ["compiled"]
    return compiled


def record_package(*, request=None) -> dict:
    records = []
    for purchase in _purchases():
        releases = purchase_releases(purchase)
        if releases:
            records.append(
                {
                    "ocid": purchase.ocid,
                    "releases": releases,
                    "compiledRelease": compile_releases(releases),
                }
            )
    return {**_package_head(request, "/ocds/records.json"), "records": records}


# --- validation against the shipped schemas ------------------------------------------------------


@cache
def _registry():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    resources = []
    for name in (
        "release-schema.json",
        "release-package-schema.json",
        "record-package-schema.json",
        "versioned-release-validation-schema.json",
    ):
        contents = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        resources.append(
            (SCHEMA_BASE + name, Resource.from_contents(contents, default_specification=DRAFT4))
        )
    return Registry().with_resources(resources)


def validate(package: dict, kind: str) -> list[str]:
    """Schema errors of a release (``kind="release"``) or record (``"record"``) package: empty when
    it validates. Only the shipped files are read (no network)."""
    from jsonschema import Draft4Validator, FormatChecker

    name = {"release": "release-package-schema.json", "record": "record-package-schema.json"}[kind]
    schema = _registry().contents(SCHEMA_BASE + name)
    validator = Draft4Validator(schema, registry=_registry(), format_checker=FormatChecker())
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path))
    ]

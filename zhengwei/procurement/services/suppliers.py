"""Suppliers, their licences and evidence (file kept privately with its SHA-256), the bids a
purchase receives and the qualification checklist signed by two office people."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import accounts_for, denied
from zhengwei.lib.db import lock
from zhengwei.orgs.models import OrgKind, User
from zhengwei.procurement import policy as P
from zhengwei.procurement import rules, steps
from zhengwei.procurement.models import (
    Bid,
    EvidenceKind,
    Purchase,
    QualificationCheck,
    Step,
    Supplier,
    SupplierEvidence,
)
from zhengwei.procurement.money import parse_money
from zhengwei.procurement.services.common import (
    artefact,
    audit,
    complete_step,
    not_before,
    require,
    require_step,
    required_text,
)

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# GB 32100-2015: the unified social credit code's alphabet and check-digit weights.
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Always checked in the qualification review; the requirements add the licences they name.
ALWAYS_REQUIRED = (EvidenceKind.BUSINESS_LICENCE, EvidenceKind.CREDIT_CHECK)


def credit_code_check_digit(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def credit_code_valid(code: str) -> bool:
    if not re.fullmatch(f"[{_CREDIT_CHARS}]{{18}}", code):
        return False
    return credit_code_check_digit(code[:17]) == code[17]


def _require_buyer(actor) -> None:
    if not isinstance(actor, User) or not accounts_for(actor, P.PROCUREMENT_MANAGE):
        raise denied()


def supplier_create(
    *,
    actor: User,
    name: str,
    credit_code: str,
    organisation=None,
    is_sme: bool = False,
    contact: str = "",
) -> Supplier:
    _require_buyer(actor)
    name = required_text(name, what=_("The name"))
    code = (credit_code or "").strip().upper()
    if not credit_code_valid(code):
        raise ValidationError(
            _("%(code)s is not a valid unified social credit code.") % {"code": code}
            + "（GB 32100-2015）"
        )
    if organisation is not None and organisation.kind != OrgKind.CONTRACTOR:
        raise ValidationError(_("Only a contractor organisation can be linked to a supplier."))
    try:
        with transaction.atomic():
            supplier = Supplier.objects.create(
                name=name,
                credit_code=code,
                organisation=organisation,
                is_sme=is_sme,
                contact=contact.strip(),
            )
            audit(actor, "procurement.supplier.create", supplier, after={"credit_code": code})
    except IntegrityError:
        raise ValidationError(_("A supplier with this credit code exists already.")) from None
    return supplier


def _sha256(fileobj) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(65536), b""):
        digest.update(chunk)
        size += len(chunk)
    fileobj.seek(0)
    return digest.hexdigest(), size


def evidence_add(
    *,
    actor: User,
    supplier: Supplier,
    kind: str,
    upload,
    number: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> SupplierEvidence:
    """Keep a licence or other evidence: the file in private storage, its SHA-256 in the row."""
    _require_buyer(actor)
    if kind not in EvidenceKind.values:
        raise ValidationError(_("Unknown kind of evidence."))
    if upload is None:
        raise ValidationError(_("Attach the file."))
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError(_("The licence ends before it starts."))
    sha, size = _sha256(upload)
    if size == 0 or size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The file is empty or larger than 20 MB."))
    original = getattr(upload, "name", "") or "evidence"
    safe = re.sub(r"[^\w.\-]+", "_", original.rsplit("/", 1)[-1])[-80:] or "evidence"
    with transaction.atomic():
        evidence = SupplierEvidence(
            supplier=supplier,
            kind=kind,
            number=number.strip(),
            valid_from=valid_from,
            valid_until=valid_until,
            file_name=original[-120:],
            sha256=sha,
            uploaded_by=actor,
        )
        evidence.file.save(
            f"{sha[:16]}-{safe}",
            upload if hasattr(upload, "chunks") else ContentFile(upload.read()),
            save=False,
        )
        evidence.save()
        audit(
            actor,
            "procurement.evidence.add",
            evidence,
            after={"kind": kind, "sha256": sha, "valid_until": str(valid_until or "")},
        )
    return evidence


def evidence_intact(evidence: SupplierEvidence) -> bool:
    """The stored file still has the SHA-256 recorded when it was uploaded."""
    try:
        with evidence.file.open("rb") as fh:
            sha, _size = _sha256(fh)
    except (FileNotFoundError, OSError, ValueError):
        return False
    return sha == evidence.sha256


def evidence_read(*, actor: User, evidence: SupplierEvidence) -> bytes:
    """The evidence file for a permission-checked download; refused when its hash changed."""
    # Office people who see procurement; never a supplier's staff (other suppliers' papers).
    if not isinstance(actor, User) or P.is_contractor(actor):
        raise denied()
    if not accounts_for(actor, P.PROCUREMENT_RECORDS):
        raise denied()
    if not evidence_intact(evidence):
        raise ValidationError(
            _("The file of %(what)s no longer matches its recorded hash.") % {"what": str(evidence)}
            + f"（{rules.HASH}）"
        )
    with evidence.file.open("rb") as fh:
        return fh.read()


def bid_record(
    *,
    actor: User,
    purchase: Purchase,
    supplier: Supplier,
    amount,
    submitted_on: date,
    summary: str = "",
) -> Bid:
    """A supplier's response or written quotation, received in the qualification step."""
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    amount = parse_money(amount, field=_("The quoted amount"))
    if amount <= 0:
        raise ValidationError(_("The quoted amount must be above zero."))
    with transaction.atomic():
        lock(purchase)
        require_step(purchase, Step.QUALIFICATION)
        routing = artefact(purchase, Step.ROUTING)
        not_before(submitted_on, routing.completed_on, what=_("The bid"))
        try:
            with transaction.atomic():
                bid = Bid.objects.create(
                    purchase=purchase,
                    supplier=supplier,
                    amount=amount,
                    submitted_on=submitted_on,
                    summary=summary.strip(),
                )
        except IntegrityError:
            raise ValidationError(_("This supplier has a bid on this purchase already.")) from None
        audit(
            actor,
            "procurement.bid.record",
            purchase,
            after={"supplier": supplier.name, "amount": str(amount)},
        )
    return bid


def qualification_items(bid: Bid, on: date) -> dict[str, dict]:
    """Each required evidence kind: whether a valid, intact piece of it is on file on ``on``."""
    req = artefact(bid.purchase, Step.REQUIREMENTS)
    kinds = list(ALWAYS_REQUIRED) + [
        k for k in (req.data.get("licences") if req else []) if k in EvidenceKind.values
    ]
    items: dict[str, dict] = {}
    evidence = list(bid.supplier.evidence.all())
    for kind in dict.fromkeys(kinds):
        found = [e for e in evidence if e.kind == kind]
        valid = [e for e in found if e.valid_on(on)]
        intact = [e for e in valid if evidence_intact(e)]
        if intact:
            items[kind] = {
                "ok": True,
                "evidence": intact[0].pk,
                "sha256": intact[0].sha256,
                "note": "",
            }
        elif valid:
            items[kind] = {"ok": False, "evidence": valid[0].pk, "note": rules.HASH}
        elif found:
            items[kind] = {
                "ok": False,
                "evidence": found[0].pk,
                "note": _("expired or not yet valid") + f"（{rules.LICENCE}）",
            }
        else:
            items[kind] = {
                "ok": False,
                "evidence": None,
                "note": _("missing") + f"（{rules.LICENCE}）",
            }
        items[kind]["label"] = str(EvidenceKind(kind).label)
    return items


def qualification_sign(*, actor: User, bid: Bid, on: date, note: str = "") -> QualificationCheck:
    """Sign the bid's checklist: the first signature records the checks, the second (by another
    office person) confirms them and settles the bid's qualification."""
    purchase = bid.purchase
    require(actor, P.PROCUREMENT_SIGN, purchase)
    with transaction.atomic():
        lock(purchase)
        require_step(purchase, Step.QUALIFICATION)
        check = QualificationCheck.objects.filter(bid=bid).first()
        now = timezone.now()
        if check is None:
            items = qualification_items(bid, on)
            check = QualificationCheck.objects.create(
                bid=bid,
                items=items,
                passed=all(i["ok"] for i in items.values()),
                note=note.strip(),
                first_signer=actor,
                first_signed_at=now,
            )
            audit(
                actor,
                "procurement.qualification.first",
                purchase,
                after={"supplier": bid.supplier.name, "passed": check.passed},
            )
            return check
        if check.signed:
            raise ValidationError(_("This checklist is signed by two people already."))
        if check.first_signer_id == actor.pk:
            raise ValidationError(
                _("The second signature must be another person's.") + f"（{rules.TWO_SIGNERS}）"
            )
        # The second signer sees the checks as they stand now: a file changed since is caught.
        items = qualification_items(bid, on)
        check.items = items
        check.passed = all(i["ok"] for i in items.values())
        check.second_signer = actor
        check.second_signed_at = now
        if note.strip():
            check.note = (check.note + "；" + note.strip()).strip("；")
        check.save()
        bid.qualified = check.passed
        bid.save(update_fields=["qualified"])
        audit(
            actor,
            "procurement.qualification.second",
            purchase,
            after={"supplier": bid.supplier.name, "passed": check.passed},
        )
    return check


def qualification_complete(*, actor: User, purchase: Purchase, on: date, comparison_note: str = ""):
    """资格审查表: every bid's checklist signed by two people and enough qualified suppliers."""
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    with transaction.atomic():
        lock(purchase)
        require_step(purchase, Step.QUALIFICATION)
        bids = list(purchase.bids.select_related("supplier", "qualification"))
        if not bids:
            raise ValidationError(_("No bids have been recorded."))
        unsigned = [
            b.supplier.name
            for b in bids
            if not hasattr(b, "qualification") or not b.qualification.signed
        ]
        if unsigned:
            raise ValidationError(
                _("Checklists still need two signatures: %(names)s.")
                % {"names": "、".join(unsigned)}
                + f"（{rules.TWO_SIGNERS}）"
            )
        qualified = [b for b in bids if b.qualified]
        minimum = steps.MIN_SUPPLIERS.get(purchase.method, 1)
        if len(qualified) < minimum and not (
            purchase.method == "below_limit" and comparison_note.strip()
        ):
            raise ValidationError(
                _("%(n)s qualified suppliers; at least %(min)s are needed.")
                % {"n": len(qualified), "min": minimum}
                + f"（{rules.SUPPLIER_COUNT if purchase.method != 'below_limit' else rules.BELOW_LIMIT}）"
            )
        return complete_step(
            purchase,
            Step.QUALIFICATION,
            actor=actor,
            on=on,
            data={
                "bids": [
                    {
                        "supplier": b.supplier.name,
                        "credit_code": b.supplier.credit_code,
                        "amount": str(b.amount),
                        "passed": bool(b.qualified),
                        "items": b.qualification.items,
                        "signers": [
                            str(b.qualification.first_signer),
                            str(b.qualification.second_signer),
                        ],
                    }
                    for b in bids
                ],
                "qualified_count": len(qualified),
                "comparison_note": comparison_note.strip(),
            },
        )

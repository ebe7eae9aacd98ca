from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwei.procurement.models import Step
from zhengwei.procurement.services import suppliers
from zhengwei.procurement.tests.flow import credit_code, day, run_to, supplier_with_papers


def _bid(case, supplier, amount="190000.00"):
    return suppliers.bid_record(
        actor=case.buyer,
        purchase=case.purchase,
        supplier=supplier,
        amount=amount,
        submitted_on=day(6),
    )


def test_the_checklist_needs_two_different_office_people(world):
    case = run_to(world, Step.QUALIFICATION)
    bid = _bid(case, supplier_with_papers(world, 7))
    check = suppliers.qualification_sign(actor=case.buyer, bid=bid, on=day(7))
    assert check.passed and not check.signed
    with pytest.raises(ValidationError, match="两名"):
        suppliers.qualification_sign(actor=case.buyer, bid=bid, on=day(7))
    with pytest.raises(PermissionDenied):
        suppliers.qualification_sign(actor=world["project_manager"], bid=bid, on=day(7))
    check = suppliers.qualification_sign(actor=world["office_reviewer"], bid=bid, on=day(7))
    bid.refresh_from_db()
    assert check.signed and bid.qualified is True


def test_a_supplier_without_a_valid_licence_fails_qualification_with_the_rule(world):
    case = run_to(world, Step.QUALIFICATION)
    bid = _bid(case, supplier_with_papers(world, 8, licence_until=date(2025, 12, 31)))
    suppliers.qualification_sign(actor=case.buyer, bid=bid, on=day(7))
    check = suppliers.qualification_sign(actor=world["office_leader"], bid=bid, on=day(7))
    assert not check.passed
    assert "营业执照" in check.items["business_licence"]["note"]
    bid.refresh_from_db()
    assert bid.qualified is False


def test_a_file_whose_hash_no_longer_matches_fails_and_cannot_be_downloaded(world):
    case = run_to(world, Step.QUALIFICATION)
    supplier = supplier_with_papers(world, 9)
    evidence = supplier.evidence.get(kind="business_licence")
    with open(evidence.file.path, "wb") as fh:
        fh.write(b"tampered")
    assert not suppliers.evidence_intact(evidence)
    with pytest.raises(ValidationError, match="SHA-256"):
        suppliers.evidence_read(actor=case.buyer, evidence=evidence)
    bid = _bid(case, supplier)
    suppliers.qualification_sign(actor=case.buyer, bid=bid, on=day(7))
    check = suppliers.qualification_sign(actor=world["office_leader"], bid=bid, on=day(7))
    assert not check.passed and "SHA-256" in check.items["business_licence"]["note"]


def test_evidence_is_kept_privately_with_its_hash(world):
    import hashlib

    supplier = supplier_with_papers(world, 10)
    evidence = supplier.evidence.first()
    assert "/private/" in evidence.file.path
    assert evidence.file.storage.base_url is None
    with evidence.file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == evidence.sha256


def test_contractors_cannot_read_evidence(world):
    supplier = supplier_with_papers(world, 11)
    with pytest.raises(PermissionDenied):
        suppliers.evidence_read(actor=world["project_manager"], evidence=supplier.evidence.first())


def test_a_bad_credit_code_is_refused(world):
    with pytest.raises(ValidationError, match="GB 32100"):
        suppliers.supplier_create(
            actor=world["procurement_officer"], name="x", credit_code="91350100MA00000000"
        )
    assert suppliers.credit_code_valid(credit_code(5))


def test_fewer_than_three_qualified_quotations_need_a_documented_comparison(world):
    case = run_to(world, Step.QUALIFICATION)
    for n in (12, 13):
        bid = _bid(case, supplier_with_papers(world, n))
        suppliers.qualification_sign(actor=case.buyer, bid=bid, on=day(7))
        suppliers.qualification_sign(actor=world["office_leader"], bid=bid, on=day(7))
    with pytest.raises(ValidationError, match="不少于3家"):
        suppliers.qualification_complete(actor=case.buyer, purchase=case.purchase, on=day(7))
    suppliers.qualification_complete(
        actor=case.buyer,
        purchase=case.purchase,
        on=day(7),
        comparison_note="本地仅两家具备资质，书面比选说明见附件",
    )

import json
from datetime import date

from zhengwei.procurement import ocds
from zhengwei.procurement.models import Step
from zhengwei.procurement.services import aftercare, contracts, purchases
from zhengwei.procurement.tests.flow import run_to


def _full(world):
    case = run_to(world)
    contracts.supplement_add(
        actor=case.buyer,
        contract=case.contract,
        amount="9900.00",
        signed_on=date(2026, 6, 1),
        reason="增加直播",
    )
    successor = aftercare.renewal_decide(
        actor=case.buyer,
        purchase=case.purchase,
        decision="renew",
        on=date(2027, 1, 5),
        reason="绩效良好",
    )
    purchases.eligibility_record(
        actor=case.buyer,
        purchase=successor,
        category="auxiliary",
        negative_hits=[],
        office_keeps_final_review=True,
        on=date(2027, 1, 6),
    )
    purchases.budget_record(
        actor=case.buyer,
        purchase=successor,
        budget_line="2027年运营经费",
        amount="200000",
        approved_on=date(2027, 1, 6),
        on=date(2027, 1, 7),
        targets=[{"indicator": "original_ratio", "target": "60"}],
    )
    run_to(world, Step.ROUTING)  # a second purchase still in planning
    return case


def test_the_release_package_is_public_and_validates_against_the_offline_schema(world, client):
    case = _full(world)
    response = client.get("/ocds/releases.json")
    assert response.status_code == 200
    package = json.loads(response.content)
    assert ocds.validate(package, "release") == []
    tags = [r["tag"][0] for r in package["releases"] if r["ocid"] == case.purchase.ocid]
    assert tags == [
        "planning",
        "tender",
        "tenderUpdate",
        "award",
        "contract",
        "implementation",
        "contractAmendment",
    ]
    assert package["publisher"]["name"] and package["version"] == "1.1"


def test_the_record_package_compiles_one_record_per_purchase_and_validates(world, client):
    case = _full(world)
    package = json.loads(client.get("/ocds/records.json").content)
    assert ocds.validate(package, "record") == []
    record = next(r for r in package["records"] if r["ocid"] == case.purchase.ocid)
    compiled = record["compiledRelease"]
    assert compiled["tender"]["procurementMethod"] == "limited"
    assert compiled["tender"]["procurementMethodDetails"]
    assert "闽财购函〔2021〕2号" in compiled["tender"]["procurementMethodRationale"]
    assert compiled["tender"]["mainProcurementCategory"] == "services"
    assert compiled["awards"][0]["value"] == {"amount": 198000.0, "currency": "CNY"}
    impl = compiled["contracts"][0]["implementation"]
    assert impl["transactions"][0]["value"]["amount"] == 16005.0
    assert impl["documents"][0]["documentType"] == "completionCertificate"
    assert compiled["contracts"][0]["amendments"][0]["rationale"] == "增加直播"
    follower = next(r for r in package["records"] if r["compiledRelease"].get("relatedProcesses"))
    assert follower["compiledRelease"]["relatedProcesses"][0]["identifier"] == case.purchase.ocid


def test_only_public_fields_are_exported(world, client):
    case = _full(world)
    text = client.get("/ocds/records.json").content.decode()
    for secret in ("评审甲", "与各供应商无利害关系", "199500", case.buyer.username):
        assert secret not in text


def test_an_invalid_package_is_reported(world):
    errors = ocds.validate({"uri": "x", "version": "1.1"}, "release")
    assert errors and any("releases" in e or "publisher" in e for e in errors)

from datetime import date

from zhengwei.procurement.models import Purchase, Step
from zhengwei.procurement.tests.flow import run_to


def test_the_buyer_opens_a_purchase_from_the_list(world, client_for):
    client = client_for(world["procurement_officer"])
    page = client.get("/procurement/")
    assert page.status_code == 200 and 'data-testid="new-purchase"' in page.content.decode()
    response = client.post(
        "/procurement/", {"title": "运营服务", "year": "2026", "level": "provincial"}
    )
    purchase = Purchase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/procurement/{purchase.pk}/"


def test_the_current_step_form_records_the_artefact_and_blocks_nothing_else(world, client_for):
    case = run_to(world, Step.ELIGIBILITY)
    client = client_for(case.buyer)
    url = f"/procurement/{case.purchase.pk}/"
    page = client.get(url).content.decode()
    assert 'id="step-eligibility" data-state="current"' in page
    assert 'id="step-budget" data-state="blocked"' in page
    response = client.post(
        url + "do/step/",
        {"category": "auxiliary", "office_keeps_final_review": "on", "on": "2026-03-02"},
    )
    assert response.status_code == 302
    case.purchase.refresh_from_db()
    assert case.purchase.step == Step.BUDGET


def test_request_for_quotation_is_refused_on_the_page_with_the_rule(world, client_for):
    case = run_to(world, Step.ROUTING)
    client = client_for(case.buyer)
    page = client.get(f"/procurement/{case.purchase.pk}/").content.decode()
    assert 'data-testid="route-basis"' in page and "闽财购函〔2021〕2号" in page
    response = client.post(
        f"/procurement/{case.purchase.pk}/do/step/", {"method": "inquiry", "on": "2026-03-05"}
    )
    assert response.status_code == 400
    assert "第三十二条" in response.content.decode()
    case.purchase.refresh_from_db()
    assert case.purchase.step == Step.ROUTING


def test_a_contract_over_one_year_is_refused_on_the_page(world, client_for):
    case = run_to(world, Step.CONTRACT)
    client = client_for(case.buyer)
    data = {
        "number": "HT-2",
        "value": "198000.00",
        "signed_on": "2026-03-22",
        "start": "2026-04-01",
        "end": "2028-03-31",
        "sl-0-indicator": "original_ratio",
        "sl-0-target": "60",
        "sl-0-points": "50",
        "sl-0-deduction_percent": "2",
    }
    response = client.post(f"/procurement/{case.purchase.pk}/do/step/", data)
    assert response.status_code == 400 and "不超过1年" in response.content.decode()
    data["end"] = "2027-03-31"
    assert client.post(f"/procurement/{case.purchase.pk}/do/step/", data).status_code == 302
    assert case.purchase.contract.service_levels.get().indicator == "original_ratio"


def test_the_contractor_sees_its_own_purchase_and_contract_but_not_the_scores(world, client_for):
    case = run_to(world)
    client = client_for(world["project_manager"])  # its organisation is supplier 1, the winner
    assert case.purchase in [p for p in Purchase.objects.all()]
    page = client.get("/procurement/")
    assert case.purchase.title in page.content.decode()
    detail = client.get(f"/procurement/{case.purchase.pk}/").content.decode()
    assert 'data-testid="contract"' in detail and "评审甲" not in detail
    assert "福建第2传媒有限公司" not in detail  # other bidders are not shown
    assert client.get(f"/procurement/{case.purchase.pk}/documents/contract.pdf").status_code == 200
    assert (
        client.get(f"/procurement/{case.purchase.pk}/documents/evaluation.pdf").status_code == 403
    )
    assert client.get("/procurement/suppliers/").status_code == 403


def test_a_contractor_that_did_not_bid_sees_nothing(world, client_for):
    from zhengwei.orgs.models import OrgKind, Role
    from zhengwei.testing.factories import OrganisationFactory, UserFactory, grant

    case = run_to(world, Step.QUALIFICATION)
    other = UserFactory(organisation=OrganisationFactory(kind=OrgKind.CONTRACTOR))
    grant(other, world.account, Role.PROJECT_MANAGER)
    client = client_for(other)
    assert case.purchase.title not in client.get("/procurement/").content.decode()
    assert client.get(f"/procurement/{case.purchase.pk}/").status_code == 403


def test_the_evaluator_only_scores(world, client_for):
    case = run_to(world, Step.EVALUATION)
    ev = case.evaluators[0]
    client = client_for(ev)
    assert client.get("/procurement/evaluations/").status_code == 200
    score = f"/procurement/{case.purchase.pk}/score/"
    assert 'data-testid="declare"' in client.get(score).content.decode()
    client.post(score, {"form": "declare", "no_conflict": "on"})
    response = client.post(score, {"bid": case.bids[0].pk, "quality": "85", "price": "10"})
    assert response.status_code == 400 and "10%–30%" in response.content.decode()
    assert (
        client.post(score, {"bid": case.bids[0].pk, "quality": "75", "price": "18"}).status_code
        == 302
    )
    assert client.post(f"/procurement/{case.purchase.pk}/do/step/", {}).status_code == 403
    assert (
        client.get("/procurement/thresholds/").status_code == 200
    )  # an office reviewer reads them


def test_auditors_read_everything_and_change_nothing(world, client_for):
    case = run_to(world)
    client = client_for(world["auditor"])
    for url in (
        "/procurement/",
        f"/procurement/{case.purchase.pk}/",
        "/procurement/suppliers/",
        f"/procurement/suppliers/{case.suppliers[0].pk}/",
        "/procurement/thresholds/",
        f"/procurement/{case.purchase.pk}/documents/evaluation.docx",
    ):
        assert client.get(url).status_code == 200, url
    assert (
        'data-testid="step-form"'
        not in client.get(f"/procurement/{case.purchase.pk}/").content.decode()
    )
    assert client.post(f"/procurement/{case.purchase.pk}/do/review/", {}).status_code == 403
    assert client.post("/procurement/thresholds/", {"form": "threshold"}).status_code == 403


def test_outsiders_see_no_purchase(world, client_for):
    case = run_to(world, Step.BUDGET)
    client = client_for(world.outsider)
    page = client.get("/procurement/")  # an auditor of another account: that account's list
    assert page.status_code == 200 and case.purchase.ocid not in page.content.decode()
    assert client.get(f"/procurement/{case.purchase.pk}/").status_code == 403


def test_the_buyer_adds_a_threshold_table_on_the_page(world, client_for):
    client = client_for(world["procurement_officer"])
    data = {
        "form": "threshold",
        "region": "福建省",
        "level": "provincial",
        "effective_from": "2027-01-01",
        "decentralised_limit": "1000000",
        "public_tender_threshold": "4000000.001",
        "source": "福建2024版",
    }
    response = client.post("/procurement/thresholds/", data)
    assert response.status_code == 400 and "最多两位小数" in response.content.decode()
    data["public_tender_threshold"] = "4000000"
    assert client.post("/procurement/thresholds/", data).status_code == 302
    assert "福建2024版" in client.get("/procurement/thresholds/").content.decode()


def test_evidence_uploads_keep_the_hash_and_downloads_check_it(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhengwei.procurement.tests.flow import supplier_with_papers

    supplier = supplier_with_papers(world, 21)
    client = client_for(world["procurement_officer"])
    response = client.post(
        f"/procurement/suppliers/{supplier.pk}/",
        {
            "kind": "news_licence",
            "number": "闽新许-001",
            "valid_until": "2029-12-31",
            "file": SimpleUploadedFile("许可证.pdf", b"%PDF-1.4 licence"),
        },
    )
    assert response.status_code == 302
    evidence = supplier.evidence.get(kind="news_licence")
    download = client.get(f"/procurement/evidence/{evidence.pk}/")
    assert download.status_code == 200 and download.content == b"%PDF-1.4 licence"
    assert download["X-Content-SHA256"] == evidence.sha256
    with open(evidence.file.path, "wb") as fh:
        fh.write(b"changed")
    assert client.get(f"/procurement/evidence/{evidence.pk}/").status_code == 409
    assert (
        'data-testid="tampered"'
        in client.get(f"/procurement/suppliers/{supplier.pk}/").content.decode()
    )


def test_a_contract_nearing_its_end_shows_the_scorecard_and_the_open_budget(
    world, client_for, settings
):
    from freezegun import freeze_time

    case = run_to(world)
    with freeze_time(date(2027, 2, 1)):
        page = client_for(case.buyer).get(f"/procurement/{case.purchase.pk}/").content.decode()
    assert 'data-testid="budget-open"' in page and 'data-testid="grade">良<' in page
    assert 'name="decision"' in page

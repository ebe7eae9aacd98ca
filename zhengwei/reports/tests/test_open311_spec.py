"""Open311 GeoReport v2, tested against the specification (http://wiki.open311.org/GeoReport_v2).

Written from the spec's method descriptions: field names and types, the array/list shapes of JSON
and XML responses, ISO 8601 date/times with a time zone, UTF-8, and errors returned as a list of
{code, description} with HTTP 400, 403 or 404.
"""

import json
import re
from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django.utils import timezone
from freezegun import freeze_time

from zhengwei.reports import services
from zhengwei.reports.models import Report
from zhengwei.reports.tests.helpers import receive, resolved

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
KEY = "test-open311-key-0123456789"
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


@pytest.fixture
def key(world):
    services.api_key_create(
        actor=world["system_admin"], account=world.account, name="12345", raw_key=KEY
    )
    return KEY


@pytest.fixture
def jurisdiction(world):
    return world.account.original_id


def get_json(client, path, **params):
    response = client.get(f"{BASE}/{path}", params)
    assert response["Content-Type"].startswith("application/json")
    assert "charset=utf-8" in response["Content-Type"]
    return response, json.loads(response.content.decode("utf-8"))


def get_xml(client, path, **params):
    response = client.get(f"{BASE}/{path}", params)
    assert response["Content-Type"].startswith("text/xml")
    body = response.content.decode("utf-8")
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return response, ElementTree.fromstring(response.content)


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def assert_error(response, status):
    assert response.status_code == status
    errors = json.loads(response.content)
    assert isinstance(errors, list) and errors
    assert set(errors[0]) == {"code", "description"}
    assert errors[0]["code"] == status
    assert errors[0]["description"]


# --- service discovery ---------------------------------------------------------------------------
def test_discovery_lists_the_geoReport_v2_endpoint_and_its_formats(client, world):
    response, data = get_json(client, "discovery.json")
    assert response.status_code == 200
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert ISO.match(data["changeset"])
    _, root = get_xml(client, "discovery.xml")
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == [
        "text/xml",
        "application/json",
    ]


# --- GET service list ----------------------------------------------------------------------------
def test_the_service_list_has_the_specified_fields(client, world):
    response, data = get_json(client, "services.json")
    assert response.status_code == 200
    assert isinstance(data, list) and len(data) == 7
    for service in data:
        assert set(service) == {
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        }
        assert isinstance(service["metadata"], bool)
        assert service["type"] in {"realtime", "batch", "blackbox"}
    assert {s["service_name"] for s in data} >= {"内涝", "山洪", "人员被困"}


def test_the_service_list_in_xml_is_a_services_element_of_service_elements(client, world):
    _, root = get_xml(client, "services.xml")
    assert root.tag == "services"
    first = root.find("service")
    assert first.find("service_code").text == "waterlogging"
    assert first.find("metadata").text in {"true", "false"}


# --- GET service definition ----------------------------------------------------------------------
def test_a_service_definition_describes_its_attributes(client, world):
    response, data = get_json(client, "services/people_trapped.json")
    assert response.status_code == 200
    assert data["service_code"] == "people_trapped"
    attribute = data["attributes"][0]
    assert set(attribute) >= {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
    }
    assert attribute["datatype"] in DATATYPES
    assert isinstance(attribute["variable"], bool) and isinstance(attribute["required"], bool)
    assert {v["key"] for v in attribute["values"]} == {"true", "false"}
    _, root = get_xml(client, "services/people_trapped.xml")
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key").text == "true"


def test_an_unknown_service_code_is_404(client, world):
    assert_error(client.get(f"{BASE}/services/volcano.json"), 404)
    response = client.get(f"{BASE}/services/volcano.xml")
    assert response.status_code == 404
    root = ElementTree.fromstring(response.content)
    assert root.tag == "errors" and root.find("error/code").text == "404"


@pytest.mark.parametrize("path", ["services/{}", "requests/{}", "tokens/{}"])
def test_a_malformed_identifier_gets_the_error_list_in_the_format_asked_for(client, world, path):
    # Found by faults/schemathesis: U+0084 or a space did not match the URL and got the HTML page.
    for odd in ("%C2%84", "a%20b", "%E5%8F%B0.x"):
        assert_error(client.get(f"{BASE}/{path.format(odd)}.json"), 404)
        root = ElementTree.fromstring(client.get(f"{BASE}/{path.format(odd)}.xml").content)
        assert root.tag == "errors" and root.find("error/code").text == "404"


# --- POST service request ------------------------------------------------------------------------
def test_posting_without_a_valid_api_key_is_403(client, key, world):
    assert_error(post(client, service_code="waterlogging", lat="26.06", long="119.19"), 403)
    assert_error(
        post(client, api_key="wrong", service_code="waterlogging", lat="26.06", long="119.19"),
        403,
    )
    assert not Report.objects.exists()


def test_posting_without_a_service_code_or_location_is_400(client, key, world):
    assert_error(post(client, api_key=key, lat="26.06", long="119.19"), 400)
    assert_error(post(client, api_key=key, service_code="waterlogging"), 400)
    assert_error(post(client, api_key=key, service_code="waterlogging", lat="26.06"), 400)
    assert_error(post(client, api_key=key, service_code="volcano", lat="26.06", long="119.19"), 404)


def test_posting_a_request_returns_its_id_and_a_notice(client, key, world):
    response = post(
        client,
        api_key=key,
        service_code="people_trapped",
        lat="26.0612",
        long="119.1952",
        description="两名老人被困",
        phone="13800001234",
        first_name="大妈",
        last_name="王",
        email="x@example.com",
        device_id="dev-1",
        **{"attribute[lives_in_danger]": "true"},
    )
    assert response.status_code in (200, 201)
    data = json.loads(response.content)
    assert isinstance(data, list) and len(data) == 1
    assert set(data[0]) >= {"service_request_id", "service_notice", "account_id"}
    report = Report.objects.get(ticket=data[0]["service_request_id"])
    assert report.channel == "open311"
    assert report.lives_in_danger and report.priority == "P0"
    assert report.reporter_phone == "13800001234"
    assert report.reporter_name == "王 大妈"
    assert report.ticket in data[0]["service_notice"]


def test_posting_with_an_address_string_only_is_accepted(client, key, world):
    response = post(
        client,
        fmt="xml",
        api_key=key,
        service_code="waterlogging",
        address_string="闽侯县上街镇",
        phone="13800001234",
    )
    assert response.status_code in (200, 201)
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    ticket = root.find("request/service_request_id").text
    assert Report.objects.get(ticket=ticket).county_name == "闽侯县"


def test_an_invalid_phone_is_400_with_a_description(client, key, world):
    response = post(
        client, api_key=key, service_code="waterlogging", lat="26.06", long="119.19", phone="12"
    )
    assert_error(response, 400)


# --- GET service requests ------------------------------------------------------------------------
def test_the_request_list_has_every_specified_field_in_the_right_format(client, world):
    report = receive(world, phone="13812341234", name="王大妈", address="上街镇溪源宫路3号")
    response, data = get_json(client, "requests.json")
    assert response.status_code == 200
    item = next(r for r in data if r["service_request_id"] == report.ticket)
    assert set(item) == REQUEST_FIELDS
    assert item["status"] == "open"
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert ISO.match(item[field]), item[field]
    assert isinstance(item["lat"], float) and isinstance(item["long"], float)


def test_no_personal_data_is_ever_in_a_get_response(client, world, key):
    report = receive(
        world,
        phone="13812341234",
        name="王大妈",
        address="上街镇溪源宫路3号",
        description="我是王大妈，电话13812341234，家里进水",
    )
    for path in (
        "requests.json",
        "requests.xml",
        f"requests/{report.ticket}.json",
        f"requests/{report.ticket}.xml",
    ):
        for params in ({}, {"api_key": key}):
            body = client.get(f"{BASE}/{path}", params).content.decode()
            for secret in (
                "13812341234",
                "王大妈",
                "溪源宫路3号",
                str(report.lat),
                str(report.lng),
            ):
                assert secret not in body, (path, secret)
    # Citizens write names and numbers into the text, so it is never published.
    assert (
        get_json(client, f"requests/{report.ticket}.json", api_key=key)[1][0]["description"] == ""
    )


def test_requests_can_be_filtered_as_the_spec_says(client, world):
    a = receive(world, hazard="waterlogging", phone="13800000001")
    b = receive(world, hazard="landslide", phone="13800000002", lat=26.2)
    c = resolved(world, hazard="landslide", phone="13800000003", lat=26.3)
    ids = lambda data: {r["service_request_id"] for r in data}  # noqa: E731
    assert ids(
        get_json(client, "requests.json", service_request_id=f"{a.ticket},{c.ticket}")[1]
    ) == {a.ticket, c.ticket}
    assert ids(get_json(client, "requests.json", service_code="landslide")[1]) == {
        b.ticket,
        c.ticket,
    }
    assert ids(get_json(client, "requests.json", status="closed")[1]) == {c.ticket}
    assert ids(get_json(client, "requests.json", status="open")[1]) == {a.ticket, b.ticket}
    assert ids(get_json(client, "requests.json", status="open,closed")[1]) == {
        a.ticket,
        b.ticket,
        c.ticket,
    }


def test_dates_filter_and_default_to_the_last_90_days(client, world):
    with freeze_time("2026-03-01 10:00:00+08:00"):
        old = receive(world, phone="13800000001")
    with freeze_time("2026-07-28 10:00:00+08:00"):
        new = receive(world, phone="13800000002")
        tickets = {r["service_request_id"] for r in get_json(client, "requests.json")[1]}
        assert tickets == {new.ticket}
        explicit = get_json(
            client,
            "requests.json",
            start_date="2026-02-01T00:00:00+08:00",
            end_date="2026-03-02T00:00:00+08:00",
        )[1]
        assert [r["service_request_id"] for r in explicit] == [old.ticket]
    assert_error(client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}), 400)
    assert_error(client.get(f"{BASE}/requests.json", {"status": "pending"}), 400)


def test_the_request_list_in_xml_is_service_requests_of_request(client, world):
    report = receive(world)
    _, root = get_xml(client, "requests.xml")
    assert root.tag == "service_requests"
    request = root.find("request")
    assert {child.tag for child in request} == REQUEST_FIELDS
    assert request.find("service_request_id").text == report.ticket


def test_a_closed_request_reports_closed(client, world):
    report = resolved(world)
    item = get_json(client, f"requests/{report.ticket}.json")[1][0]
    assert item["status"] == "closed"
    assert item["status_notes"]


def test_extensions_give_the_fine_state(client, world):
    report = receive(world)
    item = get_json(client, f"requests/{report.ticket}.json", extensions="true")[1][0]
    assert item["extended_attributes"]["state"] == "received"


# --- GET one request, tokens, jurisdictions ------------------------------------------------------
def test_one_request_is_a_list_of_one_and_an_unknown_one_is_404(client, world):
    report = receive(world)
    response, data = get_json(client, f"requests/{report.ticket}.json")
    assert response.status_code == 200 and len(data) == 1
    assert_error(client.get(f"{BASE}/requests/FJ19990101-0001.json"), 404)


def test_a_token_resolves_to_its_request(client, key, world):
    data = json.loads(
        post(
            client,
            api_key=key,
            service_code="other",
            lat="26.06",
            long="119.19",
            phone="13800001234",
        ).content
    )[0]
    response, resolved_ = get_json(client, f"tokens/{data['token']}.json")
    assert response.status_code == 200
    assert resolved_ == [{"service_request_id": data["service_request_id"], "token": data["token"]}]
    assert_error(client.get(f"{BASE}/tokens/0123456789abcdef0123456789abcdef.json"), 404)


def test_an_unknown_jurisdiction_is_404(client, world, jurisdiction):
    assert get_json(client, "services.json", jurisdiction_id=jurisdiction)[0].status_code == 200
    assert_error(client.get(f"{BASE}/services.json", {"jurisdiction_id": "nowhere"}), 404)


def test_rejected_reports_are_not_published(client, world):
    report = receive(world)
    services.report_reject(actor=world["duty_officer"], report=report, reason="虚假")
    assert get_json(client, "requests.json")[1] == []


def test_updated_datetime_follows_handling(client, world):
    with freeze_time("2026-07-28 10:00:00+08:00") as clock:
        report = receive(world)
        clock.tick(timedelta(hours=1))
        services.report_triage(actor=world["duty_officer"], report=report, priority="P1")
        item = get_json(client, f"requests/{report.ticket}.json")[1][0]
    assert item["updated_datetime"] == "2026-07-28T11:00:00+08:00"
    assert item["requested_datetime"] == "2026-07-28T10:00:00+08:00"
    assert (
        item["expected_datetime"]
        == timezone.localtime(report.submitted_at + timedelta(hours=24)).isoformat()
    )


def test_status_notes_are_the_public_text_of_the_state_never_the_reply_to_the_citizen(
    client, world
):
    report = resolved(world)
    report.steps.update(public_note="王建国您好，已处理，有事请打13812345678")
    item = get_json(client, f"requests/{report.ticket}.json")[1][0]
    assert item["status_notes"] == "已处理。"
    listed = json.dumps(get_json(client, "requests.json")[1], ensure_ascii=False)
    assert "王建国" not in listed and "13812345678" not in listed

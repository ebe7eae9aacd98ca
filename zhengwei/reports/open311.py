"""Open311 GeoReport v2 under /open311/v2/ (JSON and XML), for integrations such as a 12345 line.

Spec: http://wiki.open311.org/GeoReport_v2 . Service codes are the hazard types. Decisions:

- ``service_request_id`` is the ticket (FJ20261126-0001). POST answers it at once (realtime);
  ``token`` is also returned and resolves through ``/tokens/<token>``.
- POST needs ``api_key`` (403 when missing or unknown; keys are stored hashed, model ApiKey).
  ``email``, ``device_id`` and ``account_id`` are accepted and not stored (minimum necessary);
  ``media_url`` is recorded for the office but never fetched.
- GET never returns personal data: no phone, name, photo or typed address; ``lat``/``long`` are
  rounded to 0.01° (about 1 km) and ``address`` is the county; ``description`` is left empty,
  because citizens write names, addresses and numbers into it (the partner that POSTed a request
  already has its text). ``status_notes`` is the fixed public text of the state
  (``workflow.PUBLIC_NOTES``), never the reply sent to the citizen. Rejected (false or abusive) reports are not listed.
- ``status`` is ``open``/``closed`` (resolved counts as closed); ``extensions=true`` adds
  ``extended_attributes`` with the fine state and priority (as FixMyStreet does).
- Errors are an array of {code, description} with HTTP 400, 403 or 404.
"""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from zhengwei.audit.middleware import client_ip
from zhengwei.lib.text import has_nul, parse_instant
from zhengwei.orgs.models import WeChatAccount
from zhengwei.reports import services, workflow
from zhengwei.reports.actors import ApiClient
from zhengwei.reports.models import Channel, Hazard, Report, State

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-26T00:00:00+08:00"
MAX_RESULTS = 1000
DEFAULT_DAYS = 90
LIST_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


# --- rendering ---------------------------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _iso(value)
    return str(value)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _xml_fill(element: ET.Element, data: dict[str, Any]) -> None:
    for key, value in data.items():
        child = ET.SubElement(element, key)
        if isinstance(value, dict):
            _xml_fill(child, value)
        elif isinstance(value, list):
            item_name = LIST_ITEMS.get(key, "item")
            for item in value:
                node = ET.SubElement(child, item_name)
                if isinstance(item, dict):
                    _xml_fill(node, item)
                else:
                    node.text = _text(item)
        else:
            child.text = _text(value)


def _render(fmt: str, root: str, item: str | None, payload, status: int = 200) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(payload, ensure_ascii=False, default=_text)
    else:
        top = ET.Element(root)
        if item is None:
            _xml_fill(top, payload)
        else:
            for entry in payload:
                _xml_fill(ET.SubElement(top, item), entry)
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="unicode")
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def _error(fmt: str, code: int, description: str) -> HttpResponse:
    return _render(fmt, "errors", "error", [{"code": code, "description": description}], code)


class ApiError(Exception):
    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code = code
        self.description = description


def _api(view):
    """Turn ApiError into the spec's error array, in the format the path asked for."""

    def wrapper(request, *args, fmt: str, **kwargs):
        try:
            _refuse_nul(request, kwargs)
            return view(request, *args, fmt=fmt, **kwargs)
        except ApiError as exc:
            return _error(fmt, exc.code, exc.description)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _refuse_nul(request, kwargs) -> None:
    """PostgreSQL's text columns cannot hold NUL (a DataError, so a 500, on a filter or a save)."""
    values = [*kwargs.values()]
    for params in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
        values += [v for _, vs in params.lists() for v in vs]
    if any(has_nul(v) for v in values):
        raise ApiError(400, "a parameter contains a NUL character")


# --- jurisdiction ------------------------------------------------------------------------------
def _accounts(request) -> list[WeChatAccount]:
    params = request.POST if request.method == "POST" else request.GET
    jurisdiction = (params.get("jurisdiction_id") or "").strip()
    accounts = WeChatAccount.objects.filter(is_active=True).select_related("office")
    if jurisdiction:
        accounts = accounts.filter(original_id=jurisdiction)
        if not accounts:
            raise ApiError(404, "jurisdiction_id provided was not found")
    return list(accounts)


def _key_from(request) -> ApiClient | None:
    params = request.POST if request.method == "POST" else request.GET
    key = services.api_key_check((params.get("api_key") or "").strip())
    return ApiClient(key=key, ip=client_ip(request)) if key else None


# --- discovery and services --------------------------------------------------------------------
@require_http_methods(["GET"])
@_api
def discovery(request, *, fmt: str):
    base = request.build_absolute_uri(reverse("reports:open311_services", args=["json"]))
    base = base.rsplit("/", 1)[0]
    payload = {
        "changeset": CHANGESET,
        "contact": _("Flood-control office duty line; for API keys ask the system administrator."),
        "key_service": _("API keys are issued by the office's system administrator."),
        "endpoints": [
            {
                "specification": SPEC,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return _render(fmt, "discovery", None, payload)


KEYWORDS = {
    Hazard.WATERLOGGING: "内涝,积水,淹水",
    Hazard.FLASH_FLOOD: "山洪,洪水",
    Hazard.LANDSLIDE: "滑坡,泥石流,塌方",
    Hazard.HOUSE_DAMAGE: "房屋,倒塌,受损",
    Hazard.PEOPLE_TRAPPED: "被困,救援",
    Hazard.ROAD_DAMAGE: "道路,桥梁,中断",
    Hazard.OTHER: "其他",
}


def _service(hazard: str) -> dict[str, Any]:
    return {
        "service_code": hazard,
        "service_name": str(Hazard(hazard).label),
        "description": _("Report a flood-related disaster: %(hazard)s.")
        % {"hazard": Hazard(hazard).label},
        "metadata": True,
        "type": "realtime",
        "keywords": KEYWORDS.get(hazard, ""),
        "group": _("Disaster reports"),
    }


@require_http_methods(["GET"])
@_api
def service_list(request, *, fmt: str):
    _accounts(request)
    return _render(fmt, "services", "service", [_service(h) for h in Hazard.values])


@require_http_methods(["GET"])
@_api
def service_definition(request, *, code: str, fmt: str):
    _accounts(request)
    if code not in Hazard.values:
        raise ApiError(404, "service_code provided was not found")
    payload = {
        "service_code": code,
        "attributes": [
            {
                "variable": True,
                "code": "lives_in_danger",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("Choose yes if anyone's life is in danger."),
                "order": 1,
                "description": _("Are lives in danger?"),
                "values": [
                    {"key": "true", "name": _("Yes")},
                    {"key": "false", "name": _("No")},
                ],
            }
        ],
    }
    return _render(fmt, "service_definition", None, payload)


# --- service requests --------------------------------------------------------------------------
def _coarse(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _request_payload(report: Report, *, extensions: bool) -> dict:
    data: dict[str, Any] = {
        "service_request_id": report.ticket,
        "status": workflow.open311_status(report.state),
        "status_notes": workflow.public_note(report.state),
        "service_name": str(Hazard(report.hazard).label),
        "service_code": report.hazard,
        "description": "",
        "agency_responsible": str(report.assigned_unit or report.account.office),
        "service_notice": "",
        "requested_datetime": _iso(report.submitted_at),
        "updated_datetime": _iso(report.updated_at),
        "expected_datetime": _iso(report.due_at),
        "address": report.county_name,
        "address_id": None,
        "zipcode": None,
        "lat": _coarse(report.lat),
        "long": _coarse(report.lng),
        "media_url": None,
    }
    if extensions:
        data["extended_attributes"] = {
            "state": report.state,
            "state_name": str(State(report.state).label),
            "priority": report.priority,
            "county_code": report.county_code,
        }
    return data


def _parse_when(raw: str, name: str) -> datetime:
    try:
        return parse_instant(raw)
    except ValueError:
        raise ApiError(400, f"{name} is not an ISO 8601 date/time") from None


def _list(request, fmt: str) -> HttpResponse:
    accounts = _accounts(request)
    qs = (
        Report.objects.filter(account__in=accounts)
        .exclude(state=State.REJECTED)
        .select_related("account__office", "assigned_unit")
    )
    ids = [i.strip() for i in (request.GET.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        qs = qs.filter(ticket__in=ids)
    else:
        codes = [c.strip() for c in (request.GET.get("service_code") or "").split(",") if c.strip()]
        if codes:
            qs = qs.filter(hazard__in=codes)
        start_raw, end_raw = request.GET.get("start_date"), request.GET.get("end_date")
        end = _parse_when(end_raw, "end_date") if end_raw else timezone.now()
        start = _parse_when(start_raw, "start_date") if start_raw else end - timedelta(DEFAULT_DAYS)
        if start > end:
            raise ApiError(400, "start_date is after end_date")
        qs = qs.filter(submitted_at__gte=start, submitted_at__lte=end)
        statuses = {s.strip() for s in (request.GET.get("status") or "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise ApiError(400, "status must be open or closed")
        if statuses == {"open"}:
            qs = qs.exclude(state__in=workflow.DONE_STATES)
        elif statuses == {"closed"}:
            qs = qs.filter(state__in=workflow.DONE_STATES)
    extensions = (request.GET.get("extensions") or "").lower() == "true"
    reports = qs.order_by("-submitted_at", "-id")[:MAX_RESULTS]
    payload = [_request_payload(r, extensions=extensions) for r in reports]
    return _render(fmt, "service_requests", "request", payload)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"true", "1", "yes", "y", "是"}


def _create(request, fmt: str) -> HttpResponse:
    client = _key_from(request)
    if client is None:
        raise ApiError(403, "api_key was not provided or is invalid")
    accounts = _accounts(request)
    if client.key.account not in accounts:
        raise ApiError(404, "jurisdiction_id provided was not found")
    p = request.POST
    code = (p.get("service_code") or "").strip()
    if not code:
        raise ApiError(400, "service_code was not provided")
    if code not in Hazard.values:
        raise ApiError(404, "service_code provided was not found")
    lat, lng = p.get("lat"), p.get("long")
    address = (p.get("address_string") or "").strip()
    address_id = (p.get("address_id") or "").strip()
    if (lat in (None, "")) != (lng in (None, "")):
        raise ApiError(400, "lat and long must be given together")
    if lat in (None, "") and not address and not address_id:
        raise ApiError(400, "a location (lat & long, address_string or address_id) is required")
    if not address and address_id:
        address = address_id
    name = " ".join(
        x for x in ((p.get("last_name") or "").strip(), (p.get("first_name") or "").strip()) if x
    )
    media_url = (p.get("media_url") or "").strip()[:500]
    try:
        report = services.report_receive(
            actor=client,
            account=client.key.account,
            channel=Channel.OPEN311,
            hazard=code,
            description=p.get("description") or "",
            lives_in_danger=_truthy(p.get("attribute[lives_in_danger]")),
            lat=lat,
            lng=lng,
            address=address,
            phone=p.get("phone") or "",
            name=name,
            internal_note=f"media_url: {media_url}" if media_url else "",
        )
    except services.RateLimited:
        raise ApiError(429, "too many requests from this api_key; slow down") from None
    except ValidationError as exc:
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        text = "; ".join(f"{k}: {' '.join(v)}" if k else " ".join(v) for k, v in messages.items())
        raise ApiError(400, text) from None
    except PermissionDenied:
        raise ApiError(403, "api_key may not create requests here") from None
    notice = report.steps.order_by("id").values_list("public_note", flat=True).first() or ""
    payload = [
        {
            "service_request_id": report.ticket,
            "token": report.public_id.hex,
            "service_notice": notice,
            "account_id": None,
        }
    ]
    return _render(fmt, "service_requests", "request", payload, status=201)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_api
def requests(request, *, fmt: str):
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


@require_http_methods(["GET"])
@_api
def request_detail(request, *, request_id: str, fmt: str):
    accounts = _accounts(request)
    report = (
        Report.objects.filter(account__in=accounts, ticket=request_id)
        .exclude(state=State.REJECTED)
        .select_related("account__office", "assigned_unit")
        .first()
    )
    if report is None:
        raise ApiError(404, "service_request_id provided was not found")
    extensions = (request.GET.get("extensions") or "").lower() == "true"
    payload = [_request_payload(report, extensions=extensions)]
    return _render(fmt, "service_requests", "request", payload)


@require_http_methods(["GET"])
@_api
def token(request, *, token: str, fmt: str):
    accounts = _accounts(request)
    try:
        public_id = uuid.UUID(hex=token)
    except ValueError:
        raise ApiError(404, "token provided was not found") from None
    report = Report.objects.filter(account__in=accounts, public_id=public_id).first()
    if report is None:
        raise ApiError(404, "token provided was not found")
    return _render(
        fmt,
        "service_requests",
        "request",
        [{"service_request_id": report.ticket, "token": token}],
    )

"""Shared set-up for the reports tests (not a test module)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from django.utils import timezone

from zhengwei.orgs.models import DutyShift
from zhengwei.reports import services
from zhengwei.reports.actors import Citizen
from zhengwei.reports.models import Channel, Hazard, Report
from zhengwei.reports.phones import digest

MINHOU = "350121"
# 闽侯县上街镇 (WGS-84)
LAT, LNG = 26.0612, 119.1952


def citizen(openid: str = "o-citizen-1", **kw) -> Citizen:
    return Citizen(openid=openid, proof="wechat", **kw)


def phone_citizen(phone: str) -> Citizen:
    return Citizen(phone_hash=digest(phone), proof="phone")


def receive(world, *, actor=None, **kw) -> Report:
    data = {
        "account": world.account,
        "channel": Channel.CHAT,
        "hazard": Hazard.WATERLOGGING,
        "description": "路口积水约40厘米",
        "lat": LAT,
        "lng": LNG,
        "phone": "13800001234",
    }
    data.update(kw)
    return services.report_receive(actor=actor or citizen(), **data)


def put_on_duty(user, organisation, *, start: datetime | None = None, hours: int = 24):
    start = start or timezone.now() - timedelta(hours=1)
    return DutyShift.objects.create(
        organisation=organisation,
        user=user,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
    )


def route_to_unit(world, hazard: str = ""):
    return services.routing_rule_save(
        actor=world["duty_leader"],
        account=world.account,
        county_code=MINHOU,
        unit=world.unit,
        hazard=hazard,
    )


def dispatched(world, **kw) -> Report:
    """A report triaged and dispatched to world.unit."""
    report = receive(world, **kw)
    services.report_triage(actor=world["duty_officer"], report=report, priority="P1")
    services.report_dispatch(actor=world["duty_officer"], report=report, unit=world.unit)
    return report


def resolved(world, **kw) -> Report:
    report = dispatched(world, **kw)
    officer = world["unit_officer"]
    services.report_sign(actor=officer, report=report)
    services.report_contact(actor=officer, report=report, internal_note="已电话联系")
    services.report_resolve(actor=officer, report=report, public_note="已处理")
    return report


def jpeg(size=(64, 48), exif_gps: bool = False, fmt: str = "JPEG") -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (30, 120, 200))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCam"  # Make
        gps = {1: "N", 2: (26.0, 3.0, 40.0), 3: "E", 4: (119.0, 11.0, 42.0)}
        exif[0x8825] = gps
        image.save(out, format=fmt, exif=exif.tobytes())
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)

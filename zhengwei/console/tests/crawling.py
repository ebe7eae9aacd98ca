"""The marked citizens and the personas of the crawl tests (not a test module)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengwei.interactions.models import Conversation
from zhengwei.interactions.tests.helpers import Phone, jpeg
from zhengwei.orgs.models import User
from zhengwei.reports import services as reports
from zhengwei.reports.actors import Citizen
from zhengwei.reports.models import Channel, Hazard
from zhengwei.testing import crawl
from zhengwei.wechat.inbound import keys, replies
from zhengwei.wechat.outbound.tests.fakewechat import FakeWeChat

PHONE = "13812345678"
ID_NUMBER = "350102198001011234"
NAME = "林晓澜"
OPENID = "oPrivacyMarker0000000000001"
CHAT_OPENID = "oPrivacyMarkerChat00000002"
LAT, LNG = 26.081234, 119.296789
# Exact coordinates: the first four decimals (about ten metres) already find a house.
LAT_MARK, LNG_MARK = "26.0812", "119.2967"
# The seeded photo is this one colour: the crawl knows it by what it shows (crawl.shows_photo).
PHOTO_COLOUR = (214, 31, 168)
TEXT = f"家里进水了，我叫{NAME}，电话{PHONE}，身份证{ID_NUMBER}，请尽快来人"

# Never shown to anyone by a GET: full numbers only through an audited reveal (a POST).
ALWAYS_HIDDEN = {"phone": PHONE, "身份证": ID_NUMBER}
# Hidden from everyone without personal_data.view on the account.
PERSONAL = {
    **ALWAYS_HIDDEN,
    "name": NAME,
    "openid": OPENID,
    "chat openid": CHAT_OPENID,
    "latitude": LAT_MARK,
    "longitude": LNG_MARK,
}


@pytest.fixture
def fake_wechat(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_URL = "https://fx.example.gov.cn"
    keys.forget_account()
    replies.forget_rules()
    server = FakeWeChat()
    settings.WECHAT_API_BASE = server.start()
    settings.WECHAT_LIMITS = {"http": {"backoff_seconds": 0.01, "backoff_max_seconds": 0.02}}
    settings.WECHAT_TOKEN_MODE = "stable"
    yield server
    server.stop()
    keys.forget_account()
    replies.forget_rules()


def seed(world, client, capture) -> crawl.CrawlContext:
    """The marked citizens: one reports a flood with a photo, one writes a message."""
    report = reports.report_receive(
        actor=Citizen(openid=OPENID, proof="wechat"),
        account=world.account,
        channel=Channel.CHAT,
        hazard=Hazard.WATERLOGGING,
        description=TEXT,
        lat=LAT,
        lng=LNG,
        phone=PHONE,
        name=NAME,
        photos=[
            SimpleUploadedFile(
                "p.jpg", jpeg(size=(640, 480), color=PHOTO_COLOUR), content_type="image/jpeg"
            )
        ],
    )
    officer = world["duty_officer"]
    reports.report_triage(actor=officer, report=report, priority="P1")
    reports.report_dispatch(actor=officer, report=report, unit=world.unit)
    Phone(client, world.account, capture, openid=CHAT_OPENID).text(f"咨询一下，{TEXT}")

    conversation = Conversation.objects.filter(account=world.account, openid=CHAT_OPENID).first()
    assert conversation is not None
    client.logout()
    return crawl.CrawlContext(world, {"report": report, "conversation": conversation})


def personas(world) -> dict[str, User | None]:
    people: dict[str, User | None] = dict(world.people)
    people["outsider"] = world.outsider
    people["superuser"] = User.objects.create_superuser("root", password="Root@2026pass!")
    people["anonymous"] = None
    return people

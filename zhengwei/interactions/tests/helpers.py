"""A citizen writing to the account through the real callback (not a test module)."""

from __future__ import annotations

import hashlib
import io
import itertools
import time

from zhengwei.reports import services as reports
from zhengwei.reports.actors import Citizen
from zhengwei.reports.models import Channel, Hazard
from zhengwei.wechat.inbound.tests.helpers import post
from zhengwei.wechat.outbound.models import WindowKind
from zhengwei.wechat.outbound.windows import window_open

OPENID = "oCitizenInteractions00000001"
SEND = "/cgi-bin/message/custom/send"
_ids = itertools.count(8_100_000_000_000_000_001)


def jpeg(size=(64, 48), color=(30, 120, 200)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


class Phone:
    """Sends like WeChat does: signed, encrypted, to /wechat/callback/<original id>/; each message
    is processed (handlers, events, customer-service sends) before the call returns."""

    def __init__(self, client, account, capture, openid: str = OPENID):
        self.client, self.account, self.capture, self.openid = client, account, capture, openid

    def _head(self, msg_type: str) -> dict:
        return {
            "ToUserName": self.account.original_id,
            "FromUserName": self.openid,
            "CreateTime": int(time.time()),
            "MsgType": msg_type,
        }

    def send(self, fields: dict):
        with self.capture(execute=True):
            response = post(self.client, self.account, fields)
        assert response.status_code == 200, response.content
        return response

    def message(self, msg_type: str, **fields):
        return self.send({**self._head(msg_type), **fields, "MsgId": next(_ids)})

    def event(self, event: str, **fields):
        return self.send({**self._head("event"), "Event": event, **fields})

    def text(self, content: str):
        return self.message("text", Content=content)

    def voice(self, recognition: str):
        return self.message("voice", MediaId="voice-media-1", Format="amr", Recognition=recognition)

    def click(self, key: str = "REPORT"):
        return self.event("CLICK", EventKey=key)

    def location(self, lat: float = 26.0585, lng: float = 119.1900, label: str = "闽侯县上街镇"):
        self.event(
            "location_select",
            EventKey="REPORT_LOC",
            SendLocationInfo={
                "Location_X": f"{lat:.6f}",
                "Location_Y": f"{lng:.6f}",
                "Scale": "16",
                "Label": label,
                "Poiname": label,
            },
        )
        return self.message(
            "location", Location_X=f"{lat:.6f}", Location_Y=f"{lng:.6f}", Scale="16", Label=label
        )

    def photos(self, media_ids: list[str]):
        md5s = [{"PicMd5Sum": hashlib.md5(m.encode()).hexdigest()} for m in media_ids]  # noqa: S324
        first = self.event(
            "pic_photo_or_album",
            EventKey="REPORT_PHOTO",
            SendPicsInfo={"Count": str(len(media_ids)), "PicList": md5s},
        )
        for media_id in media_ids:
            self.message("image", PicUrl=f"http://127.0.0.1:9/pic/{media_id}", MediaId=media_id)
        return first


def reply_text(response) -> str:
    """The passive reply's text, decrypted as the WeChat client would."""
    from zhengwei.lib import wxxml
    from zhengwei.wechat.inbound.tests.helpers import crypto_for

    body = response.content
    if body in (b"success", b""):
        return ""
    envelope = wxxml.xml_to_dict(body)
    account = response.wsgi_request.resolver_match.kwargs["original_id"]
    from zhengwei.orgs.models import WeChatAccount

    acct = WeChatAccount.objects.get(original_id=account)
    inner = crypto_for(acct).decrypt(envelope["Encrypt"])
    return wxxml.xml_to_dict(inner).get("Content", "")


def sent_texts(fake, openid: str = OPENID) -> list[str]:
    return [
        r.json["text"]["content"]
        for r in fake.requests_to(SEND)
        if r.json and r.json.get("touser") == openid
    ]


def chat_report(world, openid, capture):
    """A chat report of waterlogging from a citizen whose 48-hour window is open (``capture``:
    django_capture_on_commit_callbacks, so the acknowledgement is sent)."""
    window_open(world.account.pk, openid, WindowKind.MESSAGE)
    with capture(execute=True):
        return reports.report_receive(
            actor=Citizen(openid=openid, proof="wechat"),
            account=world.account,
            channel=Channel.CHAT,
            hazard=Hazard.WATERLOGGING,
            description="上街镇路口积水",
            lat=26.0612,
            lng=119.1952,
        )

"""A citizen's WeChat client, driven from Python.

    from zhengwei.simulator.citizen import Citizen
    c = Citizen.new()                       # a new follower of the demo account (subscribe event)
    c.send_text("闽侯县甘蔗街道积水半米")      # -> Delivery (attempts, status, reply)
    c.select_location(26.15, 119.13, "福建省福州市闽侯县甘蔗街道")
    c.send_photos([sample_photo()])         # pic_photo_or_album event, then the image message

Every message goes to the account's callback URL the way WeChat sends it: query parameters
``signature``, ``timestamp``, ``nonce``, ``openid`` and, in compatible and safe mode,
``encrypt_type=aes`` and ``msg_signature``; the body encrypted per the account's mode. If no
answer arrives within ``callback.timeout_seconds`` (5 s) the same request is sent again, 3
deliveries in total (brief wechat.md §2.7). A passive reply is read as WeChat reads it
(decrypted and verified in safe mode) and put on the citizen's phone page; an unusable answer
shows 「该公众号暂时无法提供服务，请稍后再试」 there, as on a real phone.

``record=False`` skips the database entirely (no phone page, no window bookkeeping): for load
generators that only need correctly signed requests, see :meth:`Citizen.request_for`.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests
from django.db import close_old_connections, connections, transaction
from django.db.models import F, Max
from django.utils import timezone
from PIL import Image, ImageDraw

from zhengwei.demo import menu as demo_menu
from zhengwei.simulator import mediafiles, phone
from zhengwei.simulator.core import new_msg_id, new_openid, public_url
from zhengwei.simulator.limits import limits
from zhengwei.simulator.mediafiles import sniff
from zhengwei.simulator.models import (
    Direction,
    ItemSource,
    MediaPurpose,
    SimAccount,
    SimArticle,
    SimComment,
    SimFollower,
    SimMedia,
)
from zhengwei.simulator.router import alias
from zhengwei.simulator.seed import demo_account
from zhengwei.simulator.windows import open_window, trigger_for
from zhengwei.simulator.wire import CallbackRequest, Reply, build_request, read_reply

log = logging.getLogger("zhengwei.simulator.citizen")


class CitizenError(Exception):
    """Something a real WeChat client would not let the citizen do."""


@dataclass
class Delivery:
    """The outcome of sending one message or event to the callback."""

    fields: dict[str, Any]
    attempts: int = 0
    status: int | None = None
    elapsed: float = 0.0
    body: bytes = b""
    reply: Reply | None = None
    error: str = ""
    timings: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Answered 200 with ``success``, an empty body or a valid passive reply."""
        return self.status == 200 and self.reply is not None and self.reply.kind != "invalid"

    @property
    def reply_message(self) -> dict[str, Any] | None:
        return self.reply.message if self.reply and self.reply.shown else None


def _account(account: SimAccount | str | None) -> SimAccount:
    if account is None:
        return demo_account()
    if isinstance(account, SimAccount):
        return account
    return SimAccount.objects.get(original_id=account)


class Citizen:
    def __init__(
        self,
        openid: str | None = None,
        account: SimAccount | str | None = None,
        *,
        nickname: str = "",
        timeout: float | None = None,
        attempts: int | None = None,
        record: bool = True,
        session: requests.Session | None = None,
    ) -> None:
        self.account = _account(account)
        self.openid = openid or new_openid()
        self.nickname = nickname
        conf = limits()["callback"]
        self.timeout = float(conf["timeout_seconds"] if timeout is None else timeout)
        self.attempts = int(conf["attempts"] if attempts is None else attempts)
        self.record = record
        self.session = session or requests.Session()
        self.deferred: list[dict[str, Any]] | None = None

    def __repr__(self) -> str:
        return f"Citizen({self.openid!r}, {self.account.original_id!r})"

    @classmethod
    def new(cls, account: SimAccount | str | None = None, nickname: str = "", **kwargs) -> Citizen:
        """A new citizen who follows the account (the subscribe event is delivered)."""
        citizen = cls(None, account, nickname=nickname, **kwargs)
        citizen.follow()
        return citizen

    # ------------------------------------------------------------------ state

    @property
    def follower(self) -> SimFollower | None:
        return SimFollower.objects.filter(account=self.account, openid=self.openid).first()

    def _require_follower(self) -> None:
        if not self.record:
            return
        follower = self.follower
        if follower is None or not follower.subscribed:
            raise CitizenError("only followers can send messages to a subscription account")

    # ------------------------------------------------------------------ wire

    def _head(self, msg_type: str) -> dict[str, Any]:
        return {
            "ToUserName": self.account.original_id,
            "FromUserName": self.openid,
            "CreateTime": int(timezone.now().timestamp()),
            "MsgType": msg_type,
        }

    def message(self, msg_type: str, **fields) -> dict[str, Any]:
        return {**self._head(msg_type), **fields, "MsgId": new_msg_id()}

    def event(self, event: str, **fields) -> dict[str, Any]:
        return {**self._head("event"), "Event": event, **fields}

    def request_for(self, fields: dict[str, Any]) -> CallbackRequest:
        """The signed (and encrypted) HTTP request for ``fields``, without sending it."""
        return build_request(self.account, fields, openid=self.openid)

    def deliver(self, fields: dict[str, Any], *, label: str = "") -> Delivery:
        """Send one message or event like WeChat, record it and its answer on the phone. When
        ``self.deferred`` is a list, the bubble is recorded now and the sending is queued there
        (the phone page sends in the background; see :func:`run_for`)."""
        if self.record:
            self._record_up(fields, label)
        if self.deferred is not None:
            self.deferred.append(fields)
            return Delivery(fields=fields)
        return self.transmit(fields)

    def transmit(self, fields: dict[str, Any]) -> Delivery:
        """Only the HTTP part of :meth:`deliver`, plus recording the answer."""
        request = self.request_for(fields)
        result = Delivery(fields=fields)
        started = time.monotonic()
        for attempt in range(1, self.attempts + 1):
            result.attempts = attempt
            t0 = time.monotonic()
            try:
                response = self.session.post(
                    request.url,
                    params=request.params,
                    data=request.body,
                    headers=request.headers,
                    timeout=self.timeout,
                )
            except (requests.Timeout, requests.ConnectionError) as exc:
                # No answer in time (or no connection): WeChat drops it and sends again.
                result.timings.append(time.monotonic() - t0)
                result.error = f"{type(exc).__name__}: {exc}"[:300]
                continue
            result.timings.append(time.monotonic() - t0)
            result.status = response.status_code
            result.body = response.content
            result.error = ""
            break
        result.elapsed = time.monotonic() - started
        if result.status == 200:
            result.reply = read_reply(self.account, self.openid, result.body)
            if result.reply.kind == "invalid":
                result.error = result.reply.problem
        elif result.status is not None:
            result.error = f"HTTP {result.status}"
        if self.record:
            self._record_answer(result)
        return result

    # ------------------------------------------------------------------ phone page

    def _record_up(self, fields: dict[str, Any], label: str) -> None:
        payload = phone.upstream_payload({**fields, "_label": label})
        event = str(fields.get("Event", "")).lower()
        show = fields.get("MsgType") != "event" or event in {"subscribe", "unsubscribe", "click"}
        with transaction.atomic(using=alias()):
            if payload is not None and show:
                phone.record(self.account, self.openid, Direction.UP, ItemSource.CITIZEN, payload)
            kind = trigger_for(fields)
            if kind:
                open_window(self.account, self.openid, kind)

    def _record_answer(self, result: Delivery) -> None:
        if result.reply is not None and result.reply.kind == "message":
            payload = phone.reply_payload(self.account, result.reply.message)
            if payload is not None:
                phone.record(self.account, self.openid, Direction.DOWN, ItemSource.REPLY, payload)
        elif result.reply is None or result.reply.kind == "invalid":
            if str(result.fields.get("Event", "")).lower() == "unsubscribe":
                return  # nobody sees anything after unfollowing
            phone.notice(self.account, self.openid, phone.UNAVAILABLE, result.error)

    # ------------------------------------------------------------------ follow

    def follow(self, scene: str = "ADD_SCENE_SEARCH") -> Delivery:
        if self.record:
            self.mark_following(scene)
        return self.deliver(self.event("subscribe", EventKey=""))

    def mark_following(self, scene: str = "ADD_SCENE_SEARCH") -> None:
        """The follower record WeChat keeps (the subscribe event is sent separately)."""
        now = timezone.now()
        follower, created = SimFollower.objects.get_or_create(
            account=self.account,
            openid=self.openid,
            defaults={
                "nickname": self.nickname,
                "subscribe_time": now,
                "created_at": now,
                "subscribe_scene": scene,
            },
        )
        if not created:
            if follower.subscribed:
                raise CitizenError("already following")
            follower.subscribed = True
            follower.subscribe_time = now
            follower.unsubscribe_time = None
            follower.subscribe_scene = scene
            follower.save()

    def unfollow(self) -> Delivery:
        self._require_follower()
        if self.record:
            SimFollower.objects.filter(account=self.account, openid=self.openid).update(
                subscribed=False, unsubscribe_time=timezone.now()
            )
        return self.deliver(self.event("unsubscribe", EventKey=""))

    # ------------------------------------------------------------------ messages

    def send_text(self, text: str) -> Delivery:
        self._require_follower()
        return self.deliver(self.message("text", Content=text))

    def send_location(self, lat: float, lng: float, label: str = "", scale: int = 16) -> Delivery:
        self._require_follower()
        return self.deliver(
            self.message(
                "location",
                Location_X=_coord(lat),
                Location_Y=_coord(lng),
                Scale=int(scale),
                Label=label,
            )
        )

    def select_location(
        self,
        lat: float,
        lng: float,
        label: str = "",
        poiname: str = "",
        key: str | None = None,
        scale: int = 16,
    ) -> list[Delivery]:
        """The ``location_select`` menu button: the event, then the location as a message."""
        self._require_follower()
        key = key or self._menu_key("location_select") or "location_select"
        info = {
            "Location_X": _coord(lat),
            "Location_Y": _coord(lng),
            "Scale": int(scale),
            "Label": label,
            "Poiname": poiname or label,
        }
        first = self.deliver(self.event("location_select", EventKey=key, SendLocationInfo=info))
        return [first, self.send_location(lat, lng, label, scale)]

    def upload_photo(self, data: bytes, filename: str = "photo.jpg") -> SimMedia:
        """Store a photo as WeChat does when a citizen sends one (temporary media, 3 days)."""
        fmt = _check_photo(data)
        return mediafiles.store(
            self.account,
            kind="image",
            fmt=fmt,
            data=data,
            purpose=MediaPurpose.CITIZEN,
            filename=filename,
        )

    def send_image(self, data: bytes | None = None, filename: str = "photo.jpg") -> Delivery:
        self._require_follower()
        media = self.upload_photo(data if data is not None else sample_photo(), filename)
        return self.deliver(
            self.message(
                "image", PicUrl=public_url(f"media/{media.media_id}"), MediaId=media.media_id
            )
        )

    def send_photos(
        self,
        images: list[bytes] | None = None,
        key: str | None = None,
        event: str = "pic_photo_or_album",
    ) -> list[Delivery]:
        """A ``pic_*`` menu button: the event (with each photo's MD5), then one image message
        per photo, as WeChat sends them."""
        self._require_follower()
        images = images or [sample_photo()]
        for data in images:
            _check_photo(data)
        key = key or self._menu_key(event) or event
        md5s = [{"PicMd5Sum": hashlib.md5(d).hexdigest()} for d in images]  # noqa: S324
        info = {"Count": len(images), "PicList": md5s}
        results = [self.deliver(self.event(event, EventKey=key, SendPicsInfo=info))]
        results += [self.send_image(d, f"photo{n}.jpg") for n, d in enumerate(images, 1)]
        return results

    def send_voice(self, recognition: str, data: bytes | None = None) -> Delivery:
        """A voice message with speech recognition (``Recognition``) switched on."""
        self._require_follower()

        media = mediafiles.store(
            self.account,
            kind="voice",
            fmt="amr",
            data=data or sample_voice(),
            purpose=MediaPurpose.CITIZEN,
            filename="voice.amr",
        )
        return self.deliver(
            self.message("voice", MediaId=media.media_id, Format="amr", Recognition=recognition)
        )

    def send_link(self, title: str, url: str, description: str = "") -> Delivery:
        self._require_follower()
        return self.deliver(self.message("link", Title=title, Description=description, Url=url))

    def click(self, key: str, label: str = "") -> Delivery:
        self._require_follower()
        return self.deliver(self.event("CLICK", EventKey=key), label=label or key)

    def view(self, url: str, label: str = "") -> Delivery:
        self._require_follower()
        extra = {"MenuId": self.account.menu_id} if self.account.menu_id else {}
        return self.deliver(self.event("VIEW", EventKey=url, **extra), label=label or url)

    def press(self, button: dict[str, Any], **kwargs) -> list[Delivery]:
        """Press a menu button (a dict as in menu/create) the way the WeChat client does."""
        btype = button.get("type")
        if btype == "click":
            return [self.click(button["key"], button.get("name", ""))]
        if btype == "view":
            return [self.view(button["url"], button.get("name", ""))]
        if btype == "location_select":
            return self.select_location(key=button["key"], **kwargs)
        if btype in {"pic_sysphoto", "pic_photo_or_album", "pic_weixin"}:
            return self.send_photos(kwargs.get("images"), key=button["key"], event=btype)
        raise CitizenError(f"the simulator's phone cannot press a {btype!r} button")

    def _menu_key(self, btype: str) -> str | None:
        for button in menu_of(self.account):
            for item in [button, *(button.get("sub_button") or [])]:
                if item.get("type") == btype and item.get("key"):
                    return item["key"]
        return None

    # ------------------------------------------------------------------ articles

    def read_article(self, article: SimArticle) -> None:
        SimArticle.objects.filter(pk=article.pk).update(read_count=F("read_count") + 1)

    def comment(self, article: SimArticle, content: str) -> SimComment:
        content = content.strip()
        if not content:
            raise CitizenError("empty comment")
        if not article.comment_open or article.deleted:
            raise CitizenError("comments are closed on this article")
        follower = self.follower
        if article.only_fans_can_comment and not (follower and follower.subscribed):
            raise CitizenError("only followers may comment on this article")
        with transaction.atomic(using=alias()):
            SimArticle.objects.select_for_update().filter(pk=article.pk).first()
            last = article.comments.aggregate(m=Max("user_comment_id"))["m"] or 0
            return SimComment.objects.create(
                article=article, user_comment_id=last + 1, openid=self.openid, content=content
            )


# ---------------------------------------------------------------------------- helpers

# A few places in Fujian for the phone page's location picker and the burst benchmark (GCJ-02, approximate; labels as WeChat shows).
PLACES = [
    ("福建省福州市鼓楼区五一广场", 26.0745, 119.3061),
    ("福建省福州市闽侯县甘蔗街道", 26.1503, 119.1311),
    ("福建省福州市闽清县梅城镇", 26.2206, 118.8631),
    ("福建省宁德市霞浦县松城街道", 26.8857, 120.0053),
    ("福建省南平市建瓯市芝山街道", 27.0231, 118.3209),
    ("福建省三明市沙县区凤岗街道", 26.3971, 117.7924),
    ("福建省泉州市德化县浔中镇", 25.4919, 118.2413),
    ("福建省莆田市仙游县鲤城街道", 25.3621, 118.6916),
    ("福建省厦门市思明区中山路", 24.4559, 118.0822),
]

# The phone shows the demo account's menu (the one ./run stores for 福建防汛) until the platform
# creates one: one definition, so its keys are the ones the demo's replies and the chat intake
# (REPORT_CHAT_MENU_KEYS) answer.
DEFAULT_MENU: list[dict[str, Any]] = demo_menu.MENU["button"]


def menu_of(account: SimAccount) -> list[dict[str, Any]]:
    """The menu the phone shows: the last menu/create, else the default demo menu."""
    if account.menu and account.menu.get("button"):
        return account.menu["button"]
    return DEFAULT_MENU


def _coord(value: float) -> str:
    return f"{float(value):.6f}"


def _check_photo(data: bytes) -> str:
    if not data:
        raise CitizenError("empty photo")
    if len(data) > limits()["phone"]["photo_max_bytes"]:
        raise CitizenError("photo too large")
    fmt = sniff(data)
    if fmt not in {"jpg", "png", "gif"}:
        raise CitizenError("photos must be JPEG, PNG or GIF")
    return fmt


def sample_photo(width: int = 640, height: int = 480, seed: int = 0) -> bytes:
    """A small JPEG of a flooded street, for tests and the phone page's 「示例照片」."""
    img = Image.new("RGB", (width, height), (170, 200, 225))
    draw = ImageDraw.Draw(img)
    water = int(height * (0.55 + (seed % 5) * 0.03))
    draw.rectangle([0, int(height * 0.35), width, height], fill=(120, 120, 110))
    for n in range(4):  # houses
        x = 40 + n * (width // 4)
        draw.rectangle([x, int(height * 0.2), x + width // 6, water], fill=(200, 180, 150))
        draw.polygon(
            [
                (x - 10, int(height * 0.2)),
                (x + width // 12, int(height * 0.1)),
                (x + width // 6 + 10, int(height * 0.2)),
            ],
            fill=(150, 60, 50),
        )
    draw.rectangle([0, water, width, height], fill=(110, 95, 60))
    for y in range(water + 8, height, 18):  # ripples
        for x in range(0, width, 60):
            draw.arc([x, y, x + 40, y + 10], 180, 360, fill=(150, 135, 100), width=2)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def sample_voice(seconds: int = 1) -> bytes:
    """An AMR-NB file of silence (header + 50 frames a second)."""
    frame = bytes([0x3C]) + bytes(31)
    return b"#!AMR\n" + frame * (50 * max(1, seconds))


# ---------------------------------------------------------------------------- background sends

_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sim-citizen")
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(openid: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(openid, threading.Lock())


def act(citizen: Citizen, action, *, background: bool | None = None) -> None:
    """The phone page's way to run ``action(citizen)``: the citizen's bubbles are recorded at
    once, the HTTP deliveries (up to 3 × 5 s each) run in a background thread so the page
    answers immediately; one citizen's deliveries keep their order."""
    if background is None:
        background = bool(limits()["phone"]["async"])
    citizen.deferred = []
    try:
        action(citizen)
    finally:
        pending, citizen.deferred = citizen.deferred, None

    def send_all():
        for fields in pending:
            citizen.transmit(fields)

    if not background:
        send_all()
        return

    def job():
        close_old_connections()
        try:
            with _lock_for(citizen.openid):
                send_all()
        except Exception:
            log.exception("background send for %s failed", citizen.openid)
        finally:
            connections.close_all()

    _executor.submit(job)

"""WeChat Official Account XML: safe parsing of callback bodies, inbound message model,
dedupe keys and passive-reply rendering (brief wechat.md §2.4-2.7, §7).

Pure functions, no Django. XML is turned into plain dicts: a leaf becomes its text, a
container a dict, repeated tags a list. WeChat's list idiom ``<X><item>..</item></X>``
becomes ``{"X": [..]}``; ``item`` and ``fail_idx`` are always lists, even when single.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

_NEEDS_DEFUSED = re.compile(rb"<!\s*(?:doctype|entity)|\x00", re.IGNORECASE)

SUCCESS = b"success"
DEFAULT_MAX_BYTES = 256 * 1024
MAX_NEWS_ARTICLES = 8
DEDUPE_KEY_MAX = 191  # fits a utf8mb4 VARCHAR index on MySQL and anything else

# Tags WeChat repeats: keep them lists even with one occurrence so consumers see one shape.
_ALWAYS_LIST = frozenset({"item", "fail_idx"})

KNOWN_MSG_TYPES = frozenset(
    {"text", "image", "voice", "video", "shortvideo", "location", "link", "event"}
)
KNOWN_EVENTS = frozenset(
    {
        "subscribe",
        "unsubscribe",
        "scan",
        "location",
        "click",
        "view",
        "scancode_push",
        "scancode_waitmsg",
        "pic_sysphoto",
        "pic_photo_or_album",
        "pic_weixin",
        "location_select",
        "masssendjobfinish",
        "publishjobfinish",
        "templatesendjobfinish",
    }
)
# Header fields exposed as InboundMessage attributes; everything else goes to ``fields``.
_HEADER = frozenset(
    {"ToUserName", "FromUserName", "CreateTime", "MsgType", "Event", "EventKey", "MsgId", "MsgID"}
)


class XMLRejected(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------------------- parsing


def parse_xml(body: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Element:
    """Parse untrusted XML; the root must be ``<xml>``."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    # Cap before parsing so a huge body never reaches expat.
    if len(body) > max_bytes:
        raise XMLRejected(f"body too large ({len(body)} > {max_bytes} bytes)")
    if not body.strip():
        raise XMLRejected("empty body")
    try:
        if _NEEDS_DEFUSED.search(body):
            root = DET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        else:
            # No DOCTYPE means no entity can be declared, so expat's C parser is safe here and
            # about 2.5x faster than defusedxml's (the callback parses twice per request). NUL
            # bytes route UTF-16 bodies, which could hide a DOCTYPE from this byte search, to
            # the defused path too.
            root = ET.fromstring(body)
    except DefusedXmlException as exc:
        raise XMLRejected(f"forbidden XML construct: {type(exc).__name__}") from exc
    except ParseError as exc:
        raise XMLRejected(f"malformed XML: {exc}") from exc
    except (ValueError, LookupError) as exc:
        # expat refuses multi-byte encodings it cannot decode (encoding="GBK") with ValueError,
        # and an unknown encoding name with LookupError: the sender's mistake, not ours.
        raise XMLRejected(f"unsupported XML encoding: {exc}") from exc
    if root.tag != "xml":
        raise XMLRejected(f"unexpected root element <{root.tag}>")
    if _too_deep(root):
        raise XMLRejected(f"XML nested deeper than {MAX_DEPTH} levels")
    return root


MAX_DEPTH = 32  # WeChat's deepest message (SendPicsInfo/PicList/item/PicMd5Sum) is 4 levels


def _too_deep(root: Element) -> bool:
    """Iterative, so a document nested thousands of levels cannot exhaust the stack here."""
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in el)
    return False


def _element_value(el: Element) -> Any:
    children = list(el)
    if not children:
        # Leaf text is kept verbatim (no strip): Content may carry meaningful whitespace.
        return el.text or ""
    if all(c.tag == "item" for c in children):
        return [_element_value(c) for c in children]
    return _children_dict(children)


def _children_dict(children: list[Element]) -> dict[str, Any]:
    grouped: dict[str, list[Any]] = {}
    for child in children:
        grouped.setdefault(child.tag, []).append(_element_value(child))
    return {
        tag: values if tag in _ALWAYS_LIST or len(values) > 1 else values[0]
        for tag, values in grouped.items()
    }


def xml_to_dict(body: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    root = parse_xml(body, max_bytes=max_bytes)
    return _children_dict(list(root))


def parse_envelope(body: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """Outer callback body: ``ToUserName`` + ``Encrypt`` (safe), plus plain fields (compatible),
    or just plain fields (plaintext mode). Callers check ``"Encrypt" in result``."""
    return xml_to_dict(body, max_bytes=max_bytes)


# ---------------------------------------------------------------------------- message model


@dataclass(frozen=True)
class Location:
    lat: float
    lng: float
    scale: int | None
    label: str | None


@dataclass(frozen=True)
class InboundMessage:
    kind: str  # "message" | "event"
    msg_type: str
    event: str | None
    to_user: str
    from_user: str
    create_time: int
    msg_id: str | None
    event_key: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def is_known(self) -> bool:
        if self.kind == "event":
            return self.event in KNOWN_EVENTS
        return self.msg_type in KNOWN_MSG_TYPES

    def _str(self, name: str) -> str | None:
        value = self.fields.get(name)
        return value if isinstance(value, str) else None

    @property
    def content(self) -> str | None:
        return self._str("Content") if self.msg_type == "text" else None

    @property
    def pic_url(self) -> str | None:
        return self._str("PicUrl")

    @property
    def media_id(self) -> str | None:
        return self._str("MediaId")

    @property
    def recognition(self) -> str | None:
        return self._str("Recognition") or None

    @property
    def qrscene(self) -> str | None:
        """Scene of a subscribe-via-parametric-QR event (wechatpy calls it subscribe_scan)."""
        key = self.event_key or ""
        if self.event == "subscribe" and key.startswith("qrscene_"):
            return key[len("qrscene_") :]
        return None

    @property
    def pic_md5s(self) -> list[str]:
        info = self.fields.get("SendPicsInfo")
        items = info.get("PicList") if isinstance(info, dict) else None
        if not isinstance(items, list):
            return []
        return [i["PicMd5Sum"] for i in items if isinstance(i, dict) and "PicMd5Sum" in i]

    @property
    def location(self) -> Location | None:
        if self.kind == "message" and self.msg_type == "location":
            src: Any = self.fields
        elif self.event == "location_select":
            src = self.fields.get("SendLocationInfo")
        else:
            return None
        if not isinstance(src, dict):
            return None
        try:
            lat, lng = float(src["Location_X"]), float(src["Location_Y"])
        except (KeyError, TypeError, ValueError):
            return None
        scale_s = src.get("Scale")
        scale = int(scale_s) if isinstance(scale_s, str) and scale_s.isdigit() else None
        label = src.get("Label") if isinstance(src.get("Label"), str) else None
        return Location(lat=lat, lng=lng, scale=scale, label=label)


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def message_from_dict(raw: Mapping[str, Any]) -> InboundMessage:
    raw = dict(raw)
    msg_type = str(raw.get("MsgType") or "").strip()
    try:
        create_time = int(str(raw.get("CreateTime", "")).strip())
    except ValueError as exc:
        raise XMLRejected("missing or non-integer CreateTime") from exc
    if not 0 <= create_time < 2**63:  # stored as a 64-bit integer
        raise XMLRejected("CreateTime out of range")
    kind = "event" if msg_type.lower() == "event" else "message"
    event: str | None = None
    if kind == "event":
        given = str(raw.get("Event") or "").strip()
        event = given.lower() if given.lower() in KNOWN_EVENTS else given
        msg_id = _opt_str(raw.get("MsgID") or raw.get("MsgId"))
    else:
        msg_id = _opt_str(raw.get("MsgId"))
    return InboundMessage(
        kind=kind,
        msg_type=msg_type,
        event=event,
        to_user=_opt_str(raw.get("ToUserName")) or "",
        from_user=_opt_str(raw.get("FromUserName")) or "",
        create_time=create_time,
        msg_id=(msg_id or "").strip() or None,
        event_key=_opt_str(raw.get("EventKey")),
        fields={k: v for k, v in raw.items() if k not in _HEADER},
        raw=raw,
    )


def parse_message(xml: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> InboundMessage:
    """Parse a decrypted (or plaintext) message. Unknown types/events parse fine
    (``is_known`` False) so they can be stored rather than dropped."""
    return message_from_dict(xml_to_dict(xml, max_bytes=max_bytes))


def dedupe_key(msg: InboundMessage) -> str:
    """Key identifying one delivery across WeChat's retries (brief §2.7, §7.6)."""
    if msg.kind == "message":
        if msg.msg_id:
            key = f"m:{msg.from_user}:{msg.msg_id}"
        else:
            # No MsgId (unknown types): retries carry a byte-identical body, so hash it.
            digest = hashlib.sha256(
                json.dumps(msg.raw, sort_keys=True, ensure_ascii=False).encode()
            ).hexdigest()[:32]
            key = f"m:{msg.from_user}:h{digest}"
    else:
        # Job-finish events have no EventKey and may share a second (e.g. two publishes
        # by "mphelper"); their MsgID / publish_id tells them apart.
        disc = msg.event_key
        if not disc:
            info = msg.fields.get("PublishEventInfo")
            pub = info.get("publish_id") if isinstance(info, dict) else None
            disc = msg.msg_id or (pub if isinstance(pub, str) else "") or ""
        key = f"e:{msg.from_user}:{msg.create_time}:{msg.event}:{disc}"
    if len(key) > DEDUPE_KEY_MAX:
        digest = hashlib.sha256(key.encode()).hexdigest()
        key = key[: DEDUPE_KEY_MAX - len(digest) - 1] + "#" + digest
    return key


# ---------------------------------------------------------------------------- building

_TAG_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# Characters XML 1.0 forbids even inside CDATA; WeChat rejects the whole reply if present.
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cdata(text: str) -> str:
    text = _INVALID_XML_CHARS.sub("", text)
    # "]]>" would end the section early; split it across two sections.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _build(tag: str, value: Any, out: list[str]) -> None:
    if not _TAG_RE.match(tag):
        raise ValueError(f"invalid XML tag name: {tag!r}")
    if value is None:
        return
    if isinstance(value, list):
        if tag != "item" and value and all(isinstance(v, dict) for v in value):
            # WeChat's list idiom: <Articles><item>..</item><item>..</item></Articles>
            out.append(f"<{tag}>")
            for v in value:
                _build("item", v, out)
            out.append(f"</{tag}>")
        else:
            for v in value:
                _build(tag, v, out)
        return
    out.append(f"<{tag}>")
    if isinstance(value, Mapping):
        for k, v in value.items():
            _build(str(k), v, out)
    elif isinstance(value, bool):
        out.append("1" if value else "0")
    elif isinstance(value, int | float):
        out.append(str(value))
    else:
        out.append(cdata(str(value)))
    out.append(f"</{tag}>")


def build_message_xml(fields: Mapping[str, Any]) -> bytes:
    """WeChat-style ``<xml>``: strings in CDATA, numbers bare, dicts nested, a list of dicts
    wrapped as ``<K><item>..</item></K>``, other lists (and lists under ``item``) as
    repeated ``<K>`` tags, ``None`` omitted. Inverse of :func:`xml_to_dict` for WeChat shapes."""
    out: list[str] = ["<xml>"]
    for k, v in fields.items():
        _build(str(k), v, out)
    out.append("</xml>")
    return "".join(out).encode("utf-8")


# ---------------------------------------------------------------------------- passive replies


def _reply_head(to_user: str, from_user: str, create_time: int | None, msg_type: str) -> dict:
    return {
        "ToUserName": to_user,
        "FromUserName": from_user,
        "CreateTime": int(time.time()) if create_time is None else int(create_time),
        "MsgType": msg_type,
    }


def render_text_reply(
    to_user: str, from_user: str, content: str, create_time: int | None = None
) -> bytes:
    return build_message_xml(
        {**_reply_head(to_user, from_user, create_time, "text"), "Content": content}
    )


def render_image_reply(
    to_user: str, from_user: str, media_id: str, create_time: int | None = None
) -> bytes:
    return build_message_xml(
        {**_reply_head(to_user, from_user, create_time, "image"), "Image": {"MediaId": media_id}}
    )


def render_news_reply(
    to_user: str,
    from_user: str,
    articles: list[Mapping[str, str]],
    create_time: int | None = None,
) -> bytes:
    if not 1 <= len(articles) <= MAX_NEWS_ARTICLES:
        raise ValueError(f"news reply needs 1..{MAX_NEWS_ARTICLES} articles, got {len(articles)}")
    items = [
        {
            "Title": a.get("title", ""),
            "Description": a.get("description", ""),
            "PicUrl": a.get("pic_url", ""),
            "Url": a.get("url", ""),
        }
        for a in articles
    ]
    return build_message_xml(
        {
            **_reply_head(to_user, from_user, create_time, "news"),
            "ArticleCount": len(items),
            "Articles": items,
        }
    )


def render_transfer_customer_service(
    to_user: str, from_user: str, create_time: int | None = None, kf_account: str | None = None
) -> bytes:
    body: dict[str, Any] = _reply_head(to_user, from_user, create_time, "transfer_customer_service")
    if kf_account:
        body["TransInfo"] = {"KfAccount": kf_account}
    return build_message_xml(body)

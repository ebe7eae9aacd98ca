"""Outbound channel adapters: how a notification leaves the platform.

``NOTIFY_GATEWAY`` chooses one:

- ``local`` (default, and in tests): the faithful stand-in. It checks the address the way the
  real gateways do (an SMS needs an 11-digit mainland mobile number, an e-mail an address with
  an @, 政务微信 a user id), refuses what they would refuse, and instead of sending appends one
  JSON line per message to ``var/notify/outbox.jsonl``. Nothing leaves the machine; the delivery
  log in the console shows each message exactly as a real gateway would have received it.
- ``http``: the usual shape of an intranet SMS / 政务微信 gateway: one JSON POST per message
  (``{"channel", "to", "title", "body", "ref"}``) to ``NOTIFY_GATEWAY_URL`` with the bearer
  ``NOTIFY_GATEWAY_TOKEN``; a 2xx answer with ``{"id": ...}`` is delivered, a 4xx is refused for
  good, anything else is retried. E-mail goes through Django's e-mail backend (``EMAIL_*``).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WECOM_ID = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
_write_lock = threading.Lock()


class GatewayError(Exception):
    """The gateway did not take the message. ``retry`` says whether trying again may help."""

    def __init__(self, message: str, *, retry: bool = True):
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class Message:
    channel: str
    to: str
    title: str
    body: str
    ref: str


def valid_address(channel: str, to: str) -> bool:
    pattern = {"sms": _MOBILE, "email": _EMAIL, "wecom": _WECOM_ID}.get(channel)
    return bool(pattern and pattern.match(to or ""))


def sms_text(message: Message) -> str:
    """What an SMS carries: the title and the body in one short text, signed."""
    text = f"【{settings.NOTIFY_SMS_SIGNATURE}】{message.title}"
    if message.body:
        text += f"：{message.body}"
    return text[:300]


class LocalGateway:
    name = "local"

    def outbox(self) -> Path:
        return Path(settings.NOTIFY_OUTBOX_DIR) / "outbox.jsonl"

    def send(self, message: Message) -> str:
        if not valid_address(message.channel, message.to):
            raise GatewayError(f"invalid {message.channel} address", retry=False)
        provider_id = f"local-{uuid.uuid4().hex[:12]}"
        line = {
            "id": provider_id,
            "at": timezone.now().isoformat(),
            "channel": message.channel,
            "to": message.to,
            "title": message.title,
            "body": sms_text(message) if message.channel == "sms" else message.body,
            "ref": message.ref,
        }
        path = self.outbox()
        path.parent.mkdir(parents=True, exist_ok=True)
        with _write_lock, path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        return provider_id


class HttpGateway:
    name = "http"

    def send(self, message: Message) -> str:
        if not valid_address(message.channel, message.to):
            raise GatewayError(f"invalid {message.channel} address", retry=False)
        if message.channel == "email":
            return self._email(message)
        import requests

        try:
            response = requests.post(
                settings.NOTIFY_GATEWAY_URL,
                json={
                    "channel": message.channel,
                    "to": message.to,
                    "title": message.title,
                    "body": sms_text(message) if message.channel == "sms" else message.body,
                    "ref": message.ref,
                },
                headers={"Authorization": f"Bearer {settings.NOTIFY_GATEWAY_TOKEN}"},
                timeout=settings.NOTIFY_GATEWAY_TIMEOUT,
            )
        except requests.RequestException as exc:
            raise GatewayError(f"{type(exc).__name__}: {exc}"[:300]) from exc
        if 400 <= response.status_code < 500:
            raise GatewayError(f"HTTP {response.status_code}: {response.text[:200]}", retry=False)
        if response.status_code >= 300:
            raise GatewayError(f"HTTP {response.status_code}")
        try:
            return str(response.json().get("id", ""))[:80]
        except ValueError:
            return ""

    def _email(self, message: Message) -> str:
        from django.core.mail import send_mail

        try:
            send_mail(message.title, message.body or message.title, None, [message.to])
        except Exception as exc:  # SMTP errors have no common base class worth naming
            raise GatewayError(f"{type(exc).__name__}: {exc}"[:300]) from exc
        return ""


def gateway():
    return HttpGateway() if settings.NOTIFY_GATEWAY == "http" else LocalGateway()

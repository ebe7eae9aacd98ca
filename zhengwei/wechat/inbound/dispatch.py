"""The dispatch registry: how later apps plug into inbound WeChat traffic.

Two kinds of hooks, keyed case-insensitively by MsgType (``text``, ``image``, …) or Event name
(``click``, ``subscribe``, ``location_select``, …):

* Handlers — ``@on_message("image")``, ``@on_event("location_select")``, ``@on_any()`` —
  ``handler(message: models.InboundMessage) -> None``. They run in the processing step, after the
  message is stored and acknowledged, exactly once per stored message, all in one transaction
  with the processed mark: if one raises, the database effects of all of them roll back and the
  message is marked failed (and retried). Effects outside the database (HTTP calls) belong in a
  task enqueued from the handler, which then commits or rolls back with the rest.

* Passive-reply providers — ``@passive("text")`` — ``fn(parsed: wxxml.InboundMessage)`` returning
  ``None``, a ``str`` (a text reply) or ``bytes`` (a complete reply XML from ``wxxml.render_*``).
  They run inline in the callback before WeChat's 5-second deadline, so they must be instant:
  in-memory or one indexed lookup, no network. They must not change anything either (a retry
  calls them again; the first answer is what gets re-sent). The first non-None answer wins.
  The key ``location`` matches both the location message and the LOCATION event.

* Settlers — ``@settles("text")`` — ``fn(message: models.InboundMessage) -> bool``: the app whose
  passive reply fully answered a stored message says so (a data query such as 雨情 answered with
  the data), and ``settled(message)`` tells the apps that collect messages for a person to read
  (the 互动 inbox) to leave it out. They run in the processing step; the stored ``reply_xml`` is
  the record that the message was answered.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

log = logging.getLogger("zhengwei.wechat.dispatch")

Handler = Callable[[Any], None]
Provider = Callable[[Any], "str | bytes | None"]
Settler = Callable[[Any], bool]

_ANY = "*"
_message_handlers: dict[str, list[Handler]] = defaultdict(list)
_event_handlers: dict[str, list[Handler]] = defaultdict(list)
_providers: dict[str, list[Provider]] = defaultdict(list)
_settlers: dict[str, list[Settler]] = defaultdict(list)


def _add(table: dict[str, list], key: str, fn: Callable) -> Callable:
    bucket = table[key.lower()]
    if fn not in bucket:  # re-imports (autoreload, tests) must not register twice
        bucket.append(fn)
    return fn


def on_message(msg_type: str) -> Callable[[Handler], Handler]:
    return lambda fn: _add(_message_handlers, msg_type, fn)


def on_event(event: str) -> Callable[[Handler], Handler]:
    return lambda fn: _add(_event_handlers, event, fn)


def on_any() -> Callable[[Handler], Handler]:
    return lambda fn: _add(_message_handlers, _ANY, fn)


def passive(key: str) -> Callable[[Provider], Provider]:
    return lambda fn: _add(_providers, key, fn)


def settles(key: str) -> Callable[[Settler], Settler]:
    return lambda fn: _add(_settlers, key, fn)


def unregister(fn: Callable) -> None:
    """Remove a handler, provider or settler everywhere (tests)."""
    for table in (_message_handlers, _event_handlers, _providers, _settlers):
        for bucket in table.values():
            if fn in bucket:
                bucket.remove(fn)


def handlers_for(kind: str, msg_type: str, event: str) -> list[Handler]:
    specific = (
        _event_handlers.get(event.lower(), [])
        if kind == "event"
        else _message_handlers.get(msg_type.lower(), [])
    )
    return [*_message_handlers.get(_ANY, []), *specific]


def passive_reply(parsed) -> str | bytes | None:
    """Ask the providers registered for this message; a failing provider is skipped, logged."""
    key = (parsed.event if parsed.kind == "event" else parsed.msg_type) or ""
    for provider in _providers.get(key.lower(), ()):
        try:
            answer = provider(parsed)
        except Exception:
            log.exception("passive reply provider %r failed", provider)
            continue
        if answer:
            return answer
    return None


def settled(message) -> bool:
    """Whether a stored message was fully answered by its passive reply (an app says so), so no
    person needs to read it."""
    if not message.reply_xml:
        return False
    key = (message.event if message.kind == "event" else message.msg_type) or ""
    return any(settler(message) for settler in _settlers.get(key.lower(), ()))

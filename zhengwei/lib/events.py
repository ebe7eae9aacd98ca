"""Domain events published after the transaction commits.

Services call ``publish_on_commit``; listeners (notifications, live consoles, later apps)
subscribe with ``subscribe``. Publishing on commit means nobody is told about a change that was
rolled back.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)
Listener = Callable[..., None]
_listeners: dict[str, list[Listener]] = defaultdict(list)


def subscribe(event: str, listener: Listener) -> None:
    if listener not in _listeners[event]:
        _listeners[event].append(listener)


def publish(event: str, **payload: Any) -> None:
    for listener in list(_listeners.get(event, ())):
        try:
            listener(event=event, **payload)
        except Exception:  # one failing listener must not stop the others
            log.exception("listener %r failed for %s", listener, event)


def publish_on_commit(event: str, **payload: Any) -> None:
    transaction.on_commit(lambda: publish(event, **payload))

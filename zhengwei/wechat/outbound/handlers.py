"""Listeners for inbound WeChat traffic (subscribed in WeChatOutboundConfig.ready)."""

from __future__ import annotations

from zhengwei.wechat.outbound import services, windows


def on_message_received(
    *,
    event: str,
    account_id: int,
    from_user: str,
    kind: str = "",
    msg_type: str = "",
    event_name: str = "",
    **payload,
) -> None:
    """Open or refresh the citizen's service window and release what waited for it.

    ``event`` is the domain event's own name (``publish`` passes it); WeChat's Event field
    arrives as ``event_name`` (zhengwei.wechat.inbound.services.inbound_process).
    """
    if event_name.lower() == "unsubscribe":
        windows.window_close(account_id, from_user)
        return
    window_kind = windows.kind_for(kind, msg_type, event_name)
    if window_kind is None:
        return
    windows.window_open(account_id, from_user, window_kind)
    # A menu click's one-minute window is also a chance to deliver what waited.
    services.outbound_messages_release(account_id=account_id, openid=from_user)


def on_content_change_approved(*, event: str, change_id: int, kind: str = "", **payload) -> None:
    """The office approved a menu: publish it now (after the approval committed)."""
    if kind == "menu":
        services.menu_change_apply(change_id=change_id)

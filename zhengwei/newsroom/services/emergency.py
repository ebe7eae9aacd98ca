"""Emergency mode and live coverage (图文直播).

The office leader or the duty leader declares an emergency (typhoon or rainstorm, response level
Ⅳ–Ⅰ, its start): reviews run the fast track (``chain.DEFAULTS[EMERGENCY]`` or the account's
configured one), the cadence target rises to the emergency's, a live page opens, and reporters
are rostered on site. The operator — who holds the menu and auto-reply rights — switches the
menu and the auto-replies to the emergency set; leaving restores exactly what was there (the
menu as it was, and only the replies the switch added are removed). Every switch is audited.
"""

from __future__ import annotations

import copy
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.newsroom import policy as P
from zhengwei.newsroom.images import clean_image
from zhengwei.newsroom.live_cache import live_changed
from zhengwei.newsroom.models import (
    Emergency,
    LiveEntry,
    LiveEntryState,
    LiveEvent,
    NewsImage,
    RosterEntry,
)
from zhengwei.newsroom.services.common import audit, refuse, require
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.inbound import services as inbound
from zhengwei.wechat.inbound.changes import content_change_applied, content_change_declared
from zhengwei.wechat.inbound.models import KeywordReply, MenuClickReply
from zhengwei.wechat.outbound import services as outbound
from zhengwei.wechat.outbound.models import PublishedMenu

GUIDE_KEY = "EMERGENCY_GUIDE"


def emergency_reason(account: WeChatAccount) -> str:
    """The declared emergency in force ("" when none): the WeChat layer's fast track asks."""
    emergency = Emergency.objects.filter(account=account, ended_at__isnull=True).first()
    return _("Declared emergency: %(name)s") % {"name": emergency} if emergency else ""


def live_url(event: LiveEvent) -> str:
    return settings.PUBLIC_URL.rstrip("/") + reverse("newsroom_live:page", args=[event.slug])


def emergency_menu(menu: dict | None, event: LiveEvent, emergency: Emergency) -> dict:
    """The current menu with its middle button replaced by the emergency one."""
    button = {
        "name": "防汛应急",
        "sub_button": [
            {"type": "view", "name": "图文直播", "url": live_url(event)},
            {"type": "click", "name": "转移避险指引", "key": GUIDE_KEY},
        ],
    }
    buttons = copy.deepcopy((menu or {}).get("button") or [])
    if len(buttons) >= 2:
        buttons[1] = button
    else:
        buttons.append(button)
    return {"button": buttons[:3]}


def emergency_replies(emergency: Emergency, event: LiveEvent) -> list[tuple[str, str]]:
    live = live_url(event)
    return [
        (
            "台风" if emergency.kind == "typhoon" else "暴雨",
            f"{emergency.name}（{emergency.get_level_display()}应急响应）防御提示：远离危险区域，"
            f"听从转移安排。最新情况见图文直播：{live}",
        ),
        ("转移", f"需要转移避险请拨打当地防汛值班电话，或点菜单「我报灾情」上报。图文直播：{live}"),
    ]


def emergency_declare(
    *,
    actor: User,
    account: WeChatAccount,
    kind: str,
    name: str,
    level: str,
    started_at: datetime | None = None,
    per_week: int = 7,
) -> Emergency:
    require(actor, P.EMERGENCY_DECLARE, account)
    if not (name or "").strip():
        raise refuse(_("Name the emergency (e.g. the typhoon)."))
    with transaction.atomic():
        lock(account)
        if Emergency.objects.filter(account=account, ended_at__isnull=True).exists():
            raise refuse(_("An emergency is already running on this account."))
        emergency = Emergency(
            account=account,
            kind=kind,
            name=name.strip()[:60],
            level=level,
            started_at=started_at or timezone.now(),
            per_week=max(0, int(per_week)),
            declared_by=actor,
        )
        emergency.full_clean(exclude=["saved"])
        emergency.save()
        event = LiveEvent.objects.create(
            account=account,
            slug=f"{kind}-{emergency.started_at:%Y%m%d}-{emergency.pk}",
            title=f"{emergency.name}图文直播",
            created_by=actor,
        )
        emergency.saved = {"live_event": event.pk}
        emergency.save(update_fields=["saved"])
        audit(actor, "newsroom.emergency.declare", emergency, fields=["kind", "name", "level"])
        publish_on_commit(
            "emergency.declared", emergency_id=emergency.pk, account_id=account.pk, level=level
        )
    return emergency


def emergency_live_event(emergency: Emergency) -> LiveEvent | None:
    pk = (emergency.saved or {}).get("live_event")
    return LiveEvent.objects.filter(pk=pk).first() if pk else None


def _declared(actor: User, emergency: Emergency):
    """The switch is the emergency set the office approved by declaring the emergency: recorded
    as that approval (a contractor's switch needs it; the office's own needs none)."""
    return content_change_declared(
        actor=actor,
        account=emergency.account,
        note=str(emergency),
        declared_by=emergency.declared_by,
        declared_at=emergency.started_at,
    )


def emergency_switch(*, actor: User, emergency: Emergency, on: bool) -> Emergency:
    """The operator switches the menu and auto-replies to the emergency set (on), or back to
    exactly what was there (off). WeChat calls go through the WeChat layer's own services,
    which check the operator's rights."""
    require(actor, P.VIEW, emergency.account)
    saved = dict(emergency.saved or {})
    event = emergency_live_event(emergency)
    account = emergency.account
    if on:
        if saved.get("switched"):
            raise refuse(_("The emergency set is already on."))
        if not emergency.active:
            raise refuse(_("The emergency has ended."))
        change = _declared(actor, emergency)
        current = PublishedMenu.objects.filter(account=account).first()
        before = copy.deepcopy(current.json) if current else None
        outbound.menu_publish(
            actor=actor,
            account=account,
            menu=emergency_menu(before, event, emergency),
            change=change,
        )
        created, menu_created = [], []
        with transaction.atomic():
            for keyword, text in emergency_replies(emergency, event):
                if KeywordReply.objects.filter(account=account, keyword=keyword).exists():
                    continue  # the office's own reply stays
                reply = inbound.keyword_reply_create(
                    actor=actor,
                    account=account,
                    change=change,
                    keyword=keyword,
                    match="contains",
                    reply_text=text,
                    active=True,
                )
                created.append(reply.pk)
            if not MenuClickReply.objects.filter(account=account, event_key=GUIDE_KEY).exists():
                guide = inbound.menu_click_reply_create(
                    actor=actor,
                    account=account,
                    change=change,
                    event_key=GUIDE_KEY,
                    reply_text=emergency_replies(emergency, event)[1][1],
                    active=True,
                )
                menu_created.append(guide.pk)
            saved.update(
                switched=True,
                menu_before=before,
                keyword_ids=created,
                menu_reply_ids=menu_created,
                switched_at=timezone.now().isoformat(),
            )
            Emergency.objects.filter(pk=emergency.pk).update(saved=saved)
            emergency.saved = saved
            audit(actor, "newsroom.emergency.switch_on", emergency, note=f"replies {created}")
            if change is not None:
                content_change_applied(change=change)
    else:
        if not saved.get("switched"):
            raise refuse(_("The emergency set is not on."))
        change = _declared(actor, emergency)
        before = saved.get("menu_before")
        if before:
            outbound.menu_publish(actor=actor, account=account, menu=before, change=change)
        else:
            outbound.menu_remove(actor=actor, account=account, change=change)
        with transaction.atomic():
            for reply in KeywordReply.objects.filter(pk__in=saved.get("keyword_ids") or []):
                inbound.keyword_reply_delete(actor=actor, reply=reply, change=change)
            for reply in MenuClickReply.objects.filter(pk__in=saved.get("menu_reply_ids") or []):
                inbound.menu_click_reply_delete(actor=actor, reply=reply, change=change)
            saved.update(switched=False, restored_at=timezone.now().isoformat())
            Emergency.objects.filter(pk=emergency.pk).update(saved=saved)
            emergency.saved = saved
            audit(actor, "newsroom.emergency.switch_off", emergency)
            if change is not None:
                content_change_applied(change=change)
    return emergency


def emergency_end(*, actor: User, emergency: Emergency) -> Emergency:
    require(actor, P.EMERGENCY_DECLARE, emergency.account)
    with transaction.atomic():
        lock(emergency)
        if not emergency.active:
            raise refuse(_("The emergency has ended."))
        if (emergency.saved or {}).get("switched"):
            raise refuse(_("Switch the menu and auto-replies back first (the operator does it)."))
        emergency.ended_at, emergency.ended_by = timezone.now(), actor
        emergency.save(update_fields=["ended_at", "ended_by"])
        live_event = (emergency.saved or {}).get("live_event")
        if live_event:
            live_changed(live_event, is_open=False)
        audit(actor, "newsroom.emergency.end", emergency)
        publish_on_commit(
            "emergency.ended", emergency_id=emergency.pk, account_id=emergency.account_id
        )
    return emergency


def roster_add(
    *, actor: User, emergency: Emergency, user: User, place: str, starts_at, ends_at
) -> RosterEntry:
    require(actor, P.EMERGENCY_DECLARE, emergency.account)
    if not P.may(user, P.LIVE_POST, emergency.account):
        raise refuse(_("Only reporters of this account can be rostered."))
    if not ends_at or not starts_at or ends_at <= starts_at:
        raise refuse(_("A shift ends after it starts."))
    with transaction.atomic():
        entry = RosterEntry.objects.create(
            emergency=emergency,
            user=user,
            place=(place or "").strip()[:80],
            starts_at=starts_at,
            ends_at=ends_at,
        )
        audit(actor, "newsroom.roster.add", emergency, note=f"{user} @ {entry.place}")
    return entry


# --- live coverage -----------------------------------------------------------------------------
def live_event_open(*, actor: User, account: WeChatAccount, title: str, slug: str) -> LiveEvent:
    require(actor, P.LIVE_CHECK, account)
    if not (title or "").strip() or not (slug or "").strip():
        raise refuse(_("A live page needs a title and an address."))
    with transaction.atomic():
        if LiveEvent.objects.filter(slug=slug).exists():
            raise refuse(_("That address is taken."))
        event = LiveEvent.objects.create(
            account=account, title=title.strip()[:80], slug=slug.strip()[:50], created_by=actor
        )
        audit(actor, "newsroom.live.open", event)
    return event


def live_entry_post(
    *, actor: User, event: LiveEvent, body: str, photo: bytes | None = None
) -> LiveEntry:
    """A reporter on site posts a short entry (text, optionally one photo cleaned of EXIF/GPS);
    it waits for the office's one-step check before the public sees it."""
    require(actor, P.LIVE_POST, event.account)
    if not event.is_open:
        raise refuse(_("The live page is closed."))
    if not (body or "").strip():
        raise refuse(_("Write what is happening."))
    image = clean_image(photo) if photo else None
    with transaction.atomic():
        stored = None
        if image is not None:
            stored = NewsImage.objects.filter(account=event.account, sha256=image.sha256).first()
            if stored is None:
                stored = NewsImage(
                    account=event.account,
                    sha256=image.sha256,
                    uploaded_by=actor,
                    content_type=image.content_type,
                    size=len(image.content),
                )
                stored.file.save(
                    f"live-{image.sha256[:16]}{image.extension}",
                    ContentFile(image.content),
                    save=False,
                )
                stored.save()
        entry = LiveEntry.objects.create(
            event=event, body=body.strip()[:1000], photo=stored, posted_by=actor
        )
        audit(actor, "newsroom.live.post", event, note=body[:100])
        publish_on_commit("live_entry.posted", entry_id=entry.pk, account_id=event.account_id)
    return entry


def live_entry_check(*, actor: User, entry: LiveEntry, approve: bool) -> LiveEntry:
    require(actor, P.LIVE_CHECK, entry.event.account)
    with transaction.atomic():
        lock(entry)
        if entry.state != LiveEntryState.PENDING:
            raise refuse(_("This entry is already checked."))
        now = timezone.now()
        entry.state = LiveEntryState.APPROVED if approve else LiveEntryState.REJECTED
        entry.checked_by, entry.checked_at = actor, now
        entry.save(update_fields=["state", "checked_by", "checked_at"])
        live_changed(entry.event_id, now=now)
        audit(
            actor,
            "newsroom.live.approve" if approve else "newsroom.live.reject",
            entry.event,
            note=entry.body[:100],
        )
    return entry

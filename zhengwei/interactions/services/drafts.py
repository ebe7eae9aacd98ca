"""Chat intake: a citizen's location, photos and text build a ``ChatDraft`` that 确认 turns into
a report."""

from __future__ import annotations

from datetime import datetime

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import denied
from zhengwei.audit.services import audit_record
from zhengwei.interactions import classify, conf, wording
from zhengwei.interactions.errors import IllegalMove
from zhengwei.interactions.models import (
    ChatDraft,
    Conversation,
    DraftState,
)
from zhengwei.interactions.services.common import (
    CITIZEN,
    MAX_DRAFT_PHOTOS,
    MAX_DRAFT_TEXTS,
    SYSTEM,
    RateLimited,
)
from zhengwei.interactions.services.conversations import _conversation_from_draft
from zhengwei.interactions.services.notices import citizen_chat_reply
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import WeChatAccount
from zhengwei.reports import services as reports
from zhengwei.reports.actors import Citizen
from zhengwei.reports.models import Channel as ReportChannel
from zhengwei.reports.models import Datum, Report
from zhengwei.reports.photos import clean_photo
from zhengwei.wechat.outbound.client import WeChatClient
from zhengwei.wechat.outbound.errors import WeChatError


def _own(actor, draft: ChatDraft) -> None:
    if not isinstance(actor, Citizen) or not actor.openid or actor.openid != draft.openid:
        raise denied()


def _require_collecting(draft: ChatDraft) -> None:
    if draft.state != DraftState.COLLECTING:
        raise IllegalMove(_("The report has already been submitted or discarded."))


def _own_collecting(actor, draft: ChatDraft) -> None:
    """The citizen's own draft, still collecting."""
    _own(actor, draft)
    _require_collecting(draft)


def _fresh(draft: ChatDraft, now: datetime) -> bool:
    return now - draft.updated_at <= conf.chat_window()


def chat_draft_current(*, account: WeChatAccount, openid: str, now=None) -> ChatDraft | None:
    """The citizen's collecting draft if it is still inside the window (a stale one is expired)."""
    now = now or timezone.now()
    draft = ChatDraft.objects.filter(
        account=account, openid=openid, state=DraftState.COLLECTING
    ).first()
    if draft is None:
        return None
    if _fresh(draft, now):
        return draft
    _expire(draft, now)
    return None


def chat_draft_open(
    *, actor: Citizen, account: WeChatAccount, how: str, now=None
) -> tuple[ChatDraft, bool]:
    """The citizen's current draft, or a new one. Returns (draft, created)."""
    now = now or timezone.now()
    current = chat_draft_current(account=account, openid=actor.openid, now=now)
    if current is not None:
        return current, False
    try:
        with transaction.atomic():
            draft = ChatDraft.objects.create(
                account=account,
                openid=actor.openid,
                started_how=how,
                started_at=now,
                updated_at=now,
            )
            audit_record(
                actor_name=CITIZEN, action="chat_draft.start", obj=draft, after={"how": how}
            )
            publish_on_commit("chat_draft.started", draft_id=draft.pk, account_id=account.pk)
    except IntegrityError:
        # Another worker opened it a moment ago for the same citizen (one collecting draft each).
        draft = ChatDraft.objects.get(
            account=account, openid=actor.openid, state=DraftState.COLLECTING
        )
        return draft, False
    return draft, True


def _touch(draft: ChatDraft, now: datetime, fields: list[str]) -> None:
    draft.updated_at = max(draft.updated_at, now)
    draft.save(update_fields=[*fields, "updated_at"])


def chat_draft_add_location(
    *, actor: Citizen, draft: ChatDraft, lat: float, lng: float, label: str = "", now=None
) -> ChatDraft:
    _own_collecting(actor, draft)
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError(_("The location is outside the valid range."))
    draft.lat, draft.lng = lat, lng
    if label:
        draft.location_label = label[:200]
    _touch(draft, now or timezone.now(), ["lat", "lng", "location_label"])
    return draft


def chat_draft_add_photo(
    *, actor: Citizen, draft: ChatDraft, media_id: str, pic_url: str, message_id: int, now=None
) -> bool:
    """Add one photo; False when the draft already holds the most a report takes."""
    _own_collecting(actor, draft)
    if any(p.get("message_id") == message_id for p in draft.photos):
        return True
    if len(draft.photos) >= MAX_DRAFT_PHOTOS:
        return False
    draft.photos = [
        *draft.photos,
        {"media_id": media_id[:200], "pic_url": pic_url[:500], "message_id": message_id},
    ]
    _touch(draft, now or timezone.now(), ["photos"])
    return True


def chat_draft_add_text(
    *, actor: Citizen, draft: ChatDraft, text: str, kind: str, message_id: int, now=None
) -> ChatDraft:
    _own_collecting(actor, draft)
    text = (text or "").strip()[:1000]
    if text and len(draft.texts) < MAX_DRAFT_TEXTS:
        draft.texts = [*draft.texts, {"kind": kind, "text": text, "message_id": message_id}]
    _touch(draft, now or timezone.now(), ["texts"])
    return draft


def chat_draft_confirm(
    *, actor: Citizen, draft: ChatDraft, submitted_at: datetime | None = None, now=None
) -> Report:
    """确认: the draft becomes a report (channel chat). The ticket number reaches the citizen as
    the report's first step (see citizen_notify_step); the photos follow by a task.
    ``submitted_at``: when the citizen sent 确认 (the clock of every acknowledgement metric)."""
    _own_collecting(actor, draft)
    now = now or timezone.now()
    if draft.is_empty:
        raise ValidationError(wording.draft_empty())
    description = draft.description
    with transaction.atomic():
        list(ChatDraft.objects.select_for_update().filter(pk=draft.pk).values_list("pk"))
        draft.refresh_from_db()
        _require_collecting(draft)
        try:
            report = reports.report_receive(
                actor=actor,
                account=draft.account,
                channel=ReportChannel.CHAT,
                hazard=classify.suggest_hazard(description),
                description=description,
                lives_in_danger=classify.lives_in_danger(description),
                lat=draft.lat,
                lng=draft.lng,
                # WeChat's location message and location_select give GCJ-02 (腾讯地图) coordinates.
                datum=Datum.GCJ02,
                address=draft.location_label,
                submitted_at=submitted_at or now,
                internal_note=_("From chat: %(photos)d photo(s), %(texts)d message(s).")
                % {"photos": len(draft.photos), "texts": len(draft.texts)},
                now=now,
            )
        except reports.RateLimited:
            raise RateLimited(wording.draft_limited()) from None
        draft.state = DraftState.CONFIRMED
        draft.confirmed_at = now
        draft.report = report
        draft.save(update_fields=["state", "confirmed_at", "report"])
        audit_record(
            actor_name=CITIZEN,
            action="chat_draft.confirm",
            obj=draft,
            after={"report": report.ticket, "photos": len(draft.photos)},
        )
        publish_on_commit(
            "chat_draft.confirmed",
            draft_id=draft.pk,
            account_id=draft.account_id,
            report_id=report.pk,
        )
        if draft.photos:
            # Downloaded by a task (interactions.listeners enqueues it on this event).
            publish_on_commit("chat_draft.photos_pending", draft_id=draft.pk)
    return report


def chat_draft_cancel(*, actor: Citizen, draft: ChatDraft, now=None) -> ChatDraft:
    _own_collecting(actor, draft)
    now = now or timezone.now()
    with transaction.atomic():
        draft.state = DraftState.ABANDONED
        draft.abandoned_at = now
        draft.save(update_fields=["state", "abandoned_at"])
        audit_record(actor_name=CITIZEN, action="chat_draft.cancel", obj=draft)
        publish_on_commit("chat_draft.abandoned", draft_id=draft.pk, account_id=draft.account_id)
    return draft


def _expire(draft: ChatDraft, now: datetime) -> Conversation | None:
    """A draft the citizen never confirmed: closed, and — so that no report is lost — what it
    holds goes to the inbox as a disaster conversation the office can turn into a report."""
    with transaction.atomic():
        updated = ChatDraft.objects.filter(pk=draft.pk, state=DraftState.COLLECTING).update(
            state=DraftState.ABANDONED, abandoned_at=now
        )
        if not updated:
            return None
        draft.state, draft.abandoned_at = DraftState.ABANDONED, now
        audit_record(actor_name=SYSTEM, action="chat_draft.expire", obj=draft)
        publish_on_commit("chat_draft.abandoned", draft_id=draft.pk, account_id=draft.account_id)
        if draft.is_empty:
            return None
        return _conversation_from_draft(draft, now)


def chat_drafts_close_for_report(*, report_id: int, now=None) -> int:
    """The citizen filed a report by another channel (the H5 form, Open311): their open chat
    draft is closed at once (system), so that their next messages are not swallowed by it. What
    it held, if anything, goes to the inbox as when a draft expires."""
    report = Report.objects.filter(pk=report_id).only("account_id", "reporter_openid").first()
    if report is None or not report.reporter_openid:
        return 0
    closed = 0
    for draft in ChatDraft.objects.filter(
        account_id=report.account_id,
        openid=report.reporter_openid,
        state=DraftState.COLLECTING,
    ):
        _expire(draft, now or timezone.now())
        closed += 1
    return closed


def chat_drafts_expire(*, now=None) -> int:
    """Expire every collecting draft older than the window (run by interactions_tick)."""
    now = now or timezone.now()
    stale = ChatDraft.objects.filter(
        state=DraftState.COLLECTING, updated_at__lt=now - conf.chat_window()
    )
    count = 0
    for draft in list(stale.select_related("account")[:1000]):
        _expire(draft, now)
        count += 1
    return count


def chat_draft_attach_photos(*, draft_id: int) -> int:
    """Fetch the draft's photos from WeChat and add them to its report (system, from a task).

    Temporary media are downloaded with the account's token (``media/get``, kept 3 days); if that
    fails, the PicUrl WeChat gave is tried. Files that are not acceptable photos are skipped and
    noted on the draft, never sent on."""
    draft = ChatDraft.objects.select_related("account", "report").filter(pk=draft_id).first()
    if draft is None or draft.report is None or draft.photos_attached:
        return 0
    client = WeChatClient(draft.account)
    good: list[bytes] = []
    errors: list[str] = []
    for photo in draft.photos:
        data = _download(client, photo, errors)
        if data is None:
            continue
        try:
            clean_photo(data)
        except ValidationError as exc:
            errors.append("; ".join(exc.messages)[:200])
            continue
        good.append(data)
    if good:
        try:
            reports.report_add_photos(
                actor=Citizen(openid=draft.openid, proof="wechat"),
                report=draft.report,
                photos=good,
                note=_("Photos sent in chat."),
            )
        except (ValidationError, PermissionDenied) as exc:
            errors.append(str(exc)[:200])
            good = []
    with transaction.atomic():
        draft.photos_attached = len(good)
        draft.photo_errors = errors[:20]
        draft.save(update_fields=["photos_attached", "photo_errors"])
        audit_record(
            actor_name=SYSTEM,
            action="chat_draft.attach_photos",
            obj=draft,
            after={"attached": len(good), "errors": len(errors)},
        )
    refused = len(draft.photos) - len(good)
    if refused:
        citizen_chat_reply(
            account=draft.account,
            openid=draft.openid,
            text=wording.photos_refused(refused, draft.report.ticket),
        )
    return len(good)


def _download(client, photo: dict, errors: list[str]) -> bytes | None:
    """The photo's bytes: media/get with the account's token, else the PicUrl (both came in the
    signed callback). An error is noted only when neither worked."""
    limit = settings.REPORT_PHOTO_MAX_BYTES
    problems = []
    if photo.get("media_id"):
        try:
            data = client.media_get(photo["media_id"])
            if isinstance(data, bytes) and data:
                return data
        except WeChatError as exc:
            problems.append(f"media/get: {exc}")
    url = photo.get("pic_url") or ""
    if url.startswith(("http://", "https://")):
        try:
            with requests.get(url, timeout=settings.WECHAT_HTTP_TIMEOUT, stream=True) as resp:
                resp.raise_for_status()
                data = resp.raw.read(limit + 1, decode_content=True)
            if data:
                return data
        except (requests.RequestException, OSError) as exc:
            problems.append(f"PicUrl: {type(exc).__name__}")
    errors.append(("; ".join(problems) or "no media id or PicUrl")[:200])
    return None

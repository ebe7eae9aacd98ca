"""The simulator's pages: the citizens index (/sim/), a citizen's phone (/sim/phone/<openid>/),
article pages (what article URLs open) and the media URLs (PicUrl, uploadimg URLs).

The simulator stands for WeChat, not for the platform: its pages have no sign-in, and the whole
app answers 404 unless SIMULATOR_ENABLED (true in the simulator process ./run starts).
"""

from __future__ import annotations

import functools
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengwei.simulator import phone
from zhengwei.simulator.citizen import PLACES, Citizen, CitizenError, act, menu_of, sample_photo
from zhengwei.simulator.deliveries import dispatcher
from zhengwei.simulator.limits import limits
from zhengwei.simulator.models import (
    AccountType,
    Mode,
    SimAccount,
    SimArticle,
    SimDelivery,
    SimDraft,
    SimFollower,
    SimMassSend,
    SimMedia,
    SimPhoneItem,
    SimPublish,
)
from zhengwei.simulator.seed import demo_account, ensure_seeded

NICKNAMES = ["张先生", "李女士", "王大伯", "刘阿姨", "郑同学", "吴师傅", "林先生", "陈女士"]


def simulator_page(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.SIMULATOR_ENABLED:
            raise Http404
        ensure_seeded()
        dispatcher.start()
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            # A Chinese WeChat client, whatever the browser's Accept-Language says.
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
        return view(request, *args, **kwargs)

    return wrapped


def _account(request: HttpRequest) -> SimAccount:
    original_id = request.GET.get("account") or request.POST.get("account")
    if original_id:
        return get_object_or_404(SimAccount, original_id=original_id)
    return demo_account()


def _follower(account: SimAccount, openid: str) -> SimFollower:
    return get_object_or_404(SimFollower, account=account, openid=openid)


def _phone_url(account: SimAccount, openid: str) -> str:
    url = reverse("simulator:phone", args=[openid])
    return url if _is_demo(account) else f"{url}?account={account.original_id}"


# ---------------------------------------------------------------------------- index


@simulator_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    now = timezone.now()
    rows = []
    for follower in SimFollower.objects.filter(account=account)[:100]:
        last = (
            SimPhoneItem.objects.filter(
                account=account, openid=follower.openid, visible_at__lte=now
            )
            .order_by("-visible_at", "-id")
            .first()
        )
        rows.append((follower, last))
    context = {
        "account": account,
        "accounts": SimAccount.objects.all(),
        "rows": rows,
        "modes": Mode.choices,
        "types": AccountType.choices,
        "mass_failures": MASS_FAILURES,
        "menu_is_default": not (account.menu and account.menu.get("button")),
        "deliveries": SimDelivery.objects.filter(account=account)[:10],
        "publishes": SimPublish.objects.filter(account=account)[:5],
        "mass_sends": SimMassSend.objects.filter(account=account)[:5],
        "drafts": SimDraft.objects.filter(
            account=account, deleted=False, consumed_at__isnull=True
        ).count(),
        "articles": SimArticle.objects.filter(account=account, deleted=False, visible_at__lte=now)[
            :10
        ],
        "api_base": request.build_absolute_uri(reverse("simulator:api", args=["x"]))[:-1],
        "now": now,
    }
    return render(request, "simulator/index.html", context)


@simulator_page
@require_POST
def new_citizen(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    nickname = (request.POST.get("nickname") or "").strip()[:20]
    nickname = nickname or f"{secrets.choice(NICKNAMES)}{secrets.randbelow(90) + 10}"
    citizen = Citizen(None, account, nickname=nickname)
    citizen.mark_following()
    act(citizen, lambda c: c.deliver(c.event("subscribe", EventKey="")))
    return redirect(_phone_url(account, citizen.openid))


@simulator_page
@require_POST
def account_settings(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    mode = request.POST.get("mode")
    account_type = request.POST.get("account_type")
    callback_url = (request.POST.get("callback_url") or "").strip()
    if mode in Mode.values:
        account.mode = mode
    if account_type in AccountType.values:
        account.account_type = account_type
    account.verified = request.POST.get("verified") == "on"
    if callback_url:
        try:
            URLValidator(schemes=["http", "https"])(callback_url)
        except ValidationError:
            pass
        else:
            account.callback_url = callback_url
    account.save()
    url = reverse("simulator:index")
    if not _is_demo(account):
        url += f"?account={account.original_id}"
    return redirect(url)


# MASSSENDJOBFINISH statuses the page can make the next mass send finish with (WeChat's own
# strings; what each means is the platform's business: zhengwei/newsroom/services/publishing.py).
MASS_FAILURES = ("err(10001)", "err(20001)", "err(20013)", "err(30003)", "err(40002)", "send fail")


@simulator_page
@require_POST
def mass_failure(request: HttpRequest) -> HttpResponse:
    """Make the next mass send fail after submission, as WeChat's review can (or undo that)."""
    account = _account(request)
    status = request.POST.get("status") or ""
    account.mass_fail_next = status if status in MASS_FAILURES else ""
    account.save(update_fields=["mass_fail_next"])
    url = reverse("simulator:index")
    if not _is_demo(account):
        url += f"?account={account.original_id}"
    return redirect(url)


# ---------------------------------------------------------------------------- the phone


def _is_demo(account: SimAccount) -> bool:
    return account.pk == demo_account().pk


def _thread_context(account: SimAccount, follower: SimFollower, error: str = "") -> dict:
    fingerprint = phone.fingerprint(account, follower.openid)
    params = {"v": fingerprint}
    if not _is_demo(account):
        params["account"] = account.original_id
    return {
        "account": account,
        "follower": follower,
        "items": phone.thread(account, follower.openid, limits()["phone"]["thread_items"]),
        "fingerprint": fingerprint,
        "thread_url": f"{reverse('simulator:thread', args=[follower.openid])}?{urlencode(params)}",
        "poll_ms": limits()["phone"]["poll_ms"],
        "error": error,
    }


def _buttons(account: SimAccount) -> list[dict]:
    """The menu with a path per button ("0", "0.1") for the page's forms."""
    buttons = []
    for i, button in enumerate(menu_of(account)):
        subs = [{**sub, "path": f"{i}.{j}"} for j, sub in enumerate(button.get("sub_button") or [])]
        buttons.append({**button, "path": str(i), "subs": subs})
    return buttons


@simulator_page
@require_GET
def phone_page(request: HttpRequest, openid: str) -> HttpResponse:
    account = _account(request)
    follower = _follower(account, openid)
    context = _thread_context(account, follower)
    context.update(
        {
            "buttons": _buttons(account),
            "menu_is_default": not (account.menu and account.menu.get("button")),
            "places": PLACES,
            "is_demo": _is_demo(account),
        }
    )
    return render(request, "simulator/phone.html", context)


@simulator_page
@require_GET
def phone_thread(request: HttpRequest, openid: str) -> HttpResponse:
    account = _account(request)
    follower = _follower(account, openid)
    if request.GET.get("v") == phone.fingerprint(account, openid):
        return HttpResponse(status=204)  # unchanged: htmx keeps the page as it is
    return render(request, "simulator/_thread.html", _thread_context(account, follower))


def _button_at(account: SimAccount, path: str) -> dict:
    try:
        parts = [int(p) for p in path.split(".")]
        button = menu_of(account)[parts[0]]
        if len(parts) == 2:
            button = (button.get("sub_button") or [])[parts[1]]
    except (ValueError, IndexError):
        raise Http404 from None
    return button


def _float(value, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CitizenError(_("Enter a latitude and a longitude.")) from None
    if not low <= number <= high:
        raise CitizenError(_("Enter a latitude and a longitude."))
    return number


def _location(request: HttpRequest) -> tuple[float, float, str]:
    place = request.POST.get("place")
    if place not in (None, "", "custom"):
        try:
            label, lat, lng = PLACES[int(place)]
        except (ValueError, IndexError):
            raise CitizenError(_("Choose a place.")) from None
        return lat, lng, label
    lat = _float(request.POST.get("lat"), -90, 90)
    lng = _float(request.POST.get("lng"), -180, 180)
    label = (request.POST.get("label") or "").strip()[:100] or f"{lat:.4f},{lng:.4f}"
    return lat, lng, label


@simulator_page
@require_POST
def phone_action(request: HttpRequest, openid: str, action: str) -> HttpResponse:
    account = _account(request)
    follower = _follower(account, openid)
    citizen = Citizen(openid, account, nickname=follower.nickname)
    error = ""
    try:
        if action == "text":
            text = (request.POST.get("text") or "").strip()[:2000]
            if text:
                act(citizen, lambda c: c.send_text(text))
        elif action == "voice":
            text = (request.POST.get("text") or "").strip()[:500]
            if text:
                act(citizen, lambda c: c.send_voice(text))
        elif action == "location":
            lat, lng, label = _location(request)
            key = request.POST.get("menu_key")
            if key:
                act(citizen, lambda c: c.select_location(lat, lng, label, key=key))
            else:
                act(citizen, lambda c: c.send_location(lat, lng, label))
        elif action == "photo":
            files = request.FILES.getlist("photo")[:9]
            images = [f.read() for f in files] or [sample_photo(seed=secrets.randbelow(5))]
            key = request.POST.get("menu_key")
            event = request.POST.get("menu_event") or "pic_photo_or_album"
            if event not in {"pic_sysphoto", "pic_photo_or_album", "pic_weixin"}:
                event = "pic_photo_or_album"
            if key:
                act(citizen, lambda c: c.send_photos(images, key=key, event=event))
            else:
                act(citizen, lambda c: [c.send_image(d) for d in images])
        elif action == "menu":
            button = _button_at(account, request.POST.get("path", ""))
            if button.get("type") not in {"click", "view"}:
                raise CitizenError(_("This button opens a panel on the phone."))
            act(citizen, lambda c: c.press(button))
        elif action == "follow":
            citizen.mark_following()
            act(citizen, lambda c: c.deliver(c.event("subscribe", EventKey="")))
        elif action == "unfollow":
            act(citizen, lambda c: c.unfollow())
        else:
            raise Http404
    except CitizenError as exc:
        error = str(exc)
    follower.refresh_from_db()
    if request.headers.get("HX-Request"):
        return render(request, "simulator/_thread.html", _thread_context(account, follower, error))
    return redirect(_phone_url(account, openid))


# ---------------------------------------------------------------------------- public URLs


@simulator_page
@require_GET
def media(request: HttpRequest, media_id: str) -> HttpResponse:
    item = get_object_or_404(SimMedia, media_id=media_id)
    if not item.is_alive():
        raise Http404
    response = HttpResponse(bytes(item.data), content_type=item.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@simulator_page
def article(request: HttpRequest, msg_data_id: int, idx: int) -> HttpResponse:
    art = get_object_or_404(
        SimArticle, msg_data_id=msg_data_id, idx=idx, visible_at__lte=timezone.now()
    )
    openid = request.GET.get("openid") or ""
    reader = SimFollower.objects.filter(account=art.account, openid=openid).first()
    error = ""
    if request.method == "POST":
        if reader is None:
            raise Http404
        try:
            Citizen(reader.openid, art.account).comment(art, request.POST.get("content", "")[:600])
        except CitizenError as exc:
            error = str(exc)
        else:
            return redirect(f"{request.path}?openid={reader.openid}#comments")
    elif not art.deleted:
        SimArticle.objects.filter(pk=art.pk).update(read_count=F("read_count") + 1)
    return render(
        request,
        "simulator/article.html",
        {
            "article": art,
            "account": art.account,
            "thumb_url": phone.media_url(art.account, art.thumb_media_id),
            # Readers see featured (精选) comments, and their own.
            "comments": art.comments.filter(
                Q(elected=True) | Q(openid=reader.openid if reader else "-"), deleted=False
            ).order_by("-elected", "-created_at"),
            "reader": reader,
            "error": error,
        },
    )


@simulator_page
@require_GET
def draft_preview(request: HttpRequest, media_id: str, index: int) -> HttpResponse:
    draft = get_object_or_404(SimDraft, media_id=media_id, deleted=False)
    try:
        data = draft.articles[index]
    except IndexError:
        raise Http404 from None
    preview = SimArticle(
        account=draft.account,
        msg_data_id=0,
        idx=index + 1,
        title=data.get("title", ""),
        author=data.get("author", ""),
        digest=data.get("digest", ""),
        content=data.get("content", ""),
        content_source_url=data.get("content_source_url", ""),
        created_at=draft.updated_at,
    )
    return render(
        request,
        "simulator/article.html",
        {
            "article": preview,
            "account": draft.account,
            "thumb_url": phone.media_url(draft.account, data.get("thumb_media_id")),
            "comments": [],
            "preview": True,
        },
    )

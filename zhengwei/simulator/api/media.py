"""Temporary media, article body images and permanent material (brief wechat.md §3.3)."""

from __future__ import annotations

import json

from django.http import HttpResponse

from zhengwei.simulator import mediafiles
from zhengwei.simulator.api import Call, endpoint, ok
from zhengwei.simulator.core import bump, count_of, public_url
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.models import MediaPurpose, SimDraft, SimMedia


def _upload(call: Call) -> tuple[bytes, str]:
    upload = call.request.FILES.get("media")
    if upload is None:
        raise ApiError(41005)
    return upload.read(), upload.name or ""


def _count_upload(call: Call) -> None:
    if count_of(call.account, "media:upload") >= call.limits["media"]["daily_upload"]:
        raise ApiError(45009)
    bump(call.account, "media:upload")


def media_file_response(media: SimMedia) -> HttpResponse:
    response = HttpResponse(bytes(media.data), content_type=media.content_type)
    name = media.filename or f"{media.media_id}.{media.fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@endpoint("cgi-bin/media/upload")
def upload(call: Call):
    kind = call.query("type") or ""
    data, name = _upload(call)
    fmt = mediafiles.check(kind, data, name)
    _count_upload(call)
    media = mediafiles.store(
        call.account, kind=kind, fmt=fmt, data=data, purpose=MediaPurpose.TEMPORARY, filename=name
    )
    key = "thumb_media_id" if kind == "thumb" else "media_id"
    return {"type": kind, key: media.media_id, "created_at": int(media.created_at.timestamp())}


@endpoint("cgi-bin/media/get", methods=("GET", "POST"))
def get(call: Call):
    media_id = call.query("media_id")
    media = SimMedia.objects.filter(
        account=call.account, media_id=media_id or "-", permanent=False
    ).first()
    if media is None or not media.is_alive(call.now) or media.purpose == MediaPurpose.UPLOADIMG:
        raise ApiError(40007)
    if media.kind == "video":
        return {"video_url": public_url(f"media/{media.media_id}")}
    return media_file_response(media)


@endpoint("cgi-bin/media/uploadimg", privilege="material")
def uploadimg(call: Call):
    data, name = _upload(call)
    conf = call.limits["media"]
    fmt = mediafiles.sniff(data, name)
    if fmt not in conf["uploadimg_formats"]:
        raise ApiError(40005, "jpg/png only")
    if len(data) >= conf["uploadimg_max_bytes"]:
        raise ApiError(40009)
    _count_upload(call)
    media = mediafiles.store(
        call.account,
        kind="image",
        fmt=fmt,
        data=data,
        purpose=MediaPurpose.UPLOADIMG,
        filename=name,
    )
    return {"url": public_url(f"media/{media.media_id}")}


@endpoint("cgi-bin/material/add_material", privilege="material")
def add_material(call: Call):
    kind = call.query("type") or call.request.POST.get("type") or ""
    data, name = _upload(call)
    fmt = mediafiles.check(kind, data, name)
    title = introduction = ""
    if kind == "video":
        raw = call.request.POST.get("description")
        try:
            description = json.loads(raw) if raw else None
        except ValueError:
            description = None
        if not isinstance(description, dict) or not description.get("title"):
            raise ApiError(40035, "video needs description {title, introduction}")
        title = str(description.get("title", ""))
        introduction = str(description.get("introduction", ""))
    _count_upload(call)
    media = mediafiles.store(
        call.account,
        kind=kind,
        fmt=fmt,
        data=data,
        purpose=MediaPurpose.MATERIAL,
        filename=name,
        title=title,
        introduction=introduction,
    )
    result = {"media_id": media.media_id}
    if kind in {"image", "thumb"}:
        result["url"] = public_url(f"media/{media.media_id}")
    return result


def _material(call: Call) -> SimMedia:
    media = SimMedia.objects.filter(
        account=call.account, media_id=call.field("media_id"), permanent=True, deleted=False
    ).first()
    if media is None:
        raise ApiError(40007)
    return media


@endpoint("cgi-bin/material/get_material", privilege="material")
def get_material(call: Call):
    media_id = call.field("media_id")
    draft = SimDraft.objects.filter(account=call.account, media_id=media_id, deleted=False).first()
    if draft is not None:  # legacy permanent news: the draft's articles
        return {"news_item": draft.articles}
    media = _material(call)
    if media.kind == "video":
        return {
            "title": media.title,
            "description": media.introduction,
            "down_url": public_url(f"media/{media.media_id}"),
        }
    return media_file_response(media)


@endpoint("cgi-bin/material/del_material", privilege="material")
def del_material(call: Call):
    media = _material(call)
    media.deleted = True
    media.save(update_fields=["deleted"])
    return ok()


@endpoint("cgi-bin/material/batchget_material", privilege="material")
def batchget_material(call: Call):
    kind = call.field("type")
    offset = call.field("offset", int, required=False, default=0)
    count = call.field("count", int, required=False, default=20)
    if kind not in {"image", "voice", "video", "news"}:
        raise ApiError(40004)
    if not 1 <= count <= 20 or offset < 0:
        raise ApiError(40035, "count must be 1..20")
    if kind == "news":
        drafts = SimDraft.objects.filter(account=call.account, deleted=False)
        total = drafts.count()
        items = [
            {
                "media_id": d.media_id,
                "content": {"news_item": d.articles},
                "update_time": int(d.updated_at.timestamp()),
            }
            for d in drafts[offset : offset + count]
        ]
    else:
        kinds = ["image", "thumb"] if kind == "image" else [kind]
        rows = SimMedia.objects.filter(
            account=call.account, permanent=True, deleted=False, kind__in=kinds
        )
        total = rows.count()
        items = []
        for m in rows[offset : offset + count]:
            item = {
                "media_id": m.media_id,
                "name": m.filename or f"{m.media_id}.{m.fmt}",
                "update_time": int(m.created_at.timestamp()),
            }
            if m.kind in {"image", "thumb"}:
                item["url"] = public_url(f"media/{m.media_id}")
            items.append(item)
    return {"total_count": total, "item_count": len(items), "item": items}


@endpoint("cgi-bin/material/get_materialcount", methods=("GET", "POST"), privilege="material")
def get_materialcount(call: Call):
    rows = SimMedia.objects.filter(account=call.account, permanent=True, deleted=False)
    return {
        "voice_count": rows.filter(kind="voice").count(),
        "video_count": rows.filter(kind="video").count(),
        "image_count": rows.filter(kind__in=["image", "thumb"]).count(),
        "news_count": SimDraft.objects.filter(account=call.account, deleted=False).count(),
    }

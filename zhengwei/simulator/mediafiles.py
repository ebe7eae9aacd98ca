"""Stored media: format sniffing, limits and creation of SimMedia rows."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.utils import timezone

from zhengwei.simulator.core import new_media_id
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.limits import limits
from zhengwei.simulator.models import MediaPurpose, SimAccount, SimMedia

SIZE_CODES = {"image": 40009, "voice": 40010, "video": 40011, "thumb": 40012}


def sniff(data: bytes, filename: str = "") -> str:
    """The file's format from its first bytes; the name is not trusted."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"BM"):
        return "bmp"
    if head.startswith(b"#!AMR"):
        return "amr"
    if head.startswith(b"Speex   ") or head.startswith(b"OggS"):
        return "speex"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp":
        return "mp4"
    return "unknown"


def check(kind: str, data: bytes, filename: str = "") -> str:
    """Validate an upload of ``kind`` (image/voice/video/thumb); returns its format."""
    types = limits()["media"]["types"]
    if kind not in types:
        raise ApiError(40004)
    if not data:
        raise ApiError(41005)
    fmt = sniff(data, filename)
    if fmt not in types[kind]["formats"]:
        raise ApiError(40005, f"{fmt} is not allowed for {kind}")
    if len(data) > types[kind]["max_bytes"]:
        raise ApiError(SIZE_CODES[kind])
    return fmt


def store(
    account: SimAccount,
    *,
    kind: str,
    fmt: str,
    data: bytes,
    purpose: str,
    filename: str = "",
    title: str = "",
    introduction: str = "",
) -> SimMedia:
    now = timezone.now()
    permanent = purpose in (MediaPurpose.MATERIAL, MediaPurpose.UPLOADIMG)
    ttl = limits()["media"]["temporary_ttl_seconds"]
    return SimMedia.objects.create(
        account=account,
        media_id=new_media_id(),
        kind=kind,
        purpose=purpose,
        permanent=purpose == MediaPurpose.MATERIAL,
        fmt=fmt,
        filename=filename[:200],
        data=data,
        size=len(data),
        md5=hashlib.md5(data).hexdigest(),  # noqa: S324 - WeChat's PicMd5Sum is MD5
        title=title[:200],
        introduction=introduction,
        created_at=now,
        expires_at=None if permanent else now + timedelta(seconds=ttl),
    )

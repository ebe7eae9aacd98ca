"""Images uploaded through the WeChat layer: body images (media/uploadimg → a WeChat URL) and
covers (permanent material → a media_id). Cleaned of EXIF/GPS before anything is stored."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction

from zhengwei.newsroom import policy as P
from zhengwei.newsroom.images import clean_image
from zhengwei.newsroom.models import NewsImage
from zhengwei.newsroom.services.common import audit, require, user_of
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.outbound.client import WeChatClient

log = logging.getLogger("zhengwei.newsroom")


def image_upload(
    *, actor: User, account: WeChatAccount, data: bytes, cover: bool = False
) -> NewsImage:
    """Clean the image, keep it, and upload it to WeChat (once per picture and account)."""
    require(actor, P.ARTICLE_WRITE, account)
    image = clean_image(data)
    existing = NewsImage.objects.filter(account=account, sha256=image.sha256).first()
    if existing and existing.wechat_url and (existing.media_id or not cover):
        return existing
    client = WeChatClient(account)  # outside any transaction: WeChat cannot be rolled back
    name = f"{image.sha256[:16]}{image.extension}"
    url = existing.wechat_url if existing else ""
    if not url:
        url = client.media_uploadimg(image.content, name, image.content_type)
    media_id = existing.media_id if existing else ""
    if cover and not media_id:
        media_id = client.material_add("image", image.content, name, image.content_type)["media_id"]
    with transaction.atomic():
        if existing is None:
            existing = NewsImage(account=account, sha256=image.sha256, uploaded_by=actor)
            existing.file.save(name, ContentFile(image.content), save=False)
        existing.content_type = image.content_type
        existing.size = len(image.content)
        existing.wechat_url, existing.media_id = url, media_id
        existing.save()
        audit(actor, "newsroom.image.upload", existing, note=name)
    return existing


def image_keep(*, account: WeChatAccount, data: bytes, actor: User | None = None) -> NewsImage:
    """Clean and keep an image another app offers with an article (no WeChat call: the offer
    may run inside the caller's transaction); ``image_to_wechat`` uploads it afterwards."""
    image = clean_image(data)
    existing = NewsImage.objects.filter(account=account, sha256=image.sha256).first()
    if existing is not None:
        return existing
    kept = NewsImage(
        account=account,
        sha256=image.sha256,
        content_type=image.content_type,
        size=len(image.content),
        uploaded_by=user_of(actor),
    )
    kept.file.save(f"{image.sha256[:16]}{image.extension}", ContentFile(image.content), save=False)
    kept.save()
    return kept


def image_to_wechat(image: NewsImage) -> str:
    """Upload a kept image with media/uploadimg (outside any transaction) once; its WeChat URL."""
    if image.wechat_url:
        return image.wechat_url
    with image.file.open("rb") as f:
        content = f.read()
    name = image.file.name.rsplit("/", 1)[-1]
    url = WeChatClient(image.account).media_uploadimg(content, name, image.content_type)
    with transaction.atomic():
        NewsImage.objects.filter(pk=image.pk).update(wechat_url=url)
        image.wechat_url = url
        audit("system", "newsroom.image.upload", image, note=name)
    return url

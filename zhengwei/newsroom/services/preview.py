"""Phone preview (预览): a draft goes to the reviewer's own WeChat before anyone signs it off,
as editors do before every push.

A person binds their WeChat once per account: ``preview_code_issue`` gives a six-digit code;
they send "绑定 <code>" to the account from their WeChat, and the inbound handler
(``chat.py``) calls ``preview_bind`` with the sender's openid. ``article_preview`` then puts the
current revision into WeChat's draft box and sends it with message/mass/preview to that one
openid — never to the followers. The publishing gate is unaffected: what reaches followers is
still only ever built from the approved revision.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.lib.db import lock
from zhengwei.newsroom import policy as P
from zhengwei.newsroom.binding import CODE_DIGITS
from zhengwei.newsroom.models import Article, PreviewBinding
from zhengwei.newsroom.services.common import audit, refuse, require
from zhengwei.newsroom.services.publishing import wechat_article
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.outbound.client import WeChatClient
from zhengwei.wechat.outbound.errors import WeChatError

CODE_VALID = timedelta(minutes=15)


def preview_code_issue(*, actor: User, account: WeChatAccount, now=None) -> PreviewBinding:
    """A fresh code (valid 15 minutes) the person sends from their WeChat to bind it."""
    require(actor, P.PREVIEW, account)
    now = now or timezone.now()
    with transaction.atomic():
        binding, _created = PreviewBinding.objects.get_or_create(user=actor, account=account)
        lock(binding)
        while True:  # unique among the account's open codes, so a code names one person
            code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
            taken = PreviewBinding.objects.filter(
                account=account, code=code, code_expires_at__gt=now
            ).exclude(pk=binding.pk)
            if not taken.exists():
                break
        binding.code, binding.code_expires_at = code, now + CODE_VALID
        binding.save(update_fields=["code", "code_expires_at"])
        audit(actor, "newsroom.preview.code", binding)
    return binding


def preview_bind(*, account: WeChatAccount, openid: str, code: str, now=None):
    """The account received "绑定 <code>" from ``openid`` (system, from the inbound handler):
    the person whose open code it is gets that WeChat. None when no open code matches."""
    now = now or timezone.now()
    with transaction.atomic():
        binding = (
            PreviewBinding.objects.select_for_update()
            .filter(account=account, code=code, code_expires_at__gt=now)
            .select_related("user")
            .first()
        )
        if binding is None:
            return None
        binding.openid, binding.bound_at = openid, now
        binding.code, binding.code_expires_at = "", None
        binding.save(
            update_fields=["openid", "openid_index", "bound_at", "code", "code_expires_at"]
        )
        audit("system", "newsroom.preview.bind", binding, note=str(binding.user))
    return binding


def preview_unbind(*, actor: User, account: WeChatAccount) -> None:
    require(actor, P.PREVIEW, account)
    with transaction.atomic():
        deleted, _rows = PreviewBinding.objects.filter(user=actor, account=account).delete()
        if deleted:
            audit(actor, "newsroom.preview.unbind", account)


def article_preview(*, actor: User, article: Article) -> str:
    """Send the article as it stands (its current revision) to the actor's own WeChat.
    Returns the openid it went to. WeChat calls happen outside any transaction."""
    require(actor, P.PREVIEW, article)
    binding = PreviewBinding.objects.filter(user=actor, account=article.account).first()
    if binding is None or not binding.openid:
        raise refuse(_("Bind your own WeChat first: the preview goes to it."))
    revision = article.revision
    if revision is None:
        raise refuse(_("Save the article first."))
    if article.cover is None or not article.cover.media_id:
        raise refuse(_("Choose a cover first: WeChat shows none without it."))
    client = WeChatClient(article.account)
    media_id = client.draft_add([wechat_article(revision, article.cover.media_id)])
    client.mass_preview(binding.openid, "mpnews", {"media_id": media_id})
    earlier = article.preview_media_id
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(preview_media_id=media_id)
        article.preview_media_id = media_id
        audit(actor, "newsroom.article.preview", article, note=f"r{revision.number}")
    if earlier and earlier != media_id:
        try:  # the previous preview's draft is no longer needed in the draft box
            client.draft_delete(earlier)
        except WeChatError:
            pass
    return binding.openid

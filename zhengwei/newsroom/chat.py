"""The newsroom's part of the inbound traffic: a person binds their own WeChat for phone
previews by sending "绑定 <code>" to the account (registered in the dispatch registry from
NewsroomConfig.ready). The passive reply only reads; the handler, run once per stored message,
makes the binding."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.newsroom import services
from zhengwei.newsroom.binding import bind_code_in
from zhengwei.newsroom.models import PreviewBinding
from zhengwei.wechat.inbound.dispatch import on_message, passive
from zhengwei.wechat.inbound.keys import account_keys


@on_message("text")
def bind_code_sent(message) -> None:
    code = bind_code_in(message.field("Content"))
    if code:
        services.preview_bind(account=message.account, openid=message.from_user, code=code)


@passive("text")
def bind_code_receipt(parsed) -> str | None:
    code = bind_code_in(parsed.content)
    if code is None:
        return None
    keys = account_keys(parsed.to_user)
    if keys is None:
        return None
    binding = (
        PreviewBinding.objects.filter(
            account_id=keys.id, code=code, code_expires_at__gt=timezone.now()
        )
        .select_related("user")
        .first()
    )
    if binding is None:
        return _(
            "This code is wrong or has expired: get a new one on the newsroom's "
            "“My preview WeChat” page."
        )
    name = binding.user.get_full_name() or binding.user.username
    return _("Bound to %(name)s: newsroom previews will come to this WeChat.") % {"name": name}

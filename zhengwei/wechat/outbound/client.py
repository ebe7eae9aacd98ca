"""WeChatClient: the API calls the mission needs, each checked before it leaves.

Every call goes: privilege check (account type, verification) → local validation → token from
the shared authority → transport (timeouts, retries, logging, typed errors). A token rejected
with 40001/40014/42001 is handed to the authority once and the call repeated once.

Do not call WeChat inside a database transaction: a rollback cannot unsend a message, and a
10-second HTTP wait would hold the transaction (and on SQLite every writer) meanwhile.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhengwei.orgs.models import WeChatAccount
from zhengwei.wechat.outbound import limits, tokens, transport, windows
from zhengwei.wechat.outbound.errors import (
    InvalidToken,
    OutsideServiceWindow,
    ServiceQuotaExhausted,
    WeChatError,
    WeChatNetworkError,
)
from zhengwei.wechat.outbound.privileges import Capability as C
from zhengwei.wechat.outbound.privileges import require_capability
from zhengwei.wechat.outbound.validation import (
    validate_article,
    validate_articles,
    validate_datacube_span,
    validate_menu,
    validate_uploadimg,
)

MEDIA_TYPES = {"image", "voice", "video", "thumb"}
CUSTOM_SEND = "/cgi-bin/message/custom/send"


def might_have_arrived(exc: WeChatNetworkError) -> bool:
    """A customer-service message may have reached the citizen despite the error (so it must
    not be sent again blindly); a failed token fetch or refused connection means it did not."""
    return exc.endpoint == CUSTOM_SEND and exc.maybe_delivered


class WeChatClient:
    def __init__(self, account: WeChatAccount):
        self.account = account

    # --- core ------------------------------------------------------------------------------
    def call(
        self,
        method: str,
        endpoint: str,
        *,
        capability: str,
        params: dict | None = None,
        json_body: Any = None,
        files: dict | None = None,
        data: dict | None = None,
        idempotent: bool | None = None,
        raw: bool = False,
    ) -> dict | bytes:
        require_capability(self.account, capability)
        token = tokens.get_token(self.account)
        kwargs = {
            "account": self.account,
            "json_body": json_body,
            "files": files,
            "data": data,
            # Reads may be repeated after a lost response; writes only if WeChat never saw them.
            "idempotent": method == "GET" if idempotent is None else idempotent,
            "raw": raw,
        }
        try:
            return transport.request(
                method, endpoint, params={**(params or {}), "access_token": token}, **kwargs
            )
        except InvalidToken:
            token = tokens.invalidate(self.account, token)
            # WeChat rejected the call before acting on it, so repeating it once is safe.
            return transport.request(
                method, endpoint, params={**(params or {}), "access_token": token}, **kwargs
            )

    def get(self, endpoint: str, *, capability: str, **kwargs) -> dict | bytes:
        return self.call("GET", endpoint, capability=capability, **kwargs)

    def post(self, endpoint: str, body: Any = None, *, capability: str, **kwargs) -> dict | bytes:
        return self.call("POST", endpoint, capability=capability, json_body=body, **kwargs)

    # --- basics ----------------------------------------------------------------------------
    def callback_ips(self) -> list[str]:
        return self.get("/cgi-bin/getcallbackip", capability=C.BASIC)["ip_list"]

    def user_info(self, openid: str, lang: str = "zh_CN") -> dict:
        # Since 2021-12-27 no nickname or avatar comes back: don't expect them.
        params = {"openid": openid, "lang": lang}
        return self.get("/cgi-bin/user/info", capability=C.USER_INFO, params=params)

    # --- menu ------------------------------------------------------------------------------
    def menu_create(self, menu: dict) -> dict:
        require_capability(self.account, C.MENU)
        validate_menu(menu)
        return self.post("/cgi-bin/menu/create", menu, capability=C.MENU)

    def menu_get(self) -> dict:
        return self.get("/cgi-bin/menu/get", capability=C.MENU)

    def menu_delete(self) -> dict:
        return self.get("/cgi-bin/menu/delete", capability=C.MENU)

    # --- media and materials ---------------------------------------------------------------
    def media_upload(self, kind: str, content: bytes, filename: str, content_type: str) -> dict:
        """Temporary media (kept 3 days), e.g. for image replies; returns {type, media_id}."""
        if kind not in MEDIA_TYPES:
            raise ValidationError(_("Unknown media type %(type)s.") % {"type": kind})
        return self.call(
            "POST",
            "/cgi-bin/media/upload",
            capability=C.BASIC,
            params={"type": kind},
            files={"media": (filename, content, content_type)},
        )

    def media_get(self, media_id: str) -> bytes:
        """A temporary media file, e.g. a citizen's photo (download within 3 days)."""
        return self.get(
            "/cgi-bin/media/get", capability=C.BASIC, params={"media_id": media_id}, raw=True
        )

    def media_uploadimg(self, content: bytes, filename: str, content_type: str) -> str:
        """An image for an article body; WeChat strips images from anywhere else."""
        require_capability(self.account, C.MATERIAL)
        validate_uploadimg(content, content_type)
        result = self.call(
            "POST",
            "/cgi-bin/media/uploadimg",
            capability=C.MATERIAL,
            files={"media": (filename, content, content_type)},
        )
        return result["url"]

    def material_add(
        self,
        kind: str,
        content: bytes,
        filename: str,
        content_type: str,
        *,
        title: str = "",
        introduction: str = "",
    ) -> dict:
        """Permanent material; returns {media_id, url?}."""
        if kind not in MEDIA_TYPES:
            raise ValidationError(_("Unknown media type %(type)s.") % {"type": kind})
        data = None
        if kind == "video":  # a video needs its description as a form field
            description = {"title": title, "introduction": introduction}
            data = {"description": json.dumps(description, ensure_ascii=False)}
        return self.call(
            "POST",
            "/cgi-bin/material/add_material",
            capability=C.MATERIAL,
            params={"type": kind},
            files={"media": (filename, content, content_type)},
            data=data,
        )

    def material_get(self, media_id: str) -> dict | bytes:
        body = {"media_id": media_id}
        return self.post(
            "/cgi-bin/material/get_material", body, capability=C.MATERIAL, idempotent=True, raw=True
        )

    def material_delete(self, media_id: str) -> dict:
        return self.post(
            "/cgi-bin/material/del_material", {"media_id": media_id}, capability=C.MATERIAL
        )

    def material_batchget(self, kind: str, offset: int = 0, count: int = 20) -> dict:
        body = {"type": kind, "offset": offset, "count": count}
        return self.post(
            "/cgi-bin/material/batchget_material", body, capability=C.MATERIAL, idempotent=True
        )

    def material_count(self) -> dict:
        return self.get("/cgi-bin/material/get_materialcount", capability=C.MATERIAL)

    # --- drafts and publishing -------------------------------------------------------------
    def draft_add(self, articles: list[dict]) -> str:
        """Create a draft; articles go out exactly as given (article_type, pic_crop_* …)."""
        require_capability(self.account, C.MATERIAL)
        validate_articles(articles)
        result = self.post("/cgi-bin/draft/add", {"articles": articles}, capability=C.MATERIAL)
        return result["media_id"]

    def draft_update(self, media_id: str, index: int, article: dict) -> dict:
        require_capability(self.account, C.MATERIAL)
        validate_article(article)
        # The key is "articles" although it holds one object (wechatpy PR #716).
        body = {"media_id": media_id, "index": index, "articles": article}
        return self.post("/cgi-bin/draft/update", body, capability=C.MATERIAL, idempotent=True)

    def draft_get(self, media_id: str) -> dict:
        return self.post(
            "/cgi-bin/draft/get", {"media_id": media_id}, capability=C.MATERIAL, idempotent=True
        )

    def draft_delete(self, media_id: str) -> dict:
        return self.post("/cgi-bin/draft/delete", {"media_id": media_id}, capability=C.MATERIAL)

    def draft_batchget(self, offset: int = 0, count: int = 20, no_content: bool = False) -> dict:
        body = {"offset": offset, "count": self._page(count), "no_content": int(no_content)}
        return self.post("/cgi-bin/draft/batchget", body, capability=C.MATERIAL, idempotent=True)

    def draft_count(self) -> int:
        return self.get("/cgi-bin/draft/count", capability=C.MATERIAL)["total_count"]

    def publish_submit(self, media_id: str) -> dict:
        """Submit for publishing; errcode 0 means *submitted* (PUBLISHJOBFINISH says the rest).
        Publishing pushes nothing to followers: use mass_sendall for that."""
        return self.post(
            "/cgi-bin/freepublish/submit", {"media_id": media_id}, capability=C.MATERIAL
        )

    def publish_get(self, publish_id: str) -> dict:
        body = {"publish_id": publish_id}
        return self.post("/cgi-bin/freepublish/get", body, capability=C.MATERIAL, idempotent=True)

    def publish_batchget(self, offset: int = 0, count: int = 20, no_content: bool = False) -> dict:
        body = {"offset": offset, "count": self._page(count), "no_content": int(no_content)}
        return self.post(
            "/cgi-bin/freepublish/batchget", body, capability=C.MATERIAL, idempotent=True
        )

    def publish_getarticle(self, article_id: str) -> dict:
        body = {"article_id": article_id}
        return self.post(
            "/cgi-bin/freepublish/getarticle", body, capability=C.MATERIAL, idempotent=True
        )

    def publish_delete(self, article_id: str, index: int = 0) -> dict:
        """Irreversible: the published article disappears."""
        body = {"article_id": article_id, "index": index}
        return self.post("/cgi-bin/freepublish/delete", body, capability=C.MATERIAL)

    def _page(self, count: int) -> int:
        if not 1 <= count <= limits.get("draft")["batch_count_max"]:
            raise ValidationError(_("Ask for 1 to 20 items at a time."))
        return count

    # --- mass sending ----------------------------------------------------------------------
    def _mass_body(self, msgtype: str, content: dict) -> dict:
        if msgtype not in limits.get("mass_send")["msgtypes"]:
            raise ValidationError(_("Unknown message type %(type)s.") % {"type": msgtype})
        return {"msgtype": msgtype, msgtype: content}

    def mass_sendall(
        self,
        msgtype: str,
        content: dict,
        *,
        tag_id: int | None = None,
        send_ignore_reprint: bool = False,
        clientmsgid: str = "",
    ) -> dict:
        """Push to all followers (or one tag). One successful call a day for a subscription
        account; ``clientmsgid`` makes a retried call harmless. Returns {msg_id, msg_data_id}."""
        require_capability(self.account, C.MASS_SEND)
        body = self._mass_body(msgtype, content)
        body["filter"] = {"is_to_all": tag_id is None, **({"tag_id": tag_id} if tag_id else {})}
        body["send_ignore_reprint"] = int(send_ignore_reprint)
        if clientmsgid:
            body["clientmsgid"] = clientmsgid
        return self.post(
            "/cgi-bin/message/mass/sendall",
            body,
            capability=C.MASS_SEND,
            idempotent=bool(clientmsgid),
        )

    def mass_send(self, openids: list[str], msgtype: str, content: dict, **extra) -> dict:
        """Mass send to a list of openids: verified service accounts only."""
        require_capability(self.account, C.MASS_SEND_OPENIDS)
        body = {**self._mass_body(msgtype, content), "touser": openids, **extra}
        return self.post("/cgi-bin/message/mass/send", body, capability=C.MASS_SEND_OPENIDS)

    def mass_preview(self, openid: str, msgtype: str, content: dict) -> dict:
        body = {**self._mass_body(msgtype, content), "touser": openid}
        return self.post("/cgi-bin/message/mass/preview", body, capability=C.MASS_SEND)

    def mass_get(self, msg_id: str) -> dict:
        return self.post(
            "/cgi-bin/message/mass/get", {"msg_id": msg_id}, capability=C.MASS_SEND, idempotent=True
        )

    # --- customer-service messages ---------------------------------------------------------
    def custom_send(self, openid: str, msgtype: str, content: dict) -> dict:
        """Send inside the citizen's window; refused locally when it is closed or used up."""
        require_capability(self.account, C.CUSTOMER_SERVICE)
        if msgtype not in limits.get("customer_service")["msgtypes"]:
            raise ValidationError(_("Unknown message type %(type)s.") % {"type": msgtype})
        windows.consume(self.account, openid)
        body = {"touser": openid, "msgtype": msgtype, msgtype: content}
        try:
            return self.post(CUSTOM_SEND, body, capability=C.CUSTOMER_SERVICE)
        except OutsideServiceWindow:
            windows.window_close(self.account.pk, openid)
            raise
        except ServiceQuotaExhausted:
            windows.window_exhaust(self.account, openid)
            raise
        except WeChatNetworkError as exc:
            if not might_have_arrived(exc):
                windows.refund(self.account, openid)
            raise
        except WeChatError:
            windows.refund(self.account, openid)
            raise

    # --- comments (no push event exists: comments_poll polls list) -------------------------
    def _comment(self, action: str, body: dict) -> dict:
        return self.post(f"/cgi-bin/comment/{action}", body, capability=C.COMMENTS)

    def comment_open(self, msg_data_id: int, index: int = 0) -> dict:
        return self._comment("open", {"msg_data_id": msg_data_id, "index": index})

    def comment_close(self, msg_data_id: int, index: int = 0) -> dict:
        return self._comment("close", {"msg_data_id": msg_data_id, "index": index})

    def comment_list(self, msg_data_id: int, index: int = 0, begin: int = 0, count=None, kind=0):
        count = count or limits.get("comments")["page_size"]
        if count >= 50:
            raise ValidationError(_("WeChat returns fewer than 50 comments per page."))
        body = {
            "msg_data_id": msg_data_id,
            "index": index,
            "begin": begin,
            "count": count,
            "type": kind,
        }
        return self.post("/cgi-bin/comment/list", body, capability=C.COMMENTS, idempotent=True)

    def comment_markelect(self, msg_data_id: int, index: int, user_comment_id: int) -> dict:
        body = {"msg_data_id": msg_data_id, "index": index, "user_comment_id": user_comment_id}
        return self._comment("markelect", body)

    def comment_unmarkelect(self, msg_data_id: int, index: int, user_comment_id: int) -> dict:
        body = {"msg_data_id": msg_data_id, "index": index, "user_comment_id": user_comment_id}
        return self._comment("unmarkelect", body)

    def comment_delete(self, msg_data_id: int, index: int, user_comment_id: int) -> dict:
        body = {"msg_data_id": msg_data_id, "index": index, "user_comment_id": user_comment_id}
        return self._comment("delete", body)

    def comment_reply(self, msg_data_id: int, index: int, user_comment_id: int, content: str):
        body = {
            "msg_data_id": msg_data_id,
            "index": index,
            "user_comment_id": user_comment_id,
            "content": content,
        }
        return self._comment("reply/add", body)

    def comment_reply_delete(self, msg_data_id: int, index: int, user_comment_id: int) -> dict:
        body = {"msg_data_id": msg_data_id, "index": index, "user_comment_id": user_comment_id}
        return self._comment("reply/delete", body)

    # --- statistics ------------------------------------------------------------------------
    def datacube(self, endpoint: str, begin: date, end: date) -> list[dict]:
        require_capability(self.account, C.DATACUBE)
        validate_datacube_span(endpoint, begin, end)
        body = {"begin_date": begin.isoformat(), "end_date": end.isoformat()}
        result = self.post(f"/datacube/{endpoint}", body, capability=C.DATACUBE, idempotent=True)
        return result.get("list", [])

    # --- verified service accounts only (refused locally for 福建防汛) ---------------------
    def oauth_url(self, redirect_uri: str, scope: str = "snsapi_base", state: str = "") -> str:
        require_capability(self.account, C.OAUTH)
        # Parameter order and the fragment are required by WeChat.
        return (
            "https://open.weixin.qq.com/connect/oauth2/authorize"
            f"?appid={self.account.app_id}&redirect_uri={quote(redirect_uri, safe='')}"
            f"&response_type=code&scope={scope}&state={quote(state)}#wechat_redirect"
        )

    def template_send(self, openid: str, template_id: str, data: dict, url: str = "") -> dict:
        body = {"touser": openid, "template_id": template_id, "data": data, "url": url}
        return self.post("/cgi-bin/message/template/send", body, capability=C.TEMPLATE)

    def qrcode_create(self, scene: str | int, expire_seconds: int | None = None) -> dict:
        is_str = isinstance(scene, str)
        action = (
            ("QR_STR_SCENE" if is_str else "QR_SCENE")
            if expire_seconds
            else ("QR_LIMIT_STR_SCENE" if is_str else "QR_LIMIT_SCENE")
        )
        body = {
            "action_name": action,
            "action_info": {"scene": {"scene_str" if is_str else "scene_id": scene}},
            **({"expire_seconds": expire_seconds} if expire_seconds else {}),
        }
        return self.post("/cgi-bin/qrcode/create", body, capability=C.QRCODE)

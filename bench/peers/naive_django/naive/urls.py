import os

from django.db import IntegrityError
from django.http import HttpResponse, HttpResponseForbidden
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from naive.models import InboundMessage
from zhengwei.lib.wxcrypto import CryptoError, WXCrypto, check_signature
from zhengwei.lib.wxxml import XMLRejected, message_from_dict, xml_to_dict

crypto = WXCrypto(os.environ["BENCH_TOKEN"], os.environ["BENCH_AES_KEY"], os.environ["BENCH_APP_ID"])


@csrf_exempt
def callback(request, original_id):
    q = request.GET
    ts, nonce = q.get("timestamp"), q.get("nonce")
    if not check_signature(crypto.token, q.get("signature"), ts, nonce):
        return HttpResponseForbidden()
    if request.method == "GET":
        return HttpResponse(q.get("echostr", ""), content_type="text/plain")
    try:
        xml = crypto.decrypt_message(request.body, q.get("msg_signature"), ts, nonce)
        msg = message_from_dict(xml_to_dict(xml))
    except (CryptoError, XMLRejected):
        return HttpResponseForbidden()
    try:
        InboundMessage.objects.create(
            to_user=msg.to_user,
            from_user=msg.from_user,
            msg_type=msg.msg_type,
            msg_id=msg.msg_id or "",
            create_time=msg.create_time,
            content=msg.content or "",
            raw_xml=xml.decode(),
        )
    except IntegrityError:
        pass  # a WeChat retry: stored already
    return HttpResponse(b"success", content_type="text/plain")


urlpatterns = [path("wechat/callback/<str:original_id>/", callback)]

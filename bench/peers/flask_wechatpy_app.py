"""Peer for `bench/run callback`: a minimal Flask + wechatpy 2.0.0a26 safe-mode handler.

    gunicorn flask_wechatpy_app:app

Checks `signature`, verifies `msg_signature` and decrypts (wechatpy's WeChatCrypto), parses the
message (wechatpy's parse_message) and answers the plaintext "success". It stores nothing.
"""

import os

from flask import Flask, abort, request
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

TOKEN = os.environ["BENCH_TOKEN"]
crypto = WeChatCrypto(TOKEN, os.environ["BENCH_AES_KEY"], os.environ["BENCH_APP_ID"])

app = Flask(__name__)


@app.route("/wechat/callback/<original_id>/", methods=["GET", "POST"])
def callback(original_id):
    args = request.args
    try:
        check_signature(TOKEN, args.get("signature", ""), args.get("timestamp", ""), args.get("nonce", ""))
    except InvalidSignatureException:
        abort(403)
    if request.method == "GET":
        return args.get("echostr", "")
    try:
        xml = crypto.decrypt_message(
            request.get_data(), args.get("msg_signature", ""), args.get("timestamp", ""), args.get("nonce", "")
        )
    except (InvalidSignatureException, InvalidAppIdException):
        abort(403)
    parse_message(xml)
    return "success"

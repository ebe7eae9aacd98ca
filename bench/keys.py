"""Keys of the benchmark account: fixed, public, used only on loopback by `bench/run callback`."""

ORIGINAL_ID = "gh_be9c0ffee001"
APP_ID = "wxbe9c0ffee0002026"
APP_SECRET = "zhengweibenchappsecret00000000"
TOKEN = "zhengweiBenchToken2026"
ENCODING_AES_KEY = "ZhengWeiBenchEncodingAESKey2026Loopback0001"
CALLBACK_PATH = f"/wechat/callback/{ORIGINAL_ID}/"


def safe_mode_request(crypto, token: str, fields: dict) -> tuple[str, bytes]:
    """(query string, body) of a safe-mode delivery of ``fields`` as WeChat signs and encrypts it
    (``crypto``: a zhengwei.lib.wxcrypto.WXCrypto of the account)."""
    import random
    import time

    from zhengwei.lib.wxcrypto import make_signature
    from zhengwei.lib.wxxml import build_message_xml

    encrypt = crypto.encrypt(build_message_xml(fields))
    ts, nonce = str(int(time.time())), str(random.randrange(10**9, 10**10))
    query = (
        f"signature={make_signature(token, ts, nonce)}&timestamp={ts}&nonce={nonce}"
        f"&openid={fields['FromUserName']}&encrypt_type=aes"
        f"&msg_signature={crypto.sign(ts, nonce, encrypt)}"
    )
    body = (
        f"<xml><ToUserName><![CDATA[{fields['ToUserName']}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    )
    return query, body.encode()

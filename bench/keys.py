"""Keys of the benchmark account: fixed, public, used only on loopback by `bench/run callback`."""

ORIGINAL_ID = "gh_be9c0ffee001"
APP_ID = "wxbe9c0ffee0002026"
APP_SECRET = "zhengweibenchappsecret00000000"
TOKEN = "zhengweiBenchToken2026"
ENCODING_AES_KEY = "ZhengWeiBenchEncodingAESKey2026Loopback0001"
CALLBACK_PATH = f"/wechat/callback/{ORIGINAL_ID}/"

"""Peer for `bench/run callback`: a WeRoBot 1.13.1 robot in safe mode, served by gunicorn.

    gunicorn werobot_app:application

Keys come from the environment (BENCH_TOKEN, BENCH_AES_KEY, BENCH_APP_ID), set by the harness to
the same values the other servers use. The robot checks `signature`, verifies `msg_signature`,
decrypts and parses the message, and stores nothing.

Reply (BENCH_WEROBOT_REPLY):
- "success" (default): the text handler returns `SuccessReply()`, WeRoBot's documented answer for
  "nothing to say" (WeRoBot #167). In safe mode WeRoBot encrypts it, so the body is an encrypted
  envelope around "success": one AES encryption and one SHA-1 more per request than zhengwei does.
- "none": the handler returns nothing; WeRoBot answers an empty 200 body (also accepted by WeChat)
  and logs "No handler responded" at WARNING, which we silence so logging does not cost.

Sessions are disabled: WeRoBot's default session store is a shelve file read and written on every
message, which two workers must not share and which no peer here pays for.
"""

import logging
import os

from werobot import WeRoBot
from werobot.replies import SuccessReply

REPLY = os.environ.get("BENCH_WEROBOT_REPLY", "success")

robot = WeRoBot(
    token=os.environ["BENCH_TOKEN"],
    encoding_aes_key=os.environ["BENCH_AES_KEY"],
    app_id=os.environ["BENCH_APP_ID"],
    enable_session=False,
)
logging.getLogger("WeRoBot").setLevel(logging.ERROR)


@robot.handler
def on_message(message):
    if REPLY == "success":
        return SuccessReply()
    return None


application = robot.wsgi

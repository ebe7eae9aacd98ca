"""One competing process for test_token_single_refresh (run as a script, not collected).

Usage: python -m zhengwei.wechat.outbound.tests.race_child token|jsapi|call <account id> <directory>. It sets Django up from the
environment the test passes (database, fake API base, token mode, Redis), announces that it is
ready, waits for the starting gun, then asks for a token or a JS-SDK ticket, or makes one API call.
"""

import os
import sys
import time
from pathlib import Path

import django

django.setup()

from zhengwei.orgs.models import WeChatAccount  # noqa: E402
from zhengwei.wechat.outbound import tickets, tokens  # noqa: E402
from zhengwei.wechat.outbound.client import WeChatClient  # noqa: E402

what, account_id, directory = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
account = WeChatAccount.objects.get(pk=account_id)
(directory / f"ready-{os.getpid()}").touch()
while not (directory / "go").exists():
    time.sleep(0.002)
if what == "token":
    print(tokens.get_token(account))
elif what == "jsapi":
    print(tickets.get_jsapi_ticket(account))
else:
    print(",".join(WeChatClient(account).callback_ips()))

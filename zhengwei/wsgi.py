"""WSGI entry point: a small dispatcher in front of Django.

WeChat's callback (``/wechat/callback/…``) goes to a lean handler that skips Django's middleware
stack (zhengwei/wechat/inbound/fastpath.py, docs/wechat-callback.md); everything else is Django.
Both run in the same process with the same settings and database connections.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwei.settings")
django_application = get_wsgi_application()  # sets Django up before the callback is imported

from zhengwei.wechat.inbound.fastpath import PREFIX, callback_app, warm_up  # noqa: E402

warm_up()


def application(environ, start_response):
    if environ.get("PATH_INFO", "").startswith(PREFIX):
        return callback_app(environ, start_response)
    return django_application(environ, start_response)

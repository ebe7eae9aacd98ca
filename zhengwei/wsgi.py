"""WSGI entry point: a small dispatcher in front of Django.

WeChat's callback (``/wechat/callback/…``) goes to a lean handler that skips Django's middleware
stack (zhengwei/wechat/inbound/fastpath.py, docs/wechat-callback.md); so do readers of a public
live page whose rendered copy is in the shared cache (zhengwei/newsroom/live_fast.py, which hands
anything it is unsure of to Django); everything else is Django. They run in the same process
with the same settings and database connections.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwei.settings")
django_application = get_wsgi_application()  # sets Django up before the callback is imported

from zhengwei.newsroom import live_fast  # noqa: E402
from zhengwei.wechat.inbound.fastpath import PREFIX, callback_app, warm_up  # noqa: E402

warm_up()


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path.startswith(PREFIX):
        return callback_app(environ, start_response)
    if path.startswith(live_fast.PREFIX):
        body = live_fast.answer(environ, start_response)
        if body is not None:
            return body
    return django_application(environ, start_response)

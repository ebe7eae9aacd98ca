"""ASGI entry point for PostgreSQL deployments: ``gunicorn zhengwei.asgi:application -k asgi``.

WeChat's callback (``/wechat/callback/…``) goes to an asyncio handler with an async group
committer (zhengwei/wechat/inbound/asgi_callback.py, docs/wechat-callback.md); everything else is
Django's ASGI handler (console views run in Django's sync thread). The async committer is
PostgreSQL-only: on SQLite this entry point refuses to start — use zhengwei.wsgi (``./run``).
"""

import os

from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwei.settings")
django_application = get_asgi_application()  # sets Django up before the callback is imported

from django.conf import settings  # noqa: E402

if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured(
        "zhengwei.asgi needs PostgreSQL (its callback path commits through psycopg's async "
        "connection); on SQLite serve zhengwei.wsgi:application instead (./run does)."
    )

from zhengwei.wechat.inbound import asgi_callback  # noqa: E402
from zhengwei.wechat.inbound.fastpath import PREFIX, warm_up  # noqa: E402

warm_up()


async def _lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await asgi_callback.close()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["path"].startswith(PREFIX):
        return await asgi_callback.callback_app(scope, receive, send)
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send)
    return await django_application(scope, receive, send)

"""The project's ASGI application plus the storm test's side-effect handler, for the ASGI tests'
server processes (gunicorn zhengwei.wechat.inbound.tests.storm_asgi_app:application -k asgi)."""

from zhengwei.asgi import application
from zhengwei.wechat.inbound.tests import storm_app  # registers the side-effect handler

SIDE_EFFECT = storm_app.SIDE_EFFECT
__all__ = ["application", "SIDE_EFFECT"]

"""The project's WSGI application plus a handler with a visible side effect, for the retry-storm
test's server processes (gunicorn zhengwei.wechat.inbound.tests.storm_app:application)."""

from zhengwei.wsgi import application  # noqa: F401  (sets Django up first)
from zhengwei.audit.services import audit_record  # noqa: E402
from zhengwei.wechat.inbound.dispatch import on_any  # noqa: E402

SIDE_EFFECT = "test.storm_side_effect"


@on_any()
def leave_a_mark(message) -> None:
    audit_record(action=SIDE_EFFECT, object_type="inbound", object_id=str(message.pk))

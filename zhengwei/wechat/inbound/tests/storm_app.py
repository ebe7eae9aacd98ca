"""The project's WSGI application plus a handler with a visible side effect, for the retry-storm
test's server processes (gunicorn zhengwei.wechat.inbound.tests.storm_app:application)."""

from zhengwei.wsgi import application

SIDE_EFFECT = "test.storm_side_effect"


def _register() -> None:
    # Imported here: models can be imported only once zhengwei.wsgi has set Django up.
    from zhengwei.audit.services import audit_record
    from zhengwei.wechat.inbound.dispatch import on_any

    @on_any()
    def leave_a_mark(message) -> None:
        audit_record(action=SIDE_EFFECT, object_type="inbound", object_id=str(message.pk))


_register()
__all__ = ["application", "SIDE_EFFECT"]

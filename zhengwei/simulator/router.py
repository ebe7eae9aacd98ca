"""Where the simulator keeps its state.

When the platform runs on SQLite, the simulated WeChat gets its own SQLite file (settings adds a
``simulator`` database): a platform transaction that stays open across a WeChat API call — the
token authority's refresh lock, for instance — then never waits for the very process it is
calling, just as with the real api.weixin.qq.com. Without that alias (PostgreSQL), the
simulator's tables live in the default database, where row locks do not collide.
"""

from __future__ import annotations

from django.conf import settings

APP_LABEL = "simulator"


def alias() -> str:
    """The database alias of the simulator's tables (for ``transaction.atomic(using=...)``)."""
    return APP_LABEL if APP_LABEL in settings.DATABASES else "default"


class SimulatorRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label == APP_LABEL:
            return alias()
        return None

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        mine = {obj1._meta.app_label == APP_LABEL, obj2._meta.app_label == APP_LABEL}
        return True if mine == {True} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if APP_LABEL not in settings.DATABASES:
            return None
        if app_label == APP_LABEL:
            return db == APP_LABEL
        if db == APP_LABEL:
            return False  # nothing of the platform in WeChat's database
        return None

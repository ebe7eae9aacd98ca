from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    name = "zhengwei.interactions"
    label = "interactions"
    verbose_name = "公众号互动"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhengwei.console.nav import NavItem, register
        from zhengwei.interactions import chat, listeners  # noqa: F401  (dispatch handlers)
        from zhengwei.interactions import policy as P

        listeners.connect()
        group = _("Citizen interaction")
        for item in (
            NavItem(
                group,
                _("Inbox"),
                "interactions:inbox",
                P.INBOX_VIEW,
                _("Citizens' messages and article comments: classify, assign, reply"),
                "❝",
                30,
            ),
            NavItem(
                group,
                _("Reply templates"),
                "interactions:templates",
                P.TEMPLATES_VIEW,
                _("What the citizen is told at each step of a disaster report"),
                "✎",
                31,
            ),
        ):
            register(item)

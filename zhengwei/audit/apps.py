from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zhengwei.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from zhengwei.access.policy import Action
        from zhengwei.console.nav import NavItem, register

        register(
            NavItem(
                _("Audit"),
                _("Audit log"),
                "audit:list",
                Action.AUDIT_VIEW,
                _("Search and export who changed what, when and from where"),
                "⌕",
                900,
            )
        )

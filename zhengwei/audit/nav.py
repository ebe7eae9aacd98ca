"""Console navigation entries of this app (collected by ``zhengwei.console.nav``)."""

from django.utils.translation import gettext_lazy as _

from zhengwei.access.policy import Action
from zhengwei.lib.nav import NavItem

ITEMS = (
    NavItem(
        _("Audit"),
        _("Audit log"),
        "audit:list",
        Action.AUDIT_VIEW,
        _("Search and export who changed what, when and from where"),
        "⌕",
        900,
    ),
    NavItem(
        _("Audit"),
        _("Personal-data purges"),
        "audit:purges",
        Action.RETENTION_VIEW,
        _("What each daily purge removed, per class of personal data, and the oldest kept"),
        "⌫",
        910,
    ),
)

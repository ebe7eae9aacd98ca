"""Console navigation entries of this app (collected by ``zhengwei.console.nav``)."""

from django.utils.translation import gettext_lazy as _

from zhengwei.hydro import policy as P
from zhengwei.lib.nav import NavItem

group = _("Flood information")

ITEMS = (
    NavItem(
        group,
        _("Flood data imports"),
        "hydro:imports",
        P.HYDRO_VIEW,
        _("Import SL 323 tables and typhoon tracks; see what was rejected"),
        "⇪",
        300,
    ),
    NavItem(
        group,
        _("Daily flood briefings"),
        "hydro:briefings",
        P.HYDRO_VIEW,
        _("每日汛情简报 from the data, with charts, sent to the newsroom for review"),
        "☂",
        301,
    ),
)

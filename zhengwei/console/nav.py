"""Console navigation entries of this app (collected by ``zhengwei.console.nav``)."""

from django.utils.translation import gettext_lazy as _

from zhengwei.access.policy import Action
from zhengwei.lib.nav import NavItem

duty = _("Duty")
manage = _("Administration")

ITEMS = (
    NavItem(
        duty,
        _("Duty roster"),
        "console:roster",
        Action.ROSTER_VIEW,
        _("Who is on duty this week, A and B posts"),
        "◷",
        300,
    ),
    NavItem(
        manage,
        _("Organisations"),
        "console:organisation_list",
        Action.ORG_MANAGE,
        _("The office, the contractor and the county/township units"),
        "⌂",
        810,
    ),
    NavItem(
        manage,
        _("WeChat accounts"),
        "console:account_list",
        Action.ACCOUNT_MANAGE,
        _("AppID, secrets, server settings and operation model"),
        "✆",
        820,
    ),
    NavItem(
        manage,
        _("People and roles"),
        "console:person_list",
        Action.PEOPLE_VIEW,
        _("Sign-ins, organisations and the roles each person holds"),
        "☺",
        830,
    ),
    NavItem(
        manage,
        _("Role rules"),
        "console:role_rules",
        Action.PEOPLE_VIEW,
        _("Which side may hold which role under each operation model"),
        "⚖",
        840,
    ),
)

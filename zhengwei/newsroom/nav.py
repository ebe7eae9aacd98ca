"""Console navigation entries of this app (collected by ``zhengwei.console.nav``)."""

from django.utils.translation import gettext_lazy as _

from zhengwei.lib.nav import NavItem
from zhengwei.newsroom import policy as P

group = _("Newsroom")

ITEMS = (
    NavItem(
        group,
        _("Articles and review"),
        "newsroom:home",
        P.VIEW,
        _("Write, check and review articles (三审)"),
        "✎",
        200,
    ),
    NavItem(
        group,
        _("Topics and directions"),
        "newsroom:topics",
        P.VIEW,
        _("Proposed topics (报题), assignments and the office's directions"),
        "☰",
        201,
    ),
    NavItem(
        group,
        _("Planning calendar"),
        "newsroom:calendar",
        P.VIEW,
        _("Planned, scheduled and published pushes against the cadence"),
        "▦",
        202,
    ),
    NavItem(
        group,
        _("Emergency mode"),
        "newsroom:emergency",
        P.VIEW,
        _("Typhoon or rainstorm: fast-track review, emergency menu, reporters on site"),
        "⚡",
        203,
    ),
    NavItem(
        group,
        _("Live coverage"),
        "newsroom:live_list",
        P.VIEW,
        _("图文直播: short entries from the site, checked by the office"),
        "◉",
        204,
    ),
    NavItem(
        group,
        _("Newsroom metrics"),
        "newsroom:metrics",
        P.METRICS_VIEW,
        _("Draft to publication, review times, originals, cadence met"),
        "▤",
        205,
    ),
    NavItem(
        group,
        _("Word lists"),
        "newsroom:words",
        P.WORDS_MANAGE,
        _("Banned and sensitive words, typos, officials' names and titles"),
        "⚠",
        209,
    ),
    NavItem(
        group,
        _("Review chain"),
        "newsroom:chain",
        P.CHAIN_MANAGE,
        _("Levels of review (三审) and the emergency fast track"),
        "⛓",
        210,
    ),
)

"""The crawl: every URL pattern of the project, visited as every persona (issue #7).

Two test modules drive it: ``console/tests/test_privacy_crawl.py`` (seeded citizens' personal data
never reaches a persona that may not see it) and ``console/tests/test_page_crawl.py`` (no page
answers 500 or shows a raw code). Nothing here names an app's pages one by one: the URL patterns
are read from the URL conf, so a new app's pages are crawled the day they are added.

**When you add a URL pattern with path parameters** (``<int:pk>``, ``<str:ticket>``…), the crawl
cannot invent them. Add an entry to ``url_params`` below, keyed by the pattern's name
(``"namespace:name"``): a function of the ``CrawlContext`` (the test world and the seeded
citizens' objects) that returns the kwargs for ``reverse`` — one dict, or a list of dicts to visit
several objects. It may create what it needs with your app's services or factories. Only when a
pattern truly cannot or need not be visited, name it in ``NOT_CRAWLED`` with the reason
(``"namespace:*"`` covers a whole namespace). The crawl test fails, naming the pattern, until one
of the two is there.

Links found on the pages visited (``href``, ``src``, ``hx-get``, ``data-url``…) are followed one
level further, so a detail page's photo and export links are checked too.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image, UnidentifiedImageError

# --- The patterns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name", or the route itself when the pattern has no name
    route: str
    params: tuple[str, ...]
    fixed: tuple[
        tuple[str, Any], ...
    ] = ()  # kwargs given in the URL conf (path(..., {"fmt": "csv"}))


def _route_of(pattern) -> str:
    return str(pattern.pattern)


def _params_of(pattern) -> tuple[str, ...]:
    regex = pattern.pattern.regex
    return tuple(regex.groupindex) or tuple(f"#{i}" for i in range(regex.groups))


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the project, with its full name, route and path parameters."""
    found: list[Pattern] = []

    def walk(patterns, prefix: str, namespace: str, params: tuple[str, ...]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace
                child_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                walk(
                    p.url_patterns,
                    prefix + _route_of(p),
                    child_ns,
                    params + _params_of(p),
                )
            elif isinstance(p, URLPattern):
                route = prefix + _route_of(p)
                name = f"{namespace}:{p.name or route}" if namespace else (p.name or route)
                found.append(
                    Pattern(
                        name=name,
                        route=route,
                        params=params + _params_of(p),
                        fixed=tuple(sorted((p.default_args or {}).items())),
                    )
                )

    walk(get_resolver().url_patterns, "/", "", ())
    return found


# --- What the crawl needs to know about parameters ----------------------------------------------


@dataclass
class CrawlContext:
    """What ``url_params`` functions get: the test world (``world.account``, ``world["editor"]``
    …) and the objects the crawl test seeded (``seeded["report"]``, ``seeded["conversation"]``…)."""

    world: Any
    seeded: dict[str, Any] = field(default_factory=dict)

    @property
    def account(self):
        return self.world.account

    def __getitem__(self, key: str) -> Any:
        return self.seeded[key]


Kwargs = dict[str, Any]
UrlParams = Callable[[CrawlContext], Kwargs | list[Kwargs]]


def _report(c: CrawlContext):
    return c["report"]


def _first(model_path: str, **filters) -> Callable[[CrawlContext], list[Kwargs]]:
    """The pk of the first object of ``model_path`` ("app_label.Model") on the test account."""

    def params(c: CrawlContext) -> list[Kwargs]:
        from django.apps import apps

        model = apps.get_model(model_path)
        qs = model.objects.all()
        if any(f.name == "account" for f in model._meta.fields):
            qs = qs.filter(account=c.account)
        pk = qs.filter(**filters).values_list("pk", flat=True).first()
        return [{"pk": pk}] if pk is not None else []

    return params


def _photos(c: CrawlContext) -> list[Kwargs]:
    photo = c["report"].photos.first()
    if photo is None:
        return []
    return [{"pk": photo.pk, "variant": v} for v in ("display", "thumb", "original")]


def _report_verbs(c: CrawlContext) -> list[Kwargs]:
    return [{"ticket": c["report"].ticket, "verb": "triage"}]


def _typhoon(c: CrawlContext) -> list[Kwargs]:
    from zhengwei.hydro.models import Typhoon

    Typhoon.objects.get_or_create(tfid="201709", defaults={"name_cn": "纳沙", "season": 2017})
    return [{"tfid": "201709"}]


def _briefing(c: CrawlContext) -> list[Kwargs]:
    """A small briefing of the test account (no data: the text says so; one chart)."""
    from datetime import timedelta

    from django.utils import timezone

    from zhengwei.hydro.models import Briefing, BriefingChart

    briefing = Briefing.objects.filter(account=c.account).first()
    if briefing is None:
        end = timezone.now()
        briefing = Briefing.objects.create(
            account=c.account,
            title="汛情简报",
            window_start=end - timedelta(days=1),
            window_end=end,
            body_html="<p>—</p>",
            created_at=end,
        )
        BriefingChart.objects.create(briefing=briefing, kind="qr", title="QR", png=_png())
    return [{"pk": briefing.pk}]


def _briefing_charts(c: CrawlContext) -> list[Kwargs]:
    from zhengwei.hydro.models import BriefingChart

    pk = _briefing(c)[0]["pk"]
    return [
        {"pk": pk, "kind": k}
        for k in BriefingChart.objects.filter(briefing_id=pk).values_list("kind", flat=True)
    ]


def _png() -> bytes:
    """A real (tiny, black and white) image: the crawl decodes every image it is served."""
    out = io.BytesIO()
    Image.new("L", (16, 16), 255).save(out, "PNG")
    return out.getvalue()


def _import_run(c: CrawlContext) -> list[Kwargs]:
    from django.utils import timezone

    from zhengwei.hydro.models import ImportRun

    run = ImportRun.objects.first() or ImportRun.objects.create(
        kind="ST_PPTN_R",
        source="crawl.csv",
        status="failed",
        error="crawl.csv (line 1): unrecognised format",
        started_at=timezone.now(),
    )
    return [{"pk": run.pk}]


def _status(c: CrawlContext) -> list[Kwargs]:
    from zhengwei.reports import links

    report = c["report"]
    path = links.status_path(report.ticket)
    parts = [p for p in path.split("/") if p]
    return [{"ticket": parts[-2], "token": parts[-1]}]


def _purchase(c: CrawlContext):
    """A 福建防汛 purchase driven through every step (made once per crawl)."""
    if "procurement_case" not in c.seeded:
        from zhengwei.procurement.tests.flow import run_to

        c.seeded["procurement_case"] = run_to(c.world)
    return c.seeded["procurement_case"]


def _procurement_documents(c: CrawlContext) -> list[Kwargs]:
    pk = _purchase(c).purchase.pk
    kinds = ("requirements", "evaluation", "contract", "acceptance")
    return [{"pk": pk, "kind": k, "fmt": f} for k in kinds for f in ("pdf", "docx")]


def _newsroom_article(c: CrawlContext) -> Kwargs:
    """An article on the test account with two revisions and one finding (a typo)."""
    from zhengwei.newsroom import services
    from zhengwei.newsroom.models import Article

    article = Article.objects.filter(account=c.account).first()
    if article is None:
        article = services.article_create(
            actor=c.world["writer"], account=c.account, title="防汛动态", body_html="<p>按装</p>"
        )
        services.article_save(actor=c.world["writer"], article=article, digest="摘要")
    return {"pk": article.pk}


def _newsroom_topic(c: CrawlContext) -> Kwargs:
    from zhengwei.newsroom import services
    from zhengwei.newsroom.models import Topic

    topic = Topic.objects.filter(account=c.account).first() or services.topic_propose(
        actor=c.world["writer"], account=c.account, title="台风转移安置"
    )
    return {"pk": topic.pk}


def _newsroom_push(c: CrawlContext) -> Kwargs:
    from datetime import date

    from zhengwei.newsroom import services
    from zhengwei.newsroom.models import Push

    push = Push.objects.filter(account=c.account).first() or services.push_plan(
        actor=c.world["operator"], account=c.account, title="防汛推送", planned_for=date.today()
    )
    return {"pk": push.pk}


def _newsroom_live(c: CrawlContext) -> dict:
    """A live page with one office-checked entry (public by design: it is the office's own
    coverage, checked before it shows)."""
    from zhengwei.newsroom import services
    from zhengwei.newsroom.models import LiveEntry, LiveEvent

    event = LiveEvent.objects.filter(account=c.account).first() or services.live_event_open(
        actor=c.world["office_reviewer"], account=c.account, title="防汛会议直播", slug="crawl-live"
    )
    entry = LiveEntry.objects.filter(event=event).first()
    if entry is None:
        entry = services.live_entry_post(actor=c.world["writer"], event=event, body="会议开始")
        services.live_entry_check(actor=c.world["office_reviewer"], entry=entry, approve=True)
    return {"event": event, "entry": entry}


def _newsroom_term(c: CrawlContext) -> Kwargs:
    from zhengwei.newsroom.models import Term

    term, _ = Term.objects.get_or_create(account=c.account, kind="banned", term="绝对安全")
    return {"pk": term.pk}


def _content_change(c: CrawlContext) -> Kwargs:
    """A keyword reply the contractor's operator drafted, waiting for the office's approval."""
    from zhengwei.wechat.inbound import changes

    if "content_change" not in c.seeded:
        c.seeded["content_change"] = changes.content_change_open(
            actor=c.world["operator"],
            account=c.account,
            kind="keyword",
            op="create",
            payload={"keyword": "水位", "match": "contains", "reply_text": "闽江水位正常。"},
        )
    return {"pk": c.seeded["content_change"].pk}


url_params: dict[str, UrlParams] = {
    # console
    "console:organisation_edit": lambda c: {"pk": c.world.office.pk},
    "console:account_detail": lambda c: {"pk": c.account.pk},
    "console:account_edit": lambda c: {"pk": c.account.pk},
    "console:person_detail": lambda c: {"pk": c.world["duty_officer"].pk},
    "console:person_edit": lambda c: {"pk": c.world["duty_officer"].pk},
    "console:person_set_active": lambda c: {"pk": c.world["duty_officer"].pk},
    "console:person_security": lambda c: {"pk": c.world["duty_officer"].pk},
    "console:person_grant": lambda c: {"pk": c.world["duty_officer"].pk},
    "console:person_grant_roles": lambda c: {"pk": c.world["duty_officer"].pk},
    "console:grant_revoke": _first("orgs.RoleGrant"),
    "console:shift_delete": _first("orgs.DutyShift"),
    # audit
    "audit:detail": _first("audit.AuditEntry"),
    # wechat
    "wechat_inbound:keyword_edit": _first("wechat_inbound.KeywordReply"),
    "wechat_inbound:keyword_delete": _first("wechat_inbound.KeywordReply"),
    "wechat_inbound:menu_edit": _first("wechat_inbound.MenuClickReply"),
    "wechat_inbound:menu_delete": _first("wechat_inbound.MenuClickReply"),
    "wechat_inbound:change": _content_change,
    "wechat_inbound:change_act": lambda c: {**_content_change(c), "verb": "approve"},
    # reports
    "reports:export": lambda c: [{"fmt": f} for f in ("csv", "geojson", "xlsx")],
    "reports:routing_delete": _first("reports.RoutingRule"),
    "reports:photo": _photos,
    "reports:detail": lambda c: {"ticket": _report(c).ticket},
    "reports:reveal_phone": lambda c: {"ticket": _report(c).ticket},
    "reports:act": _report_verbs,
    "reports:status": _status,
    "reports:open311_discovery": lambda c: [{"fmt": "json"}, {"fmt": "xml"}],
    "reports:open311_services": lambda c: [{"fmt": "json"}, {"fmt": "xml"}],
    "reports:open311_service": lambda c: {"code": _report(c).hazard, "fmt": "json"},
    "reports:open311_requests": lambda c: [{"fmt": "json"}, {"fmt": "xml"}],
    "reports:open311_request": lambda c: [
        {"request_id": _report(c).ticket, "fmt": "json"},
        {"request_id": _report(c).ticket, "fmt": "xml"},
    ],
    # duty
    "duty:report_act": lambda c: {"ticket": _report(c).ticket, "verb": "triage"},
    # interactions
    "interactions:conversation": lambda c: {"pk": c["conversation"].pk},
    "interactions:conversation_act": lambda c: {"pk": c["conversation"].pk, "verb": "assign"},
    "interactions:draft_act": lambda c: (
        {"pk": c["draft"].pk, "verb": "approve"} if c.seeded.get("draft") else []
    ),
    # hydro (flood data: public live pages, console imports)
    "hydro:live_typhoon_one": _typhoon,
    "hydro:live_typhoon_json": _typhoon,
    "hydro:import_rejects": _import_run,
    "hydro:briefing": _briefing,
    "hydro:briefing_offer": _briefing,
    "hydro:briefing_chart": _briefing_charts,
    # procurement (a purchase through every step; act is POST only, the crawl's GET gets 405)
    "procurement:detail": lambda c: {"pk": _purchase(c).purchase.pk},
    "procurement:act": lambda c: {"pk": _purchase(c).purchase.pk, "action": "review"},
    "procurement:score": lambda c: {"pk": _purchase(c).purchase.pk},
    "procurement:document": _procurement_documents,
    "procurement:supplier": lambda c: {"pk": _purchase(c).suppliers[0].pk},
    "procurement:evidence": lambda c: {"pk": _purchase(c).suppliers[0].evidence.first().pk},
    # newsroom
    "newsroom:article": _newsroom_article,
    "newsroom:diff": _newsroom_article,
    "newsroom:article_act": lambda c: {**_newsroom_article(c), "verb": "comment"},
    "newsroom:topic_act": lambda c: {**_newsroom_topic(c), "verb": "update"},
    "newsroom:word_delete": _newsroom_term,
    "newsroom:push": _newsroom_push,
    "newsroom:live_desk": lambda c: {"pk": _newsroom_live(c)["event"].pk},
    "newsroom_live:page": lambda c: {"slug": _newsroom_live(c)["event"].slug},
    "newsroom_live:feed": lambda c: {"slug": _newsroom_live(c)["event"].slug},
    "newsroom_live:photo": lambda c: {
        "slug": _newsroom_live(c)["event"].slug,
        "pk": _newsroom_live(c)["entry"].pk,
    },
    "newsroom:push_act": lambda c: {**_newsroom_push(c), "verb": "retry"},
    # performance (scorecards exist once computed; items are acted on by POST only)
    "performance:scorecard": _first("performance.Scorecard"),
    "performance:scorecard_sign": _first("performance.Scorecard"),
    "performance:acceptance_pdf": _first("performance.Scorecard"),
    "performance:item_act": lambda c: [
        {**kw, "verb": "confirm"} for kw in _first("performance.ScorecardItem")(c)
    ],
}

NOT_CRAWLED: dict[str, str] = {
    "wechat_inbound:callback": "WeChat's servers only: every request must be signed "
    "(wechat/inbound/tests cover it); a GET without a signature is refused",
    "admin:*": "Django's admin: staff superusers only, and only the audit trail is registered "
    "(read-only); its object pages are reached by links from the admin index, followed by the crawl",
    "reports:open311_token": "Open311 tokens are issued per POST of a client's request; "
    "the token page shows the ticket only (tested in reports/tests/test_open311_spec.py)",
    "simulator:*": "the citizen's phone simulator (SIMULATOR_ENABLED only, never in production); "
    "it shows a citizen their own conversation",
}


def not_crawled_reason(name: str) -> str | None:
    if name in NOT_CRAWLED:
        return NOT_CRAWLED[name]
    namespace = name.rsplit(":", 1)[0] if ":" in name else ""
    while namespace:
        if f"{namespace}:*" in NOT_CRAWLED:
            return NOT_CRAWLED[f"{namespace}:*"]
        namespace = namespace.rsplit(":", 1)[0] if ":" in namespace else ""
    return None


def missing_entries(patterns: Iterable[Pattern] | None = None) -> list[str]:
    """One message per pattern with path parameters that neither ``url_params`` nor
    ``NOT_CRAWLED`` names: what the developer must add."""
    problems = []
    for p in patterns if patterns is not None else url_patterns():
        free = [x for x in p.params if x not in dict(p.fixed)]
        if not free or p.name in url_params or not_crawled_reason(p.name) is not None:
            continue
        problems.append(
            f"URL pattern {p.name!r} ({p.route}) has path parameters {free} the crawl cannot "
            f"invent: add an entry to url_params in zhengwei/testing/crawl.py, e.g. "
            f'"{p.name}": lambda c: {{{", ".join(f"{x!r}: ..." for x in free)}}}, '
            f"or name it in NOT_CRAWLED there with the reason it is not visited."
        )
    return problems


def start_urls(context: CrawlContext, patterns: Iterable[Pattern] | None = None) -> list[str]:
    """The URL of every pattern: parameterless ones as they are, the others through
    ``url_params`` (patterns in ``NOT_CRAWLED`` are left out)."""
    urls: list[str] = []
    for p in patterns if patterns is not None else url_patterns():
        if not_crawled_reason(p.name) is not None:
            continue
        free = [x for x in p.params if x not in dict(p.fixed)]
        if not free:
            if ":" in p.name or not p.params:
                urls.append(_reverse_or_route(p, {}))
            continue
        maker = url_params.get(p.name)
        if maker is None:
            continue
        made = maker(context)
        for kwargs in [made] if isinstance(made, dict) else list(made):
            urls.append(reverse(p.name, kwargs=kwargs))
    return sorted(set(u for u in urls if u))


def _reverse_or_route(p: Pattern, kwargs: Kwargs) -> str:
    try:
        return reverse(p.name, kwargs=kwargs)
    except Exception:  # an unnamed pattern: its route is its URL
        route = p.route.lstrip("^").rstrip("$")
        return route if not re.search(r"[\\(\[?*+]", route) else ""


# --- Visiting ------------------------------------------------------------------------------------

_LINK = re.compile(r"""(?:href|src|hx-get|data-url|data-src|data-geojson)\s*=\s*["']([^"'#]+)""")
SKIP_PREFIXES = ("/static/", "/signout/", "/i18n/", "/sim/")


@dataclass
class Visit:
    persona: str
    url: str
    status: int
    content_type: str
    text: str
    via: str = ""
    image: bytes = b""  # the body of an image (text is "" then)


def shows_photo(visit: Visit, colour: tuple[int, int, int], *, tolerance: int = 24) -> bool:
    """Whether an image the crawl was served is the seeded citizen's photo: that photo is one
    colour nobody's chart or QR code uses, and the photo views re-encode and scale it (so the
    bytes differ) but keep its colour. An image is told by what it shows, not by its URL, so a
    new page serving citizens' photos is caught and charts and codes are not mistaken for one."""
    if not visit.image:
        return False
    try:
        with Image.open(io.BytesIO(visit.image)) as img:
            data = img.convert("RGB").resize((16, 16)).tobytes()
    except (UnidentifiedImageError, OSError, ValueError):
        return False
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    near = sum(
        1 for px in pixels if all(abs(a - b) <= tolerance for a, b in zip(px, colour, strict=True))
    )
    return near >= len(pixels) // 2


def response_text(response) -> str:
    """What a person could read in the response: HTML/JSON/CSV as text, the text inside an
    .xlsx, nothing for images (checked by content type)."""
    body = _body(response)
    ctype = response.get("Content-Type", "")
    if "spreadsheetml" in ctype or body[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                return "\n".join(
                    z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")
                )
        except zipfile.BadZipFile:
            pass
    if ctype.startswith("image/"):
        return ""
    return body.decode("utf-8", "replace")


def _body(response) -> bytes:
    if not getattr(response, "streaming", False):
        return response.content
    # A streamed body can be read once: keep it for the second caller.
    if not hasattr(response, "crawl_body"):
        response.crawl_body = b"".join(response.streaming_content)
    return response.crawl_body


def links_in(text: str, base: str) -> list[str]:
    out = []
    for raw in _LINK.findall(text):
        url = urljoin(base, raw.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIP_PREFIXES):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def crawl(client, persona: str, urls: Iterable[str], *, follow: int = 150) -> list[Visit]:
    """GET every URL as the client's signed-in persona, then up to ``follow`` links found on
    those pages (one level). Nothing is posted: the crawl changes nothing."""
    visits: list[Visit] = []
    seen: set[str] = set()
    queue = [(u, "") for u in urls]
    extra = 0
    while queue:
        url, via = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        text = response_text(response)
        ctype = response.get("Content-Type", "")
        image = _body(response) if ctype.startswith("image/") else b""
        visits.append(Visit(persona, url, response.status_code, ctype, text, via, image))
        if via or response.status_code != 200 or "html" not in visits[-1].content_type:
            continue
        for link in links_in(text, url):
            if link not in seen and extra < follow:
                extra += 1
                queue.append((link, url))
    return visits


# --- Raw codes shown to people ------------------------------------------------------------------

# Elements whose text is meant to be a code (the auditor's code column, an original id, an
# example to copy) are marked so: <code>, <kbd>, <pre>, or any element with ``data-code``.
_CODE_TAGS = {"code", "kbd", "pre", "samp", "script", "style", "template", "textarea"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
_SHOWN_ATTRS = ("title", "placeholder", "alt", "aria-label")

# A code is snake_case (in_progress, SIM_REPORT_GUIDE) or dotted snake (report.escalated,
# auth.sign_in); tokens inside web addresses, e-mail addresses, file names and {placeholders}
# (what an editor types into a template) are not codes.
_SNAKE = re.compile(r"(?<![\w./@:{-])([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)(?![\w/@}-]|\.\w)")
_DOTTED = re.compile(r"(?<![\w./@:-])([a-z][a-z_]*(?:\.[a-z][a-z_]*)+)(?![\w/@(-])")
_NOT_CODE_SUFFIX = re.compile(
    r"\.(com|cn|org|net|gov|edu|io|json|jsonl|csv|xlsx|pdf|docx|png|jpe?g|html?|txt|md|py|mo|po|"
    r"lock|sqlite3|zip|xml|geojson)$"
)


class _Visible(HTMLParser):
    """The text a person reads on a page: element text and the attributes shown on hover or in
    an empty field, without scripts, styles and what is marked as a code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: inside a code?
        self.parts: list[str] = []

    def _in_code(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs) -> None:
        code = self._in_code() or tag in _CODE_TAGS or any(k == "data-code" for k, _ in attrs)
        if not code:
            self.parts.extend(v for k, v in attrs if k in _SHOWN_ATTRS and v)
        if tag not in _VOID:
            self.stack.append(code)

    def handle_startendtag(self, tag, attrs) -> None:
        if not self._in_code():
            self.parts.extend(v for k, v in attrs if k in _SHOWN_ATTRS and v)

    def handle_endtag(self, tag) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data) -> None:
        if not self._in_code():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


def raw_codes(html: str, *, codes: Iterable[str] = (), terms: Iterable[str] = ()) -> list[str]:
    """The internal codes a person would read on an HTML page: snake_case and dotted identifiers
    (TextChoices values such as ``in_progress``, event and action names such as
    ``report.escalated``, menu keys such as ``SIM_REPORT_GUIDE``) and any of ``codes`` (single-word
    values and keys) standing alone. People see labels; a code meant to be read (the auditor's
    second column) is marked ``<code>`` or ``data-code``. ``terms`` are words people type or
    configure themselves (sign-in names, setting names): never reported."""
    text = visible_text(html)
    found = [m for m in _SNAKE.findall(text)]
    found += [m for m in _DOTTED.findall(text) if not _NOT_CODE_SUFFIX.search(m)]
    for code in codes:
        if re.search(rf"(?<![\w./@:{{-]){re.escape(code)}(?![\w/@}}-])", text):
            found.append(code)
    return sorted(set(found) - set(terms))


# --- Stray spaces inside Chinese sentences -------------------------------------------------------

# Where a browser breaks the line: whitespace between two of these is never shown.
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "button", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "img", "input", "label", "legend", "li",
    "main", "nav", "ol", "optgroup", "option", "p", "section", "select", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
}  # fmt: skip
# Han characters and the punctuation of Chinese sentences (a ＋ or › before a word is a symbol).
_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff、。〈〉《》「」『』【】〔〕，：；？！（）]"
_STRAY = re.compile(rf"{_CJK} +{_CJK}")
_BOXES = {
    "btn",
    "badge",
    "zw-state",
    "form-control",
    "form-select",
    "nav-link",
    "dropdown-item",
    "d-block",
}
# Containers that lay their children out as boxes (flex and grid items; the sidebar's links are
# blocks in console.css; the legend's items are spaced by it).
_LAYOUTS = {
    "d-flex",
    "d-inline-flex",
    "d-grid",
    "row",
    "btn-group",
    "input-group",
    "zw-side",
    "zw-legend",
}


_BREAK = "\x00"  # where a line ends on screen (a block's edge); text never holds it


class _Runs(_Visible):
    """Visible text as the browser lays it out: one run per block, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.boxed: list[bool] = []  # per open element: does it end a run?
        self.lays_out: list[bool] = []  # per open element: are its children boxes?

    def _break(self) -> None:
        self.parts.append(_BREAK)

    def _alone(self, start: int) -> None:
        # An attribute shown on hover (title, placeholder) is not part of the sentence around it.
        self.parts[start:] = [x for v in self.parts[start:] for x in (_BREAK, v, _BREAK)]

    def handle_starttag(self, tag, attrs) -> None:
        # A button or a badge is a box of its own: the space beside it is layout, not a sentence.
        classes = set((dict(attrs).get("class") or "").split())
        in_layout = bool(self.lays_out) and self.lays_out[-1]
        # <small> is small print beside the text (a subtitle, a limit), not part of its sentence.
        boxed = tag in _BLOCK or tag == "small" or bool(_BOXES & classes) or in_layout
        self.boxed.append(boxed)
        self.lays_out.append(tag == "nav" or bool(_LAYOUTS & classes))
        if boxed:
            self._break()
        start = len(self.parts)
        super().handle_starttag(tag, attrs)
        self._alone(start)
        if boxed:
            self._break()
        if tag in _VOID:
            self.boxed.pop()
            self.lays_out.pop()

    def handle_startendtag(self, tag, attrs) -> None:
        if tag in _BLOCK:
            self._break()
        start = len(self.parts)
        super().handle_startendtag(tag, attrs)
        self._alone(start)

    def handle_endtag(self, tag) -> None:
        super().handle_endtag(tag)
        if tag not in _VOID and self.lays_out:
            self.lays_out.pop()
        if tag not in _VOID and self.boxed and self.boxed.pop():
            self._break()

    def handle_data(self, data) -> None:
        self.parts.append(data if not self._in_code() else _BREAK)


def stray_spaces(html: str) -> list[str]:
    """Spaces a person sees between two Chinese characters ("报告 已提交", "已转 闽侯县"): template
    whitespace or fragments joined with a space. Spaces beside numbers and Latin words are fine,
    and so is whatever is marked as a code (<code>, <pre>, ``data-code``)."""
    parser = _Runs()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    found = []
    for run in text.split(_BREAK):
        run = re.sub(r"[ \t\r\n\f]+", " ", run)
        for m in _STRAY.finditer(run):
            found.append(run[max(0, m.start() - 8) : m.end() + 8])
    return sorted(set(found))

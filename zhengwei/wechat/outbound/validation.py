"""Checks made before sending, with the limits of limits.py, so that mistakes are explained in
Chinese at once instead of coming back as a bare errcode (40018, 45003, …)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.wechat.outbound import limits


def _bytes(value: Any) -> int:
    return len(str(value or "").encode("utf-8"))


@dataclass(frozen=True)
class MenuProblem:
    """One thing wrong with a menu, and where: ``top``/``sub`` are 1-based button positions
    (``None`` for the menu as a whole), ``field`` is name, type, key, url, article_id or
    sub_button (the number of sub-buttons) or button (the number of top-level buttons)."""

    message: str
    field: str
    top: int | None = None
    sub: int | None = None


def menu_problems(menu: dict) -> list[MenuProblem]:
    conf = limits.get("menu")
    problems: list[MenuProblem] = []
    buttons = menu.get("button") or []
    if not 1 <= len(buttons) <= conf["top_level_max"]:
        problems.append(
            MenuProblem(
                _("A menu has 1 to %(max)d top-level buttons, not %(n)d.")
                % {"max": conf["top_level_max"], "n": len(buttons)},
                "button",
            )
        )
    for i, button in enumerate(buttons, 1):
        subs = button.get("sub_button")
        where = _("top-level button %(i)d") % {"i": i}
        _check_button(
            button, where, conf["top_name_bytes"], conf, problems, (i, None), has_subs=bool(subs)
        )
        if subs is None:
            continue
        if not 1 <= len(subs) <= conf["sub_button_max"]:
            problems.append(
                MenuProblem(
                    _("%(where)s has 1 to %(max)d sub-buttons, not %(n)d.")
                    % {"where": where, "max": conf["sub_button_max"], "n": len(subs)},
                    "sub_button",
                    i,
                )
            )
        for j, sub in enumerate(subs, 1):
            sub_where = _("sub-button %(i)d.%(j)d") % {"i": i, "j": j}
            _check_button(
                sub, sub_where, conf["sub_name_bytes"], conf, problems, (i, j), has_subs=False
            )
    return problems


def validate_menu(menu: dict) -> None:
    problems = menu_problems(menu)
    if problems:
        raise ValidationError([p.message for p in problems])


def _check_button(button, where, name_max, conf, problems, at, *, has_subs) -> None:
    def problem(field: str, message: str) -> None:
        problems.append(MenuProblem(message, field, *at))

    name = button.get("name") or ""
    if not name or _bytes(name) > name_max:
        problem(
            "name",
            _("%(where)s: the name must be 1 to %(max)d bytes (a Chinese character is 3 bytes).")
            % {"where": where, "max": name_max},
        )
    if has_subs:
        return  # a button with a sub-menu has no type of its own
    kind = button.get("type")
    if kind not in conf["types"]:
        problem(
            "type", _("%(where)s: unknown button type %(type)r.") % {"where": where, "type": kind}
        )
    if kind == "view" and not button.get("url"):
        problem("url", _("%(where)s: a view button needs a url.") % {"where": where})
    if kind in {"article_id", "article_view_limited"} and not button.get("article_id"):
        problem(
            "article_id",
            _("%(where)s: this button type needs the article_id of a published article.")
            % {"where": where},
        )
    if kind in {"click", "scancode_push", "scancode_waitmsg", "location_select"} or (
        kind or ""
    ).startswith("pic_"):
        if not button.get("key"):
            problem("key", _("%(where)s: this button type needs a key.") % {"where": where})
    if _bytes(button.get("key")) > conf["key_bytes"]:
        problem(
            "key",
            _("%(where)s: the key is longer than %(max)d bytes.")
            % {"where": where, "max": conf["key_bytes"]},
        )
    if _bytes(button.get("url")) > conf["url_bytes"]:
        problem(
            "url",
            _("%(where)s: the URL is longer than %(max)d bytes.")
            % {"where": where, "max": conf["url_bytes"]},
        )


def validate_article(article: dict) -> None:
    conf = limits.get("draft")
    errors: list[str] = []
    kind = article.get("article_type", "news")
    if kind not in conf["article_types"]:
        errors.append(_("Unknown article type %(type)r.") % {"type": kind})
    title = article.get("title") or ""
    if not title or len(title) > conf["title_chars"]:
        errors.append(
            _("The title must be 1 to %(max)d characters.") % {"max": conf["title_chars"]}
        )
    if len(article.get("author") or "") > conf["author_chars"]:
        errors.append(
            _("The author must be at most %(max)d characters.") % {"max": conf["author_chars"]}
        )
    if len(article.get("digest") or "") > conf["digest_chars"]:
        errors.append(
            _("The digest must be at most %(max)d characters.") % {"max": conf["digest_chars"]}
        )
    content = article.get("content") or ""
    if len(content) >= conf["content_chars"] or _bytes(content) >= conf["content_bytes"]:
        errors.append(
            _("The body must be shorter than %(max)d characters and 1 MB.")
            % {"max": conf["content_chars"]}
        )
    if _bytes(article.get("content_source_url")) > conf["source_url_bytes"]:
        errors.append(_("The original-article link is longer than 1 KB."))
    if kind == "news" and not article.get("thumb_media_id"):
        errors.append(_("A news article needs a cover (a permanent image material)."))
    if errors:
        raise ValidationError(errors)


def validate_articles(articles: list[dict]) -> None:
    if not articles:
        raise ValidationError(_("A draft needs at least one article."))
    for article in articles:
        validate_article(article)


def validate_datacube_span(endpoint: str, begin: date, end: date, *, today=None) -> None:
    conf = limits.get("datacube")
    span = conf["spans"].get(endpoint)
    if span is None:
        raise ValidationError(_("Unknown statistics interface %(name)s.") % {"name": endpoint})
    today = today or timezone.localdate()
    if end >= today:
        raise ValidationError(_("Statistics are available only up to yesterday."))
    if begin > end:
        raise ValidationError(_("The start date is after the end date."))
    if begin < date.fromisoformat(conf["earliest"]):
        raise ValidationError(
            _("WeChat keeps statistics only from %(date)s.") % {"date": conf["earliest"]}
        )
    if end - begin >= timedelta(days=span):
        raise ValidationError(
            _("%(name)s covers at most %(span)d days per call.") % {"name": endpoint, "span": span}
        )


def validate_uploadimg(content: bytes, content_type: str) -> None:
    conf = limits.get("media")
    if content_type not in conf["uploadimg_types"]:
        raise ValidationError(_("Images inside an article must be JPG or PNG."))
    if len(content) >= conf["uploadimg_bytes"]:
        raise ValidationError(_("Images inside an article must be smaller than 1 MB."))

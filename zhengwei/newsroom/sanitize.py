"""Article HTML as WeChat accepts it: an allow-list of tags, attributes and inline styles.

Pasted Word or web HTML (scripts, iframes, <style> blocks, classes, data: URLs, event handlers)
is cleaned here on the server, before anything is stored: the editor's own cleaning is a
convenience, this is the rule. nh3 (Rust's ammonia) parses like a browser, so malformed markup
cannot smuggle a tag past the list the way a regular expression could.
"""

from __future__ import annotations

import html as htmlmod
import re

import nh3

# What the WeChat editor keeps in an article body (公众号 编辑器 / draft/add content).
TAGS = {
    "p",
    "br",
    "span",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "section",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "img",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "pre",
    "code",
}
ATTRIBUTES = {
    "*": {"style"},
    "img": {"src", "data-src", "alt", "width", "height"},
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# Inline styles only (WeChat drops classes and <style>); positioning and backgrounds with
# url(...) are not among them.
STYLES = {
    "color",
    "background-color",
    "font-size",
    "font-weight",
    "font-style",
    "font-family",
    "text-align",
    "text-decoration",
    "text-indent",
    "line-height",
    "letter-spacing",
    "margin",
    "margin-top",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "padding",
    "padding-top",
    "padding-bottom",
    "padding-left",
    "padding-right",
    "border",
    "border-left",
    "border-radius",
    "width",
    "max-width",
    "height",
    "vertical-align",
    "white-space",
    "word-break",
    "box-sizing",
    "display",
}
SCHEMES = {"http", "https", "mailto", "tel"}
_EMPTY_STYLE = re.compile(r'\s+style=""')
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>", re.I)
_EMPTY_LINK = re.compile(r"<a>(.*?)</a>", re.S)


def clean(html: str) -> str:
    """The body as it may be stored and sent: disallowed tags dropped (scripts, iframes and
    styles with their content), attributes and styles filtered, only http(s) links."""
    cleaned = nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "form"},
        filter_style_properties=STYLES,
        link_rel=None,
        strip_comments=True,
    )
    cleaned = _IMG_WITHOUT_SRC.sub("", _EMPTY_STYLE.sub("", cleaned))
    return _EMPTY_LINK.sub(r"\1", cleaned).strip()


_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|section|tr|figcaption)>|<br\s*/?>", re.I)


def text_of(html: str) -> str:
    """The readable text (for checks, diffs and counts): block ends become newlines."""
    text = _BLOCK_END.sub("\n", html or "")
    text = _TAG.sub("", text)
    return htmlmod.unescape(text).replace("\xa0", " ").strip()


_IMG_SRC = re.compile(r"""(<img\b[^>]*?\ssrc=)(["'])([^"']*)\2""", re.I)


def image_sources(html: str) -> list[str]:
    """The ``src`` of every image in a cleaned body, unescaped, in order."""
    return [htmlmod.unescape(m.group(3)) for m in _IMG_SRC.finditer(html or "")]


def replace_image_sources(html: str, urls: dict[str, str]) -> str:
    """``html`` with each image whose (unescaped) src is a key of ``urls`` pointing at its value."""

    def swap(match: re.Match) -> str:
        new = urls.get(htmlmod.unescape(match.group(3)))
        if new is None:
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{htmlmod.escape(new)}{match.group(2)}"

    return _IMG_SRC.sub(swap, html or "")

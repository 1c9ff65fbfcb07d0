"""The editors' rich text, cleaned on the server to an allow-list (nh3, the Rust ammonia cleaner).

Whatever the browser sends — the editor's HTML or a hand-made POST — only these tags and
attributes survive: no scripts, no event handlers, no styles, no javascript: URLs, and no
pictures from other hosts (the site loads nothing from elsewhere).
"""

import html
import re

import nh3

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4",
    "ul", "ol", "li", "blockquote", "pre", "code", "hr", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _local_images_only(tag, attribute, value):
    if tag == "img" and attribute == "src" and not value.startswith("/"):
        return None
    return value


def clean(markup: str) -> str:
    return nh3.clean(
        markup or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_local_images_only,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(markup: str) -> str:
    """The text of cleaned HTML (for summaries and the empty-body check)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", markup or ""))).strip()

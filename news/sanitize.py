"""Editors' rich text, sanitised with nh3 to a short allow-list.

A body that tries to carry script (a <script> tag, an event handler, a javascript: link) is refused
with a message rather than quietly cleaned: an editor must know their text was not what they meant.
Whatever passes is still cleaned, so nothing outside the list is ever stored.
"""

import html
import re

import nh3

TAGS = {"p", "br", "strong", "em", "b", "i", "u", "a", "ul", "ol", "li", "h2", "h3", "blockquote"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# What betrays an attempt at script, after entities are decoded and white space dropped (java&#9;script:).
_SCRIPTY = re.compile(r"<\s*script|javascript:|vbscript:|data:text/html|<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def carries_script(raw):
    decoded = html.unescape(html.unescape(raw or ""))
    squeezed = re.sub(r"[\x00-\x20]+(?=[a-z]*:)", "", decoded, flags=re.IGNORECASE)
    return bool(_SCRIPTY.search(decoded) or _SCRIPTY.search(squeezed.replace("\t", "").replace("\n", "")))


def clean(raw):
    return nh3.clean(
        raw or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def plain_text(value):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value or "")).split())

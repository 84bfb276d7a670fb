"""Hostile HTML made parseable before the extractor reads it, with the article text kept.

Two things in a page can make lxml (under trafilatura) give up and lose a page's text, though
neither has a place in a news page:

* a DOCTYPE with an internal subset (``<!DOCTYPE x [<!ENTITY lol "...">]>``): entity declarations,
  the stuff of entity bombs and external-entity reads. HTML declares no entities; the subset is
  dropped (references to its entities stay as the literal ``&name;``, never expanded);
* nesting deeper than ``defaults.MAX_HTML_DEPTH`` (libxml2 stops at 256 levels, and the page's
  text below is lost): tags opened beyond that depth are dropped with their closing tags, the text
  inside them kept.

One pass over the tags, linear in the page's length.
"""

from __future__ import annotations

import re

from newsfuse import defaults

_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)\b[^>]*?(/?)>")
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
})


def tame_html(page: str) -> str:
    """``page`` without entity declarations and without tags nested beyond MAX_HTML_DEPTH."""
    page = _INTERNAL_SUBSET.sub("<!DOCTYPE html>", page)
    if page.count("<") <= defaults.MAX_HTML_DEPTH:
        return page  # too few tags to nest that deep
    return _flattened(page, defaults.MAX_HTML_DEPTH)


def _flattened(page: str, limit: int) -> str:
    """The page with every tag opened beyond ``limit`` open elements dropped, and its closer."""
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag name, kept)
    open_count: dict[str, int] = {}
    kept = last = 0
    for m in _TAG.finditer(page):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        drop = False
        if not closing and not self_closing and name not in _VOID:
            drop = kept >= limit
            stack.append((name, not drop))
            open_count[name] = open_count.get(name, 0) + 1
            kept += not drop
        elif closing and open_count.get(name):
            while stack:  # an unclosed element inside ends here, as a browser ends it
                top, was_kept = stack.pop()
                open_count[top] -= 1
                kept -= was_kept
                if top == name:
                    drop = not was_kept
                    break
        if drop:
            out.append(page[last:m.start()])
            last = m.end()
    out.append(page[last:])
    return "".join(out)

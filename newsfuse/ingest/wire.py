"""The layout of plain-text news files: a date/outlet header, a headline, a trailing wire-service ID.

Wire copies (e.g. MENAFN's) open with ``' date 2024-11-20 (MENAFN) First sentence...'`` and end with a
line like ``MENAFN20112024000045015687ID1108906114``. Both are metadata, not reporting: they become
Article fields and leave the text, so quotes and offsets only ever point into the story itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from newsfuse import defaults

# 'date YYYY-MM-DD (Outlet)' with the outlet optional and, on wire copies, the first sentence after it.
_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*(?:\(([^()\n]{1,80})\))?[ \t]*(.*)$", re.I)
# Agency code, digits carrying the date, 'ID', digits: MENAFN20112024000045015687ID1108906114.
_WIRE_ID = re.compile(r"^\s*([A-Z][A-Z-]{1,19}\d{8,}ID\d{3,})\s*$")
_BYLINE = re.compile(r"^by\s", re.I)
_NOT_A_HEADLINE_END = (".", ",", ";", ":")


@dataclass(frozen=True, slots=True)
class Layout:
    """What the layout of a plain text said, and the body without it (not yet cleaned)."""

    body: str
    outlet: str | None = None
    published: str | None = None
    wire_id: str | None = None
    title: str | None = None


def split_layout(text: str, *, find_title: bool = True) -> Layout:
    """Take the header, trailing wire ID and (optionally) headline off a plain text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    outlet, published = _take_header(lines)
    wire_id = _take_wire_id(lines)
    title = _take_title(lines) if find_title else None
    return Layout("\n".join(lines), outlet, published, wire_id, title)


def _first_filled(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if line.strip()), None)


def _take_header(lines: list[str]) -> tuple[str | None, str | None]:
    i = _first_filled(lines)
    if i is None:
        return None, None
    m = _HEADER.match(lines[i].lstrip("\ufeff"))
    if not m or not _valid_date(m.group(1)):
        return None, None
    outlet = m.group(2).strip() if m.group(2) else None
    rest = m.group(3).strip()
    if rest:
        lines[i] = rest  # wire style: the first sentence shares the header line
    else:
        del lines[i]
    return outlet or None, m.group(1)


def _take_wire_id(lines: list[str]) -> str | None:
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            m = _WIRE_ID.match(lines[i])
            if not m:
                return None
            del lines[i]
            return m.group(1)
    return None


def _take_title(lines: list[str]) -> str | None:
    """A headline is a short first line, not ending like a sentence, followed by a blank line."""
    i = _first_filled(lines)
    if i is None or i + 1 >= len(lines) or lines[i + 1].strip():
        return None
    line = lines[i].strip()
    if len(line) > defaults.TITLE_MAX_CHARS or line.endswith(_NOT_A_HEADLINE_END) or _BYLINE.match(line):
        return None
    if not any(line.strip() for line in lines[i + 1 :]):
        return None  # nothing after it: it is the article, not its headline
    del lines[i]
    return line


def _valid_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True

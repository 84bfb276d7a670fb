"""Article text cut into segments at annotation offsets, for <mark> highlighting.

Annotations may overlap (a name inside a quote), so the text is cut at every start and end and each
piece carries the classes of all annotations covering it. Pieces are plain text: the template
escapes them, so no article text ever reaches the page as markup.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    cls: str  # CSS classes from our own vocabulary
    title: str = ""  # tooltip: what was found here


@dataclass(frozen=True)
class Segment:
    text: str
    classes: str = ""  # empty: unmarked text
    title: str = ""
    anchor: str = ""  # element id, for a link to this place ('#ev')


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    n = len(text)
    valid = [m for m in marks if 0 <= m.start < m.end <= n]
    cuts = sorted({0, n, *(m.start for m in valid), *(m.end for m in valid)})
    out = []
    for a, b in itertools.pairwise(cuts):
        cover = [m for m in valid if m.start <= a and b <= m.end]
        classes = " ".join(dict.fromkeys(c for m in cover for c in m.cls.split()))
        title = "; ".join(dict.fromkeys(m.title for m in cover if m.title))
        out.append(Segment(text[a:b], classes, title))
    return out


def anchor_first(segs: list[Segment], cls: str, anchor: str) -> list[Segment]:
    """The segments with ``anchor`` set on the first one marked ``cls`` (the target of a link)."""
    for i, s in enumerate(segs):
        if cls in s.classes.split():
            return [*segs[:i], replace(s, anchor=anchor), *segs[i + 1:]]
    return segs


def css_name(value: str | None) -> str:
    """A label like 'PERSON' or 'according_to' as a safe CSS class part."""
    return re.sub(r"[^a-z0-9_-]", "", (value or "").lower())[:32] or "other"


def analysis_marks(analysis: dict[str, Any]) -> list[Mark]:
    """Marks for every evidence span of an article's Analysis (as ``to_dict`` gives it)."""
    marks = []
    for m in analysis.get("mentions", []):
        marks.append(Mark(m["start"], m["end"], f"mention mention-{css_name(m.get('label'))}",
                          f"{m.get('label')}: {m.get('entity_key')}"))
    for q in analysis.get("quotes", []):
        who = q.get("speaker_key") or q.get("speaker") or "unattributed"
        marks.append(Mark(q["content_start"], q["content_end"], f"quote quote-{css_name(q.get('kind'))}",
                          f"{q.get('kind')} quote by {who}"))
        if q.get("speaker_start") is not None and q.get("speaker_end") is not None:
            marks.append(Mark(q["speaker_start"], q["speaker_end"], "speaker", f"speaker: {who}"))
        if q.get("cue_start") is not None and q.get("cue_end") is not None:
            marks.append(Mark(q["cue_start"], q["cue_end"], "cue", f"cue: {q.get('cue')}"))
    for t in analysis.get("times", []):
        value = t.get("value_start") or "unresolved"
        if t.get("value_end") and t.get("value_end") != t.get("value_start"):
            value += f" to {t['value_end']}"
        marks.append(Mark(t["start"], t["end"], "time", f"time: {value}"))
    for x in analysis.get("amounts", []):
        what = " ".join(str(v) for v in (x.get("value"), x.get("unit"), x.get("counted")) if v)
        marks.append(Mark(x["start"], x["end"], "amount", f"amount: {what}"))
    for e in analysis.get("events", []):
        marks.append(Mark(e["trigger_start"], e["trigger_end"], "event",
                          f"event {e.get('type')} ({e.get('mode')})"))
    return marks


def term_marks(text: str, terms: list[str]) -> list[Mark]:
    """Marks on words of ``text`` that start with a search term's stem (for search snippets)."""
    marks = []
    for term in terms:
        stem = re.escape(term[: max(3, len(term) - 2)])
        for m in re.finditer(rf"\b{stem}\w*", text, flags=re.IGNORECASE):
            marks.append(Mark(m.start(), m.end(), "hit"))
    return marks

"""The claim-by-outlet matrix of a story page: rows are claims, columns outlets.

Every state is shown by colour (CSS class) AND by a symbol and words, so it reads without colour.
Each cell carries its evidence (the sentences the outlet printed, with offsets), which the page opens
on click or keyboard and links to the sentence on the article page. ``arrange`` filters and sorts rows
by status and support; single-source rows go to a collapsed part by default.
"""

from __future__ import annotations

from typing import Any

from newsfuse.fuse.claims.sentence import in_sentence
from newsfuse.fuse.report import UNKNOWN_OUTLET, claim_when, detail_outlet, detail_said, worded_negated

STATUS = {  # status -> (symbol, words)
    "corroborated": ("✔", "corroborated"),
    "single-source": ("①", "single source"),
    "conflicting": ("⚠", "conflicting"),
}
# A negated report says the event did not happen; the outlet does not dispute the claim ('denies'
# would read as if it did).
STANCE = {
    "supports": ("●", "reports"), "denies": ("✗", "reports it did not happen"),
    "differs": ("≠", "gives another value"),
}


def claim_matrix(data: dict[str, Any]) -> dict[str, Any]:
    outlets = _outlets(data)
    rows = []
    for claim in data.get("claims", []):
        symbol, words = STATUS.get(claim.get("status", ""), ("?", claim.get("status") or "unknown"))
        by_outlet: dict[str, list[dict[str, Any]]] = {}
        for src in claim.get("sources", []):
            by_outlet.setdefault(src.get("outlet") or UNKNOWN_OUTLET, []).append(src)
        # a row worded by its negation ('... is not ready to negotiate'): each outlet reports what it says
        negated = worded_negated(claim)
        alone = _alone_values(claim)
        cells = [_cell(by_outlet.get(o, []), negated, alone) for o in outlets]
        details = [{"outlet": detail_outlet(d), "said": detail_said(d)} for d in claim.get("details") or ()]
        label = words if claim.get("status") != "corroborated" else \
            f"corroborated by {claim.get('independent_sources', 0)} sources"
        rows.append({"id": claim.get("id"), "text": claim.get("text", ""), "kind": claim.get("kind", ""),
                     "attribution": claim.get("attribution", ""), "when": claim_when(claim, ".."),
                     "type": claim.get("event_type") or "", "mode": claim.get("mode") or "",
                     "status": claim.get("status", ""), "symbol": symbol, "label": label,
                     "note": claim.get("note", ""), "details": details, "cells": cells,
                     "sides": _sides(claim),
                     "support": claim.get("independent_sources", 0),
                     "outlets": sum(1 for c in cells if c["state"] != "absent")})
    return {"outlets": outlets, "rows": rows}


def _sides(claim: dict[str, Any]) -> list[dict[str, str]]:
    """The sides of a conflict, each with what it says and the outlets saying it ('1,800 residents':
    MARNEWS, Dunmere Courier (copy) / '4,500 residents': The Lowland Herald; 'reports it' / 'reports
    it did not happen'), shown with the claim itself: on a phone the other side's cell is off screen.
    Empty for a claim that is not conflicting."""
    if claim.get("status") != "conflicting":
        return []
    sides: dict[tuple[str, object], tuple[dict[str, None], list[str]]] = {}
    for src in claim.get("sources", []):
        stance = src.get("stance") or "supports"
        said = src.get("value") or ("reports it" if stance == "supports" else _stance_words(stance))
        outlet = (src.get("outlet") or UNKNOWN_OUTLET) + (" (copy)" if src.get("independent_of") else "")
        # one figure in two outlets' words ('about 1,800 residents', '1,800 people') is one side
        key = src["figure"] if src.get("figure") is not None else said
        words, outlets = sides.setdefault((stance, key), ({}, []))
        words[said] = None
        outlets.append(outlet)
    order = {"supports": 0, "differs": 1, "denies": 2}
    ranked = sorted(sides.items(), key=lambda kv: (order.get(kv[0][0], 9), min(kv[1][0])))
    return [{"symbol": STANCE.get(stance, ("●", ""))[0], "said": " / ".join(words),
             "outlets": ", ".join(outlets)} for (stance, _), (words, outlets) in ranked]


def _alone_values(claim: dict[str, Any]) -> set[str]:
    """The figures of a corroborated claim that one outlet alone gives: the outlets agree on the fact,
    not on a figure only one of them prints, so its cell must not show that figure as the row's
    corroborated content. Copies do not count as a second outlet. Figures are compared by their number
    (``ClaimSource.figure``: 'about 1,800 residents' and '1,800 people' are one figure in two
    outlets' words); a date is no figure (the row shows the claim's dates)."""
    if claim.get("status") != "corroborated":
        return set()
    outlets: dict[float, set[str]] = {}
    values: dict[float, set[str]] = {}
    for src in claim.get("sources", []):
        if src.get("value") and src.get("figure") is not None and not src.get("independent_of"):
            outlets.setdefault(src["figure"], set()).add(src.get("outlet") or UNKNOWN_OUTLET)
            values.setdefault(src["figure"], set()).add(src["value"])
    return {value for key, who in outlets.items() if len(who) == 1 for value in values[key]}


def _stance_words(stance: str) -> str:
    return STANCE.get(stance, ("", stance))[1]


def _outlets(data: dict[str, Any]) -> list[str]:
    """Outlets in the order they first carried the story, then any only seen in claims."""
    seen: dict[str, None] = {}
    for a in sorted(data.get("articles", []), key=lambda a: a.get("published") or "9999"):
        seen.setdefault(a.get("outlet") or UNKNOWN_OUTLET)
    for c in data.get("claims", []):
        for s in c.get("sources", []):
            seen.setdefault(s.get("outlet") or UNKNOWN_OUTLET)
    return list(seen)


def _cell(sources: list[dict[str, Any]], negated: bool = False,
          alone: set[str] | None = None) -> dict[str, Any]:
    """One outlet's cell; ``alone``: the row's values only one outlet gives (:func:`_alone_values`),
    shown as that outlet's own detail beside 'reports' rather than as what the outlets agree on."""
    if not sources:
        return {"state": "absent", "symbol": "·", "text": "not reported", "title": ""}
    src = next((s for s in sources if not s.get("independent_of")), sources[0])
    stance = src.get("stance") or "supports"
    if negated and stance == "denies":
        stance = "supports"  # the row's sentence says 'not' already
    symbol, words = STANCE.get(stance, ("●", stance))
    value = src.get("value") or ""
    only = value if value in (alone or ()) and not src.get("independent_of") else ""
    text = words if only else value or words
    notes = [f"only this outlet gives {only}"] if only else []
    if src.get("independent_of"):
        symbol, notes = "↻", ["copy of another outlet's report (not independent)", *notes]
    if src.get("attribution"):
        notes.append(src["attribution"])
    elif src.get("cited_source"):
        notes.append(f"citing {in_sentence(src['cited_source'])}")
    evidence = [{"article_id": e.get("article_id") or s.get("article_id"), "text": e.get("text", ""),
                 "start": e.get("start"), "end": e.get("end")}
                for s in sources for e in s.get("evidence", []) if e.get("text")]
    title = "; ".join([*notes, *(f"“{e['text']}”" for e in evidence[:2])])
    state = "copy" if src.get("independent_of") else stance
    return {"state": state, "symbol": symbol, "text": text, "only": only, "title": title, "words": words,
            "article_id": src.get("article_id"), "notes": notes, "evidence": evidence}


STATUS_FILTERS = ("all", "conflicting", "corroborated", "single-source")
SORTS = {"status": "conflicts first, then best supported", "support": "most independent outlets first",
         "outlets": "carried by most outlets first"}


def arrange(matrix: dict[str, Any], status: str = "all", sort: str = "status") -> dict[str, Any]:
    """The rows to show for a status filter and a sort order: ``shown`` in the open table and
    ``collapsed`` (single-source rows when no filter asks for them, which on a real story are most
    rows and the least checked), plus the count of rows per status for the filter links."""
    rows = matrix["rows"]
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_FILTERS[1:]}
    counts["all"] = len(rows)
    if status != "all":
        rows = [r for r in rows if r["status"] == status]
    order = {"conflicting": 0, "corroborated": 1, "single-source": 2}
    if sort == "support":
        rows = sorted(rows, key=lambda r: (-r["support"], order.get(r["status"], 9)))
    elif sort == "outlets":
        rows = sorted(rows, key=lambda r: (-r["outlets"], order.get(r["status"], 9)))
    shown, collapsed = rows, []
    if status == "all":
        shown = [r for r in rows if r["status"] != "single-source"]
        collapsed = [r for r in rows if r["status"] == "single-source"]
    return {"outlets": matrix["outlets"], "shown": shown, "collapsed": collapsed, "counts": counts,
            "status": status, "sort": sort}

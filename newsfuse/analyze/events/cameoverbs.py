"""Event categories of verbs by an external CAMEO verb dictionary: prior knowledge no PLOVER record shaped.

The hand lexicon of :mod:`.plover` was written with the PLOVER gold-standard records in view, and the
codebook table (:mod:`.codebook`) only knows the words the CAMEO code descriptions spell out, so on
unseen wording a verb is often typed by its nearest neighbour ('demolish' read as a retreat through
'demobilize'). PETRARCH2's verb dictionary, written for coding news into CAMEO years before the PLOVER
records, names about 1,100 verbs with the code each carries ('demolish' 1712, destroy property;
'besiege' 191, blockade). Its verb lines are transcribed in ``newsfuse/data/events/cameo_verbs.tsv``
(source repository, file, commit and MIT licence in its header; the pattern lines are left out) and
mapped to PLOVER with :func:`.plover.plover_type`.

Codes of root 01 (make a public statement: 'say', 'announce', 'declare') name no PLOVER category: such a
verb reads as a statement verb ('STATEMENT'), which the type model can learn to discount. A verb under
several codes votes for each of their categories; it names a category only when its codes agree.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

from newsfuse.analyze.events import plover
from newsfuse.errors import AnalysisError

TABLE_PATH = Path(__file__).resolve().parents[2] / "data" / "events" / "cameo_verbs.tsv"
HEADER = ("verb", "code", "section")
# CAMEO root 01: public statements, no PLOVER category of their own
STATEMENT_ROOT = "01"
STATEMENT = "STATEMENT"


def _category(code: str) -> str | None:
    """PLOVER category of one code of the file; None for '---' and target-side codes (':110')."""
    if not code.isdigit():
        return None
    if code[:2] == STATEMENT_ROOT:
        return STATEMENT
    return plover.plover_type(code)


@cache
def table() -> dict[str, dict[str, int]]:
    """Verb (lower case, 'call off' for a phrasal verb) -> {category: codes voting}, from the file."""
    try:
        lines = TABLE_PATH.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AnalysisError(
            f"{TABLE_PATH}: unreadable CAMEO verb dictionary ({exc}); restore it from git"
        ) from exc
    rows = [line for line in lines if line and not line.startswith("#")]
    if not rows or tuple(rows[0].split("\t")) != HEADER:
        raise AnalysisError(
            f"{TABLE_PATH}: expected the header line {' '.join(HEADER)}; restore the file from git"
        )
    votes: dict[str, Counter[str]] = {}
    for n, row in enumerate(rows[1:], start=2):
        cells = row.split("\t")
        if len(cells) != len(HEADER) or not cells[0]:
            raise AnalysisError(f"{TABLE_PATH}: data row {n}: expected {len(HEADER)} tab-separated cells")
        category = _category(cells[1])
        if category is not None:
            votes.setdefault(cells[0], Counter())[category] += 1
    return {verb: dict(sorted(c.items())) for verb, c in sorted(votes.items())}


def verb_type(key: str) -> str | None:
    """The PLOVER category the dictionary gives a verb ('demolish', 'call off'), when its codes
    agree on one; None for statement verbs, verbs it does not name and verbs it splits."""
    counts = table().get(key)
    if not counts or len(counts) > 1:
        return None
    category = next(iter(counts))
    return None if category == STATEMENT else category


def features(key: str, prefix: str) -> list[str]:
    """The dictionary's votes for a verb as type-model features: 'PREFIX=ASSAULT' per category it is
    coded under, 'PREFIX!=ASSAULT' when that is its only one, 'PREFIX=STATEMENT' for a statement verb."""
    counts = table().get(key)
    if not counts:
        return []
    out = [f"{prefix}={c}" for c in counts]
    if len(counts) == 1:
        out.append(f"{prefix}!={next(iter(counts))}")
    return out

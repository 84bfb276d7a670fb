"""Conflicting claims made from real text: precision and recall of 'conflicting' through the product.

    python bench/claimconflicts.py DATA_PATH [--per-story N] [--max-cases N] [--seed N]

DATA_PATH is a folder laid out like ``../shared/bench`` (GVC ``gvc/val/dataset.conll`` and ECB+
``ecbplus/ECB_Train_corpus.txt`` are read; ECB+ dev never is: its stories are for reporting other
figures) or one such file. From sentences of real stories it makes pairs of reports, one outlet
carrying the sentence as written and another a copy of it with:

* one change that makes the reports disagree (gold 'conflicting'): a figure changed beyond
  rounding, a date (weekday, month or year) changed, an actor (a name) replaced by another name of
  the same kind from the same story, or the event's verb negated ('killed' -> 'did not kill');
* or a harmless rewrite (gold 'not conflicting'): the figure rounded with 'about'/'nearly', a
  running count updated a day later ('so far'), a word replaced by a synonym.

Each pair goes through the product path: both texts analysed (spaCy + rules), entities resolved
across them, claims built (``build_claims``); the pair is predicted conflicting when one claim
holding both reports has status 'conflicting'. The peer, in the same run, is a lexical rule: the
two sentences differ in a number, a date word or a negation. Prints per change kind, per corpus
and overall precision, recall and F1; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from stories import Doc, read_ecb, read_gvc  # noqa: E402

from newsfuse.analyze.pipeline import analyze_texts  # noqa: E402
from newsfuse.fuse.claims.build import build_claims  # noqa: E402
from newsfuse.fuse.entities.resolve import entity_map, resolve_story_entities  # noqa: E402
from newsfuse.ids import content_id  # noqa: E402
from newsfuse.models import Analysis, Article  # noqa: E402
from newsfuse.store import Store  # noqa: E402

POSITIVE = ("figure", "date", "actor", "polarity")
NEGATIVE = ("rounding", "running", "synonym")
DEFAULT_DAY = "2013-06-12"  # ECB+ texts carry no publication date: a fixed day to resolve 'Monday'

_FIGURE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?![\w,]|\.\d)")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "June", "July", "August", "September", "October",
           "November", "December")  # 'May' is left out: it is a verb far too often
_DATE_WORD = re.compile(r"\b(" + "|".join(_WEEKDAYS + _MONTHS) + r"|1[89]\d\d|20\d\d)\b")
# Drop-in synonyms of news wording: the same fact in other words.
_SYNONYMS = {
    "said": "stated", "arrested": "detained", "injured": "wounded", "began": "started", "started": "began",
    "bought": "purchased", "purchased": "bought", "shot": "gunned down", "car": "vehicle",
    "announced": "revealed", "killed": "slain", "died": "perished", "large": "big", "big": "large",
    "officers": "policemen", "home": "house", "residence": "home", "attack": "assault",
    "victim": "casualty", "hospital": "medical center", "suspect": "alleged perpetrator",
    "near": "close to", "quickly": "rapidly", "help": "assist", "building": "structure",
}
_PAST_AUX = re.compile(r"\b(was|were|has|have|had|is|are|will)\b(?! not\b)")
_NEGATION = re.compile(r"\b(not|n't|never|no)\b", re.IGNORECASE)
_NUMBERISH = re.compile(r"\d[\d,]*")


@dataclass(frozen=True)
class Case:
    corpus: str
    story: str
    kind: str  # one of POSITIVE or NEGATIVE
    original: str
    changed: str
    published: str
    changed_published: str

    @property
    def gold(self) -> bool:
        return self.kind in POSITIVE


# -- data ------------------------------------------------------------------------------------


def corpora(data_path: Path, limit: int | None) -> list[tuple[str, list[Doc]]]:
    """GVC val and ECB+ train, or the one file given."""
    if data_path.is_dir():
        found = []
        gvc, ecb = data_path / "gvc" / "val" / "dataset.conll", data_path / "ecbplus" / "ECB_Train_corpus.txt"
        if gvc.exists():
            found.append(("gvc_val", read_gvc(gvc, limit)))
        if ecb.exists():
            docs = read_ecb(ecb)
            found.append(("ecbplus_train", docs[:limit] if limit else docs))
        if not found:
            raise SystemExit(f"{data_path}: no gvc/val/dataset.conll or ecbplus/ECB_Train_corpus.txt")
        return found
    if "dev" in data_path.name.casefold() and "ecb" in data_path.name.casefold():
        raise SystemExit(f"{data_path}: ECB+ dev is held apart; use ECB_Train_corpus.txt or GVC")
    if data_path.name.endswith(".conll"):
        return [(data_path.parent.name or "gvc", read_gvc(data_path, limit))]
    if data_path.exists():
        return [(data_path.stem, read_ecb(data_path))]
    raise SystemExit(f"{data_path}: not found; pass the bench root or a corpus file")


def sentences(doc: Doc) -> list[str]:
    """The document's lines that read as one whole sentence of a report (8-40 words, a verb-like
    ending, not a headline or a caption)."""
    out = []
    for line in doc.text.split("\n"):
        words = line.split()
        if 8 <= len(words) <= 40 and line.rstrip().endswith((".", '"', "”")) and line[:1].isupper():
            out.append(" ".join(words))
    return out


# -- changes ---------------------------------------------------------------------------------


def _value(text: str) -> int:
    return int(text.replace(",", ""))


def _written(n: int, like: str) -> str:
    return f"{n:,}" if "," in like or n >= 10000 else str(n)


def _figures(s: str) -> list[re.Match[str]]:
    return [m for m in _FIGURE.finditer(s) if not _YEAR.match(m.group(1)) and _value(m.group(1)) >= 2]


def change_figure(s: str, rng: random.Random) -> str | None:
    found = _figures(s)
    if not found:
        return None
    m = rng.choice(found)
    n = _value(m.group(1))
    other = n * 2 + 3 if rng.random() < 0.5 else max(2, n // 2 - 1) if n > 6 else n + 7
    if 1800 <= other <= 2100:
        other += 300  # not a year: the analysis would read it as a date
    return s[:m.start(1)] + _written(other, m.group(1)) + s[m.end(1):]


def round_figure(s: str, rng: random.Random) -> str | None:
    """'1,184 people' -> 'nearly 1,200 people', '23 people' -> 'about 25 people' (or 'nearly' when
    rounded up): the same figure."""
    found = [m for m in _figures(s) if _value(m.group(1)) >= 20]
    if not found:
        return None
    m = rng.choice(found)
    n = _value(m.group(1))
    step = 5 if n < 100 else 10 ** (len(str(n)) - 2)  # small counts to the nearest 5, others to 2 digits
    rounded = int(round(n / step) * step)
    if rounded == n:
        return None
    before = s[:m.start(1)].rstrip().split()[-1:] if s[:m.start(1)].strip() else []
    if before and before[0].casefold() in {"about", "around", "nearly", "some", "approximately", "almost"}:
        return None
    marker = "nearly" if rounded > n else "about"
    return s[:m.start(1)] + f"{marker} {_written(rounded, m.group(1))}" + s[m.end(1):]


def running_count(s: str, rng: random.Random) -> str | None:
    """A later, higher count of the same running figure: '12 people' -> '17 people so far'."""
    found = _figures(s)
    if not found:
        return None
    m = rng.choice(found)
    n = _value(m.group(1))
    later = n + max(2, n // 3)
    rest = s[m.end(1):]
    noun = re.match(r"\s+[A-Za-z-]+(?:['’]s)?", rest)
    cut = m.end(1) + (noun.end() if noun else 0)
    return s[:m.start(1)] + _written(later, m.group(1)) + s[m.end(1):cut] + " so far" + s[cut:]


def change_date(s: str, rng: random.Random) -> str | None:
    found = list(_DATE_WORD.finditer(s))
    if not found:
        return None
    m = rng.choice(found)
    word = m.group(1)
    if word in _WEEKDAYS:
        other = _WEEKDAYS[(_WEEKDAYS.index(word) + rng.choice((2, 3, 4))) % 7]
    elif word in _MONTHS:
        other = _MONTHS[(_MONTHS.index(word) + rng.choice((3, 4, 5))) % len(_MONTHS)]
    else:
        other = str(int(word) - rng.choice((2, 3, 5)))
    return s[:m.start(1)] + other + s[m.end(1):]


def swap_synonym(s: str, rng: random.Random) -> str | None:
    found = [m for m in re.finditer(r"\b(" + "|".join(map(re.escape, _SYNONYMS)) + r")\b", s)]
    if not found:
        return None
    m = rng.choice(found)
    return s[:m.start()] + _SYNONYMS[m.group(1)] + s[m.end():]


def change_actor(s: str, analysis: Analysis, pool: dict[str, list[str]], rng: random.Random) -> str | None:
    """A name of the sentence replaced by another name of its kind from the same story."""
    # Who said it is the attribution, not the fact: a speaker swapped is no actor changed.
    said_by = [(q.speaker_start, q.speaker_end) for q in analysis.quotes if q.speaker_start is not None]
    names = [m for m in analysis.mentions if m.kind == "name" and m.label in ("PERSON", "ORG")
             and len(m.text) > 2 and not any(lo <= m.start < (hi or lo) for lo, hi in said_by)]
    rng.shuffle(names)
    for m in names:
        others = [n for n in pool.get(m.label, []) if n.casefold() not in s.casefold()
                  and not set(n.split()) & set(m.text.split())]
        if others:
            return s[:m.start] + rng.choice(sorted(others)) + s[m.end:]
    return None


def negate(s: str, analysis: Analysis, rng: random.Random) -> str | None:
    """The verb of an asserted event negated: 'killed' -> 'did not kill', 'was arrested' -> 'was
    not arrested'."""
    events = [e for e in analysis.events if e.mode == "asserted" and not e.negated]
    rng.shuffle(events)
    for e in events:
        written = s[e.trigger_start:e.trigger_end]
        before = s[:e.trigger_start]
        aux = re.search(r"\b(was|were|has|have|had|is|are|will)\s+$", before)
        if aux:
            return s[:aux.end(1)] + " not" + s[aux.end(1):]
        if written.endswith("ed") and written.casefold() != e.trigger.casefold() and e.trigger.isalpha():
            return s[:e.trigger_start] + f"did not {e.trigger}" + s[e.trigger_end:]
    return None


# -- the product and the peer ----------------------------------------------------------------


def _article(text: str, outlet: str, published: str, key: str) -> Article:
    return Article(id=content_id(key, outlet, text, prefix="a_"), text=text, outlet=outlet,
                   published=published, published_source="header")


def ours(cases: Sequence[Case], store: Store) -> tuple[list[bool], list[bool]]:
    """Whether the product calls each pair conflicting (analysis, entities, claims), and whether the
    original sentence alone makes a claim at all (the cases the claim relation can judge)."""
    pairs = [(_article(c.original, "Outlet A", c.published, f"{n}"),
              _article(c.changed, "Outlet B", c.changed_published, f"{n}")) for n, c in enumerate(cases)]
    analyses = {an.article_id: an for an in analyze_texts([a for pair in pairs for a in pair])}
    out, covered = [], []
    for a, b in pairs:
        found = {x.id: analyses[x.id] for x in (a, b) if x.id in analyses}
        _entities, links = resolve_story_entities(store, [a.id, b.id], [found[x] for x in found])
        emap = entity_map(links)
        claims = build_claims("s_bench", [a, b], found, emap)
        out.append(any(c.status == "conflicting" and {s.article_id for s in c.sources} >= {a.id, b.id}
                       for c in claims))
        covered.append(a.id in found and bool(build_claims("s_bench", [a], found, emap)))
    return out, covered


def peer(c: Case) -> bool:
    """Lexical rule: the sentences differ in a number, a date word or a negation."""
    def marks(s: str) -> tuple[list[str], list[str], int]:
        return (_NUMBERISH.findall(s), _DATE_WORD.findall(s), len(_NEGATION.findall(s)))
    return marks(c.original) != marks(c.changed)


# -- making the cases ------------------------------------------------------------------------


def make_cases(
    name: str, docs: Sequence[Doc], per_story: int, rng: random.Random
) -> list[Case]:
    """Pairs from up to ``per_story`` sentences of each story, every change kind that applies;
    actor and polarity changes need the sentence's analysis and are made in :func:`parse_changes`."""
    by_story: dict[str, list[tuple[Doc, str]]] = defaultdict(list)
    for d in docs:
        by_story[d.story] += [(d, s) for s in sentences(d)]
    out = []
    for story in sorted(by_story):
        found = by_story[story]
        rng.shuffle(found)
        for d, s in found[:per_story]:
            day = d.published or DEFAULT_DAY
            later = (date.fromisoformat(day[:10]) + timedelta(days=1)).isoformat()
            for kind, make in (("figure", change_figure), ("date", change_date), ("rounding", round_figure),
                               ("running", running_count), ("synonym", swap_synonym)):
                changed = make(s, rng)
                if changed and changed != s:
                    out.append(Case(name, story, kind, s, changed, day, later if kind == "running" else day))
            out.append(Case(name, story, "parse", s, s, day, day))  # actor/polarity made after parsing
    return out


def parse_changes(cases: list[Case], rng: random.Random) -> list[Case]:
    """Actor and polarity changes of the sentences marked 'parse', from their analysis."""
    todo = [c for c in cases if c.kind == "parse"]
    articles = [_article(c.original, "Outlet A", c.published, c.story) for c in todo]
    analyses = {an.article_id: an for an in analyze_texts(articles)}
    pool: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for c, a in zip(todo, articles, strict=True):
        for m in analyses[a.id].mentions if a.id in analyses else ():
            if m.kind == "name" and m.label in ("PERSON", "ORG") and len(m.text.split()) >= 2:
                pool[c.story][m.label].add(m.text)
    out = [c for c in cases if c.kind != "parse"]
    for c, a in zip(todo, articles, strict=True):
        an = analyses.get(a.id)
        if an is None:
            continue
        names = {k: sorted(v) for k, v in pool[c.story].items()}
        for kind, changed in (("actor", change_actor(c.original, an, names, rng)),
                              ("polarity", negate(c.original, an, rng))):
            if changed and changed != c.original:
                out.append(Case(c.corpus, c.story, kind, c.original, changed, c.published, c.published))
    return out


def balanced(cases: Sequence[Case], max_cases: int, rng: random.Random) -> list[Case]:
    """At most ``max_cases`` cases, as many of each kind as the data allows up to an equal share."""
    by_kind: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        by_kind[c.kind].append(c)
    share = max(1, max_cases // max(1, len(by_kind)))
    out = []
    for kind in sorted(by_kind):
        found = by_kind[kind]
        rng.shuffle(found)
        out += found[:share]
    return out


# -- scoring ---------------------------------------------------------------------------------


def prf(pred: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    tp = sum(1 for p, g in zip(pred, gold, strict=True) if p and g)
    fp = sum(1 for p, g in zip(pred, gold, strict=True) if p and not g)
    fn = sum(1 for p, g in zip(pred, gold, strict=True) if g and not p)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "n": len(gold)}


def by_kind(cases: Sequence[Case], pred: Sequence[bool]) -> dict[str, float]:
    """Per change kind: the share called conflicting (recall for changes, false alarms for rewrites)."""
    out: dict[str, list[bool]] = defaultdict(list)
    for c, p in zip(cases, pred, strict=True):
        out[c.kind].append(p)
    return {k: round(sum(v) / len(v), 3) for k, v in sorted(out.items())}


def run(data_path: str | Path, per_story: int = 3, max_cases: int = 700, seed: int = 13,
        limit: int | None = None, show: int = 0, kinds: Sequence[str] = ()) -> dict[str, Any]:
    """Make the cases of every corpus under ``data_path`` and score the product and the peer."""
    rng = random.Random(seed)
    cases: list[Case] = []
    for name, docs in corpora(Path(data_path), limit):
        cases += make_cases(name, docs, per_story, rng)
    cases = balanced(parse_changes(cases, rng), max_cases, rng)
    cases = [c for c in cases if not kinds or c.kind in kinds]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "bench.db")) as store:
        pred, covered = ours(cases, store)
    seconds = time.perf_counter() - started
    lexical = [peer(c) for c in cases]
    gold = [c.gold for c in cases]
    claimed = [n for n, ok in enumerate(covered) if ok]

    def part(idx: Sequence[int]) -> dict[str, Any]:
        return {"ours": prf([pred[n] for n in idx], [gold[n] for n in idx]),
                "peer_lexical": prf([lexical[n] for n in idx], [gold[n] for n in idx])}

    # Headline: the pairs whose sentence makes a claim (what the claim relation judges); 'all' also
    # counts sentences the analysis finds no statement in, as misses.
    kept = [cases[n] for n in claimed]
    result: dict[str, Any] = {"cases": len(cases), "with_claim": len(claimed), "seconds": round(seconds, 1),
                              **part(claimed), "all": part(range(len(cases))),
                              "ours_by_kind": by_kind(kept, [pred[n] for n in claimed]),
                              "peer_by_kind": by_kind(kept, [lexical[n] for n in claimed])}
    for name in sorted({c.corpus for c in cases}):
        result[name] = part([n for n in claimed if cases[n].corpus == name])
    wrong = [(cases[n], pred[n]) for n in claimed if pred[n] != cases[n].gold]
    for c, p in wrong[:show]:
        print(f"[{c.kind}] predicted {'conflicting' if p else 'not'}\n  A: {c.original}\n  B: {c.changed}")
    return result


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_path", help="bench root (gvc/val, ecbplus train) or one corpus file")
    ap.add_argument("--per-story", type=int, default=3, help="sentences taken from each story")
    ap.add_argument("--max-cases", type=int, default=700, help="cases kept, an equal share per kind")
    ap.add_argument("--limit", type=int, default=None, help="documents read per corpus (slices)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--show", type=int, default=0, help="print this many wrong predictions")
    ap.add_argument("--kinds", nargs="*", default=(), choices=POSITIVE + NEGATIVE, help="only these kinds")
    args = ap.parse_args(argv)
    result = run(args.data_path, args.per_story, args.max_cases, args.seed, args.limit, args.show, args.kinds)
    print(f"{result['with_claim']} of {result['cases']} pairs have a sentence that makes a claim")
    for key in ("ours", "peer_lexical"):
        print(f"{key:14} {result[key]}   all pairs: {result['all'][key]}")
    print("ours by kind  ", result["ours_by_kind"])
    print("peer by kind  ", result["peer_by_kind"])
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()

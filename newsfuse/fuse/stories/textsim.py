"""Text representation for story grouping: term counts, online TF-IDF weights and cosine.

An article becomes a bag of three kinds of terms:

* content words, lower-cased, with a light plural strip ('pirates' = 'pirate');
* entity terms ``e:word``: the words of the names the analysis found (Mention.entity_key of names),
  or, when the article was not analysed, capitalised words that do not start a sentence. Shared
  names are what tell two events of one kind apart (two shootings, two earthquakes);
* number terms ``n:26``: figures, which differ between two events of one kind;
* argument terms ``p:surname`` (people) and ``g:place`` (places), from analysed names only: they
  carry no weight in the vector (``e:`` already holds those words) and feed the WHO / WHERE checks
  of :mod:`newsfuse.fuse.stories.args`;
* lead terms ``l:surname``: the people the lead (headline and first sentence) names, what the
  article is ABOUT rather than everyone it mentions;
* counted-figure terms ``q:what=value`` from analysed amounts ('23 pirates' -> ``q:pirate=23``,
  '85 million euros' -> ``q:eur=7.9``, money as a log10 in steps of 1 / STORY_ARG_MONEY_STEPS), except
  running counts that reports of one story revise (dead, injured, evacuated: a word class in
  defaults). Lead and figure terms carry no weight either.

Weights are sublinear TF (1 + ln count) times a smoothed IDF computed from document frequencies
that the store keeps up to date as articles arrive (online IDF; see fuse/stories/assign.py) plus a prior
of documents without the term, times the kind's weight from defaults. Vectors are plain dicts:
articles are short and sparse, and a dict round-trips through JSON in the store.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from newsfuse import defaults
from newsfuse.fuse.stories import headline
from newsfuse.models import Amount, Mention

Vector = dict[str, float]

ENTITY = "e:"
NUMBER = "n:"
PERSON = "p:"
PLACE = "g:"
LEAD = "l:"
FIGURE = "q:"
ARGUMENT_PREFIXES = (PERSON, PLACE, LEAD, FIGURE)  # checked by storyargs, no weight in the vector

# Mention labels that name a particular actor, place or thing (dates and amounts are not names).
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART"})
NAME_KINDS = frozenset({"name", "partial"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

# Function words and news boilerplate that say nothing about which event a text reports. Kept
# short on purpose: the IDF already pushes common words down; this only keeps them out of the
# candidate index and out of the entity proxy (sentence-initial 'The' is not a name).
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves said says say told according
    mr mrs ms one two three new year years last first week day days time people
    """.split()  # noqa: SIM905 - a word list reads best as text
)

# Capitalised in English but not names: kept as plain words, never as entity terms.
CALENDAR = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december
    """.split()  # noqa: SIM905 - a word list reads best as text
)

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|\d[\d,.]*\d|\d|[.!?:;\"“”]")
_SENTENCE_BREAK = frozenset(".!?:;\"“”")
_WORD_IN_NAME = re.compile(r"[^\W\d_]{2,}")


def count_terms(
    text: str, mentions: Sequence[Mention] = (), amounts: Sequence[Amount] = (),
    lead_end: int = 0, headline: str = "",
) -> dict[str, int]:
    """Raw counts of an article's terms (content words, entity terms, number terms, argument
    terms). ``lead_end``: where the article's first sentence ends (mentions starting before it
    are in the lead); ``headline``: a title the mentions were not found in (a person whose
    surname it contains is in the lead too)."""
    counts: Counter[str] = Counter()
    use_proxy = not any(_is_name(m) for m in mentions)
    after_break = True
    lowered: set[str] = set()  # words the text also writes in lower case: no surnames
    for match in _TOKEN.finditer(text):
        tok = match.group()
        if tok in _SENTENCE_BREAK:
            after_break = True
            continue
        if tok[0].isdigit():
            counts[NUMBER + tok.replace(",", "").rstrip(".")] += 1
        else:
            word = _normal(tok)
            if word:
                counts[word] += 1
                if tok[0].islower():
                    lowered.add(word)
                # A capitalised word inside a sentence is most likely (part of) a name, unless it
                # is a weekday or month (every event has one; a name tells events apart).
                if use_proxy and tok[0].isupper() and not after_break and word not in CALENDAR:
                    counts[ENTITY + word] += 1
        after_break = False
    if not use_proxy:
        names = [m for m in mentions if _is_name(m)]
        counts.update(ENTITY + w for m in names for w in _name_words(m.entity_key))
        # A title-case headline reads as a name ('Jewellery Stolen', 'Obama Overturns'): a person
        # whose surname the text also writes in lower case is no argument.
        people = [m for m in names if not _misread_person(m, lowered)]
        counts.update(t for t in (_argument_term(m) for m in people) if t)
        counts.update(lead_terms(people, lead_end, headline))
        if headline and defaults.STORY_HEADLINE_NAMES:
            known = {w for m in names for w in _name_words(m.entity_key)}
            counts.update(headline_terms(headline, lowered, known))
    counts.update(t for t in (figure_term(a) for a in amounts) if t)
    return dict(counts)


def plain_words(text: str) -> list[str]:
    """The text's words as the vectors count them (lower case, plural stripped, no stop words)."""
    return [w for w in (_normal(t) for t in _TOKEN.findall(text) if t[0].isalpha()) if w]


def lead_terms(names: Sequence[Mention], lead_end: int, headline: str = "") -> set[str]:
    """``l:`` + the surname of each person the lead names (first sentence or headline)."""
    title_words = {_normal(w) for w in _WORD_IN_NAME.findall(headline)}
    out = set()
    for m in names:
        term = _argument_term(m)
        if term.startswith(PERSON) and (m.start < lead_end or term[len(PERSON):] in title_words):
            out.add(LEAD + term[len(PERSON):])
    return out


def headline_terms(title: str, lowered: set[str], known: set[str]) -> list[str]:
    """A place term for each run of names after a place preposition in a headline ('in Henry
    County' -> ``g:henry_county``; fuse/stories/headline.py): the analysis reads only the text, so
    a place named only in the headline would not count for the WHERE check. Place terms carry no
    weight in the vector. The headline's names are not added as entity terms: a report's headline
    words weigh on its vector already, and doubled as names they pull it away from the follow-ups
    that have no headline of their own (GVC val halves, late and crowded: batch F1 0.779 -> 0.746
    with them, 0.782 with the place terms alone)."""
    return [PLACE + "_".join(words) for is_place, words in headline.name_runs(title, lowered, known, _normal)
            if is_place]


def figure_term(amount: Amount) -> str:
    """``q:what=value`` for a figure that tells one event from another, '' otherwise: a count of
    a counted thing ('23 pirates'), or money in one currency (log10 rounded, so conversions and
    estimates of one sum mostly agree while 85 million and 2 million differ). Running counts that
    news revises within one story (STORY_RUNNING_COUNT_WORDS) and small counts are no argument."""
    if amount.unit in defaults.STORY_MONEY_UNITS and amount.value > 0:
        steps = defaults.STORY_ARG_MONEY_STEPS
        return f"{FIGURE}{amount.unit.casefold()}={round(math.log10(amount.value) * steps) / steps:g}"
    if amount.unit is not None or not amount.counted or amount.value < defaults.STORY_ARG_MIN_FIGURE:
        return ""
    raw = [w.casefold() for w in _WORD_IN_NAME.findall(amount.counted)]
    if any(w in defaults.STORY_RUNNING_COUNT_WORDS for w in raw):
        return ""
    words = [w for w in map(_normal, raw) if w]
    return f"{FIGURE}{words[-1]}={amount.value:g}" if words else ""


def _argument_term(mention: Mention) -> str:
    """``p:`` + a person's surname (the last word of the name: 'Jackson' and 'Vincent Jackson'
    agree), ``g:`` + a place's whole name ('new_delhi' and 'new_york' differ); '' otherwise."""
    words = _name_words(mention.entity_key)
    if not words:
        return ""
    if mention.label == "PERSON":
        return PERSON + words[-1]
    if mention.label in PLACE_LABELS:
        return PLACE + "_".join(words)
    return ""


def _misread_person(mention: Mention, lowered: set[str]) -> bool:
    """A PERSON name whose surname is a word the text also uses in lower case."""
    if mention.label != "PERSON" or not defaults.STORY_PERSON_LOWERCASE_CHECK:
        return False
    words = _name_words(mention.entity_key)
    return bool(words) and words[-1] in lowered


def _is_name(mention: Mention) -> bool:
    return mention.kind in NAME_KINDS and mention.label in NAME_LABELS


def _name_words(name: str) -> list[str]:
    return [w for w in (_normal(x) for x in _WORD_IN_NAME.findall(name)) if w]


def _normal(token: str) -> str:
    """Lower-case, drop possessives and a plural 's'; '' for stop words and one-letter tokens."""
    word = token.casefold()
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) < 3 or word in STOP_WORDS:
        return ""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


def idf(df: int, n_docs: int) -> float:
    """Smoothed IDF: never zero, so a word every article shares still counts a little. The store
    is taken to hold STORY_IDF_PRIOR_DOCS more documents without the term, so in a small store
    the names of its one big story are not weighed as if they were common words."""
    return math.log((n_docs + defaults.STORY_IDF_PRIOR_DOCS + 1) / (df + 1)) + 1.0


def kind_weight(term: str) -> float:
    if term.startswith(ARGUMENT_PREFIXES):
        return 0.0  # argument terms: checked by fuse/stories/args.py, not part of the vector
    if term.startswith(ENTITY):
        return defaults.STORY_ENTITY_WEIGHT
    if term.startswith(NUMBER):
        return defaults.STORY_NUMBER_WEIGHT
    return 1.0


def weigh(counts: Mapping[str, float], df: Mapping[str, int], n_docs: int) -> Vector:
    """Unit-length TF-IDF vector of term counts; ``df`` includes this article itself."""
    # Re-clustering weighs hundreds of stored articles per call: the IDF terms are hoisted.
    base = math.log(n_docs + defaults.STORY_IDF_PRIOR_DOCS + 1) + 1.0
    vec = {}
    for t, c in counts.items():
        if c > 0 and (kind := kind_weight(t)) > 0:
            vec[t] = (1.0 + math.log(c)) * (base - math.log(df.get(t, 1) + 1)) * kind
    return normalize(vec)


def normalize(vec: Mapping[str, float]) -> Vector:
    length = norm(vec)
    return {t: w / length for t, w in vec.items()} if length else {}


def norm(vec: Mapping[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vec.values()))


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def mean_cosine(unit: Mapping[str, float], centroid: Mapping[str, float], size: int) -> float:
    """Mean cosine of a unit vector with the ``size`` unit vectors summed in ``centroid`` (average
    link): unlike the cosine with the centroid it does not favour big, loose stories."""
    return dot(unit, centroid) / size if size > 0 else 0.0


def cosine(unit: Mapping[str, float], centroid: Mapping[str, float]) -> float:
    """Cosine of a unit vector with an unnormalised centroid (a sum of unit vectors)."""
    length = norm(centroid)
    return dot(unit, centroid) / length if length else 0.0


def add(centroid: Mapping[str, float], vec: Mapping[str, float], limit: int) -> Vector:
    """Sum of two vectors, keeping the ``limit`` heaviest terms (bounded storage per story)."""
    total = dict(centroid)
    for t, w in vec.items():
        total[t] = total.get(t, 0.0) + w
    return dict(top_items(total, limit))


def top_items(vec: Mapping[str, float], k: int) -> list[tuple[str, float]]:
    """The ``k`` heaviest terms, ties broken by term so the result never depends on dict order."""
    return sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:k]


def top_terms(vec: Mapping[str, float], k: int, skip: Iterable[str] = ()) -> list[str]:
    banned = set(skip)
    return [t for t, _ in top_items({t: w for t, w in vec.items() if t not in banned}, k)]

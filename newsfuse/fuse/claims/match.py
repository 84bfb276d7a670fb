"""Same claim or not: do two sentences from different reports state the same fact in other words?

The matcher decides in two stages (:class:`TwoStage`):

1. a logistic regression over cheap features: the sentence encoder's cosine
   (:mod:`~newsfuse.fuse.claims.encoder`) and what an encoder is blind to: agreement of figures
   (rounding is agreement: 'around 11,000' / '10,978'), of names, of dates and of polarity ('did not'
   against 'did'), and lexical overlap (content words with their endings cut, so 'authorized' meets
   'authorizes'; word pairs; fuzzy ratio). It decides the clear pairs alone;
2. when ``matcher.json`` holds a second stage, the pairs the first leaves uncertain (its probability
   inside a band) are read by the cross-encoder (:mod:`~newsfuse.fuse.claims.crossencoder`: a
   transformer fine-tuned on MSRP train reading both sentences at once, in both orders), and a second
   logistic regression over the same features plus its logit decides them: a stacked decision, so the
   cross-encoder's reading of the pair is weighed with the agreement of figures, names, dates and
   polarity it may miss.

Weights, the band and the regularisation strengths are learned by ``bench/train_claims.py`` (both
stages on MSRP train, the second on the cross-encoder's out-of-fold logits) and shipped in
``newsfuse/data/claims/matcher.json`` (features are standardised with the training means and
deviations kept beside the weights).

A first stage may also read string similarities (:data:`EXTRA_FEATURES`: n-gram precisions both
ways, longest common subsequence, token edit similarity, character trigrams; ``matcher.json`` names
its features, so either kind loads); the one shipped reads :data:`FEATURES` alone (session 15: the
richer one gained on MSRP, lost on facts/). Or it may read the shorter run against the longer
(:data:`LENGTH_FEATURES`, session 20; learned with ECB+ train's run pairs too; not shipped either).

Everything here reads plain text and vectors: no parse, no store. :func:`features` is the one
place a pair is described, so training, the benchmark and the product score pairs alike.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq, Levenshtein

from newsfuse import defaults

MODEL_PATH = Path(__file__).resolve().parents[2] / "data" / "claims" / "matcher.json"
FEATURES = (
    "cosine", "word_jaccard", "word_cover_min", "word_cover_max", "bigram_jaccard", "fuzzy",
    "length_ratio", "unmatched_words", "figures_both", "figures_agree", "figures_unmatched",
    "names_shared", "names_unmatched", "dates_conflict", "polarity_differs",
)
# What a first stage may read besides FEATURES (session 15, the feature-based paraphrase literature's
# string similarities): n-gram precision both ways for n = 1..4 (BLEU-like; the lower and the higher of
# the two directions), the longest common token subsequence over the shorter and the longer sentence,
# token edit similarity, character trigram overlap, overlap of content words weighted by their length
# (a rare word is a long one, near enough: no IDF table to ship) and a figure on one side only; the
# groups kept by cross-validation on MSRP train. Learned with bench/train_claims.py --string-features
# (MSRP nested CV 0.753 -> 0.766); not shipped: facts/ lost singles and joined more facts, the later
# gates' settings being chosen on the probabilities of the first stage over FEATURES (bench/README.md).
EXTRA_FEATURES = (
    "ngram1_min", "ngram1_max", "ngram2_min", "ngram2_max", "ngram3_min", "ngram3_max", "ngram4_min",
    "ngram4_max", "lcs_min", "lcs_max", "token_edit", "char3_jaccard", "long_word_jaccard",
    "figures_one_side",
)
FIRST_FEATURES = (*FEATURES, *EXTRA_FEATURES)
# What a first stage may read when one clause run tells a fact inside a longer one (session 20): news
# outlets state one fact at very different lengths, where MSRP's pairs are of like length, so FEATURES'
# symmetric overlaps (Jaccard, unmatched words counted on the longer side) read 'the same fact told with
# more detail' as two facts. These read the shorter run against the longer: its content words the longer
# lacks, its names and figures the longer holds, its long words (a rare word is a long one) the longer
# holds, its word pairs; and the length gap (1 - shorter/longer tokens) alone and times the cosine, the
# shorter's cover and its unmatched words, so a linear model can weigh overlap apart by length. Learned
# on MSRP train with ECB+ train's offered run pairs (bench/train_claims.py --length-features --news-pairs:
# MSRP holds no pair under a length ratio of 0.52, so fitted on MSRP alone these weights join two
# incidents' runs fivefold on ECB+). Not shipped: facts/ 17/72, 23/24, 10 against 18/72, 23/24, 9.
LENGTH_FEATURES = (
    "short_unmatched", "short_names_cover", "short_figures_missing", "short_long_cover",
    "short_bigram_cover", "length_gap", "gap_cosine", "gap_cover", "gap_unmatched", "gap_names",
)
NEWS_FEATURES = (*FEATURES, *LENGTH_FEATURES)
# The second stage's: the cross-encoder's MSRP logit last, both reading orders averaged
# (crossencoder.pair_logits).
SECOND_FEATURES = (*FEATURES, "cross_logit")

_TOKEN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d[\d,]*(?:\.\d+)?%?")
_STOP_WORDS = """
a an the and or but of to in on at by for from with as is are was were be been being has have had do
does did it its this that these those he she they them his her their we our you your i me my there
which who whom what when where will would can could may might should shall must than then so if
said says say told also about after before into over up out more most such not no nor very just s
"""
_STOP = frozenset(_STOP_WORDS.split())
_NEGATION = frozenset(("not", "no", "never", "n't", "nobody", "nothing", "neither", "nor", "without",
                       "denied", "denies", "deny", "refused", "refuses", "refuse"))
_MONTH_WORDS = ("january february march april may june july august september october november december "
                "jan feb mar apr jun jul aug sep sept oct nov dec")
_MONTHS = frozenset(_MONTH_WORDS.split())
_WEEKDAY_WORDS = "monday tuesday wednesday thursday friday saturday sunday"
_WEEKDAYS = frozenset(_WEEKDAY_WORDS.split())
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(%|percent|per cent|thousand|million|billion|trillion)?",
                     re.IGNORECASE)
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_NUMBER_WORDS = ("two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                 "sixteen seventeen eighteen nineteen twenty")
# Counts written as words ('four days after', 'two people'): 'one' is left out, it is mostly a pronoun.
_WORD_NUMBERS = {w: n for n, w in enumerate(_NUMBER_WORDS.split(), start=2)}
_WORDS = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b")
_EXACT_DIGITS = 15  # a figure written in words ('two') is exact
_SUFFIXES = ("ations", "ation", "ings", "ing", "ied", "ies", "ed", "es", "ly", "s", "d")
_NGRAMS = (1, 2, 3, 4)  # n-gram orders of the BLEU-like precisions
_LONG_WORD = 10  # a content word's weight in long_word_jaccard is its length, up to this


@dataclass(frozen=True, slots=True)
class _Figure:
    value: float
    digits: int  # significant digits as written: '11,000' has 2, so 10,978 rounds to it
    percent: bool


def stem(word: str) -> str:
    """A crude stem: 'authorized', 'authorizes', 'authorization' -> 'authoriz'. Enough to compare
    two sentences' words; never shown."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


@functools.lru_cache(maxsize=1 << 14)
def _describe(text: str) -> _Text:
    return _Text(text)


class _Text:
    """What the features read from one sentence, computed once per sentence."""

    __slots__ = ("bigrams", "dates", "figures", "names", "negations", "tokens", "words")

    def __init__(self, text: str) -> None:
        raw = _TOKEN.findall(text.replace("n't", " n't").replace("\u2019", "'"))
        self.tokens = [t.lower() for t in raw]
        self.words = frozenset(stem(t) for t in self.tokens if t not in _STOP and t[0].isalpha())
        self.bigrams = frozenset(zip(self.tokens, self.tokens[1:], strict=False))
        # A name is a capitalised word not opening the sentence (no parse here: enough to tell
        # 'Biden' from 'Trump' between two sentences).
        self.names = frozenset(t.lower() for i, t in enumerate(raw)
                               if i > 0 and t[0].isupper() and t.lower() not in _STOP
                               and t.lower() not in _MONTHS and t.lower() not in _WEEKDAYS)
        self.dates = {
            "month": frozenset(t for t in self.tokens if t in _MONTHS and t != "may"),
            "weekday": frozenset(t for t in self.tokens if t in _WEEKDAYS),
            "year": frozenset(t for t in self.tokens if _YEAR.match(t)),
        }
        self.figures = tuple(f for f in _figures(text))
        self.negations = sum(1 for t in self.tokens if t in _NEGATION)


@functools.lru_cache(maxsize=1 << 14)
def _strings(text: str) -> _Strings:
    return _Strings(text)


class _Strings:
    """What :func:`extra_features` reads from one sentence (apart from :class:`_Text`: a matcher
    over :data:`FEATURES` alone never computes it)."""

    __slots__ = ("chars", "grams")

    def __init__(self, text: str) -> None:
        tokens = _describe(text).tokens
        self.grams = tuple(frozenset(zip(*(tokens[i:] for i in range(n)), strict=False)) for n in _NGRAMS)
        spaced = " ".join(text.lower().split())
        self.chars = frozenset(spaced[i:i + 3] for i in range(len(spaced) - 2))


def _figures(text: str) -> list[_Figure]:
    out = [_Figure(float(_WORD_NUMBERS[w]), _EXACT_DIGITS, False) for w in _WORDS.findall(text.lower())]
    for m in _NUMBER.finditer(text):
        written, tail = m[1].rstrip(",."), (m[2] or "").lower()
        digits_only = written.replace(",", "")
        if not tail and _YEAR.match(digits_only):
            continue  # a year is a date, compared as one
        try:
            value = float(digits_only)
        except ValueError:
            continue
        value *= _SCALES.get(tail, 1.0)
        out.append(_Figure(value, _significant(digits_only), tail in ("%", "percent", "per cent")))
    return out


def _significant(written: str) -> int:
    """Significant digits as written: '11000' -> 2, '10978' -> 5, '2.50' -> 3."""
    if "." in written:
        return len(written.replace(".", "").lstrip("0")) or 1
    return len(written.lstrip("0").rstrip("0")) or 1


def figures_agree(a: _Figure, b: _Figure) -> bool:
    """One figure, up to the rounding of the less precise: '11,000' agrees with 10,978 and 11,000;
    '2.5 billion' with 2,500,000,000; 11,000 not with 12,000."""
    if a.percent != b.percent:
        return False
    if a.value == b.value:
        return True
    digits = min(a.digits, b.digits)
    return _round(a.value, digits) == _round(b.value, digits)


def values_agree(x: float, x_written: str, y: float, y_written: str) -> bool:
    """Two parsed values agree up to the rounding their written forms show ('around 11,000')."""
    return figures_agree(_Figure(x, _digits_of(x_written), False), _Figure(y, _digits_of(y_written), False))


def _digits_of(written: str) -> int:
    found = _NUMBER.search(written)
    return _significant(found[1].rstrip(",.").replace(",", "")) if found else _EXACT_DIGITS


def _round(value: float, digits: int) -> float:
    if value == 0:
        return 0.0
    magnitude = math.floor(math.log10(abs(value)))
    return round(value, digits - 1 - magnitude)


def _unmatched(mine: Sequence[_Figure], theirs: Sequence[_Figure]) -> int:
    return sum(1 for f in mine if not any(figures_agree(f, g) for g in theirs))


def _share(x: frozenset[object], y: frozenset[object]) -> float:
    return len(x & y) / len(x | y) if x | y else 1.0


def features(a: str, b: str, cosine: float) -> list[float]:
    """The pair's features, in :data:`FEATURES` order (symmetric in a and b)."""
    ta, tb = _describe(a), _describe(b)
    common = ta.words & tb.words
    covers = [len(common) / len(w) if w else 1.0 for w in (ta.words, tb.words)]
    lengths = sorted((len(ta.tokens), len(tb.tokens)))
    unmatched_figures = _unmatched(ta.figures, tb.figures) + _unmatched(tb.figures, ta.figures)
    both_figures = bool(ta.figures and tb.figures)
    names = ta.names | tb.names
    dates_conflict = any(ta.dates[k] and tb.dates[k] and not ta.dates[k] & tb.dates[k] for k in ta.dates)
    return [
        cosine,
        _share(ta.words, tb.words),
        min(covers),
        max(covers),
        _share(ta.bigrams, tb.bigrams),
        fuzz.token_set_ratio(a.lower(), b.lower()) / 100.0,
        lengths[0] / lengths[1] if lengths[1] else 1.0,
        math.log1p(max(len(ta.words - tb.words), len(tb.words - ta.words))),
        float(both_figures),
        float(both_figures and unmatched_figures == 0),
        float(min(unmatched_figures, 3)),
        len(ta.names & tb.names) / len(names) if names else 1.0,
        float(min(len(names - (ta.names & tb.names)), 4)),
        float(dates_conflict),
        float((ta.negations % 2) != (tb.negations % 2)),
    ]


def rarity(texts: Sequence[str]) -> dict[str, float]:
    """Each content word's (cut ending) rarity among ``texts`` (a story's clause runs, copies once):
    log(runs / runs holding it). A word in every run weighs nothing: a story of many facts of one kind
    ('strike', the parties) tells them apart by its rarer words."""
    distinct = list(dict.fromkeys(texts))
    held: dict[str, int] = {}
    for text in distinct:
        for w in _describe(text).words:
            held[w] = held.get(w, 0) + 1
    return {w: math.log(len(distinct) / n) for w, n in held.items()}


def told_within(a: str, b: str, names: bool = True, weights: dict[str, float] | None = None) -> float:
    """How much of the shorter telling the longer holds (0 when they disagree): the share of the shorter
    sentence's content words (cut endings, names too) found in the longer, when no figure of the shorter
    is missing from the longer (rounding is agreement), no date kind conflicts and both have one
    polarity. Directional, where :data:`FEATURES` are symmetric: MSRP calls 'the same fact told with
    more detail' no paraphrase, and two outlets' tellings of one news fact are often exactly that.
    ``names`` False: the shorter's names are left out of the share (a story's parties are named in
    many of its facts; what the act was is told by the other words). ``weights`` (:func:`rarity`): each
    word counts by its weight, not one."""
    ta, tb = _describe(a), _describe(b)
    short, long_ = (ta, tb) if (len(ta.words), a) <= (len(tb.words), b) else (tb, ta)
    if not short.words or _unmatched(short.figures, long_.figures) or ta.negations % 2 != tb.negations % 2:
        return 0.0
    if any(ta.dates[k] and tb.dates[k] and not ta.dates[k] & tb.dates[k] for k in ta.dates):
        return 0.0
    words = short.words if names else short.words - {stem(n) for n in short.names}
    if weights is None:
        return len(words & long_.words) / len(words) if words else 0.0
    total = sum(weights.get(w, 0.0) for w in words)
    return sum(weights.get(w, 0.0) for w in words & long_.words) / total if total > 0 else 0.0


def _precision(mine: frozenset[tuple[str, ...]], theirs: frozenset[tuple[str, ...]]) -> float:
    """Share of one sentence's distinct n-grams the other has (BLEU's precision, one order; a
    sentence seldom repeats an n-gram, so sets, not clipped counts)."""
    return len(mine & theirs) / len(mine) if mine else 1.0


def _weighted_share(x: frozenset[str], y: frozenset[str]) -> float:
    both = sum(min(len(w), _LONG_WORD) for w in x | y)
    return sum(min(len(w), _LONG_WORD) for w in x & y) / both if both else 1.0


def extra_features(a: str, b: str) -> list[float]:
    """The pair's string similarities, in :data:`EXTRA_FEATURES` order (symmetric in a and b)."""
    ta, tb = _describe(a), _describe(b)
    sa, sb = _strings(a), _strings(b)
    out: list[float] = []
    for ga, gb in zip(sa.grams, sb.grams, strict=True):
        out.extend(sorted((_precision(ga, gb), _precision(gb, ga))))
    lcs = LCSseq.similarity(ta.tokens, tb.tokens)
    lengths = sorted((len(ta.tokens), len(tb.tokens)))
    out.extend((lcs / max(lengths[0], 1), lcs / max(lengths[1], 1),
                Levenshtein.normalized_similarity(ta.tokens, tb.tokens),
                _share(sa.chars, sb.chars), _weighted_share(ta.words, tb.words),
                float(bool(ta.figures) != bool(tb.figures))))
    return out


def _short_long(a: str, b: str) -> tuple[_Text, _Text]:
    """The two sentences' descriptions, the shorter (by tokens; ties by text) first."""
    ta, tb = _describe(a), _describe(b)
    return (ta, tb) if (len(ta.tokens), a) <= (len(tb.tokens), b) else (tb, ta)


def _long_word_cover(mine: frozenset[str], theirs: frozenset[str]) -> float:
    """Share of ``mine`` found in ``theirs``, each word weighted by its length (up to _LONG_WORD)."""
    total = sum(min(len(w), _LONG_WORD) for w in mine)
    return sum(min(len(w), _LONG_WORD) for w in mine & theirs) / total if total else 1.0


def length_features(a: str, b: str, cosine: float) -> list[float]:
    """The pair's shorter-against-longer features, in :data:`LENGTH_FEATURES` order (symmetric)."""
    short, long_ = _short_long(a, b)
    gap = 1.0 - (len(short.tokens) / len(long_.tokens) if long_.tokens else 1.0)
    cover = len(short.words & long_.words) / len(short.words) if short.words else 1.0
    unmatched = math.log1p(len(short.words - long_.words))
    # a name of the shorter may stand in the longer uncapitalised or opening it
    named = len(short.names & (long_.names | set(long_.tokens))) / len(short.names) if short.names else 1.0
    pairs = len(short.bigrams & long_.bigrams) / len(short.bigrams) if short.bigrams else 1.0
    return [unmatched, named, float(min(_unmatched(short.figures, long_.figures), 3)),
            _long_word_cover(short.words, long_.words), pairs, gap, gap * cosine, gap * cover,
            gap * unmatched, gap * named]


def news_features(a: str, b: str, cosine: float) -> list[float]:
    """The pair's features in :data:`NEWS_FEATURES` order."""
    return [*features(a, b, cosine), *length_features(a, b, cosine)]


def first_features(a: str, b: str, cosine: float) -> list[float]:
    """The pair's features in :data:`FIRST_FEATURES` order (the first stage's)."""
    return [*features(a, b, cosine), *extra_features(a, b)]


def _pair_features(a: str, b: str, cosine: float, names: Sequence[str]) -> list[float]:
    if names == FIRST_FEATURES:
        return first_features(a, b, cosine)
    return news_features(a, b, cosine) if names == NEWS_FEATURES else features(a, b, cosine)


@dataclass(frozen=True, slots=True)
class Matcher:
    """A logistic regression over :func:`features` or :func:`first_features` (``names``: which;
    weights from ``matcher.json``)."""

    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    names: tuple[str, ...] = FEATURES

    def probability(self, a: str, b: str, cosine: float) -> float:
        """Probability that ``a`` and ``b`` state the same fact (``cosine``: their encoder cosine)."""
        return self.probability_of(_pair_features(a, b, cosine, self.names))

    def probability_of(self, values: Sequence[float]) -> float:
        z = self.bias + sum(w * (v - m) / s for w, v, m, s in zip(
            self.weights, values, self.means, self.scales, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def same(self, a: str, b: str, cosine: float) -> bool:
        """Whether the two state the same fact (``defaults.CLAIM_MATCH_PROBABILITY``)."""
        return self.probability(a, b, cosine) >= defaults.CLAIM_MATCH_PROBABILITY

    def to_json(self, names: Sequence[str] | None = None) -> dict[str, object]:
        return {"features": list(names if names is not None else self.names), "means": list(self.means),
                "scales": list(self.scales), "weights": list(self.weights), "bias": self.bias}

    @classmethod
    def from_json(cls, data: dict[str, Any], names: Sequence[str] = FEATURES) -> Matcher:
        if data.get("features") != list(names):
            raise ValueError("matcher weights were learned on other features: rerun bench/train_claims.py")
        means, scales, weights = (tuple(float(x) for x in data[k]) for k in ("means", "scales", "weights"))
        return cls(means, scales, weights, float(data["bias"]), tuple(names))


@dataclass(frozen=True, slots=True)
class TwoStage:
    """The cheap matcher, and for the pairs it leaves in ``band`` (lo <= p < hi), the second matcher
    reading the cross-encoder's logit too (``second`` None: the cheap matcher decides every pair)."""

    first: Matcher
    second: Matcher | None = None
    band: tuple[float, float] = (1.0, 1.0)

    def uncertain(self, first: float) -> bool:
        """Whether the cheap matcher's probability leaves the pair to the second stage."""
        return (self.second is not None and defaults.CLAIM_MATCH_CROSS_ENCODER
                and self.band[0] <= first < self.band[1])

    def probability_of(self, values: Sequence[float], logits: Callable[[], Sequence[float]]) -> float:
        """Probability from a pair's features (the first stage's, ``first.names``; the second stage
        reads the :data:`FEATURES` among them); ``logits`` (the cross-encoder's, in
        :data:`SECOND_FEATURES` order, asked only for an uncertain pair)."""
        p = self.first.probability_of(values)
        if self.second is None or not self.uncertain(p):
            return p
        return self.second.probability_of([*values[:len(FEATURES)], *logits()])

    def probabilities(self, pairs: Sequence[tuple[str, str, float]]) -> list[float]:
        """Probability per (a, b, cosine) that a and b state the same fact: the uncertain pairs are
        read by the cross-encoder together, in one batch."""
        values = [_pair_features(a, b, cosine, self.first.names) for a, b, cosine in pairs]
        firsts = [self.first.probability_of(v) for v in values]
        ask = [n for n, p in enumerate(firsts) if self.uncertain(p)]
        logits: dict[int, tuple[float, ...]] = {}
        if ask:
            from newsfuse.fuse.claims import crossencoder  # torch loads only when a pair needs it

            read = crossencoder.pair_logits([(pairs[n][0], pairs[n][1]) for n in ask])
            logits = dict(zip(ask, (tuple(float(z) for z in row) for row in read), strict=True))
        return [self.probability_of(v, functools.partial(logits.__getitem__, n))
                for n, v in enumerate(values)]

    def probability(self, a: str, b: str, cosine: float) -> float:
        """Probability that ``a`` and ``b`` state the same fact (``cosine``: their encoder cosine)."""
        return self.probabilities([(a, b, cosine)])[0]

    def same(self, a: str, b: str, cosine: float) -> bool:
        """Whether the two state the same fact (``defaults.CLAIM_MATCH_PROBABILITY``)."""
        return self.probability(a, b, cosine) >= defaults.CLAIM_MATCH_PROBABILITY

    def to_json(self) -> dict[str, object]:
        out = self.first.to_json()
        if self.second is not None:
            out["second"] = self.second.to_json(SECOND_FEATURES)
            out["band"] = list(self.band)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TwoStage:
        # A first stage names its features: FEATURES alone (before session 15), with the string
        # similarities or with the length features (session 20).
        named = {tuple(n): n for n in (FIRST_FEATURES, NEWS_FEATURES)}
        first = Matcher.from_json(data, named.get(tuple(data.get("features", ())), FEATURES))
        if "second" not in data:
            return cls(first)
        lo, hi = (float(x) for x in data["band"])
        return cls(first, Matcher.from_json(data["second"], SECOND_FEATURES), (lo, hi))


@functools.lru_cache(maxsize=1)
def packaged() -> TwoStage:
    """The matcher shipped with newsfuse (``newsfuse/data/claims/matcher.json``)."""
    return TwoStage.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))

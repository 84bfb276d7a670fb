"""Words and texts as the claim relation compares them: folding for rapidfuzz, content words,
figures, and trigger words (inflections, synonym sets, light verbs that name no event)."""

from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from newsfuse import defaults
from newsfuse.analyze.events.extract import SPEECH_VERBS
from newsfuse.analyze.events.plover import GENERIC_VERBS
from newsfuse.fuse.claims import text as claimtext

# Words that carry tense or syntax, not content: 'had been postponed' denies 'were postponed'.
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "that", "to", "of", "in", "on", "at", "by", "for", "and", "or", "is", "are", "was",
    "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "not", "it", "its", "this",
})
# Words that say nothing about what a statement states (beyond claimtext's function words): modals,
# pronouns, 'said'; a statement's shared content is compared without them.
_QUOTE_FILLER = claimtext.FUNCTION_WORDS | frozenset({
    "would", "will", "can", "could", "may", "might", "should", "must", "with", "from", "as", "but", "if",
    "so", "there", "which", "who", "what", "when", "said", "says", "say", "s", "t",
})
# Triggers too common to say which event a sentence tells ('asked for divers', 'nobody would be asked
# to leave', 'asked about the cost'): sharing one is no evidence that two reports tell one event.
_LIGHT_VERBS = (
    "be have do make take go come get call put see keep let set show turn bring leave use want need "
    "try seem look become begin start work move"
)
GENERIC_TRIGGERS = frozenset(GENERIC_VERBS) | SPEECH_VERBS | frozenset(_LIGHT_VERBS.split())
_FIGURE = re.compile(r"\d[\d,.]*\d|\d")
# What a count measures, named by the word that says it: 'two people were killed' and 'the death toll
# stands at two' both count the dead. A figure whose clause names one of these counts that measure,
# however the rest of the sentence is worded.
_MEASURE_WORDS = {
    "dead": "killed kill kills killing dead died die dies deaths fatalities perished",
    "injured": "injured wounded hurt injuries",
    "missing": "missing",
    "evacuated": "evacuated evacuees",
    "arrested": "arrested detained arrests detentions",
    "displaced": "displaced homeless",
}
MEASURES = {w: m for m, words in _MEASURE_WORDS.items() for w in words.split()}
# A toll named before its figure, in the same clause: 'the death toll from the flood stands at'.
_TOLL = re.compile(r"\b(death|injury)\s+tolls?\b[^,;:.!?()\"“”]*$", re.IGNORECASE)
_TOLL_MEASURE = {"death": "dead", "injury": "injured"}


def generic(trigger: str) -> bool:
    """Whether a trigger is a light or frequent verb ('ask', 'give', 'said') that names no event."""
    return any(f in GENERIC_TRIGGERS for f in trigger_forms(trigger))


@functools.lru_cache(maxsize=1 << 15)
def figures(text: str) -> frozenset[str]:
    """The figures of a text written with enough digits to be specific ('1,800' -> '1800')."""
    found = (m.group().replace(",", "") for m in _FIGURE.finditer(text))
    return frozenset(f for f in found if sum(c.isdigit() for c in f) >= defaults.EVENT_FIGURE_MIN_DIGITS)


@functools.lru_cache(maxsize=1 << 15)  # a story compares each statement's text with many others
def folded(text: str) -> str:
    """rapidfuzz's default_process of ``text``, once per text (scorers then take processor=None)."""
    return str(default_process(text))


@functools.lru_cache(maxsize=1 << 15)
def sorted_words(text: str) -> str:
    """The folded words of ``text`` sorted: token_sort_ratio(x, y) is ratio of these two."""
    return " ".join(sorted(folded(text).split()))


def says_same(x: str, y: str) -> bool:
    """Whether the content words of the shorter text are (nearly) all in the longer: a partial
    quote ('late and disorganised') inside a fuller report of the same statement."""
    wx, wy = _content_set(x), _content_set(y)
    short, long_ = (wx, wy) if len(wx) <= len(wy) else (wy, wx)
    shared = len(short & long_)
    return shared >= defaults.QUOTE_SHARED_MIN_WORDS and shared >= defaults.QUOTE_CONTENT_SHARE * len(short)


@functools.lru_cache(maxsize=1 << 15)
def _content_set(text: str) -> frozenset[str]:
    """The folded words of ``text`` that carry content (no function words, modals or pronouns)."""
    return frozenset(w for w in folded(text).split() if w not in _QUOTE_FILLER)


_NEGATIONS = frozenset({"not", "no", "never", "nobody", "none", "nothing", "neither", "nor", "t"})


def says_no_more(part: str, whole: str) -> bool:
    """Whether ``part`` says nothing ``whole`` does not, and most of what it says: every content word,
    figure and negation of ``part`` is in ``whole``, and ``part`` holds
    :data:`defaults.CLAIM_RESTATED_SHARE` of the content words of ``whole`` ('Tarvan Hydro may
    support the ministry in every way' in 'Tarvan Hydro welcomed the decision and would support the
    ministry in every way'); a denial of a fact ``whole`` states says more."""
    words, more = _content_set(part), _content_set(whole)
    negated = {w for w in folded(part).split() if w in _NEGATIONS}
    negated_more = {w for w in folded(whole).split() if w in _NEGATIONS}
    return (len(words) >= defaults.QUOTE_SHARED_MIN_WORDS and words <= more
            and len(words) >= defaults.CLAIM_RESTATED_SHARE * len(more)
            and negated == negated_more and figures(part) <= figures(whole))


def containment(part: str, whole: str) -> float:
    """Share (0-100) of the words of ``part`` that occur in ``whole``, case- and punctuation-folded."""
    words = [w for w in folded(part).split() if w not in _FUNCTION_WORDS]
    present = set(folded(whole).split())
    return 100.0 * sum(w in present for w in words) / len(words) if words else 0.0


def similarity(x: str, y: str) -> float:
    """rapidfuzz token_set_ratio (0-100) of case- and punctuation-folded texts."""
    return float(fuzz.token_set_ratio(x, y, processor=default_process))


def alike(x: str, y: str, threshold: float) -> bool:
    """``similarity(x, y) >= threshold``, with each text folded once and the scorer stopping early."""
    return fuzz.token_set_ratio(folded(x), folded(y), score_cutoff=threshold) >= threshold


def sorted_ratio(x: str, y: str) -> float:
    return fuzz.ratio(sorted_words(x), sorted_words(y)) if x and y else 0.0


# Words news uses for one event, as sets of lemmas (with nominalisations and frequent inflections
# the lemmatiser leaves alone). Two triggers in one set corefer when their arguments agree.
_LEXEME_SETS = (
    "die dead death dies died dying perish fatal fatality",
    "kill killing killed kills murder murdered slay slaying homicide",
    "shoot shooting shot shootings gunfire",
    "quake earthquake tremor temblor aftershock",
    "win won victory triumph beat defeat lose loss",
    "fire blaze inferno flames",
    "arrest arrested detain detention apprehend capture custody",
    "charge charged accuse accusation indict indictment",
    "release launch unveil",
    "fix patch repair",
    "find found discover discovery uncover",
    "escape flee fled breakout",
    "acquire acquisition buy purchase takeover",
    "resign resignation quit",
    "rob robbery heist theft steal stole stolen",
    "crash collide collision",
    "explode explosion blast bomb bombing",
    "attack assault",
    "injure injury injured wound wounded hurt",
    "evacuate evacuation",
    "convict conviction",
    "sentence sentencing",
    "elect election",
    "appoint appointment nominate nomination",
    "announce announcement",
    "sever cut",
)
EVENT_LEXEMES: dict[str, int] = {w: n for n, words in enumerate(_LEXEME_SETS) for w in words.split()}
_SUFFIXES = ("ings", "ing", "ed", "es", "s")


def trigger_forms(trigger: str) -> frozenset[str]:
    """The forms a trigger may stand for: itself, its stem without an inflection ('shootings' ->
    'shoot', 'dies' -> 'die', 'running' -> 'run') and its synonym set ('#3')."""
    word = trigger.casefold().strip()
    forms = {word}
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= defaults.EVENT_STEM_MIN_CHARS:
            forms |= {stem, stem + "e"}
            if len(stem) > 1 and stem[-1] == stem[-2]:
                forms.add(stem[:-1])  # doubled consonant: 'running' -> 'run'
    sets = {f"#{EVENT_LEXEMES[f]}" for f in forms if f in EVENT_LEXEMES}
    return frozenset(forms | sets)


def measure(before: str, after: str) -> str:
    """What a count measures ('dead', 'injured', ...) from the words of its sentence before and after
    the figure, or '' when its clause names none: a toll before it ('the death toll ... stands at'),
    a verb right before it ('killed at least'), or a word just after its counted noun ('people were
    killed', 'dead')."""
    toll = _TOLL.search(before)
    if toll is not None:
        return _TOLL_MEASURE[toll.group(1).casefold()]
    reach = defaults.AMOUNT_MEASURE_WORDS
    near = re.findall(r"[\w'’-]+", before.casefold())[-reach:][-2:] + re.findall(
        r"[\w'’-]+", re.split(r"[,;:.!?()]", after, maxsplit=1)[0].casefold())[:reach]
    return next((MEASURES[w] for w in near if w in MEASURES), "")

"""Is a token a lexicon cue: lemma mending, the cue groups of :mod:`cues`, negation, the cue's span.

Apart from :mod:`quotes` because the learned cues and the refusals need the same lemma mending and
negation test ('did not confirm', 'Neither X nor Y confirmed') as the lexicon rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes import cues

_NO_ONE = frozenset({"neither", "no", "nobody", "none"})  # subjects that deny the act took place


def verb_lemma(word: str, lemma: str) -> str:
    """The lemma, mended where the small model clips a final 'e' ('hopes' -> 'hop')."""
    low = lemma.lower()
    fixed = low + "e"
    if word.lower().startswith(fixed) and any(fixed in group for group in _CUE_GROUPS):
        return fixed
    return low


def gerund_lemma(doc: ParsedDoc, t: int) -> str:
    """'warning that ...' mistagged as a noun: its verb lemma when it governs a clause, else ''."""
    word = doc.tokens[t].text.lower()
    if not word.endswith("ing") or not any(doc.tokens[c].dep == "ccomp" for c in doc.children(t)):
        return ""
    stem = word[:-3]
    return next((c for c in (stem, stem + "e", stem[:-1]) if c in cues.SPEECH or c in cues.BELIEF), "")


_CUE_GROUPS = (
    cues.SPEECH, cues.BELIEF, cues.EVALUATIVE, cues.EVIDENCE, cues.INTENTION, cues.STANCE, cues.AS_FRAME,
)


def is_cue(doc: ParsedDoc, t: int, lemma: str) -> bool:
    if lemma == "call":
        return True  # checked by its content rule: needs a second complement or 'for'
    if lemma in cues.NEEDS_PARTICLE:
        words = {doc.tokens[c].text.lower() for c in doc.children(t) if doc.tokens[c].dep in ("prt", "prep")}
        return bool(words & cues.NEEDS_PARTICLE[lemma])
    return any(lemma in group for group in _CUE_GROUPS)


def is_stance(lemma: str, clausal: bool) -> bool:
    """An attitude rather than words: a position, or a wish whose content is no clause."""
    if lemma in cues.STANCE or lemma in cues.AS_FRAME:
        return not clausal
    return lemma in cues.INTENTION and lemma not in cues.SPEECH and not clausal


def negated(doc: ParsedDoc, t: int) -> bool:
    """'did not confirm', 'neither Russia nor North Korea have confirmed': no statement was made."""
    for c in doc.children(t):
        ch = doc.tokens[c]
        if ch.dep == "neg":
            return True
        if ch.dep == "nsubj" and {ch.text.lower(), *_words(doc, doc.children(c))} & _NO_ONE:
            return True
    return False


def _words(doc: ParsedDoc, toks: Sequence[int]) -> list[str]:
    return [doc.tokens[i].text.lower() for i in toks]


def cue_span(doc: ParsedDoc, t: int, lemma: str) -> tuple[int, int]:
    """The cue verb, with the particle or preposition that makes it one ('pointed out', 'called for')."""
    tok = doc.tokens[t]
    end = tok.end
    wanted = cues.NEEDS_PARTICLE.get(lemma, set()) | ({"for"} if lemma == "call" else set())
    for c in doc.children(t):
        ch = doc.tokens[c]
        if ch.dep in ("prt", "prep") and ch.text.lower() in wanted and c == t + 1:
            end = ch.end
    return tok.idx, end


def has_subject(doc: ParsedDoc, t: int) -> bool:
    """The verb has a subject of its own (not one borrowed from the clause it hangs on)."""
    return any(doc.tokens[c].dep == "nsubj" for c in doc.children(t))

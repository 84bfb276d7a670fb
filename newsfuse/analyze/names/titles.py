"""Titles and roles around a name: "French President Emmanuel Macron", "spokesperson Dmitry Peskov",
"Dmitry Peskov, the Kremlin spokesman", and title-only references such as "the French president".

A title is a chain of words that ends in a role noun (president, minister, spokesperson...) and may be
preceded by modifiers (a nationality, a country, an organisation, "Foreign", "Deputy", "former").
All functions read a :class:`ParsedDoc` and return token ranges; they never decide who the title
belongs to (that is :mod:`newsfuse.analyze.names.mentions`).
"""

from __future__ import annotations

from dataclasses import dataclass

from newsfuse import defaults
from newsfuse.analyze.parse import ParsedDoc, Tok

# Role nouns that end a title ("President", "spokesperson", "Foreign Minister").
ROLE_NOUNS = frozenset(
    (
        "president", "president-elect", "vice-president", "minister", "secretary", "undersecretary",
        "spokesperson", "spokesman", "spokeswoman", "chancellor", "premier", "governor", "mayor",
        "senator", "sen.", "representative", "rep.", "congressman", "congresswoman", "lawmaker",
        "ambassador", "envoy", "chairman", "chairwoman", "chair", "chief", "ceo", "director",
        "leader", "commander", "general", "gen.", "colonel", "col.", "admiral", "adm.", "captain",
        "capt.", "lieutenant", "lt.", "sergeant", "sgt.", "major", "king", "queen", "prince",
        "princess", "pope", "emperor", "judge", "justice", "prosecutor", "attorney", "lawyer",
        "professor", "prof.", "dr.", "dr", "coach", "manager", "adviser", "advisor", "aide",
        "candidate", "nominee", "speaker", "founder", "commissioner", "diplomat", "negotiator",
        "correspondent", "editor", "analyst", "economist", "official", "officer", "sheriff",
        "inspector", "cardinal", "archbishop", "bishop", "rabbi", "imam", "sheikh", "ayatollah",
        "deputy", "head", "executive", "mp", "striker", "midfielder", "goalkeeper", "defender",
    )
)

# Words that may stand before a role noun inside a title ("Foreign Minister", "Deputy Prime Minister").
TITLE_MODIFIERS = frozenset(
    (
        "foreign", "defense", "defence", "interior", "finance", "economy", "justice", "health",
        "deputy", "assistant", "acting", "former", "vice", "prime", "senior", "top", "chief",
        "state", "home", "trade", "energy", "education", "labour", "labor", "transport", "army",
        "military", "national", "security", "executive", "general", "attorney", "supreme", "crown",
        "press", "presidential", "then", "interim", "incoming", "outgoing", "exiled", "opposition",
    )
)

# Role nouns that, with "the" and no name after them, refer to one person ("the French president").
SINGLE_ROLE_NOUNS = frozenset(
    (
        "president", "president-elect", "vice-president", "minister", "secretary", "spokesperson",
        "spokesman", "spokeswoman", "chancellor", "premier", "governor", "mayor", "senator",
        "ambassador", "envoy", "chairman", "chairwoman", "ceo", "king", "queen", "pope",
        "prosecutor", "commander", "coach", "leader",
    )
)

# Government offices whose 'for X' / 'of X' names a portfolio, not a body: 'Assistant Secretary for
# Western Hemisphere Affairs', 'Minister of Foreign Affairs' ('Secretary-General of NATO' ends in
# 'General', so the body it heads stays an organisation).
PORTFOLIO_ROLES = frozenset(("secretary", "undersecretary", "minister", "commissioner"))
# Entity types whose words may qualify a title ("French", "U.S.", "Kremlin", "NATO").
_QUALIFIER_TYPES = frozenset(("NORP", "GPE", "ORG", "LOC"))
# Tokens that end an apposition ("Dmitry Peskov, the Kremlin spokesman, said").
_APPOSITION_STOPS = frozenset((",", ".", ";", ":", "(", ")", "—", "–", '"', "“", "”", "!", "?"))
_ARTICLES = frozenset(("the", "a", "an"))
_POSSESSIVES = frozenset(("'s", "’s"))


@dataclass(frozen=True, slots=True)
class TitleSpan:
    """Tokens ``start:end`` hold a title; ``head`` is the role noun's index."""

    start: int
    end: int
    head: int


def is_role(tok: Tok) -> bool:
    return tok.text.casefold() in ROLE_NOUNS


def is_title_word(tok: Tok) -> bool:
    low = tok.text.casefold()
    return low in ROLE_NOUNS or low in TITLE_MODIFIERS


def is_portfolio(doc: ParsedDoc, start: int) -> bool:
    """Whether the name at token ``start`` is an office's portfolio ('Secretary for Western
    Hemisphere Affairs'): written right after 'for'/'of' after such a role, with no article."""
    if start < 2 or doc.tokens[start - 1].text.casefold() not in ("for", "of"):
        return False
    return doc.tokens[start - 2].text.casefold() in PORTFOLIO_ROLES


def title_text(doc: ParsedDoc, span: TitleSpan) -> str:
    return " ".join(doc.span_text(span.start, span.end).split())


def _qualifies(tok: Tok) -> bool:
    """A word that may precede a role inside a title: a title word, a nationality or an agency name."""
    if is_title_word(tok):
        return True
    return tok.ent_type in _QUALIFIER_TYPES and tok.pos in ("PROPN", "ADJ", "NOUN")


def split_leading_title(doc: ParsedDoc, start: int, end: int) -> int:
    """Inside a name span, the index where the name proper begins after title words.

    "French President Emmanuel" -> index of "Emmanuel"; returns ``end`` when the span is all title.
    """
    last_role = -1
    for i in range(start, end):
        if is_role(doc.tokens[i]):
            last_role = i
    if last_role < 0:
        return start
    if not all(_qualifies(doc.tokens[i]) or doc.tokens[i].pos == "PROPN" for i in range(start, last_role)):
        return start
    return last_role + 1


def title_before(doc: ParsedDoc, start: int) -> TitleSpan | None:
    """The title chain just before token ``start`` ("French President" before "Emmanuel Macron")."""
    sent_start = doc.sent_of(start).start if start < len(doc.tokens) else 0
    j = _before_of_phrase(doc, start, sent_start)
    if j < sent_start or not is_role(doc.tokens[j]):
        return None
    head = j
    while j - 1 >= sent_start and start - j < defaults.TITLE_MAX_TOKENS and _qualifies(doc.tokens[j - 1]):
        j -= 1
    return TitleSpan(j, start, head)


def _before_of_phrase(doc: ParsedDoc, start: int, sent_start: int) -> int:
    """Index of the role in 'Minister of Water <name>' (capitalised words after 'of'), else start-1."""
    j = start - 1
    toks = doc.tokens
    while j > sent_start and start - j <= 3 and toks[j].pos == "PROPN" and toks[j].text[:1].isupper():
        j -= 1
    if j > sent_start and j < start - 1 and doc.tokens[j].text == "of" and is_role(doc.tokens[j - 1]):
        return j - 1
    return start - 1


def title_after(doc: ParsedDoc, end: int) -> TitleSpan | None:
    """An apposition title after a name: ", the Kremlin spokesman," / ", U.S. Assistant Secretary for X"."""
    toks = doc.tokens
    if end >= len(toks) or toks[end].text != ",":
        return None
    sent_end = doc.sent_of(end).end
    i = end + 1
    if i < sent_end and toks[i].text.casefold() in _ARTICLES:
        i += 1
    first, head = i, -1
    while i < sent_end and i - first < defaults.TITLE_MAX_TOKENS and toks[i].text not in _APPOSITION_STOPS:
        tok = toks[i]
        if tok.pos in ("VERB", "AUX") or tok.ent_type == "PERSON":
            return None
        if head < 0 and is_role(tok):
            head = i
        elif head < 0 and not (_qualifies(tok) or tok.text in _POSSESSIVES):
            return None  # words before the role must qualify it: ", 45," or ", who said" are no title
        i += 1
    if head < 0:
        return None
    return TitleSpan(first, i, head)


def title_only(doc: ParsedDoc, i: int) -> TitleSpan | None:
    """'the French president' / 'Russia's foreign minister' ending at role noun ``i``, with no name
    after it (then the title belongs to that name, see :func:`title_before`)."""
    toks = doc.tokens
    tok = toks[i]
    if tok.text.casefold() not in SINGLE_ROLE_NOUNS or tok.tag in ("NNS", "NNPS"):
        return None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is not None and (nxt.ent_type == "PERSON" or is_title_word(nxt) or nxt.tag in ("NNP", "NN")):
        return None  # "President Joe Biden", "Minister Barrot", "president elect", "minister Sergey"
    sent_start = doc.sent_of(i).start
    j = i
    while j - 1 >= sent_start and i - j < defaults.TITLE_MAX_TOKENS:
        prev = toks[j - 1]
        possessive = prev.text in _POSSESSIVES and j - 2 >= sent_start and _qualifies(toks[j - 2])
        if _qualifies(prev) or possessive:
            j -= 1
            continue
        break
    det = j - 1
    if det >= sent_start and toks[det].text.casefold() == "the":
        return TitleSpan(det, i + 1, i)
    if j < i and toks[j].ent_type in _QUALIFIER_TYPES and any(t.text in _POSSESSIVES for t in toks[j:i]):
        return TitleSpan(j, i + 1, i)  # "Russia's foreign minister"
    return None

"""Pronoun subjects linked to the actor they stand for: 'He stated' to the person last the subject
before it (gender permitting), 'It said' / 'They said' to the organisation named just before,
preferring the subject of the sentence before."""

from __future__ import annotations

from dataclasses import dataclass

from newsfuse import defaults
from newsfuse.analyze.names import gender, titles
from newsfuse.analyze.names import lexicon as names
from newsfuse.analyze.names.mentionspans import SUBJECT_DEPS, Name, Ref, governs_root, is_subject, span_root
from newsfuse.analyze.parse import ParsedDoc, Tok

# Verbs whose pronoun subject most likely starts or ends a quote ("he said", "she added").
SPEECH_VERBS = frozenset(
    (
        "say", "state", "add", "tell", "note", "warn", "claim", "insist", "argue", "explain",
        "announce", "declare", "write", "comment", "stress", "emphasize", "emphasise", "suggest",
        "reply", "respond", "ask", "acknowledge", "admit", "deny", "confirm", "indicate", "mention",
        "describe", "call", "urge", "predict", "promise", "vow", "pledge", "decline", "remark",
        "continue", "conclude", "recall", "point", "express", "praise", "criticize", "criticise",
    )
)

# Person pronouns a speaker may be referred to by, and the gender each implies.
_PRONOUNS = {"he": "m", "she": "f"}


# ---------------------------------------------------------------------------------------------
# people: 'he said', 'She stated'
# ---------------------------------------------------------------------------------------------


def pronoun_refs(doc: ParsedDoc, found: list[Name], title_refs: list[Ref]) -> list[Ref]:
    """'He stated' -> the person who was last the subject of a clause before it."""
    people = [(n.start, n.end, n.key, n.titles) for n in found if n.label == "PERSON"]
    people += [(r.start, r.end, r.key, list(r.titles)) for r in title_refs]
    people.sort()
    refs: list[Ref] = []
    # what the article says of each person's gender (Mr/Ms, 'chairwoman', first name); pronouns
    # linked below add to it for people it says nothing about
    persons = [gender.Person(start, end, key, tuple(t)) for start, end, key, t in people]
    known: dict[str, str] = dict(gender.article_genders(doc, persons))
    for tok in doc.tokens:
        g = _PRONOUNS.get(tok.text.casefold())
        if g is None or tok.dep not in SUBJECT_DEPS:
            continue
        key, titles_of = _antecedent(doc, tok, people, known, g)
        if key is None:
            continue
        known.setdefault(key, g)
        speech = _opens_speech(doc, tok)
        conf = defaults.CONF_PRONOUN_SPEECH if speech else defaults.CONF_PRONOUN_OTHER
        refs.append(Ref(tok.i, tok.i + 1, "pronoun", key, "PERSON", tuple(titles_of), conf))
        people.append((tok.i, tok.i + 1, key, list(titles_of)))
        people.sort()
    return refs


def _opens_speech(doc: ParsedDoc, tok: Tok) -> bool:
    """'he said', 'She stated', 'he declined to comment'."""
    head = doc.tokens[tok.head]
    if head.lemma.casefold() in SPEECH_VERBS:
        return True
    return any(doc.tokens[c].lemma.casefold() in SPEECH_VERBS for c in doc.children(head.i))


def _antecedent(
    doc: ParsedDoc,
    pron: Tok,
    people: list[tuple[int, int, str, list[str]]],
    gender: dict[str, str],
    g: str,
) -> tuple[str | None, list[str]]:
    """Search the pronoun's sentence, then earlier ones, for the person it refers to: a subject
    first (of the main verb in earlier sentences), else the nearest person before it."""
    here = pron.sent
    earliest = max(0, here - defaults.PRONOUN_LOOKBACK_SENTENCES)
    for s in range(here, earliest - 1, -1):
        cands = [
            p for p in people
            if doc.tokens[p[0]].sent == s and p[1] <= pron.i and gender.get(p[2], g) == g
        ]
        if not cands:
            continue
        subjects = [p for p in cands if is_subject(doc, p[0], p[1])]
        if s == here:
            pick = (subjects or cands)[-1]
        else:
            main = [p for p in subjects if governs_root(doc, p[0], p[1])]
            pick = (main or subjects or cands[-1:])[0]
        return pick[2], pick[3]
    return None, []


# ---------------------------------------------------------------------------------------------
# organisations: 'it said', 'they said'
# ---------------------------------------------------------------------------------------------

# Speech verbs that also describe prices, weather and time ('it declined 2 percent', 'it continued
# to rain'): they open speech only with a speech verb as complement ('it declined to comment').
_SPEECH_WITH_COMPLEMENT = frozenset(("continue", "decline"))
# Pronouns that may stand for an organisation that speaks. 'They' is taken only for the subject of
# the sentence before with no people named in between: it more often means people.
_ORG_PRONOUNS = {"it": False, "they": True}


@dataclass(frozen=True)
class _Speaker:
    """An organisation mention that an 'it' may stand for: tokens ``start:end``, key, and whether
    it is a newspaper, broadcaster or wire (the outlet reporting, rarely the one an 'it' means)."""

    start: int
    end: int
    key: str
    outlet: bool


def org_pronoun_refs(doc: ParsedDoc, found: list[Name], refs: list[Ref]) -> list[Ref]:
    """'It said sales had doubled' -> the organisation named just before, preferring the subject of
    the sentence before; left out when two organisations fit equally or none can speak."""
    bodies = _speaking_bodies(found, refs)
    out = []
    for tok in doc.tokens:
        plural = _ORG_PRONOUNS.get(tok.text.casefold())
        if plural is None or tok.dep != "nsubj" or not _org_speaks(doc, tok):
            continue
        key = _org_antecedent(doc, tok, bodies, plural)
        if key is not None:
            conf = defaults.CONF_PRONOUN_ORG_PLURAL if plural else defaults.CONF_PRONOUN_ORG
            out.append(Ref(tok.i, tok.i + 1, "pronoun", key, "ORG", (), conf))
    return out


def _speaking_bodies(found: list[Name], refs: list[Ref]) -> list[_Speaker]:
    """Organisations named or described in the article, and government bodies typed as places
    ('Government of Marovia'); products, places and peoples never speak."""
    out = [
        _Speaker(n.start, n.end, n.key, _is_outlet(n))
        for n in found
        if n.label == "ORG" or (n.label == "GPE" and names.org_kind(n.text) == "public")
    ]
    out += [_Speaker(r.start, r.end, r.key, False) for r in refs if r.kind == "description"]
    return sorted(out, key=lambda b: b.start)


def _is_outlet(n: Name) -> bool:
    return names.is_agency(n.text) or names.org_kind(n.text, n.after_the) == "press"


def _org_speaks(doc: ParsedDoc, tok: Tok) -> bool:
    """'it said', 'it told Reuters', 'it declined to comment'; not 'it is raining', 'it was unclear
    whether', 'it declined 2 percent'."""
    head = doc.tokens[tok.head]
    lemma = head.lemma.casefold()
    if lemma in SPEECH_VERBS and lemma not in _SPEECH_WITH_COMPLEMENT:
        return True
    kids = [doc.tokens[c] for c in doc.children(head.i)]
    return any(k.dep == "xcomp" and k.lemma.casefold() in SPEECH_VERBS for k in kids)


def _org_antecedent(doc: ParsedDoc, pron: Tok, bodies: list[_Speaker], plural: bool) -> str | None:
    """Search the pronoun's sentence, then earlier ones, for the organisation it stands for: the
    subject (of the main verb in earlier sentences), else the only organisation of the nearest
    sentence holding one. Two organisations and no subject: ambiguous, None."""
    here = pron.sent
    lookback = 1 if plural else defaults.ORG_REF_LOOKBACK_SENTENCES
    for s in range(here, max(0, here - lookback) - 1, -1):
        in_sent = [b for b in bodies if doc.tokens[b.start].sent == s and b.end <= pron.i]
        subjects = [b for b in in_sent if is_subject(doc, b.start, b.end)]
        # the outlet is meant only when it was the subject just before ('The Herald reported ... It
        # said'), not when it only tagged a report ('Orbis cut jobs, the Herald reported. It said')
        cands = [
            b for b in in_sent
            if not b.outlet or (s == here - 1 and b in subjects and not _tags_report(doc, b))
        ]
        if not cands:
            continue
        pick = _pick_body(doc, s == here, cands, [b for b in subjects if b in cands], plural)
        if pick is not None and plural and _people_between(doc, pick.end, pron.i):
            return None  # 'Orbis Holdings hired 200 engineers. They said ...' means the engineers
        return pick.key if pick is not None else None
    return None


def _tags_report(doc: ParsedDoc, b: _Speaker) -> bool:
    """'..., the Herald reported': the subject's verb has its reported clause before the subject."""
    verb = span_root(doc, b.start, b.end).head
    return any(doc.tokens[c].dep in ("ccomp", "parataxis") and c < b.start for c in doc.children(verb))


def _pick_body(
    doc: ParsedDoc, same_sentence: bool, cands: list[_Speaker], subjects: list[_Speaker], plural: bool
) -> _Speaker | None:
    main = [b for b in subjects if governs_root(doc, b.start, b.end)]
    if plural:  # 'They' needs the subject of a main verb ('whether the Fed will raise rates' is none)
        return main[0] if main else None
    if same_sentence and subjects:
        return subjects[-1]
    if main or subjects:
        return (main or subjects)[0]
    if len({b.key for b in cands}) > 1:
        return None  # 'A court ordered X to pay Y. It said': ambiguous
    return cands[-1]


def _people_between(doc: ParsedDoc, start: int, end: int) -> bool:
    """People between an antecedent and 'they' ('200 engineers', 'officials', a named person or
    nationality) are the likelier referent; things ('cut prices') are not."""
    return any(_people_word(t) or t.ent_type in ("PERSON", "NORP") for t in doc.tokens[start:end])


def _people_word(tok: Tok) -> bool:
    lemma = tok.lemma.casefold()
    return tok.tag in ("NNS", "NNPS") and (
        lemma in names.PERSON_NOUNS or lemma in names.PEOPLE_NOUNS or lemma in titles.ROLE_NOUNS
    )

"""The words claim sentences are made of (:mod:`newsfuse.fuse.claims.sentence` puts them together):

* actors: the story's entity names for the words that stand for them, never a bare pronoun;
* what an event's verb governs: the words after it to the end of its clause, or the target's phrase
  for an event named by a noun ('attack on Kyiv');
* an amount's clause: the part of its sentence around the figure ('about 1,800 residents were
  evacuated from Dunmere'), cut at clause breaks so a long sentence does not become the claim.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from newsfuse import defaults
from newsfuse.fuse.entities.resolve import normalise
from newsfuse.models import Analysis, Event, Mention

# Words that only point at an actor named elsewhere: shown only when they could not be resolved.
PRONOUNS = frozenset({
    "he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "his", "its", "their",
    "this", "that", "these", "those", "one",
})
# Words that carry no content of their own: 'the decision' says nothing without its sentence.
FUNCTION_WORDS = frozenset({
    "a", "an", "the", "that", "to", "of", "in", "on", "at", "by", "for", "and", "or", "is", "are", "was",
    "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "not", "it", "its", "this",
    "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "my",
})
# Clause breaks: semicolon, colon, dash, or a comma before a conjunction/attribution. A bare ' and '
# breaks only before a new clause ('killed and about 1,800 residents were evacuated'), not inside a
# noun phrase ('300 shops and workshops had been', 'boats and two helicopters').
_HARD_BREAK = re.compile(
    r"\s*[;:—–]\s+|,\s+(?=(?:and|but|while|although|though|according to|whereas)\b)", re.IGNORECASE
)
_AND = re.compile(r"\s+and\s+")
# Where the clause of an event's verb ends: punctuation, a quote, or a conjunction opening another.
# A comma or point inside a figure ('1,800', '2.4 billion') ends nothing.
_CLAUSE_END = re.compile(
    r"[;:!?()\"“”—–]|,(?!\d)|(?<!\b[A-Z])\.(?!\d)|\s(?:and|but|while|although|because|after|before)\s"
)
# The same for the words a claim shows after its verb, but 'before'/'after' after a span of time
# ('in the years before the breach', 'days after the flood', 'shortly before 4 a.m.') is part of a
# time phrase: cut there, the claim ended on 'in the years'. (Alignment keeps _CLAUSE_END.)
_TIME_SPAN_BEFORE = "".join(
    f"(?<!\\b{w})" for w in ("years", "year", "months", "month", "weeks", "week", "days", "day", "hours",
                              "hour", "minutes", "shortly", "soon", "just", "long", "moments"))
_COMPLEMENT_END = re.compile(
    r"[;:!?()\"“”—–]|,(?!\d)|(?<!\b[A-Z])\.(?!\d)|\s(?:and|but|while|although|because)\s"
    rf"|{_TIME_SPAN_BEFORE}\s(?:after|before)\s"
)
_LEADING_CONJUNCTION = re.compile(r"^(?:and|but|while|although|though|whereas)\s+", re.IGNORECASE)
# Words that open a new subject, and finite auxiliaries that show its verb follows.
_SUBJECT_START = frozenset({
    "a", "an", "the", "about", "nearly", "almost", "around", "roughly", "some", "at", "more", "over",
    "his", "her", "their", "its", "he", "she", "they", "it", "we", "all", "many", "several",
})
_AUX = frozenset({
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "may", "might",
})
_PREPOSITIONS = frozenset({"in", "of", "at", "from", "for", "near", "on", "by", "with"})
_AUX_REACH = 6  # words after ' and ' in which the new clause's auxiliary must appear
_SPACE_PUNCT = " \t\n.,;:"
_QUOTE_MARKS = "\"'“”‘’"
SPACE_PUNCT, QUOTE_MARKS = _SPACE_PUNCT, _QUOTE_MARKS  # for the statements' own trimming
# Words that end a target's phrase in an event's text: a verb, a preposition or a clause opener follows.
_PHRASE_END = frozenset({
    "that", "which", "who", "to", "in", "on", "at", "for", "from", "by", "with", "of", "as", "if",
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "could", "can",
    "may", "might", "should", "must", "said", "says", "say", "after", "before", "since", "during",
    "the", "a", "an", "not", "about", "within", "against", "into", "over", "under", "and", "or", "but",
    "why", "whether", "when", "where", "how",
})
_POSSESSIVE = re.compile(r"^['’]s?")


def entity_names(
    analyses: Iterable[Analysis], emap: Mapping[tuple[str, str], str],
    derived: Callable[[Analysis, str, Callable[[], Any]], Any] | None = None,
) -> dict[str, str]:
    """Entity ID -> display name: the fullest name key linked to it (most words, then most used),
    as the entity resolver names entities, for callers that do not pass the entities themselves.
    ``derived``: what is kept beside each analysis (``fuse/analyses.py``), its name counts read once."""
    weight: dict[str, Counter[str]] = {}
    for an in analyses:
        # kept beside the analysis (fuse/analyses.py): a story re-fused after one new article asks
        # again for every article's names, and reading its ~70,000 mentions was the cost
        counts = _name_counts(an) if derived is None else derived(an, "name counts",
                                                                        functools.partial(_name_counts, an))
        for key, n in counts:
            entity = emap.get((an.article_id, key))
            if entity is not None:
                weight.setdefault(entity, Counter())[key] += n
    return {
        e: min(keys, key=lambda k: (-len(normalise(k).split()), -keys[k], k)) for e, keys in weight.items()
    }


def _name_counts(an: Analysis) -> tuple[tuple[str, int], ...]:
    """How often an analysis names each mention key by a name (no pronoun)."""
    found = Counter(m.entity_key for m in an.mentions
                    if m.kind != "pronoun" and m.entity_key.casefold() not in PRONOUNS)
    return tuple(found.items())


_BODY_LABELS = frozenset({"ORG", "NORP", "GPE"})  # actors 'it' can stand for: an organisation, a state


def bodies(mentions: Iterable[Mention]) -> frozenset[str]:
    """Entity keys of an article's organisations and states (by the label most of their names carry)."""
    labels: dict[str, Counter[str]] = {}
    for m in mentions:
        if m.kind != "pronoun":
            labels.setdefault(m.entity_key, Counter())[m.label] += 1
    return frozenset(k for k, c in labels.items() if c.most_common(1)[0][0] in _BODY_LABELS)


def actor(
    text: str | None, key: str | None, article_id: str, emap: Mapping[tuple[str, str], str],
    names: Mapping[str, str],
) -> str | None:
    """How to name an actor: its entity's name when the words stand for it (a pronoun, a title, a
    part of the name, title + name); else its own words ('The regional hospital in Kessel' is not
    the entity 'Kessel' it contains), never a bare pronoun."""
    entity = emap.get((article_id, key)) if key else None
    name = names.get(entity) if entity is not None else None
    words = " ".join((text or "").split())
    if name and (not words or _stands_for(words, name)):
        # 'The Pentagon' said: the name with the article the text gives it ('Pentagon confirmed'
        # read as a headline)
        if words.casefold().startswith("the ") and not name.casefold().startswith("the ") and (
                normalise(words) == normalise(name) or _head_in_name(words, name)):
            return "the " + name
        return name
    for candidate in (words, key):
        if candidate and candidate.strip().casefold() not in PRONOUNS:
            return " ".join(candidate.split())
    return name


def _head_in_name(words: str, name: str) -> bool:
    """Whether a description names its entity by a word of the name ('the authority' for the
    Marovian Competition Authority, 'the ministry' for the Ministry of Water): such a name is one a
    writer puts 'the' before ('the Marovian Competition Authority said'), unlike a proper name the
    description only describes ('the company' for Tarvan Hydro)."""
    said = words.split()
    if len(said) < 2 or any(not w.islower() for w in said[1:]):
        return False  # a name of its own ('the chamber's president, Ruben Aske') is no description
    return said[-1] in {w.casefold() for w in name.split()}


def definite(who: str | None, written: str | None, text: str, sentence_start: int, at: int) -> str | None:
    """An event's actor with the article its sentence writes before it ('The Kremlin criticized' ->
    'the Kremlin'): the analysis gives the actor's words without their determiner."""
    if not who or not written or who.casefold().startswith("the ") or normalise(who) != normalise(written):
        return who
    found = text.rfind(written, sentence_start, at)
    return "the " + who if found >= 4 and text[found - 4:found].casefold() == "the " else who


def _stands_for(words: str, name: str) -> bool:
    said, full = normalise(words), normalise(name)
    if not said or not full:
        return False
    if said in PRONOUNS or set(said.split()) <= set(full.split()):
        return True
    # Title + (part of) the name ('Minister of Water Teodor Hallen', 'Interior Minister Mirela'); not
    # a name inside a phrase ('the regional hospital in Kessel').
    words_said = said.split()
    head = len(full.split()) if said.endswith(" " + full) else 1
    before = words_said[-head - 1] if len(words_said) > head else ""
    if words_said[-1] in full.split() and before not in _PREPOSITIONS:
        return True
    # A description without a name of its own ('the interior minister') stands for its referent.
    return not any(w[:1].isupper() for w in words.split()[1:])


def object_words(text: str, e: Event, whom: str | None) -> str | None:
    """What the verb governs: the target's name when the words after the verb are just the target
    ('strike Ukraine'), else those words when they hold the target ('launch missiles on Russian
    territory', 'killed at least four people', 'criticized the U.S. decision'): a target reached
    through a preposition or a head noun reads wrong next to the verb ('launch Russia')."""
    words = complement(text, e.trigger_end, e.sentence_end)
    if not whom or not e.target:
        return whom or words
    said = " ".join(e.target.split())
    at = words.find(said)
    if at < 0 or words.strip(_SPACE_PUNCT) == said:
        return whom
    return words[: at + len(said)] + _phrase_tail(words[at + len(said):])


# Words before a bare verb form ('to attack', 'may attack', 'did not attack'): otherwise a bare form
# that is its own lemma names the event as a noun ('the attack', 'a massive strike').
_VERB_BEFORE = frozenset({
    "to", "will", "would", "may", "might", "can", "could", "should", "must", "shall", "not", "did", "do",
    "does", "never", "n't", "they", "we", "i", "you", "be", "been", "being", "is", "are", "was", "were",
    "has", "have", "had", "get", "got",
})


def nominal(text: str, start: int, written: str, lemma: str) -> bool:
    """Whether an event's trigger is a noun ('the attack on Kyiv', 'Russia's invasion'): a form
    that is not the verb's ('invasion', 'decision'), or the bare lemma with no word before it that
    only a verb follows ('to attack', 'may attack')."""
    word = written.casefold()
    if (word.endswith("ed") and len(word) > 4) or word in _VERB_FORMS_IRREGULAR:
        return False  # a past form is a verb
    if word != lemma.casefold():
        if word.endswith("s") and not word.endswith("ss") and _plural_noun(text, start, written):
            return True  # 'its first long-range attacks in the coming days'
        return not (word.endswith(("ed", "s", "ing")) or word in _VERB_FORMS_IRREGULAR)
    before = text[max(0, start - 30):start].split()
    after = text[start + len(written):start + len(written) + 30].split()
    last = before[-1].casefold().strip(_QUOTE_MARKS) if before else ""
    if last in _DETERMINERS or last.endswith(("'s", "’s")):
        return True  # 'the attack', 'Russia's attack'
    nxt = after[0] if after else ""
    # A bare lemma with its object after it is a verb: 'meet the press', and a verb coordinated with
    # another ('to visit Russia ..., meet Russian President Vladimir Putin').
    if nxt.casefold() in _DETERMINERS or (nxt[:1].isupper() and (before[-1:] or [""])[0].endswith(",")):
        return False
    # A relative clause's verb ('guidelines that allow companies', 'economists who argue') and a verb
    # with its adverb after it ('companies complain bitterly') are no nouns.
    if last in ("who", "which") or (last == "that" and len(before) > 1 and _plural_word(before[-2])):
        return False
    if _adverb(nxt):
        return False
    return not before or last not in _VERB_BEFORE


_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "this", "these", "those"})
# Words in -ly that are no adverbs of a verb before them ('the attack early Monday', 'a family').
_NOT_ADVERBS = frozenset({"early", "only", "family", "daily", "weekly", "monthly", "yearly", "rally", "ally",
                          "july", "italy", "likely", "friendly", "elderly", "assembly", "supply", "reply"})


# Words after which a verb's bare form is no present: an infinitive, a modal's or an auxiliary's verb,
# a bare infinitive ('let them go', 'helped residents leave'), a verb coordinated with one before it.
_NOT_FINITE_BEFORE = frozenset({
    "to", "will", "would", "may", "might", "can", "could", "should", "must", "shall", "did", "do", "does",
    "not", "n't", "never", "cannot", "let", "lets", "help", "helps", "helped", "make", "makes", "made",
    "and", "or", "but", "nor", "then", "also", "please", "i", "you",
})


def plural_present(text: str, start: int, written: str, lemma: str) -> bool:
    """Whether a verb written as its bare form is a present after a plural subject ('Companies
    complain bitterly', 'they operate the dam'): no 'to', modal, auxiliary or conjunction before it.
    The caller knows it is a verb, not a noun."""
    if written.casefold() != lemma.casefold():
        return False
    before = text[max(0, start - 30):start].split()
    last = before[-1] if before else ""
    bare = last.casefold().strip(_QUOTE_MARKS)
    return bool(last) and last[-1].isalpha() and bare not in _NOT_FINITE_BEFORE and not bare.endswith("n't")


def _adverb(word: str) -> bool:
    w = word.casefold().strip(_SPACE_PUNCT + _QUOTE_MARKS)
    return len(w) > 4 and w.endswith("ly") and w not in _NOT_ADVERBS and w.isalpha()


def _plural_word(word: str) -> bool:
    """A lower-case plural noun ('guidelines', 'companies'), roughly: no pronoun or verb in -s."""
    w = word.strip(_SPACE_PUNCT + _QUOTE_MARKS)
    return (w.islower() and len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))
            and w not in ("does", "says", "was", "has", "its", "this", "thus"))
_PHRASE_REACH = 80  # characters before a trigger searched for its noun phrase's determiner


def _plural_noun(text: str, start: int, written: str) -> bool:
    """Whether a form in -s is a plural noun: a determiner opens its phrase ('its first long-range
    attacks') and no object follows it ('the army attacks the town', 'the army attacks Kyiv')."""
    after = text[start + len(written):start + len(written) + 30].split()
    nxt = after[0] if after else ""
    if nxt.casefold() in _DETERMINERS or nxt[:1].isupper():
        return False
    return bool(noun_phrase(text, max(0, start - _PHRASE_REACH), start, start + len(written)))
_VERB_FORMS_IRREGULAR = frozenset({
    "struck", "shot", "gave", "took", "sent", "fought", "fled", "met", "led", "held", "won", "lost", "left",
    "said", "told", "made", "paid", "sold", "bought", "brought", "began", "came", "went", "saw", "found",
    "hit", "put", "set", "cut", "spent", "stole", "withdrew", "threw", "wrote", "ran", "built", "kept",
    # past participles of irregular verbs: 'the dam was broken' is no event noun 'broken'
    "broken", "taken", "given", "written", "chosen", "frozen", "stolen", "spoken", "fallen", "beaten",
    "hidden", "driven", "risen", "shaken", "eaten", "sworn", "torn", "worn", "shown", "known", "grown",
    "thrown", "drawn", "flown", "blown", "seen", "done", "gone", "begun", "sunk", "forgotten", "forbidden",
    "withdrawn", "undertaken", "overtaken", "arisen", "ridden", "bitten", "caught", "taught",
    "sought", "thought", "dealt", "felt", "fed", "bled",
})


# Words that open an event noun's phrase ('the G20 summit', 'its first long-range attacks').
_PHRASE_OPENERS = frozenset({
    "the", "a", "an", "its", "their", "his", "her", "our", "another", "this", "these", "those",
})


def noun_phrase(text: str, sentence_start: int, start: int, end: int) -> str:
    """An event noun with the words before it that belong to its phrase, from its determiner ('the
    G20 summit', 'its first long-range attacks'), at most ``CLAIM_TARGET_TAIL_WORDS`` words before
    it; '' when no determiner opens it there (then the noun is worded bare)."""
    before = text[sentence_start:start].split()
    if not before or text[start - 1:start] != " ":
        return ""
    kept: list[str] = []
    for word in reversed(before[-defaults.CLAIM_TARGET_TAIL_WORDS - 1:]):
        bare = word.casefold()
        if bare in _PHRASE_OPENERS:
            return " ".join([word.casefold(), *reversed(kept), text[start:end]])
        if bare in _PHRASE_END or bare in FUNCTION_WORDS or not word[-1:].isalnum() or any(
                q in word for q in "'’"):
            return ""  # a preposition, a verb's auxiliary, a clause break or a possessor: no phrase
        kept.append(word)
    return ""


# A negated frame an infinitive event stands in: 'is not ready to', 'does not want to', "wasn't allowed
# to", 'has never been able to'. Its negation is the frame's, not the act's.
_NEGATED_FRAME = re.compile(
    r"\b((?:is|are|was|were|am|do|does|did|has|have|had|will|would|could|can)(?:\s+not|\s+never|n['’]t)"
    r"(?:\s+[A-Za-z-]+){0,3}\s+to)\s+$",
    re.IGNORECASE,
)


def negated_frame(text: str, sentence_start: int, start: int) -> str:
    """The negated frame right before an event's verb ('Putin "is not ready to| negotiate"'), or ''."""
    found = _NEGATED_FRAME.search(text, max(sentence_start, start - _PHRASE_REACH), start)
    return " ".join(found.group(1).split()) if found else ""


# Words that govern an infinitive whose act is no fact of its own: a push, request, permission or
# order ('push Russia to negotiate', 'asked for divers to inspect', 'receive permission to launch'), a
# desire or an attempt ('wants to negotiate', 'seeks to'), a purpose ('in order to'). Verbs whose
# infinitive did happen ('managed to', 'forced them to', 'began to') or carries the event's mode
# already ('plans to', 'agreed to', 'is expected to') are not here, nor 'decision to' (Biden's decision
# to allow Ukraine is that he allowed it).
_GOVERNING = frozenset({
    "push", "pushes", "pushed", "pushing", "urge", "urges", "urged", "urging", "press", "pressed",
    "pressing", "pressure", "pressures", "pressured", "pressuring", "persuade", "persuaded", "persuading",
    "convince", "convinced", "convincing", "encourage", "encouraged", "encouraging", "ask", "asks", "asked",
    "asking", "call", "calls", "called", "calling", "invite", "invited", "inviting", "order", "orders",
    "ordered", "ordering", "require", "requires", "required", "requiring", "allow", "allows", "allowed",
    "allowing", "permit", "permits", "permitted", "permitting", "authorize", "authorized", "authorizing",
    "authorise", "authorised", "authorising", "enable", "enables", "enabled", "enabling", "tell", "tells",
    "told", "telling", "instruct", "instructed", "advise", "advised", "prompt", "prompted", "prompting",
    "want", "wants", "wanted", "wanting", "wish", "wishes", "wished", "hope", "hopes", "hoped", "hoping",
    "seek", "seeks", "sought", "seeking", "try", "tries", "tried", "trying", "attempt", "attempts",
    "attempted", "attempting", "aim", "aims", "aimed", "aiming", "struggle", "struggles", "struggled",
    "strive", "strives", "need", "needs", "needed", "demand", "demands", "demanded",
    # nouns of the same: 'permission to launch', 'efforts to', 'a bid to', 'measures to respond'
    "permission", "authorization", "authorisation", "effort", "efforts", "bid", "bids", "request",
    "requests", "measures", "way", "ways", "tool", "tools",
    # a disposition or difficulty: 'eager to', 'unable to', 'harder to recapture'
    "ready", "eager", "willing", "reluctant", "unable", "hard", "harder", "difficult", "impossible", "easy",
    "easier",
})
_OBJECT_BREAKS = frozenset({
    "to", "and", "or", "but", "that", "which", "who", "if", "is", "are", "was", "were", "has", "have", "had",
    "will", "would", "not", "be", "been",
})
_INFINITIVE_BEFORE = re.compile(r"\bto\s+(?:[a-z]+ly\s+)?$")  # 'to negotiate', 'to officially comment'


def governed(text: str, sentence_start: int, start: int) -> bool:
    """Whether an event's verb is an infinitive another word governs ('... potentially push Russia to|
    negotiate peace', 'called on Dean to| apologize', 'in order to|'): what it names is pushed for,
    wanted or intended, no fact of its actor ('Russia may negotiate peace' is not what was said)."""
    before = text[max(sentence_start, start - _PHRASE_REACH):start]
    to = _INFINITIVE_BEFORE.search(before)
    if to is None:
        return False
    words = before[:to.start()].split()
    if [w.casefold() for w in words[-2:]] in (["in", "order"], ["so", "as"]) or (
            len(words) > 1 and words[-2].casefold() == "too"):  # 'too early to say'
        return True
    for k in range(min(defaults.CLAIM_GOVERNED_OBJECT_WORDS, len(words) - 1) + 1):
        head = words[len(words) - 1 - k].strip("“\"(").casefold()
        if head in ("on", "for", "upon") and k < len(words) - 1:  # 'called on Dean to', 'asked for divers to'
            head = words[len(words) - 2 - k].strip("“\"(").casefold()
        before = words[len(words) - 2 - k].casefold() if k < len(words) - 1 else ""
        if head in _GOVERNING or (k > 0 and _purpose_of(head, before, words[len(words) - k:])):
            return True
        if head in _OBJECT_BREAKS or head.endswith((",", ";", ":")):
            return False  # the object ends at a clause break or a verb's auxiliary
    return False


# Past verbs whose object's infinitive was done, not only meant: 'forced them to leave', 'used drones to
# attack', 'helped residents to leave'; and speech verbs ('said Monday to').
_CARRIED_OUT = frozenset({
    "forced", "compelled", "obliged", "made", "got", "helped", "caused", "led", "drove", "used", "took",
    "spent", "said", "told",
})
# Words of time between a verb and its 'to' ('decided last week to', 'voted on Tuesday to'): the
# infinitive is the verb's own complement, no purpose of an object.
_TIME_WORDS = frozenset({
    "today", "yesterday", "tonight", "week", "month", "year", "day", "morning", "afternoon", "evening",
    "night", "weekend", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "earlier", "later", "again", "then", "also", "unanimously", "quickly", "finally", "instead",
})


def _purpose_of(head: str, before: str, between: list[str]) -> bool:
    """Whether a past verb with an object before 'to' makes the infinitive its purpose ('cancelled
    routine operations| to free up beds', 'sent divers| to inspect'): meant, not done. A participle
    after a determiner or a possessor is an adjective ('Biden's reported decision| to allow')."""
    if head in _CARRIED_OUT or not ((head.endswith("ed") and len(head) > 4) or head in _VERB_FORMS_IRREGULAR):
        return False
    if before in _DETERMINERS or before.endswith(("'s", "’s", "s'", "s’")):
        return False
    return not any(w.strip(_SPACE_PUNCT).casefold() in _TIME_WORDS for w in between)


def _phrase_tail(rest: str) -> str:
    """The rest of the target's phrase: the words after it up to a function word or a past form
    ('Russian| territory', 'Ukraine| showed that ...'), at most ``CLAIM_TARGET_TAIL_WORDS``."""
    if rest[:1].isalnum():  # the target ends inside a word ('U.S' of 'U.S.-led')
        return rest.split(" ", 1)[0]
    owner = _POSSESSIVE.match(rest)
    if owner:  # "Ukraine's energy infrastructure": the possessive belongs to the target's word
        return owner.group(0) + _phrase_tail(rest[owner.end():])
    kept = []
    for word in rest.split()[: defaults.CLAIM_TARGET_TAIL_WORDS]:
        if word.casefold() in _PHRASE_END or word.endswith("ed") or word.endswith("…"):
            break
        kept.append(word)
    return "".join(" " + w for w in kept)


def complement(text: str, start: int, end: int) -> str:
    """The words after an event's verb up to the end of its clause ('declined' -> 'to say whether it
    would open a formal review'): with no target the verb alone says nothing of what was done. A
    clause longer than ``defaults.CLAIM_COMPLEMENT_MAX_WORDS`` words ends where a phrase of its own
    begins (:func:`phrase_cut`), so the claim still reads as a complete sentence."""
    clause = _COMPLEMENT_END.split(text[start:end], maxsplit=1)[0]
    quoted = _SCARE_QUOTE.match(text, start + len(clause), end)
    last = _bare(clause.split()[-1]) if clause.split() else ""
    if quoted and (last in FUNCTION_WORDS or last in _PREPOSITION_OPENERS):
        # 'blamed police shootings on| “implicit bias”': a few words in quotation marks the clause
        # goes on with are part of it (cut there, the row ended on 'on')
        words = (clause.strip(_SPACE_PUNCT + _QUOTE_MARKS) + " " + quoted.group(0)).split()
        return " ".join(words if len(words) <= defaults.CLAIM_COMPLEMENT_MAX_WORDS else phrase_cut(words))
    words = clause.strip(_SPACE_PUNCT + _QUOTE_MARKS).split()
    return " ".join(phrase_cut(words))


# A short run in quotation marks ('“implicit bias”'): at most four words, closed.
_SCARE_QUOTE = re.compile(r"[\"“](?:[^\"“”\s]+\s){0,3}[^\"“”\s]+[\"”]")


# Words that open a phrase of their own inside a clause: a clause cut before one still reads whole
# ('lifted the ban on Ukraine deploying ATACMS missiles| to strike targets ...'). Subordinators and the
# infinitive first; prepositions only when no such word falls within the limit.
_SUBORDINATE = frozenset({
    "to", "that", "which", "who", "whom", "whose", "where", "when", "while", "as", "if", "because",
    "so", "including", "specifically", "such", "whether", "after", "before", "since", "until", "unless",
    "despite", "amid", "though", "although",
})
_PREPOSITION_OPENERS = frozenset({
    "for", "on", "in", "at", "within", "from", "with", "by", "of", "into", "over", "under", "near",
    "against", "across", "during", "through", "toward", "towards", "without", "around", "along",
})


def phrase_cut(words: list[str]) -> list[str]:
    """``words`` whole up to ``CLAIM_COMPLEMENT_MAX_WORDS``; a longer run cut before the last word
    within the limit that opens a phrase of its own (a subordinator or 'to' first, else a
    preposition), never after a function word. Only a run with no such place is cut at the limit,
    '…' marking it: a word count alone leaves 'to strike targets deep within…'."""
    limit = defaults.CLAIM_COMPLEMENT_MAX_WORDS
    if len(words) <= limit:
        return words
    for openers in (_SUBORDINATE, _PREPOSITION_OPENERS):
        cut = next((i for i in range(limit, 0, -1) if _bare(words[i]) in openers and _ends_phrase(words[:i])),
                   None)
        if cut is not None:
            return words[:cut]
    cut = next((i for i in range(limit, 0, -1) if _ends_phrase(words[:i])), limit)
    return [*words[: cut - 1], words[cut - 1] + "…"]


def _bare(word: str) -> str:
    return word.strip(_SPACE_PUNCT + _QUOTE_MARKS).casefold()


def _ends_phrase(words: list[str]) -> bool:
    """Whether a cut after ``words`` leaves a phrase that ends on a word of content."""
    last = _bare(words[-1]) if words else ""
    return bool(last) and last not in FUNCTION_WORDS and last not in _PHRASE_END and content_words(
        " ".join(words)) > 0


def clause_end(text: str, start: int, end: int) -> int:
    """Where the clause going on at ``start`` ends (at most ``end``): the first clause break after
    it (:func:`complement` reads the same span)."""
    found = _CLAUSE_END.search(text, start, end)
    return found.start() if found else end


def one_clause(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds no clause break (:func:`clause_end`)."""
    return _CLAUSE_END.search(text, start, end) is None


@functools.lru_cache(maxsize=1 << 14)  # a big story's claims pick their wording among copies of one text
def content_words(text: str) -> int:
    """Words that carry content ('the U.S. decision' -> 2)."""
    return sum(1 for w in re.findall(r"[\w.'’-]+", text.casefold()) if w.strip(".") not in FUNCTION_WORDS)


def amount_clause(text: str, sent_start: int, sent_end: int, start: int, end: int) -> str:
    """The clause of ``text[sent_start:sent_end]`` holding the figure at ``start:end``."""
    left, right = sent_start, sent_end
    for lo, hi in _breaks(text, sent_start, sent_end):
        if hi <= start:
            left = hi
        elif lo >= end:
            right = lo
            break
    clause = text[left:right].strip(_SPACE_PUNCT + _QUOTE_MARKS)
    return _LEADING_CONJUNCTION.sub("", clause)


def same_part(text: str, sent_start: int, sent_end: int, start: int, end: int) -> bool:
    """Whether ``start`` and ``end`` stand in one clause of the sentence ``text[sent_start:sent_end]``,
    as :func:`amount_clause` cuts it ('Apple holds $214.9 billion; Nike holds $10.7 billion': two)."""
    lo, hi = sorted((start, end))
    return not any(lo <= b_lo and b_hi <= hi for b_lo, b_hi in _breaks(text, sent_start, sent_end))


def up_to_clause(text: str, sent_start: int, sent_end: int, start: int, end: int) -> str:
    """The sentence from its start to the end of the clause holding ``start:end``: the clause with
    the subject it shares with the clauses before it ('The couple paid ..., and made $15 million')."""
    right = next((lo for lo, _ in _breaks(text, sent_start, sent_end) if lo >= end), sent_end)
    return text[sent_start:right].strip(_SPACE_PUNCT + _QUOTE_MARKS)


def _breaks(text: str, sent_start: int, sent_end: int) -> list[tuple[int, int]]:
    """Clause breaks of one sentence whose parts on both sides are long enough to stand alone."""
    found = [(m.start(), m.end()) for m in _HARD_BREAK.finditer(text, sent_start, sent_end)]
    found += [(m.start(), m.end()) for m in _AND.finditer(text, sent_start, sent_end)
              if _new_clause(text[m.end():sent_end])]
    out: list[tuple[int, int]] = []
    last = sent_start
    for lo, hi in sorted(found):
        if lo < last:
            continue
        nxt = min((b for b, _ in found if b > lo), default=sent_end)
        if _long(text[last:lo]) and _long(text[hi:min(nxt, sent_end)]):
            out.append((lo, hi))
            last = hi
    return out


def _new_clause(after: str) -> bool:
    """Whether the words after ' and ' open a clause: a subject, then an auxiliary verb."""
    words = [w.strip(_SPACE_PUNCT + _QUOTE_MARKS).casefold() for w in after.split()[:_AUX_REACH]]
    if not words or not (words[0] in _SUBJECT_START or words[0][:1].isdigit()):
        return False
    return any(w in _AUX for w in words[1:])


def _long(part: str) -> bool:
    return len(part.split()) >= defaults.CLAIM_CLAUSE_MIN_WORDS


def shorten(text: str) -> str:
    """One line, at most ``defaults.CLAIM_TEXT_MAX_CHARS`` characters."""
    text = " ".join(text.split())
    limit = defaults.CLAIM_TEXT_MAX_CHARS
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

"""Plain claim sentences: a fact in words, its attribution beside it.

A claim reads as one short sentence a journalist could write: who did what to whom, where and when
('Joe Biden reportedly allowed Ukraine to use American-made long-range weapons'). What kind of act it
is (PLOVER type, CAMEO code) and how it was asserted (mode) are fields of the claim, not words of it;
the mode shows only as the grammar a writer would use ('may allow', 'plans to attack', 'did not
strike'). Who the fact is attributed to ('according to Reuters', 'Macron said') is kept beside the
sentence, never inside it, so one fact attributed to two speakers stays one fact.
"""

from __future__ import annotations

import re
from datetime import date

from newsfuse.fuse.claims import text as claimtext

# Irregular past forms of verbs common in news (lemma -> past); regular verbs take -ed.
_IRREGULAR_PAST = {
    "be": "was", "begin": "began", "bring": "brought", "build": "built", "buy": "bought", "catch": "caught",
    "choose": "chose", "come": "came", "cut": "cut", "do": "did", "draw": "drew", "drive": "drove",
    "fall": "fell", "feel": "felt", "fight": "fought", "find": "found", "flee": "fled", "fly": "flew",
    "forbid": "forbade", "freeze": "froze", "get": "got", "give": "gave", "go": "went", "have": "had",
    "hear": "heard", "hide": "hid", "hit": "hit", "hold": "held", "hurt": "hurt", "keep": "kept",
    "know": "knew", "lay": "laid", "lead": "led", "leave": "left", "lend": "lent", "let": "let",
    "lose": "lost", "make": "made", "mean": "meant", "meet": "met", "overcome": "overcame", "pay": "paid",
    "put": "put", "quit": "quit", "rise": "rose", "run": "ran", "say": "said", "see": "saw", "seek": "sought",
    "sell": "sold", "send": "sent", "set": "set", "shoot": "shot", "shut": "shut", "sink": "sank",
    "sit": "sat", "speak": "spoke", "spend": "spent", "stand": "stood", "steal": "stole", "strike": "struck",
    "swear": "swore", "take": "took", "teach": "taught", "tell": "told", "think": "thought",
    "throw": "threw", "undertake": "undertook", "uphold": "upheld", "wage": "waged", "win": "won",
    "withdraw": "withdrew", "withhold": "withheld", "write": "wrote",
}
_PAST_FORMS = frozenset(_IRREGULAR_PAST.values())
# Past participles that differ from the past form.
_PARTICIPLES = {
    "begin": "begun", "choose": "chosen", "do": "done", "draw": "drawn", "drive": "driven",
    "fall": "fallen", "fly": "flown", "forbid": "forbidden", "freeze": "frozen", "give": "given",
    "go": "gone", "hide": "hidden",
    "know": "known", "rise": "risen", "see": "seen", "shake": "shaken", "speak": "spoken", "steal": "stolen",
    "strike": "struck", "swear": "sworn", "take": "taken", "throw": "thrown", "undertake": "undertaken",
    "withdraw": "withdrawn", "write": "written", "sink": "sunk", "run": "run", "overcome": "overcome",
}
_PARTICIPLE_LEMMAS = {**{v: k for k, v in _IRREGULAR_PAST.items()}, **{v: k for k, v in _PARTICIPLES.items()}}
# Light verbs that word an event noun with no verb of its own, by PLOVER type.
_LIGHT_VERBS = {
    "CONSULT": "take part in", "ASSAULT": "carry out", "FIGHT": "carry out", "AID": "provide",
    "PROTEST": "hold", "MOBILIZE": "carry out", "COOPERATE": "take part in", "AGREE": "reach",
}
# Event nouns of an attitude: worded with 'expressed' and no article ('expressed support for').
_MASS_NOUNS = frozenset({
    "support", "criticism", "concern", "opposition", "outrage", "condemnation", "solidarity", "sympathy",
    "approval", "disapproval", "praise", "backing",
})
# Event nouns whose verb is not the noun itself (a noun trigger is worded with its verb).
_NOUN_VERBS = {
    "invasion": "invade", "decision": "decide", "election": "elect", "explosion": "explode",
    "collision": "collide", "agreement": "agree", "arrival": "arrive", "departure": "depart",
    "resignation": "resign", "withdrawal": "withdraw", "approval": "approve", "refusal": "refuse",
    "death": "die", "sale": "sell", "purchase": "purchase", "acquisition": "acquire", "merger": "merge",
    "evacuation": "evacuate", "negotiation": "negotiate", "deployment": "deploy", "announcement": "announce",
    "permission": "permit", "authorization": "authorize", "authorisation": "authorise", "threat": "threaten",
    "escalation": "escalate", "demand": "demand", "protest": "protest", "visit": "visit", "talks": "talk",
    "meeting": "meet", "fire": "fire", "bombing": "bomb", "shooting": "shoot", "killing": "kill",
    "robbery": "rob", "theft": "steal", "murder": "murder", "arrest": "arrest", "sanction": "sanction",
    "ban": "ban", "appointment": "appoint", "nomination": "nominate", "investigation": "investigate",
    "trial": "try", "conviction": "convict", "sentence": "sentence", "release": "release",
    "injury": "injure", "damage": "damage", "repair": "repair", "closure": "close", "launch": "launch",
}
# Event nouns in -ing that name a thing held, not their verb's act ('a hearing' is no 'hear'), with
# the verb that words them.
_ING_NOUNS = {
    "hearing": "hold", "briefing": "give", "ruling": "issue", "gathering": "hold", "funding": "provide",
}
_VOWELS = frozenset("aeiou")
_KEEP_DOUBLE = frozenset("lsfzd")  # 'calling' is 'call', 'adding' is 'add'; 'running' is 'run'
_SILENT_E_STEMS = ("at", "ot", "ut", "iz", "ounc", "ib", "uc")  # 'stated': 'state'
# Speech cues that only say someone spoke: what they said reads as a fact of its own, with them as
# its attribution. Any other cue ('denied', 'described ... as', 'called') is part of the fact.
PLAIN_CUES = frozenset({
    "say", "tell", "add", "state", "write", "report", "note", "confirm", "announce", "warn", "indicate",
    "mention", "explain", "claim", "insist", "argue", "stress", "cite", "according to", "tweet", "post",
    "predict", "estimate", "believe", "think", "suggest", "acknowledge", "admit", "reveal", "disclose",
})
# Where a mode puts the verb: asserted facts are past, others keep the base form after a word.
_MODE_WORDS = {"possible": "may", "conditional": "would", "planned": "plans to"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_ENDS = " \t\n.,;:\"'“”‘’"
_BY_PHRASE = re.compile(r"^by\s+", re.IGNORECASE)
# A possessive pronoun before a noun ('lifted its ban', 'their efforts'): in a claim sentence whose
# subject was renamed ('The Biden administration ... its ban' -> 'Joe Biden ... its ban') it no longer
# agrees, and with no subject it points at nothing. 'her' is left alone: it is also an object ('told
# her'); 'his own' / 'its own' need the pronoun.
_POSSESSIVE = re.compile(r"\b(?:its|their|his)\s+(?!own\b)(?=\w)", re.IGNORECASE)
# A reported statement whose subject is the speaker ('Weiner said he had hired ...'): 'he'/'she' at
# its start stands for the speaker.
_SPEAKER_PRONOUN = re.compile(r"^(?:he|she)(?=\s)", re.IGNORECASE)
_NOUN_OBJECT = re.compile(r"^(?:of|on|against|upon)\s+", re.IGNORECASE)  # what an event noun's object follows


def past(lemma: str) -> str:
    """Past tense of a verb lemma ('allow' -> 'allowed', 'strike' -> 'struck', 'try' -> 'tried')."""
    word = lemma.casefold()
    if " " in word:  # a phrasal verb: inflect its head ('carry out' -> 'carried out')
        head, rest = word.split(" ", 1)
        return f"{past(head)} {rest}"
    if word in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[word]
    if is_past(word):  # already a past form ('criticized' given as its own lemma)
        return word
    if word.endswith("e"):
        return word + "d"
    if word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
        return word[:-1] + "ied"
    if _doubles(word):
        return word + word[-1] + "ed"
    return word + "ed"


def _doubles(word: str) -> bool:
    """One-syllable consonant-vowel-consonant verbs double their last letter ('ban' -> 'banned')."""
    if len(word) < 3 or word[-1] in "wxy" or word[-1] in _VOWELS:
        return False
    vowels = [c for c in word if c in _VOWELS]
    return len(vowels) == 1 and word[-2] in _VOWELS and word[-3] not in _VOWELS


def base_of(trigger: str) -> str:
    """The verb to word an event with: an event noun's verb ('invasion' -> 'invade', 'shooting' ->
    'shoot'); a verb lemma as it is."""
    word = trigger.casefold()
    if word in _NOUN_VERBS:
        return _NOUN_VERBS[word]
    if word.endswith("ing") and len(word) > 5:
        return _ing_base(word)
    return word


def verbed(noun: str) -> bool:
    """Whether an event noun is worded with its own verb ('permission' -> 'permit'), not a light
    verb ('took part in a summit')."""
    return noun.casefold() in _NOUN_VERBS


def _ing_base(word: str) -> str:
    """'stating' -> 'state', 'running' -> 'run', 'calling' -> 'call', 'warning' -> 'warn'."""
    stem = word[:-3]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _KEEP_DOUBLE:
        return stem[:-1]
    if len(stem) >= 3 and stem[-1] not in _VOWELS and stem[-1] not in "wxy" and stem[-2] in _VOWELS \
            and stem[-3] not in _VOWELS and sum(c in _VOWELS for c in stem) == 1:
        return stem + "e"
    return stem


def is_past(word: str) -> bool:
    """Whether a written verb is already a past form ('authorized', 'struck')."""
    w = word.casefold()
    return w in _PAST_FORMS or (w.endswith("ed") and not w.endswith("eed") and len(w) > 4)


def verb_phrase(lemma: str, written: str, mode: str, negated: bool, present: bool = False) -> str:
    """The verb as a writer would put it for the event's mode: 'struck', 'may strike', 'plans to
    strike', 'would strike', 'reportedly struck', 'did not strike'; ``present``: the text puts it in
    the present after a plural subject ('companies complain'), so it stays as written."""
    base = base_of(lemma)
    if negated or mode == "denied":
        return f"did not {base}"
    if mode in _MODE_WORDS:
        return f"{_MODE_WORDS[mode]} {base}"
    word = written.casefold()
    # a state the text puts in the present ('the company that operates the dam', 'who chairs the
    # committee') stays present: 'operated' would say it no longer does
    finite = word if (is_past(word) and word != base) or present_of(base) == word or (
        present and word == base) else past(base)
    return f"reportedly {finite}" if mode == "reported" else finite


def present_of(base: str) -> str:
    """Third person singular present of a verb ('operate' -> 'operates', 'supply' -> 'supplies')."""
    if " " in base:  # a phrasal verb: inflect its head ('carry out' -> 'carries out')
        head, rest = base.split(" ", 1)
        return f"{present_of(head)} {rest}"
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if base.endswith("y") and len(base) > 1 and base[-2] not in _VOWELS:
        return base[:-1] + "ies"
    return base + "s"


def date_phrase(start: str | None, end: str | None) -> str:
    """'on 17 November 2024', 'in May 2024', 'in 2024', 'between 2024-11-19 and 2024-11-25'."""
    if not start:
        return ""
    end = end or start
    try:
        d0, d1 = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
    except ValueError:
        return ""
    if d0 == d1:
        return f"on {d0.day} {_MONTHS[d0.month - 1]} {d0.year}"
    if (d0.month, d0.day, d1.month, d1.day) == (1, 1, 12, 31) and d0.year == d1.year:
        return f"in {d0.year}"
    if d0.day == 1 and d0.replace(day=28) <= d1 and d0.year == d1.year and d0.month == d1.month \
            and _month_end(d1):
        return f"in {_MONTHS[d0.month - 1]} {d0.year}"
    return f"between {d0.isoformat()} and {d1.isoformat()}"


def _month_end(d: date) -> bool:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return (nxt - d).days == 1


def event_sentence(
    who: str | None, lemma: str, written: str, mode: str, negated: bool, complement: str,
    whom: str | None, place: str | None, when_words: str | None, when: str, noun: bool = False,
    event_type: str = "", target_first: bool = False, phrase: str = "", frame: str = "",
    present: bool = False,
) -> str:
    """'Joe Biden reportedly allowed Ukraine to use long-range weapons in Russia on 17 November 2024':
    actor, verb in the event's mode, what it governs (the clause's words after the verb, else the
    target), place and the event's own time (as the clause writes it, else its date) when the words
    do not already say them. An event named by a noun is worded with its verb ('invasion' ->
    'invaded'), else with a light verb of its type ('took part in a summit'); with no actor, the
    target written before the verb is the subject of a passive ('Ukraine may be allowed to ...').
    ``phrase``: the noun's phrase as written ('the G20 summit'), kept with a light verb ('took part
    in the G20 summit'); ``frame``: the negated frame a negated verb stands in, kept as written
    ('is not ready to negotiate': 'did not negotiate' would report an act that never was); ``present``:
    the verb is a plural present as written (:func:`verb_phrase`)."""
    what = _BY_PHRASE.sub("", complement).strip(_ENDS) if complement else ""
    if who and what.casefold().startswith(who.casefold()):
        what = what[len(who):].strip(_ENDS)  # 'was attacked by Russia': the actor is already the subject
    # a noun's written form is no tense ('attacks' in 'Russia's attacks on Kyiv' is no present)
    verb = verb_phrase(lemma, lemma if noun else written, mode, negated, present=present and not noun)
    if frame and negated and not noun:
        verb = f"{frame} {base_of(lemma)}"
    if who and " and " in who and verb.startswith("plans to "):
        verb = verb.replace("plans to ", "plan to ", 1)  # 'Great Britain and the United States plan to'
    word = lemma.casefold()
    light_verb = noun and word not in _NOUN_VERBS and (not word.endswith("ing") or word in _ING_NOUNS)
    made = _PASSIVE_LIGHT.match(what) if light_verb else None
    if made and who:  # 'the offer was made by X last spring': X made the offer last spring
        verb = verb_phrase(_lemma_of_participle(made.group(1)), "", mode, negated)
        what = _after_agent(what[made.end():], who)
    elif made:  # nobody named: the passive as written ('an offer was made by ... last spring')
        verb = ""
    if light_verb:
        if not made:
            light = "express" if word in _MASS_NOUNS else _ING_NOUNS.get(word) or _LIGHT_VERBS.get(
                event_type, "was involved in")
            verb = verb_phrase(light, light, mode, negated) if light != "was involved in" else light
            if not who and mode == "asserted" and not negated and not (whom and target_first):
                verb = ""  # nobody to carry it out: the act as its noun ('A Russian attack on Kyiv')
        article = "" if word in _MASS_NOUNS else "an " if word[:1] in _VOWELS else "a "
        named = _own(without_possessives(phrase), who) if phrase and word not in _MASS_NOUNS \
            else f"{article}{word}"
        what = named + (f" {what}" if what else "")
    elif noun:  # 'the invasion of Ukraine' -> 'invaded Ukraine', 'attack on Kyiv' -> 'attacked Kyiv'
        what = _NOUN_OBJECT.sub("", what)
    if not who and whom and target_first and not light_verb:
        who, verb = whom, passive(lemma, mode, negated, plural=_plural(whom))
        if what.casefold().startswith(whom.casefold()):
            what = what[len(whom):].strip(_ENDS)
    elif not what and whom:
        what = whom
    sentence = " ".join(p for p in (who or "", verb, without_possessives(what)) if p)
    folded = sentence.casefold()
    if place and place.casefold() not in folded:
        sentence += f" in {place}"
    if when and not (when_words and when_words.casefold() in folded):
        sentence += f" {when}"
    return _capitalised(balanced(claimtext.shorten(sentence)))


# A light verb in the passive after its event noun: 'an offer was made by', 'attacks were carried out by'.
_PASSIVE_LIGHT = re.compile(
    r"^(?:was|were|is|are|has been|have been|had been|would be|will be)\s+([a-z]+(?:\s+(?:out|up))?)\s+by\s+",
    re.IGNORECASE,
)


def _lemma_of_participle(words: str) -> str:
    """'made' -> 'make', 'carried out' -> 'carry out', 'taken' -> 'take', 'launched' -> 'launch'."""
    head, _, rest = words.casefold().partition(" ")
    lemma = _PARTICIPLE_LEMMAS.get(head) or cue_lemma(head)
    return f"{lemma} {rest}".strip()


def _after_agent(words: str, who: str | None) -> str:
    """The words after a by-agent: the agent is the sentence's subject already ('by chief of staff
    Rahm Emanuel last spring' -> 'last spring'); an agent the words do not name is cut whole."""
    at = words.casefold().find(who.casefold()) if who else -1
    return words[at + len(who or ""):].strip(_ENDS) if at >= 0 else ""


def balanced(text: str) -> str:
    """``text`` with a quote its cut left open closed at the end ('described the damage as "serious
    but contained' -> '... contained"'), and a closing mark with no opening one dropped."""
    if text.count('"') % 2:  # straight marks: the last one opens a quote unless it ends the text
        last = text.rfind('"')
        text = text + '"' if last < len(text) - 1 else text[:last]
    opened, closed = text.count("“"), text.count("”")
    if opened > closed:
        text += "”" * (opened - closed)
    elif closed > opened:
        text = text.replace("”", "", closed - opened)
    return text


def _own(phrase: str, who: str | None) -> str:
    """An event noun's phrase without the adjective of its own actor ('Russia carried out another
    massive Russian attack' -> 'another massive attack'): the subject says it already."""
    first = (who or "").split()[0] if (who or "").split() else ""
    stem = first[:-1] if first[-1:] in _VOWELS else first
    if len(stem) < 4 or not stem[:1].isupper():
        return phrase
    words = phrase.split()
    kept = [w for w in words[1:-1] if not (w.startswith(stem) and w != first)]
    return " ".join([words[0], *kept, words[-1]]) if len(words) > 2 else phrase


def without_possessives(words: str) -> str:
    """Words of a claim with possessive pronouns read as the definite article ('lifted its ban on
    Ukraine' -> 'lifted the ban on Ukraine'): the owner is the sentence's subject or was named in a
    sentence the claim does not carry, so the pronoun would name nobody or the wrong one."""
    return _POSSESSIVE.sub("the ", words)


def speaker_named(content: str, speaker: str | None, body: bool = False) -> str:
    """A reported statement with its leading 'he'/'she' read as the speaker it stands for ('he had
    hired a lawyer' said by Anthony Weiner -> 'Anthony Weiner had hired a lawyer'), a leading
    'his'/'her' as the speaker's ('his ministry would publish' -> "Teodor Hallen's ministry would
    publish"), a leading 'they' said by a group ('the companies said they expected') and a leading
    'it'/'its' said by an organisation or a state (``body``: 'Tarvan Hydro said it would publish'),
    unless 'it' is no one ('it was too early to'). A speaker with a description ('Kasimir Lode, the
    opposition lawmaker who ...') is named by its name."""
    text = content.strip()
    name = _name_part(speaker)
    if not name:
        return content
    if _SPEAKER_PRONOUN.match(text):
        return _SPEAKER_PRONOUN.sub(name, text, count=1)
    if _SPEAKER_POSSESSIVE.match(text):
        return _SPEAKER_POSSESSIVE.sub(name + ("’" if name.endswith("s") else "’s"), text, count=1)
    if _THEY.match(text) and _group(speaker or ""):
        return _THEY.sub(_described(speaker or ""), text, count=1)
    if body and _IT.match(text) and not _EXPLETIVE_IT.match(text):
        return _IT.sub(_described(name), text, count=1)
    if body and _ITS.match(text):
        return _ITS.sub(_described(name) + ("’" if name.endswith("s") else "’s"), text, count=1)
    return content


_IT = re.compile(r"^it(?=\s)", re.IGNORECASE)
_ITS = re.compile(r"^its(?=\s)", re.IGNORECASE)
# 'it' that stands for no one: 'it was too early to', 'it is unclear whether', 'it was likely that'.
_EXPLETIVE_IT = re.compile(
    r"^it\s+(?:is|was|would be|will be|has been|had been|seems|seemed|remains|remained)\s+(?:not\s+)?"
    r"[“\"]?(?:too|so|un\w+|likely|possible|impossible|clear|important|necessary|time|hard|difficult|easy|"
    r"vital|essential|right|wrong|early|late|true|false)\b",
    re.IGNORECASE,
)

_SPEAKER_POSSESSIVE = re.compile(r"^(?:his|her)(?=\s)", re.IGNORECASE)
_THEY = re.compile(r"^they(?=\s)", re.IGNORECASE)
_THAT = re.compile(r"^that\s+", re.IGNORECASE)  # the complementiser before what was said


def _name_part(speaker: str | None) -> str:
    """The name of a speaker as a subject: itself, or the name before its description ('Marta Feld,
    a primary school teacher' -> 'Marta Feld'); '' for a description with no name before it."""
    head = (speaker or "").split(",", 1)[0].strip()
    if "," in (speaker or "") and not all(w[:1].isupper() for w in head.split()):
        return ""
    return head


def _group(speaker: str) -> bool:
    """Whether a speaker is a group written as a description ('several residents', 'The
    companies'): 'they' in what it said stands for it. A name ('Reuters') is no group."""
    words = speaker.split()
    return len(words) > 1 and _plural(speaker) and not words[-1][:1].isupper()


def _described(speaker: str) -> str:
    """A description as it reads inside a sentence: 'The official' -> 'the official', 'A company
    spokeswoman' -> 'a company spokeswoman'; a name ('The Lowland Herald') as it is."""
    words = speaker.split(" ", 2)
    if len(words) > 1 and words[0] in ("The", "A", "An") and words[1][:1].islower():
        return words[0].lower() + speaker[len(words[0]):]
    return speaker


def in_sentence(source: str) -> str:
    """A cited source as it reads after 'citing': a description in lower case ('citing an internal
    Tarvan Hydro memo'), and a name's leading 'The' too ('citing the Ministry of Water', as the claim
    sources line writes it whether the text wrote 'the ministry' or 'The Ministry' at a sentence's
    start)."""
    described = _described(source)
    return "the" + described[3:] if described.startswith("The ") else described


# The speaker's next act after what it said ('confirmed that X had failed but gave no further details',
# 'warned that ... and urged people not to', ', adding that ...'): another statement, not part of this one.
_NEXT_ACT = re.compile(
    r",?\s+(?:and|but)\s+(?:urged|gave|added|warned|declined|refused|called|appealed|promised|insisted|"
    r"stressed|noted|told|asked|said)\b|,\s+(?:adding|saying|noting|stressing|insisting|warning)\b",
    re.IGNORECASE,
)
# A second reported clause's complementiser: 'said X and that Y' reads 'X, and Y' on its own. Only
# before a subject (a determiner, pronoun, figure or a noun its auxiliary follows), not 'and that
# decision'.
_AND_THAT = re.compile(r"(,?)\s+(and|but)\s+that\s+(?=(\S+(?:\s+\S+){0,4}))", re.IGNORECASE)
_SUBJECT_WORDS = frozenset({
    "the", "a", "an", "it", "he", "she", "they", "we", "i", "you", "there", "nobody", "no", "none", "many",
    "some", "all", "most", "his", "her", "its", "their", "our", "these", "those", "every", "each", "more",
    "about", "nearly", "several",
})
_FINITE = frozenset({
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "may", "might",
    "should", "must", "did", "does", "do",
})


def reported(content: str) -> str:
    """What a speaker reported, as one statement: up to the speaker's next act, with the
    complementiser of a second reported clause dropped ('X and that Y' -> 'X, and Y')."""
    content = _NEXT_ACT.split(content, maxsplit=1)[0]

    def joined(m: re.Match[str]) -> str:
        first, *rest = m.group(3).split()
        word = first.casefold()
        # a subject word, a figure or a name; or a plural noun with its verb ('that engineers were'),
        # which no demonstrative 'that' can take ('that decision was' may be one)
        subject = word in _SUBJECT_WORDS or word[:1].isdigit() or first[:1].isupper() or (
            _plural(first) and any(w.casefold() in _FINITE for w in rest))
        return f", {m.group(2)} " if subject else m.group(0)
    return _AND_THAT.sub(joined, content)


def passive(lemma: str, mode: str, negated: bool, plural: bool = False) -> str:
    """'was allowed', 'may be allowed', 'were not cut', 'is to be allowed'."""
    base = base_of(lemma)
    participle = _PARTICIPLES.get(base, past(base))
    was = "were" if plural else "was"
    if negated or mode == "denied":
        return f"{was} not {participle}"
    if mode in _MODE_WORDS:
        helper = ("are to" if plural else "is to") if mode == "planned" else _MODE_WORDS[mode]
        return f"{helper} be {participle}"
    return f"reportedly {was} {participle}" if mode == "reported" else f"{was} {participle}"


def _plural(noun_phrase: str) -> bool:
    """A rough number of a subject: 'jobs', 'two ships', 'Solvik shares', 'Britain and France' are
    plural; 'Ukraine', 'the press', 'United States' (a name) are not."""
    words = noun_phrase.split()
    if " and " in f" {noun_phrase.casefold()} ":
        return True
    last = words[-1] if words else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is")) and last[:1].islower()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def as_sentence(content: str, complementiser: bool = True) -> str:
    """Reported or quoted words as a sentence of their own: no complementiser ('that ...'; a quote
    verbatim, ``complementiser=False``, keeps its first word: "That is not a rescue plan"), no
    surrounding marks or trailing punctuation but an abbreviation's point ('before 4 a.m.'), a
    capital first letter."""
    text = _stripped(" ".join(content.split()))
    if complementiser and text.casefold().startswith("that "):
        text = text[5:]
    return _capitalised(balanced(_stripped(text)))  # a mark the cut or the strip left unpaired


_ABBREVIATION_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$")  # 'a.m.', 'U.S.': the point is the word's


def _stripped(text: str) -> str:
    """``text`` without surrounding marks and punctuation, keeping an abbreviation's last point."""
    inner = text.strip(_ENDS)
    # 'before 4 a.m' (the quote analysis stopped before the point): the point is the word's all the same
    return inner + "." if _ABBREVIATION_END.search(inner + ".") else inner


def cue_lemma(cue: str) -> str:
    """The verb of a speech cue ('stating' -> 'state', 'says' -> 'say', 'has warned' -> 'warn')."""
    words = cue.casefold().split()
    if not words:
        return ""
    if " ".join(words[-2:]) == "according to":
        return "according to"
    word = words[-1]
    reverse = {v: k for k, v in _IRREGULAR_PAST.items()}
    if word in reverse:
        return reverse[word]
    if word.endswith("ing") and len(word) > 4:
        return _ing_base(word)
    if word.endswith("ied"):
        return word[:-3] + "y"
    if word.endswith("ed"):
        stem = word[:-2]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _KEEP_DOUBLE:
            return stem[:-1]
        silent_e = (stem + "e") in PLAIN_CUES or stem.endswith(_SILENT_E_STEMS)
        return stem + "e" if silent_e else stem
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def attribution_of(speaker: str | None, cue: str | None, kind: str) -> str:
    """'according to the Pentagon', 'Emmanuel Macron said', 'an unnamed source said'; a speaker
    with a description closes it with a comma ('Petra Linn, an analyst at Castell Securities,
    said'), a description reads in lower case ('the official said'), 'told' without its listener
    reads 'said', and a source someone cites is what the fact is according to ('Reuters cites
    internal sources' -> 'according to internal sources')."""
    who = _described(speaker) if speaker else "an unnamed source"
    lemma = cue_lemma(cue or "say")
    if kind == "according_to" or lemma in ("according to", "cite"):
        return f"according to {who}"
    verb = "said" if lemma in _CUES_WITH_LISTENER else past(lemma or "say")
    return f"{who}{',' if ',' in who else ''} {verb}"


# Cues that need their listener ('told the Herald'): beside a fact without it they read 'said'.
_CUES_WITH_LISTENER = frozenset({"tell", "inform", "assure", "remind", "brief"})


def speech_cue(cue: str | None, kind: str) -> bool:
    """Whether a quote's cue only says someone spoke (so what it holds is the speaker's claim)."""
    return kind in ("direct", "according_to") or cue_lemma(cue or "say") in PLAIN_CUES


def quote_sentence(
    content: str, speaker: str | None, cue: str | None, kind: str, body: bool = False,
) -> tuple[str, str]:
    """(fact, attribution) of what someone said: 'Russia will respond ...' / 'Sergey Lavrov said'.
    A cue that is more than speech stays in the fact ('Ana Rusk denied that repairs had been
    postponed', 'Teodor Hallen described the damage as serious'): without it the words would be
    put in the speaker's mouth as his own claim."""
    if kind == "direct":  # words quoted verbatim keep their marks: they are the speaker's words
        said = as_sentence(content.strip(_ENDS), complementiser=False)
        return f"“{said}”", attribution_of(speaker, cue, kind)
    if speech_cue(cue, kind):
        said = _THAT.sub("", _stripped(" ".join(reported(content).split())), count=1)
        return as_sentence(speaker_named(said, speaker, body)), attribution_of(speaker, cue, kind)
    who = speaker or "an unnamed source"
    said = " ".join((cue or "").split())
    verb = said if said and is_past(said.split()[-1]) else past(cue_lemma(said)) if said else "said"
    what = " ".join(reported(content).split()).strip(_ENDS)
    return _capitalised(balanced(claimtext.shorten(f"{who} {verb} {what}"))), ""


def speaker_of(attribution: str) -> str:
    """Who an attribution names: 'according to the Pentagon' -> 'the Pentagon', 'Petra Linn, an
    analyst, said' -> 'Petra Linn, an analyst'."""
    if attribution.startswith("according to "):
        return attribution.removeprefix("according to ")
    return attribution.rsplit(" ", 1)[0].rstrip(",") if " " in attribution else ""


def without_attribution(fact: str, attribution: str) -> str:
    """A fact without the attribution its clause ends with, when that attribution stands beside it
    ('The death toll stands at two, according to MARNEWS' / 'according to MARNEWS'): said twice,
    the attribution reads as part of the fact."""
    who = speaker_of(attribution).casefold().removeprefix("the ")
    if not who:
        return fact
    folded = fact.casefold()
    for tail in (f", according to {who}", f", according to the {who}", f", {who} said", f", the {who} said",
                 f", said {who}", f", said the {who}"):
        if folded.endswith(tail):
            return fact[: len(fact) - len(tail)].rstrip(_ENDS)
    return fact

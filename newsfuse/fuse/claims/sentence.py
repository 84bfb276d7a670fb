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


def verb_phrase(lemma: str, written: str, mode: str, negated: bool) -> str:
    """The verb as a writer would put it for the event's mode: 'struck', 'may strike', 'plans to
    strike', 'would strike', 'reportedly struck', 'did not strike'."""
    base = base_of(lemma)
    if negated or mode == "denied":
        return f"did not {base}"
    if mode in _MODE_WORDS:
        return f"{_MODE_WORDS[mode]} {base}"
    finite = written.casefold() if is_past(written) and written.casefold() != base else past(base)
    return f"reportedly {finite}" if mode == "reported" else finite


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
    event_type: str = "", target_first: bool = False,
) -> str:
    """'Joe Biden reportedly allowed Ukraine to use long-range weapons in Russia on 17 November 2024':
    actor, verb in the event's mode, what it governs (the clause's words after the verb, else the
    target), place and the event's own time (as the clause writes it, else its date) when the words
    do not already say them. An event named by a noun is worded with its verb ('invasion' ->
    'invaded'), else with a light verb of its type ('took part in a summit'); with no actor, the
    target written before the verb is the subject of a passive ('Ukraine may be allowed to ...')."""
    what = _BY_PHRASE.sub("", complement).strip(_ENDS) if complement else ""
    if who and what.casefold().startswith(who.casefold()):
        what = what[len(who):].strip(_ENDS)  # 'was attacked by Russia': the actor is already the subject
    verb = verb_phrase(lemma, written, mode, negated)
    if who and " and " in who and verb.startswith("plans to "):
        verb = verb.replace("plans to ", "plan to ", 1)  # 'Great Britain and the United States plan to'
    word = lemma.casefold()
    light_verb = noun and word not in _NOUN_VERBS and not word.endswith("ing")
    if light_verb:
        light = "express" if word in _MASS_NOUNS else _LIGHT_VERBS.get(event_type, "was involved in")
        verb = verb_phrase(light, light, mode, negated) if light != "was involved in" else light
        article = "" if word in _MASS_NOUNS else "an " if word[:1] in _VOWELS else "a "
        what = f"{article}{word}" + (f" {what}" if what else "")
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
    return _capitalised(claimtext.shorten(sentence))


def without_possessives(words: str) -> str:
    """Words of a claim with possessive pronouns read as the definite article ('lifted its ban on
    Ukraine' -> 'lifted the ban on Ukraine'): the owner is the sentence's subject or was named in a
    sentence the claim does not carry, so the pronoun would name nobody or the wrong one."""
    return _POSSESSIVE.sub("the ", words)


def speaker_named(content: str, speaker: str | None) -> str:
    """A reported statement with its leading 'he'/'she' read as the speaker it stands for ('he had
    hired a lawyer' said by Anthony Weiner -> 'Anthony Weiner had hired a lawyer')."""
    text = content.strip()
    if not speaker or "," in speaker or not _SPEAKER_PRONOUN.match(text):  # a name, not a description
        return content
    return _SPEAKER_PRONOUN.sub(speaker, text, count=1)


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
    """A rough number of a subject: 'jobs', 'two ships' are plural; 'Ukraine', 'the press' are not."""
    last = noun_phrase.split()[-1].casefold() if noun_phrase.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is")) and not noun_phrase[:1].isupper()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def as_sentence(content: str) -> str:
    """Reported or quoted words as a sentence of their own: no complementiser ('that ...'), no
    surrounding marks or trailing punctuation, a capital first letter."""
    text = " ".join(content.split()).strip(_ENDS)
    if text.casefold().startswith("that "):
        text = text[5:]
    if text.count("\"") % 2 or text.count("“") != text.count("”"):  # a mark the cut left unpaired
        text = text.replace("\"", "").replace("“", "").replace("”", "")
    return _capitalised(text.strip(_ENDS))


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
    """'according to the Pentagon', 'Emmanuel Macron said', 'an unnamed source said'."""
    who = speaker or "an unnamed source"
    lemma = cue_lemma(cue or "say")
    if kind == "according_to" or lemma == "according to":
        return f"according to {who}"
    return f"{who} {past(lemma or 'say')}"


def speech_cue(cue: str | None, kind: str) -> bool:
    """Whether a quote's cue only says someone spoke (so what it holds is the speaker's claim)."""
    return kind in ("direct", "according_to") or cue_lemma(cue or "say") in PLAIN_CUES


def quote_sentence(content: str, speaker: str | None, cue: str | None, kind: str) -> tuple[str, str]:
    """(fact, attribution) of what someone said: 'Russia will respond ...' / 'Sergey Lavrov said'.
    A cue that is more than speech stays in the fact ('Ana Rusk denied that repairs had been
    postponed', 'Teodor Hallen described the damage as serious'): without it the words would be
    put in the speaker's mouth as his own claim."""
    if kind == "direct":  # words quoted verbatim keep their marks: they are the speaker's words
        return f"“{as_sentence(content.strip(_ENDS))}”", attribution_of(speaker, cue, kind)
    if speech_cue(cue, kind):
        return as_sentence(speaker_named(content, speaker)), attribution_of(speaker, cue, kind)
    who = speaker or "an unnamed source"
    said = " ".join((cue or "").split())
    verb = said if said and is_past(said.split()[-1]) else past(cue_lemma(said)) if said else "said"
    return _capitalised(claimtext.shorten(f"{who} {verb} {' '.join(content.split()).strip(_ENDS)}")), ""

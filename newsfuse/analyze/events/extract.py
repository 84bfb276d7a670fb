"""Events: who did what to whom, where and when, with a PLOVER type and a mode of assertion.

Triggers come from the dependency parse: verbs and event nouns found in the lexicon of
:mod:`newsfuse.analyze.events.plover`. A light verb hands its clause to the noun it governs ("launched a
strike" is a strike whose source is the subject of "launched"); control and raising verbs hand
their subject down ("decided to allow", "is said to have lifted"). The mode is read from the cues
on the path from the trigger up to the sentence root: negation, modals, frames such as "is
considering" or "plans to", hearsay ("is said to"), and if-clauses. Rules work on a
:class:`ParsedDoc`; mentions, times and amounts from the other analyzers are optional.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsfuse import defaults
from newsfuse.analyze.events import cameoverbs, codebook, deals, plover, prototypes, triggermodel, typemodel
from newsfuse.analyze.parse import ParsedDoc, Tok
from newsfuse.errors import ConfigError
from newsfuse.ids import content_id
from newsfuse.models import Amount, Event, Mention, TimeExpr


def _set(words: str) -> frozenset[str]:
    """A set from space-separated words: keeps the word lists short to read."""
    return frozenset(words.split())


# --- word lists (grammar, not event categories: those live in plover.py) ----------------------

SPEECH_VERBS = _set(
    "say state announce tell declare conclude add insist argue stress write note warn"
)
OBLIGATION_MODALS = frozenset({"must", "should"})
FUTURE_MODALS = frozenset({"will", "shall", "'ll", "wo"})
POSSIBLE_MODALS = frozenset({"may", "might", "could", "would", "can", "ca", "should", "must"})
# Heads whose complement is only considered, wished, demanded or threatened: not (yet) done.
POSSIBLE_FRAMES = _set(
    "consider weigh mull contemplate want hope wish seek try attempt threaten demand urge ask "
    "request propose suggest recommend call likely unlikely possible able offer"
)
# Heads whose complement is intended or committed to: planned.
PLANNED_FRAMES = _set(
    "plan intend prepare aim schedule expect agree promise pledge vow commit ready prepared "
    "willing set poise"
)
# Heads whose complement did not or will not happen.
NOT_DONE_FRAMES = _set("refuse decline fail deny refute reject")
# Verbs whose object is an idea being defined, not an event that happens: 'peace that does not
# mean surrender', 'a deal that would entail a ceasefire'.
DEFINING_VERBS = _set("mean entail imply constitute signify equal")
# Verbs whose subject receives the event named by their object: 'Ukraine could receive
# permission' is permission given to Ukraine, by whoever the 'from' phrase names.
RECIPIENT_VERBS = _set("receive get obtain win gain secure")
# Subordinators that place their clause at another time than the clause it modifies: 'is
# considering it, after Macron indicated in May ...' - May dates the indication only.
TIME_SHIFT_MARKS = _set("after before since until till once")
# Verbs that, in the passive, mark their complement as hearsay ("is said to have lifted").
HEARSAY_VERBS = _set("say report believe rumor rumour allege claim think understand")
# verbs that report the act of their clause ('the agency reported', 'officials believe')
REPORTING_VERBS = SPEECH_VERBS | HEARSAY_VERBS
HEARSAY_NOUNS = _set("report rumor rumour claim allegation")
POSSIBLE_ADVERBS = _set("likely probably possibly perhaps potentially maybe")
REPORTED_ADVERBS = _set("reportedly allegedly purportedly apparently supposedly")
POSSIBLE_ADJECTIVES = _set("potential possible likely hypothetical")
PLANNED_ADJECTIVES = _set("planned proposed upcoming future expected intended")
REPORTED_ADJECTIVES = _set("reported alleged rumored rumoured purported")
CONDITION_MARKS = frozenset({"if", "unless", "provided", "providing"})
# Verbs whose object is the subject of their to-complement: "allowed Ukraine to use".
OBJECT_CONTROL = _set(
    "allow permit authorize authorise ask urge order force help tell persuade encourage call "
    "invite enable push pressure press compel prompt"
)
# Dependency links along which a cue on the head applies to the dependent's event.
CLIMB_DEPS = frozenset(
    {"xcomp", "ccomp", "acl", "dobj", "pobj", "prep", "attr", "acomp", "conj", "pcomp", "oprd", "aux"}
)
ACTOR_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC"})
ACTOR_NOUNS = _set(
    "official government army troop force police rebel militant soldier minister president leader "
    "military authority people protester demonstrator refugee civilian worker student court "
    "parliament administration ministry spokesman spokeswoman spokesperson guerrilla militia "
    "insurgent negotiator diplomat ambassador envoy delegation regime opposition party union group "
    "official chancellor premier king prime judge council prisoner country nation state ally"
)
# Nouns that count or gather the actors named by their 'of' phrase ('thousands of Kurds').
COLLECTIVE_NOUNS = _set("group thousand hundred dozen million score number crowd band delegation team")
TARGET_PREPS = ("against", "on", "to", "with", "into", "at", "toward", "towards", "by", "of", "for", "from")
# Inside a noun phrase ('the use of weapons by Ukraine') the by-agent is the actor named.
NESTED_PREPS = ("by", "against", "on", "to", "with", "of")
NOMINAL_TARGET_PREPS = ("against", "on", "of", "with", "to", "into")
PLACE_PREPS = _set("in at near inside within outside across throughout around")
# prepositions by which a common-noun actor is placed ('rebels in X', 'refugees from X', 'a group
# based in X'): the place is part of the actor as PLOVER codes it
ACTOR_PLACE_PREPS = _set("in throughout from")
# possessive pronouns by which the doer owns an object ('its troops'): spaCy lemmatises them
OWN_PRONOUNS = _set("its their our his her my it they we he she i")
PLACE_NOUNS = _set("region city town village province district area capital border camp")
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
# Links by which a noun is the argument of the word above it ('lifted its ban on ...').
ARGUMENT_DEPS = frozenset({"pobj", "prep", "compound", "conj", "appos", "dobj"})
NP_DEPS = frozenset({"compound", "amod", "poss", "nmod", "case", "flat", "npadvmod", "punct"})
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis", "conj", "xcomp", "csubj"})
# clauses that modify a noun ('the dam, completed in 1968', 'the bridge, which opened in 1990'):
# a date inside one dates the noun, never an event outside it
MODIFIER_CLAUSE_DEPS = frozenset({"acl", "relcl"})


# Word lists that find triggers: the hand lexicon of plover.py (written with the PLOVER gold records
# in view) or the CAMEO codebook's words (codebook.py: no record in view); the type model records
# which one it was trained with.
HAND = typemodel.HAND
CODEBOOK = typemodel.CODEBOOK
HAND_CODEBOOK = typemodel.HAND_CODEBOOK  # the hand lexicon, and the codebook where it names nothing
# HAND_CODEBOOK, and then the verbs PETRARCH2's CAMEO verb dictionary (cameoverbs.py) codes
HAND_CAMEO = typemodel.HAND_CAMEO
LEXICONS = (HAND, CODEBOOK, HAND_CODEBOOK, HAND_CAMEO)
# the last resort of HAND_CODEBOOK in a sentence neither list names a word of (prototypes.py)
PROTOTYPE = "prototype"
# the hand lexicon's words read through their derived forms ('withdrawal' as 'withdraw': plover.derived_type)
DERIVED = "derived"
# verbs in these roles name no event of their own ('the armed group', 'has attacked')
VERB_SKIP_DEPS = frozenset({"amod", "compound", "aux", "auxpass"})
# the verbs of the CAMEO verb dictionary (cameoverbs.py): the third stage of HAND_CAMEO
CAMEO_VERBS = "cameo"
# categories of acts about another act (CAMEO's wrapping roots: 'threaten to', 'demand', 'promise to',
# 'refuse to'): a verb guessed as one is the event even when it governs a to-clause
WRAPPING_TYPES = frozenset(plover.plover_type(root + "0") for root in codebook.WRAPPER_ROOTS)


@dataclass(frozen=True, slots=True)
class _Trigger:
    tok: int  # the word naming the event (verb or noun)
    anchor: int  # token whose clause holds the actors and mode: the verb, light verb or the noun
    type: str
    confidence: float
    demand_target: int | None = None  # 'X said Y must ...': Y
    deal: bool = False  # a company buying another (analyze/events/deals.py)
    kind: str = "verb"  # verb | generic | noun | demand: how the lexicon found it


# --- public ----------------------------------------------------------------------------------


def find_events(
    doc: ParsedDoc,
    article_id: str,
    mentions: Sequence[Mention],
    times: Sequence[TimeExpr],
    amounts: Sequence[Amount],
    type_model: typemodel.TypeModel | None = None,
    lexicon_only: bool = False,
    lexicon: str | None = None,
) -> list[Event]:
    """Events of one parsed article, sorted by trigger position.

    Each trigger's category is chosen by the learned type model (``type_model``, else the packaged
    one) from its parse; ``lexicon_only`` (or no model file) keeps the lexicon's category.
    ``lexicon`` names the word list that finds triggers (:data:`LEXICONS`; default: the one the
    model was trained with, else the hand lexicon).
    """
    model = None if lexicon_only else (type_model or typemodel.packaged())
    lexicon = lexicon or (model.lexicon if model is not None else HAND)
    triggers = _triggers(doc, lexicon)
    if model is not None:
        triggers = _retyped(doc, triggers, model)
    events = []
    for trig in triggers:
        event = _event(doc, article_id, trig, mentions, times, amounts)
        if event.confidence >= defaults.EVENT_MIN_CONFIDENCE and not _half_coded(trig, event):
            events.append(event)
    events.sort(key=lambda e: (e.trigger_start, e.type))
    return events


def _half_coded(trig: _Trigger, event: Event) -> bool:
    """A verb only the CAMEO verb dictionary names, with no source or no target: PETRARCH codes a
    verb only between two actors, and alone such a verb ('could not serve on the board', 'wants') is
    seldom an event."""
    return trig.kind.startswith("cameo-") and (event.source is None or (event.target or event.place) is None)


def trigger_features(doc: ParsedDoc, lexicon: str = "hand") -> list[tuple[int, str, list[str]]]:
    """(trigger token, lexicon category, features) of every trigger: what the type model reads
    (bench/train_events.py trains on it)."""
    triggers = _triggers(doc, lexicon)
    return [(t.tok, t.type, _features(doc, t, triggers, lexicon)) for t in triggers if not t.deal]


def _features(doc: ParsedDoc, trig: _Trigger, triggers: Sequence[_Trigger], lexicon: str) -> list[str]:
    mode, negated = _mode(doc, trig)
    view = typemodel.TriggerView(trig.tok, trig.anchor, trig.type, trig.kind, mode, negated)
    sent = doc.tokens[trig.tok].sent
    others = tuple(t.type for t in triggers if t is not trig and doc.tokens[t.tok].sent == sent)
    return typemodel.features(doc, view, others, cameo=lexicon == HAND_CAMEO)


def _retyped(doc: ParsedDoc, triggers: list[_Trigger], model: typemodel.TypeModel) -> list[_Trigger]:
    """Triggers with the category the model reads from their parse; deals keep theirs (the model
    has seen no business news)."""
    if model.min_probability > 1.0:
        return triggers  # no probability reaches the gate: the lexicon's category always stands
    out = []
    for trig in triggers:
        if trig.deal:
            out.append(trig)
            continue
        etype = model.choose(_features(doc, trig, triggers, model.lexicon), trig.type)
        out.append(trig if etype == trig.type else replace(trig, type=etype))
    return out


def event_depth(doc: ParsedDoc, event: Event) -> int:
    """How deep the event's clause sits in its sentence (0: the main verb); the top event is 0."""
    i = doc.token_at(event.trigger_start)
    if i is None:
        return len(doc.tokens)
    tok = doc.tokens[i]
    if tok.pos == "NOUN" and tok.dep in ("dobj", "attr") and tok.head != i:
        i = tok.head  # a light verb's noun ranks as its verb
    return len(doc.ancestors(i))


def main_event(
    doc: ParsedDoc, found: Sequence[Event], chooser: triggermodel.TriggerModel | None = None
) -> Event | None:
    """The event the text is about among ``found`` (of one sentence, as a PLOVER coder takes one):
    the candidate the learned trigger model (``chooser``, else the packaged one) scores highest
    when it scores the model's margin above the tree rule's choice; without a model, or on a tie,
    the one highest in the tree, then the surest, then the first."""
    if not found:
        return None
    tree = min(found, key=lambda e: (event_depth(doc, e), -e.confidence, e.trigger_start))
    chooser = chooser or triggermodel.packaged()
    if chooser is None:
        return tree
    scored = [(chooser.score(feats), -event_depth(doc, e), e.confidence, -e.trigger_start, e)
              for e, feats in candidates(doc, found)]
    best = max(scored, key=lambda row: (round(row[0], 6), *row[1:4]))
    kept = next(row[0] for row in scored if row[4] is tree)
    return best[4] if best[0] - kept >= chooser.margin else tree


def candidates(doc: ParsedDoc, found: Sequence[Event]) -> list[tuple[Event, list[str]]]:
    """Each event, and each other category the word lists name for its word (the same event
    retyped), with the features the trigger model reads of the pair (bench/train_events.py)."""
    cands = [_candidate(doc, e) for e in found]
    out = []
    for event, cand in zip(found, cands, strict=True):
        shared = triggermodel.features(doc, cand, cands)
        out.append((event, shared + triggermodel.category_features(doc, cand, event.type, typed=True)))
        for category in triggermodel.alternatives(doc, cand.tok):
            if category == event.type:
                continue
            other = replace(cand, coded=plover.coded_type(category, event.mode, event.negated))
            feats = triggermodel.features(doc, other, cands)
            retyped = replace(event, type=category, id=content_id(event.article_id, event.trigger_start,
                                                                  event.trigger_end, category, prefix="ev_"))
            out.append((retyped, feats + triggermodel.category_features(doc, other, category, typed=False)))
    return out


def _candidate(doc: ParsedDoc, event: Event) -> triggermodel.Candidate:
    """What the trigger model reads of one event. How the word was found is told by its confidence
    before the no-actor penalty (each kind has its own in defaults) and its part of speech."""
    i = doc.token_at(event.trigger_start)
    i = 0 if i is None else i
    tok = doc.tokens[i]
    light = tok.pos == "NOUN" and tok.dep in ("dobj", "attr") and doc.tokens[tok.head].pos == "VERB"
    actor = event.source is not None or event.target is not None
    base = event.confidence + (0.0 if actor else defaults.EVENT_NO_ACTOR_PENALTY)
    return triggermodel.Candidate(
        tok=i, anchor=tok.head if light else i, kind=f"{tok.pos}@{base:.2f}",
        coded=plover.coded_type(event.type, event.mode, event.negated), mode=event.mode,
        confidence=event.confidence, depth=event_depth(doc, event),
        source=event.source is not None, target=(event.target or event.place) is not None,
        context=_context(doc, i, tok.head if light else i),
    )


QUOTE_MARKS = frozenset({'"', "``", "''", "\u201c", "\u201d"})


def _context(doc: ParsedDoc, i: int, anchor: int) -> tuple[str, ...]:
    """What the grammar word lists say around a candidate: is its word a speech, hearsay, frame or
    light verb, is its noun carried by a light verb, is a clause above it negated or under a modal,
    is it inside quotation marks, does a speech verb of the sentence come before or after it."""
    lemma, head = doc.tokens[i].lemma.lower(), doc.tokens[anchor].lemma.lower()
    out = [name for name, words in (("speech", SPEECH_VERBS), ("hearsay", HEARSAY_VERBS),
                                     ("frame", POSSIBLE_FRAMES | PLANNED_FRAMES | NOT_DONE_FRAMES),
                                     ("light", plover.LIGHT_VERBS)) if lemma in words]
    if anchor != i and head in plover.LIGHT_VERBS:
        out.append("light-noun")
    for step, up in enumerate(doc.ancestors(anchor)[:triggermodel.PATH_STEPS]):
        kids = [doc.tokens[k] for k in doc.children(up)]
        if any(k.dep == "neg" for k in kids):
            out.append(f"neg-above{step}")
        if any(k.dep == "aux" and k.tag == "MD" for k in kids):
            out.append(f"modal-above{step}")
        if doc.tokens[up].lemma.lower() in POSSIBLE_FRAMES | PLANNED_FRAMES | NOT_DONE_FRAMES:
            out.append(f"frame-above{step}")
    sent = doc.sents[doc.tokens[i].sent]
    quotes = sum(doc.tokens[k].text in QUOTE_MARKS for k in range(sent.start, i))
    if quotes % 2:
        out.append("in-quote")
    speech = [k for k in range(sent.start, sent.end) if k != i
              and doc.tokens[k].lemma.lower() in SPEECH_VERBS and doc.tokens[k].pos == "VERB"]
    if speech:
        out.append("speech-after" if all(k > i for k in speech) else "speech-before")
    return tuple(out)


# --- triggers --------------------------------------------------------------------------------


def _triggers(doc: ParsedDoc, lexicon: str = "hand") -> list[_Trigger]:
    if lexicon not in LEXICONS:
        raise ConfigError(f"unknown event lexicon {lexicon!r}: use one of {', '.join(LEXICONS)}")
    if lexicon not in (HAND_CODEBOOK, HAND_CAMEO):
        return _found(doc, doc.tokens, lexicon)
    out = _found(doc, doc.tokens, HAND)
    if defaults.EVENT_DERIVED_WORDS:
        out += _derived(doc, out)
    # the codebook is asked about every word the hand lexicon leaves alone, not only in sentences
    # where it names none: on unseen wording the hand lexicon often knows a minor verb of the
    # sentence ('to demand') but not its main act ('would blockade'), and the main act is the event
    taken = {t.tok for t in out} | {t.anchor for t in out}
    for trig in _found(doc, doc.tokens, CODEBOOK):
        if trig.tok not in taken and trig.anchor not in taken and not _non_event(doc, doc.tokens[trig.tok]):
            out.append(_from_codebook(trig))
    if lexicon == HAND_CAMEO:
        out += _dictionary_verbs(doc, out)
    covered = {doc.tokens[t.tok].sent for t in out}
    for n, sent in enumerate(doc.sents):
        if n not in covered:  # neither list names a word here: the closest CAMEO descriptions guess
            found = _found(doc, doc.tokens[sent.start : sent.end], PROTOTYPE)
            out += [_from_codebook(t) for t in found if not _non_event(doc, doc.tokens[t.tok])]
        elif defaults.EVENT_MAIN_VERB_PROTOTYPES:
            out += _main_verb_guess(doc, sent.start, sent.end, out)
    if defaults.EVENT_GUESS_PASSES & 1:
        out = _guesses_passed(doc, out)
    return sorted(out, key=lambda t: t.tok)


def _guessed(trig: _Trigger) -> bool:
    """Found by no hand-lexicon word: the codebook's, the CAMEO dictionary's or a prototype's guess."""
    return trig.kind.startswith(("codebook-", "cameo-", "derived-"))


def _complement(doc: ParsedDoc, i: int) -> int | None:
    """The verb of the to-clause a verb governs ('tried to hack', 'sent experts to investigate'), or None."""
    for k in doc.children(i):
        kid = doc.tokens[k]
        if kid.pos != "VERB":
            continue
        if kid.dep == "xcomp":
            return k
        if kid.dep == "advcl" and _purpose_clause(doc, k):
            return k
    return None


def _keeps_event(doc: ParsedDoc, trig: _Trigger) -> bool:
    """A guess that stays the event over its to-clause: one typed as an act about another act
    (WRAPPING_TYPES: 'refused to', 'swore to'), or a frame the mode rules read ('tried to', 'plans
    to'): passed down, its act would be coded as only possible, where PLOVER codes an attempt as the act."""
    lemma = doc.tokens[trig.tok].lemma.lower()
    return trig.type in WRAPPING_TYPES or lemma in POSSIBLE_FRAMES | PLANNED_FRAMES | NOT_DONE_FRAMES


def _purpose_clause(doc: ParsedDoc, k: int) -> bool:
    """'to investigate' with no subordinator: an infinitive of purpose, not 'after ...', 'if ...'."""
    marks = [doc.tokens[m] for m in doc.children(k)]
    return any(m.dep == "aux" and m.tag == "TO" for m in marks) and not any(m.dep == "mark" for m in marks)


def _guesses_passed(doc: ParsedDoc, out: list[_Trigger]) -> list[_Trigger]:
    """Without the guessed verbs whose to-clause holds a trigger, unless guessed as an act about
    another act (WRAPPING_TYPES: 'refused to', 'swore to'): on unseen wording a guess lands on the
    control verb ('try', 'attempt', 'use X to', 'send X to') while the act is its complement's."""
    held = {t.tok for t in out} | {t.anchor for t in out}
    kept = []
    for trig in out:
        passes = _guessed(trig) and trig.anchor == trig.tok and not _keeps_event(doc, trig)
        comp = _complement(doc, trig.tok) if passes else None
        if comp is None or comp not in held:
            kept.append(trig)
    return kept


def _main_verb_guess(doc: ParsedDoc, start: int, end: int, out: Sequence[_Trigger]) -> list[_Trigger]:
    """The sentence's main verb as the closest CAMEO description types it, when no list names it
    but they name words beneath it: 'rebels surrendered following a government offensive' is a
    surrender, whatever the lists know of 'offensive'. The main verb is the root, or the clause a
    speech verb at the root reports; frames the mode rules read ('plans to', 'is considering') and
    light verbs are none."""
    root = next((i for i in range(start, end) if doc.tokens[i].head == i), None)
    if root is None:
        return []
    tok = doc.tokens[root]
    reporting = REPORTING_VERBS if defaults.EVENT_GUESS_PASSES & 2 else SPEECH_VERBS
    if tok.lemma.lower() in reporting:
        comp = _child(doc, root, "ccomp")
        if comp is None:
            return []
        tok = doc.tokens[comp]
    taken = {t.tok for t in out} | {t.anchor for t in out}
    if defaults.EVENT_GUESS_PASSES & 1 and not _wrapping_guess(doc, tok) and not _frame(doc, tok):
        tok = _innermost(doc, tok, taken)
    if tok.pos != "VERB" or tok.i in taken or _non_event(doc, tok) or _frame(doc, tok):
        return []
    trig = _verb_trigger(doc, tok, PROTOTYPE)
    return [_from_codebook(trig)] if trig is not None and trig.anchor not in taken else []


def _wrapping_guess(doc: ParsedDoc, tok: Tok) -> bool:
    """The verb's closest CAMEO description is an act about another act ('swore to fight')."""
    guess = prototypes.word_type(prototypes.phrasal_key(doc, tok.i), defaults.EVENT_PROTOTYPE_NEAR_VERB)
    return guess is not None and guess[0] in WRAPPING_TYPES


def _innermost(doc: ParsedDoc, tok: Tok, taken: set[int]) -> Tok:
    """The act of a main verb no list names: down its to-clauses ('tried to hack', 'offered to hand
    over') while the verb above is no trigger of its own."""
    for _ in range(defaults.EVENT_MODE_DEPTH):
        comp = _complement(doc, tok.i)
        if comp is None or tok.i in taken:
            break
        tok = doc.tokens[comp]
    return tok


def _from_codebook(trig: _Trigger, source: str = "codebook") -> _Trigger:
    """A trigger the codebook (or the CAMEO verb dictionary, ``source`` 'cameo') found where the hand
    lexicon found none: less sure (needs an actor)."""
    conf = min(trig.confidence, defaults.EVENT_CONF_CODEBOOK)
    return replace(trig, kind=f"{source}-{trig.kind}", confidence=conf)


def _derived(doc: ParsedDoc, out: Sequence[_Trigger]) -> list[_Trigger]:
    """Words the hand lexicon leaves alone whose derived form it names ('the withdrawal of troops' as
    'withdraw', 'mediated' as 'mediation'): on unseen wording the lexicon often knows the act in
    the other part of speech. As sure as a codebook guess (EVENT_DERIVED_WORDS 1) or as the
    lexicon's own word (2)."""
    taken = {t.tok for t in out} | {t.anchor for t in out}
    # most words have no derived form the lexicon names: read the clause of the few that do
    named = [tok for tok in doc.tokens if tok.i not in taken and tok.pos in ("VERB", "NOUN")
             and plover.derived_type(tok.lemma, noun=tok.pos == "NOUN") is not None]
    found = []
    for trig in _found(doc, named, DERIVED):
        tok = doc.tokens[trig.tok]
        if trig.tok in taken or trig.anchor in taken or _non_event(doc, tok):
            continue
        if tok.pos == "NOUN" and _governed_by_event(doc, tok, HAND):
            continue  # the argument of a listed event ('condemned the withdrawal of'), as in the lexicon
        guess = _from_codebook(trig, "derived")
        sure = defaults.EVENT_DERIVED_WORDS != 1
        found.append(replace(guess, confidence=trig.confidence) if sure else guess)
    return found


def _dictionary_verbs(doc: ParsedDoc, out: Sequence[_Trigger]) -> list[_Trigger]:
    """Verbs that no list above names and PETRARCH2's CAMEO verb dictionary codes ('besieged', 'sued'):
    events too (on unseen wording they are often the sentence's act). Each is typed by the closest
    CAMEO description when that is close (defaults.EVENT_CAMEO_PROTOTYPE_NEAR: where it is, it follows
    the PLOVER coders closer than the dictionary's codes do), else by the dictionary's code."""
    taken = {t.tok for t in out} | {t.anchor for t in out}
    found = []
    for tok in doc.tokens:
        if tok.pos != "VERB" or tok.dep in VERB_SKIP_DEPS or tok.i in taken or deals.is_deal_word(tok):
            continue  # a purchase is a deal only when it names the company bought (deals.py)
        key = prototypes.phrasal_key(doc, tok.i)
        if cameoverbs.verb_type(key) is None:  # most verbs: no need to read the clause
            continue
        trig = _verb_trigger(doc, tok, CAMEO_VERBS)
        if trig is None or trig.anchor in taken or _non_event(doc, tok) or _frame(doc, tok):
            continue
        near = prototypes.word_type(key, defaults.EVENT_CAMEO_PROTOTYPE_NEAR)
        found.append(_from_codebook(replace(trig, type=near[0]) if near else trig, "cameo"))
    return found


def _frame(doc: ParsedDoc, tok: Tok) -> bool:
    """A verb the mode rules read as the frame of another act ('is considering following', 'plans
    to'), or one that defines an idea ('does not mean surrender'): the dictionary codes such verbs
    ('consider' 040, 'plan' 030), but here they say how sure the act they govern is, not an act."""
    lemma = tok.lemma.lower()
    if lemma in DEFINING_VERBS:
        return True
    clause = any(doc.tokens[k].dep in ("xcomp", "ccomp") for k in doc.children(tok.i))
    return clause and lemma in POSSIBLE_FRAMES | PLANNED_FRAMES | NOT_DONE_FRAMES | HEARSAY_VERBS


def _non_event(doc: ParsedDoc, tok: Tok) -> bool:
    """A speech verb, a light verb, or a verb with a particle or object that makes it no event ('the
    dam gave way'): the codebook names none of these apart from the act they carry."""
    lemma = tok.lemma.lower()
    if lemma in SPEECH_VERBS or lemma in plover.LIGHT_VERBS:
        return True  # saying is the report, not the event; 'carried a date' is no 'carry out'
    words = {doc.tokens[k].lemma.lower() for k in doc.children(tok.i) if doc.tokens[k].dep in ("prt", "dobj")}
    return any((lemma, w) in plover.NON_EVENTS for w in words)


def _found(doc: ParsedDoc, tokens: Sequence[Tok], lexicon: str) -> list[_Trigger]:
    """Triggers among ``tokens`` by one word list."""
    out: list[_Trigger] = []
    for tok in tokens:
        trig = None
        if tok.pos == "VERB" and tok.dep not in VERB_SKIP_DEPS:
            trig = _verb_trigger(doc, tok, lexicon) or _deal_trigger(doc, tok)
            demand = _demand_trigger(doc, tok) if lexicon == HAND else None
            if demand is not None:
                out.append(demand)
        elif tok.pos == "NOUN":
            trig = _noun_trigger(doc, tok, lexicon) or _deal_trigger(doc, tok)
        if trig is not None:
            out.append(trig)
    return out


def _child(doc: ParsedDoc, i: int, *deps: str) -> int | None:
    for k in doc.children(i):
        if doc.tokens[k].dep in deps:
            return k
    return None


def _verb_type(doc: ParsedDoc, tok: Tok, lexicon: str = "hand") -> tuple[str, bool] | None:
    """(type, generic?) of a verb with its particle/preposition and object, or None."""
    if lexicon == PROTOTYPE:  # a phrasal verb has its own row ('blow up'), unknown ones none
        return prototypes.word_type(prototypes.phrasal_key(doc, tok.i), defaults.EVENT_PROTOTYPE_NEAR_VERB)
    if lexicon == DERIVED:
        if any(doc.tokens[k].dep == "prt" for k in doc.children(tok.i)):
            return None  # a phrasal verb is another verb
        derived = plover.derived_type(tok.lemma, noun=False)
        return (derived, False) if derived is not None else None
    if lexicon == CAMEO_VERBS:
        key = prototypes.phrasal_key(doc, tok.i)
        named = cameoverbs.verb_type(key)  # None for a statement verb or one the dictionary splits
        return (named, False) if named is not None else None
    if lexicon == CODEBOOK:
        if any(doc.tokens[k].dep == "prt" for k in doc.children(tok.i)):
            return None  # 'ended up': the codebook knows no phrasal verbs
        return codebook.verb_type(tok.lemma.lower())
    obj = _child(doc, tok.i, "dobj")
    obj_lemma = doc.tokens[obj].lemma.lower() if obj is not None else None
    kids = [doc.tokens[k] for k in doc.children(tok.i)]
    particles = [t.text.lower() for t in kids if t.dep in ("prt", "prep")]
    for particle in particles:
        hit = plover.verb_type(tok.lemma, particle, obj_lemma)
        if hit is not None and (tok.lemma.lower(), particle) in plover.PHRASAL:
            return hit
    # a particle proper ('gave up'), not a preposition heading an argument ('gave aid to')
    own = tuple(t.text.lower() for t in kids if t.dep == "prt")
    return plover.verb_type(tok.lemma, None, obj_lemma, own)


def _verb_trigger(doc: ParsedDoc, tok: Tok, lexicon: str = "hand") -> _Trigger | None:
    obj = _child(doc, tok.i, "dobj")
    typed = _verb_type(doc, tok, lexicon)
    if obj is not None and _noun_type(doc, doc.tokens[obj], lexicon) is not None:
        light = tok.lemma.lower() in plover.LIGHT_VERBS
        special = lexicon == HAND and (tok.lemma.lower(), doc.tokens[obj].lemma.lower()) in plover.VERB_OBJECT
        if (typed is None or light) and not special:
            return None  # the noun is the event ("launched a strike")
    if typed is None:
        return None
    etype, generic = typed
    conf = defaults.EVENT_CONF_GENERIC if generic else defaults.EVENT_CONF_VERB
    return _Trigger(tok.i, tok.i, etype, conf, kind="generic" if generic else "verb")


def _noun_type(doc: ParsedDoc, tok: Tok, lexicon: str = "hand") -> str | None:
    if lexicon in (CODEBOOK, CAMEO_VERBS):  # the dictionary names verbs only
        return codebook.noun_type(tok.lemma.lower())
    if lexicon == DERIVED:
        return None if tok.lemma.lower() in ACTOR_NOUNS else plover.derived_type(tok.lemma, noun=True)
    if lexicon == PROTOTYPE:
        if tok.lemma.lower() in ACTOR_NOUNS:
            return None  # 'army', 'diplomat' sit close to descriptions of what they do; they are actors
        hit = prototypes.word_type(tok.lemma.lower(), defaults.EVENT_PROTOTYPE_NEAR_NOUN)
        return hit[0] if hit else None
    compound = _child(doc, tok.i, "compound", "amod")
    mod = doc.tokens[compound].lemma.lower() if compound is not None else None
    return plover.noun_type(tok.lemma, mod)


def _noun_trigger(doc: ParsedDoc, tok: Tok, lexicon: str = "hand") -> _Trigger | None:
    """An event noun, unless it is the argument of another event ('lifted its ban')."""
    etype = _noun_type(doc, tok, lexicon)
    if etype is None or tok.ent_type:
        return None
    head = doc.tokens[tok.head]
    if tok.dep in ("dobj", "attr") and head.lemma.lower() in DEFINING_VERBS:
        return None
    if tok.dep in ("dobj", "attr") and head.pos == "VERB":
        if lexicon == HAND and (head.lemma.lower(), tok.lemma.lower()) in plover.VERB_OBJECT:
            return None  # 'signed an agreement': the verb and its object name one event together
        verb_typed = _verb_type(doc, head, lexicon) is not None
        if verb_typed and head.lemma.lower() not in plover.LIGHT_VERBS:
            return None
        return _Trigger(tok.i, head.i, etype, defaults.EVENT_CONF_VERB, kind="noun")
    if _governed_by_event(doc, tok, lexicon):
        return None
    return _Trigger(tok.i, tok.i, etype, defaults.EVENT_CONF_NOMINAL, kind="noun")


def _governed_by_event(doc: ParsedDoc, tok: Tok, lexicon: str = "hand") -> bool:
    """True when a typed verb or event noun above this noun (same clause) already covers it."""
    i = tok.i
    while doc.tokens[i].head != i and doc.tokens[i].dep in ARGUMENT_DEPS:
        i = doc.tokens[i].head
        up = doc.tokens[i]
        if up.pos == "VERB":
            return _verb_type(doc, up, lexicon) is not None and up.lemma.lower() not in plover.LIGHT_VERBS
        if up.pos == "NOUN" and _noun_type(doc, up, lexicon) is not None:
            return True
    return False


def _demand_trigger(doc: ParsedDoc, tok: Tok) -> _Trigger | None:
    """'Russia said Sudan must return the helicopter': Russia demands of Sudan (PLOVER DEMAND)."""
    if tok.lemma.lower() not in SPEECH_VERBS:
        return None
    speaker = _child(doc, tok.i, "nsubj")
    comp = _child(doc, tok.i, "ccomp")
    if speaker is None or comp is None:
        return None
    modal = any(doc.tokens[k].lemma.lower() in OBLIGATION_MODALS for k in doc.children(comp))
    addressee = _child(doc, comp, "nsubj", "nsubjpass")
    if not modal or addressee is None or doc.tokens[addressee].pos == "PRON":
        return None  # 'we must ...' binds the speaker's own side
    if doc.tokens[addressee].lemma.lower() == doc.tokens[speaker].lemma.lower():
        return None
    return _Trigger(
        tok.i, tok.i, "DEMAND", defaults.EVENT_CONF_DEMAND, demand_target=addressee, kind="demand"
    )


def _deal_trigger(doc: ParsedDoc, tok: Tok) -> _Trigger | None:
    """'agreed to buy Quillpay', 'the acquisition of Quillpay': a deal naming the company bought.
    A deal noun that a light verb governs ('announced the takeover of X') takes that verb's clause."""
    if not deals.is_deal_word(tok) or deals.bought(doc, tok.i) is None:
        return None
    if tok.pos == "VERB":
        return _Trigger(tok.i, tok.i, plover.DEAL_TYPE, defaults.EVENT_CONF_VERB, deal=True)
    head = doc.tokens[tok.head]
    light = tok.dep in ("dobj", "attr") and head.pos == "VERB" and head.lemma.lower() in plover.LIGHT_VERBS
    anchor = head.i if light else tok.i
    return _Trigger(tok.i, anchor, plover.DEAL_TYPE, defaults.EVENT_CONF_NOMINAL, deal=True)


def untyped_event(
    doc: ParsedDoc, article_id: str, tok: int, anchor: int, confidence: float,
    mentions: Sequence[Mention], times: Sequence[TimeExpr], amounts: Sequence[Amount],
) -> Event:
    """The event at token ``tok`` (its clause at ``anchor``) whose category no word list names
    (:mod:`newsfuse.analyze.events.nominal`): actors, mode, place, time and figures read as for a
    typed event; its type is ''."""
    kind = "noun" if doc.tokens[tok].pos == "NOUN" else "verb"
    trig = _Trigger(tok, anchor, "", confidence, kind=kind)
    # 'the offer was made by X': _target never takes the light verb's passive subject (the noun itself)
    return _event(doc, article_id, trig, mentions, times, amounts)


# --- one event -------------------------------------------------------------------------------


def _event(
    doc: ParsedDoc,
    article_id: str,
    trig: _Trigger,
    mentions: Sequence[Mention],
    times: Sequence[TimeExpr],
    amounts: Sequence[Amount],
) -> Event:
    tok = doc.tokens[trig.tok]
    sent = doc.sent_of(trig.tok)
    source, target = _actors(doc, trig)
    if source is not None and source == target:
        target = None
    mode, negated = _mode(doc, trig)
    clause = _clause_tokens(doc, trig)
    src = _actor_fields(doc, source, mentions)
    tgt = _actor_fields(doc, target, mentions)
    time = _closest_time(doc, trig, clause, times)
    conf = trig.confidence
    if source is None and target is None:
        conf -= defaults.EVENT_NO_ACTOR_PENALTY
    return Event(
        id=content_id(article_id, tok.idx, tok.end, trig.type, prefix="ev_"),
        article_id=article_id,
        trigger=tok.lemma.lower(),
        trigger_start=tok.idx,
        trigger_end=tok.end,
        sentence_start=sent.start_char,
        sentence_end=sent.end_char,
        type=trig.type,
        mode=mode,
        source=src[0],
        source_key=src[1],
        target=tgt[0],
        target_key=tgt[1],
        place=_place(doc, trig, clause, {source, target}) or _purpose_place(doc, trig, {source, target}),
        time_id=time.id if time else None,
        date_start=time.value_start if time else None,
        date_end=time.value_end if time else None,
        amount_ids=_amounts_in(doc, clause, amounts),
        negated=negated,
        confidence=round(max(conf, 0.0), 3),
    )


# --- actors ----------------------------------------------------------------------------------


def _actors(doc: ParsedDoc, trig: _Trigger) -> tuple[int | None, int | None]:
    """Head tokens of the source and target actors."""
    if trig.demand_target is not None:
        return _subject(doc, trig.anchor, 0), trig.demand_target
    if trig.deal:
        return _deal_actors(doc, trig)
    if trig.anchor == trig.tok and doc.tokens[trig.tok].pos == "NOUN":
        source, target = _nominal_source(doc, trig.tok), _nominal_target(doc, trig.tok)
        verb = _clause_verb(doc, trig.tok)
        if source is None and verb is not None:
            source = _subject(doc, verb, 0)  # 'guerrillas wounded two soldiers in a bomb attack'
        return source, target
    if trig.anchor != trig.tok and doc.tokens[trig.anchor].lemma.lower() in RECIPIENT_VERBS:
        return _giver(doc, trig), _subject(doc, trig.anchor, 0)
    source = _subject(doc, trig.anchor, 0)
    target = _target(doc, trig)
    if source is None and trig.anchor != trig.tok:
        source = _nominal_source(doc, trig.tok)
    return source, target


def _clause_verb(doc: ParsedDoc, noun: int) -> int | None:
    """The verb whose argument phrase holds an event noun ('wounded ... in a bomb attack', 'gave
    ... dollars of aid'): its subject did the noun's act too, since a verb naming an act of its own
    would have taken the noun as its argument (_governed_by_event) and a subject-less one names none."""
    i = noun
    while doc.tokens[i].head != i and doc.tokens[i].dep in ARGUMENT_DEPS:
        i = doc.tokens[i].head
        if doc.tokens[i].pos == "VERB":
            lemma = doc.tokens[i].lemma.lower()
            acts = lemma not in plover.LIGHT_VERBS and _verb_type(doc, doc.tokens[i], HAND) is not None
            return None if acts or lemma in SPEECH_VERBS else i  # 'condemned the attack': not its doer
        if doc.tokens[i].pos != "NOUN":
            return None
    return None


def _giver(doc: ParsedDoc, trig: _Trigger) -> int | None:
    """Who gives what a recipient receives: 'received permission from Washington', 'won
    Washington's approval'; None when the text does not say."""
    own = _nominal_source(doc, trig.tok)
    if own is not None:
        return own
    for k in (*doc.children(trig.tok), *doc.children(trig.anchor)):
        if doc.tokens[k].dep == "prep" and doc.tokens[k].text.lower() == "from":
            obj = _child(doc, k, "pobj")
            return obj if obj is not None and _actor_like(doc.tokens[obj]) else None
    return None


def _deal_actors(doc: ParsedDoc, trig: _Trigger) -> tuple[int | None, int | None]:
    """(buyer, company bought): a verb's subject, else a noun's possessor or by-agent, else the
    subject of the light verb governing the noun ('Solvik announced the acquisition of X')."""
    target = deals.bought(doc, trig.tok)
    if doc.tokens[trig.tok].pos == "VERB":
        return _subject(doc, trig.tok, 0), target
    source = deals.noun_buyer(doc, trig.tok)
    if source is None and trig.anchor != trig.tok:
        source = _subject(doc, trig.anchor, 0)
    return source, target


def _actor_like(tok: Tok) -> bool:
    if tok.ent_type in ACTOR_ENTS or (tok.pos == "PROPN" and not tok.ent_type):
        return True  # a PROPN tagged DATE ('on Thursday') is no actor
    if tok.pos == "PRON":
        return tok.lemma.lower() in ("he", "she", "they", "it", "we", "i", "who")
    return tok.lemma.lower() in ACTOR_NOUNS


def _named(tok: Tok) -> bool:
    return tok.ent_type in ACTOR_ENTS or (tok.pos == "PROPN" and not tok.ent_type)


def _subject(doc: ParsedDoc, v: int, depth: int) -> int | None:
    """The doer of verb ``v``: its subject, a passive's by-agent, or the controller above."""
    if depth > defaults.EVENT_MODE_DEPTH:
        return None
    tok = doc.tokens[v]
    subj = _child(doc, v, "nsubj")
    if subj is not None:
        return _resolve_subject(doc, v, subj)
    agent = _child(doc, v, "agent")
    if agent is not None:
        return _child(doc, agent, "pobj")
    if _child(doc, v, "nsubjpass") is not None:
        return None  # passive without 'by': the doer is not named
    head = tok.head
    if head == v:
        return None
    up = doc.tokens[head]
    if tok.dep == "xcomp" or (tok.dep == "advcl" and _child(doc, v, "aux") is not None):
        obj = _child(doc, head, "dobj")
        if up.lemma.lower() in OBJECT_CONTROL and obj is not None:
            return obj
        raised = _child(doc, head, "nsubjpass")  # 'X is said to have lifted'
        return raised if raised is not None else _subject(doc, head, depth + 1)
    if tok.dep in ("conj", "acomp"):
        # 'X is willing to withdraw': the adjective's complement is done by the copula's subject
        return _subject(doc, head, depth + 1)
    if tok.dep == "relcl" and _child(doc, v, "aux") is not None:
        return _subject(doc, doc.tokens[head].head, depth + 1)  # 'Russia will take measures to respond'
    if tok.dep == "relcl":
        return head
    if tok.dep == "acl":
        return head if tok.tag == "VBG" else _nominal_source(doc, head)
    return None


def _resolve_subject(doc: ParsedDoc, v: int, subj: int) -> int:
    """A relative pronoun stands for its noun; 'it'/'they' after 'X says' stands for X."""
    tok = doc.tokens[subj]
    if tok.tag in ("WDT", "WP") and doc.tokens[v].dep == "relcl":
        return doc.tokens[v].head
    if tok.pos == "PRON" and doc.tokens[v].dep == "ccomp":
        speech = doc.tokens[v].head
        speaker = _child(doc, speech, "nsubj")
        if speaker is not None and doc.tokens[speaker].pos != "PRON":
            return speaker
    return subj


def _target(doc: ParsedDoc, trig: _Trigger, depth: int = 0) -> int | None:
    """The actor acted upon: passive subject, object, dative or a prepositional object."""
    a = trig.anchor
    if trig.tok != a:  # light verb + event noun: the noun's own arguments first
        hit = _nominal_target(doc, trig.tok)
        if hit is not None:
            return hit
    patient = _child(doc, a, "nsubjpass")
    # 'the offer was made to Kyiv by X': the light verb's passive subject is the event noun itself,
    # not what the act was done to; its target is found as for an active light verb, below.
    if patient is not None and patient != trig.tok and doc.tokens[a].pos == "VERB":
        return _resolve_subject(doc, a, patient)
    # the by-agent of a passive light verb did the act: no target ('was made by X')
    preps = TARGET_PREPS if patient != trig.tok else tuple(p for p in TARGET_PREPS if p != "by")
    for dep in ("dobj", "dative"):
        obj = _child(doc, a, dep)
        if obj is not None and obj != trig.tok:
            hit = _actor_in_phrase(doc, obj)
            if hit is not None and _own(doc, obj):
                # the doer's own means ('withdrew its troops from Lebanon') is the target only when
                # the clause names no other: an actor inside it or after a preposition comes first
                inside = _prep_actor(doc, obj, NESTED_PREPS)
                other = inside if inside is not None else _prep_actor(doc, a, preps)
                hit = other if other is not None else hit
            if hit is not None:
                return hit
    hit = _prep_actor(doc, a, preps)
    if hit is not None:
        return hit
    obj = _child(doc, a, "dobj")
    if obj is not None and obj != trig.tok and trig.type in plover.PHYSICAL:
        pair = (doc.tokens[a].lemma.lower(), doc.tokens[obj].lemma.lower())
        return None if pair in plover.VERB_OBJECT else obj  # what is attacked or seized, even a thing
    if trig.type == "DEMAND" or doc.tokens[a].lemma.lower() in OBJECT_CONTROL:
        comp = _child(doc, a, "ccomp", "xcomp")
        subj = _child(doc, comp, "nsubj", "nsubjpass") if comp is not None else None
        if subj is not None:  # 'demanded that Moscow admit', 'allow Ukraine to use'
            return subj
    comp = _purpose(doc, a)
    if comp is not None and comp != trig.tok and depth < defaults.EVENT_MODE_DEPTH:
        # 'refused to deploy peacekeepers in Iraq', 'staged protests to demand X's resignation'
        return _target(doc, _Trigger(comp, comp, trig.type, trig.confidence), depth + 1)
    return None


def _own(doc: ParsedDoc, obj: int) -> bool:
    """An object the doer owns ('withdraw its troops from Lebanon', 'sent their forces into X'):
    often the means of the act, whose target is then named elsewhere (by 'from', 'into')."""
    return any(doc.tokens[k].dep == "poss" and doc.tokens[k].lemma.lower() in OWN_PRONOUNS
               for k in doc.children(obj))


def _purpose(doc: ParsedDoc, head: int) -> int | None:
    """The to-infinitive complement or purpose clause of ``head``."""
    for k in doc.children(head):
        t = doc.tokens[k]
        if t.dep == "xcomp" or (t.dep == "advcl" and _child(doc, k, "aux") is not None):
            return k
    return None


def _prep_actor(doc: ParsedDoc, head: int, order: tuple[str, ...] = TARGET_PREPS) -> int | None:
    """First actor in a prepositional phrase of ``head`` ('against X', 'on X', 'with X')."""
    preps = [k for k in doc.children(head) if doc.tokens[k].dep in ("prep", "agent")]
    for word in order:
        for p in preps:
            if doc.tokens[p].text.lower() != word:
                continue
            obj = _child(doc, p, "pobj")
            if obj is not None:
                hit = _actor_in_phrase(doc, obj)
                if hit is not None:
                    return hit
    return None


def _actor_in_phrase(doc: ParsedDoc, head: int) -> int | None:
    """The head if it names an actor, else an actor named inside the phrase ('Ukraine's grid')."""
    if _actor_like(doc.tokens[head]):
        return head
    for k in doc.children(head):
        t = doc.tokens[k]
        if t.dep in ("poss", "compound", "amod", "nmod", "appos") and _named(t):
            return k
    if doc.tokens[head].pos != "NOUN":
        return None
    return _prep_actor(doc, head, NESTED_PREPS)


def _nominal_source(doc: ParsedDoc, noun: int) -> int | None:
    """'Russia's attack', 'a Russian attack', 'an attack by Russia'."""
    for k in doc.children(noun):
        t = doc.tokens[k]
        if t.dep == "poss" or (t.dep in ("amod", "compound") and t.ent_type in ("NORP", "GPE", "ORG")):
            return k
    for k in doc.children(noun):
        if doc.tokens[k].dep in ("prep", "agent") and doc.tokens[k].text.lower() == "by":
            return _child(doc, k, "pobj")
    return None


def _nominal_target(doc: ParsedDoc, noun: int) -> int | None:
    """'an attack on Ukraine', 'a strike against Ukraine's grid', 'the invasion of Lebanon'."""
    return _prep_actor(doc, noun, NOMINAL_TARGET_PREPS)


def _phrase(doc: ParsedDoc, head: int) -> tuple[int, int]:
    """Token range of the actor noun phrase around ``head`` (no determiner, no trailing 's)."""
    keep = {head}
    stack = [head]
    while stack:
        for k in doc.children(stack.pop()):
            t = doc.tokens[k]
            if t.dep in NP_DEPS and not (t.dep == "punct" and t.tag != "HYPH"):
                if t.dep == "amod" and not (t.ent_type or _capitalised(doc, t)):
                    continue  # 'radical', 'senior': a description, not part of a name
                keep.add(k)
                stack.append(k)
            elif t.dep == "prep" and t.text.lower() == "of" and doc.tokens[head].pos == "NOUN":
                keep.update(doc.subtree(k))
    start, end = min(keep), max(keep) + 1
    while start < end - 1 and (doc.tokens[start].pos in ("DET", "ADP", "PUNCT", "PART")
                               or doc.tokens[start].tag == "PRP$"):
        start += 1  # 'its partners' names the partners
    while end > start + 1 and doc.tokens[end - 1].dep in ("case", "punct"):
        end -= 1
    return start, end


def _capitalised(doc: ParsedDoc, tok: Tok) -> bool:
    """A capital that marks a name: not the one every sentence starts with ('Radical farmers')."""
    return tok.text[:1].isupper() and doc.sent_of(tok.i).start != tok.i


def _counted(doc: ParsedDoc, head: int) -> int:
    """The actor a count, collective or kind of place stands for: 'thousands of Kurds', 'a group of
    diplomats', 'the town of Cizre' are the Kurds, the diplomats and Cizre (PLOVER codes who or
    where, not how many or what kind)."""
    lemma = doc.tokens[head].lemma.lower()
    if lemma not in COLLECTIVE_NOUNS and lemma not in PLACE_NOUNS:
        return head
    for k in doc.children(head):
        if doc.tokens[k].dep == "prep" and doc.tokens[k].text.lower() == "of":
            obj = _child(doc, k, "pobj")
            if obj is None:
                continue
            if _named(doc.tokens[obj]) if lemma in PLACE_NOUNS else _actor_like(doc.tokens[obj]):
                return obj
    return head


def _actor_span(doc: ParsedDoc, head: int) -> tuple[int, int]:
    """Token range of an actor: its noun phrase, with the rest of a name ('Republic of Korea'),
    a name in apposition right after a title ('ambassador Brah Mohamane') and the actors
    coordinated with it ('Mauritania and Senegal': PLOVER codes every actor of a slot)."""
    start, end = _phrase(doc, head)
    tok = doc.tokens[head]
    for k in doc.children(head):
        t = doc.tokens[k]
        if t.dep == "prep" and t.text.lower() == "of" and tok.pos == "PROPN" and k == end:
            obj = _child(doc, k, "pobj")
            if obj is not None and doc.tokens[obj].pos == "PROPN":
                end = max(end, _phrase(doc, obj)[1])
        elif t.dep == "appos" and t.pos == "PROPN" and k > head and _phrase(doc, k)[0] == end:
            end = _phrase(doc, k)[1]
        elif t.dep == "conj" and k > head and _actor_like(t) and _coordinated_by_and(doc, head):
            end = max(end, _phrase(doc, k)[1])
    return start, end


def _past_descriptor(doc: ParsedDoc, head: int, start: int) -> int:
    """Where a name starts after the common nouns that describe it: 'candidate Alassane Ouattara',
    'opposition leader X', 'rights watchdog Amnesty International' name X (PLOVER codes the named
    actor). A title stays when a name says whose it is ('Palestinian leader X', 'French National
    Assembly president X'), and so does a capitalised one ('President Obama')."""
    if doc.tokens[head].pos != "PROPN":
        return start
    for j in range(head - 1, start - 1, -1):
        tok = doc.tokens[j]
        if tok.pos == "NOUN" and tok.text[:1].islower() and not tok.ent_type:
            return start if any(_names_whose(doc, doc.tokens[i]) for i in range(start, j)) else j + 1
    return start


def _names_whose(doc: ParsedDoc, tok: Tok) -> bool:
    """A word that names whose an actor is: a nation, group, place or any other name."""
    return bool(tok.ent_type in ("NORP", "GPE", "ORG", "PERSON", "LOC") or tok.pos == "PROPN"
                or _capitalised(doc, tok))


def _where_based(doc: ParsedDoc, head: int, start: int, end: int) -> int:
    """The end of an actor named by a common noun, with the place that says whose it is: 'rebels in
    the Ivory Coast', 'a group based in Trinidad', 'a missionary from Calgary' (PLOVER codes such an
    actor by that place; an actor whose phrase says whose it is needs none: 'Albanian rebels')."""
    if doc.tokens[head].pos != "NOUN" or any(_names_whose(doc, doc.tokens[i]) for i in range(start, end)):
        return end
    for k in doc.children(head):
        t = doc.tokens[k]
        if k != end or t.dep not in ("prep", "acl"):
            continue
        prep = k if t.dep == "prep" else _child(doc, k, "prep")
        if prep is None or doc.tokens[prep].text.lower() not in ACTOR_PLACE_PREPS:
            continue
        if t.dep == "acl" and (t.tag not in ("VBN", "VBG") or prep != k + 1):
            continue  # 'based in X', 'operating in X': the participle right before its place
        obj = _child(doc, prep, "pobj")
        if obj is not None and _names_place(doc, obj):
            return max(end, _phrase(doc, obj)[1])
    return end


def _coordinated_by_and(doc: ParsedDoc, head: int) -> bool:
    return any(doc.tokens[k].dep == "cc" and doc.tokens[k].text.lower() == "and" for k in doc.children(head))


def _actor_fields(
    doc: ParsedDoc, head: int | None, mentions: Sequence[Mention]
) -> tuple[str | None, str | None]:
    """(text, entity_key) of an actor; the key comes from the mention covering its head word."""
    if head is None:
        return None, None
    head = _counted(doc, head)
    start, end = _actor_span(doc, head)
    start = _past_descriptor(doc, head, start)
    end = _where_based(doc, head, start, end)
    text = doc.span_text(start, end)
    h = doc.tokens[head]
    best: Mention | None = None
    for m in mentions:
        if m.start < h.end and h.idx < m.end:
            return text, m.entity_key
        lo, hi = doc.tokens[start].idx, doc.tokens[end - 1].end
        if best is None and m.start < hi and lo < m.end:
            best = m
    return text, best.entity_key if best else None


# --- mode ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cues:
    negated: bool = False
    conditional: bool = False
    possible: bool = False
    planned: bool = False
    reported: bool = False

    def mode(self) -> str:
        for name in ("conditional", "possible", "planned", "reported"):
            if getattr(self, name):
                return name
        return "denied" if self.negated else "asserted"


def _mode(doc: ParsedDoc, trig: _Trigger) -> tuple[str, bool]:
    """(mode, negated) from the cues on the trigger, its anchor and the heads above them."""
    cues = _Cues()
    nodes = [trig.tok] if trig.anchor == trig.tok else [trig.tok, trig.anchor]
    for i in nodes:
        _own_cues(doc, i, cues)
    i = trig.anchor
    # a deal named by a noun ('a review of the planned purchase of X') is a thing the clause above
    # talks about: that clause's modals say whether the review happens, not the purchase
    nominal = trig.anchor == trig.tok and doc.tokens[trig.tok].pos == "NOUN"
    climb = 0 if trig.deal and nominal else defaults.EVENT_MODE_DEPTH
    for _ in range(climb):
        tok = doc.tokens[i]
        infinitival = tok.dep == "relcl" and _child(doc, i, "aux") is not None
        if tok.head == i or (tok.dep not in CLIMB_DEPS and not infinitival):
            break
        if trig.demand_target is not None:
            break  # a demand's mode is the speech act's, not its content's
        _head_cues(doc, tok, cues)
        i = tok.head
    if cues.negated:
        return "denied", True
    return cues.mode(), False


def _own_cues(doc: ParsedDoc, i: int, cues: _Cues) -> None:
    """Cues attached to the event's own words: 'did not', 'will', 'reportedly', 'if ...'."""
    tok = doc.tokens[i]
    if tok.dep == "advcl" and _marked_condition(doc, i):
        cues.conditional = True
    for k in doc.children(i):
        _modifier_cues(doc, doc.tokens[k], cues, negation=True)


def _modifier_cues(doc: ParsedDoc, kid: Tok, cues: _Cues, negation: bool) -> None:
    lemma = kid.lemma.lower()
    text = kid.text.lower()
    if negation and (kid.dep == "neg" or (kid.dep == "det" and lemma == "no")):
        cues.negated = True
    if negation and kid.dep in ("nsubj", "nsubjpass") and _negative_subject(doc, kid):
        cues.negated = True
    if kid.dep in ("aux", "auxpass") and kid.tag == "MD":
        if text in FUTURE_MODALS or lemma in FUTURE_MODALS or _future_in_past(doc, kid):
            cues.planned = True
        elif text in POSSIBLE_MODALS or lemma in POSSIBLE_MODALS:
            cues.possible = True
    if kid.dep == "advmod":
        cues.possible |= lemma in POSSIBLE_ADVERBS
        cues.reported |= lemma in REPORTED_ADVERBS
    if kid.dep == "amod":
        cues.possible |= lemma in POSSIBLE_ADJECTIVES or text in POSSIBLE_ADJECTIVES
        cues.planned |= lemma in PLANNED_ADJECTIVES or text in PLANNED_ADJECTIVES
        cues.reported |= text in REPORTED_ADJECTIVES
    if kid.dep == "advcl" and _marked_condition(doc, kid.i):
        cues.conditional = True


def _future_in_past(doc: ParsedDoc, modal: Tok) -> bool:
    """'said it would buy X': 'would' in what someone said in the past is their 'will' reported,
    a plan, not a possibility ('would buy it if ...' stays conditional: that cue ranks first)."""
    if modal.text.lower() != "would":
        return False
    verb = doc.tokens[modal.head]
    speech = doc.tokens[verb.head]
    return verb.dep == "ccomp" and speech.lemma.lower() in SPEECH_VERBS and speech.tag == "VBD"


def _head_cues(doc: ParsedDoc, tok: Tok, cues: _Cues) -> None:
    """Cues of the head that governs ``tok``: frames ('is considering'), hearsay, negation."""
    head = doc.tokens[tok.head]
    lemma = head.lemma.lower()
    via_conj = tok.dep == "conj"  # a coordinated verb shares modals, not its sister's 'not'
    for k in doc.children(head.i):
        if k != tok.i and doc.tokens[k].dep not in ("advcl",):
            _modifier_cues(doc, doc.tokens[k], cues, negation=not via_conj)
    if via_conj:
        return
    if lemma in NOT_DONE_FRAMES:
        cues.negated = True
    cues.possible |= lemma in POSSIBLE_FRAMES
    cues.planned |= lemma in PLANNED_FRAMES or (lemma == "go" and head.tag == "VBG")
    passive = _child(doc, head.i, "auxpass", "nsubjpass") is not None
    cues.reported |= lemma in HEARSAY_VERBS and passive
    cues.reported |= head.pos == "NOUN" and lemma in HEARSAY_NOUNS


def _negative_subject(doc: ParsedDoc, subj: Tok) -> bool:
    """'Neither X nor Y', 'no one', 'nobody', 'none' as subject."""
    if subj.lemma.lower() in ("nobody", "none", "nothing"):
        return True
    return any(
        doc.tokens[k].lemma.lower() in ("neither", "no") and doc.tokens[k].dep in ("preconj", "det")
        for k in doc.children(subj.i)
    )


def _marked_condition(doc: ParsedDoc, i: int) -> bool:
    return any(
        doc.tokens[k].dep == "mark" and doc.tokens[k].text.lower() in CONDITION_MARKS
        for k in doc.children(i)
    )


# --- clause, time, place, amounts ------------------------------------------------------------


def _clause_tokens(doc: ParsedDoc, trig: _Trigger) -> list[int]:
    """Tokens of the event's own clause: the anchor's subtree minus nested clauses."""
    root = trig.anchor
    if doc.tokens[root].pos == "NOUN" and root == trig.tok:
        root = next((a for a in doc.ancestors(root) if doc.tokens[a].pos in ("VERB", "AUX")), root)
    out, stack = [], [root]
    while stack:
        j = stack.pop()
        out.append(j)
        stack.extend(
            k for k in doc.children(j)
            if doc.tokens[k].dep not in CLAUSE_DEPS or k == trig.tok or k == trig.anchor
        )
    return sorted(out)


def _closest_time(
    doc: ParsedDoc, trig: _Trigger, clause: list[int], times: Sequence[TimeExpr]
) -> TimeExpr | None:
    """The time expression of the event's own clause closest to the trigger, else None.

    A time elsewhere in the sentence dates another clause: 'Macron indicated in May that France might
    allow ...' (May is when he spoke), 'At the end of September, The Times wrote that Ukraine could
    launch ...' (when the paper wrote). The event then has no date of its own; the claim shows when
    it was first reported instead, marked as such.
    """
    sent = doc.sent_of(trig.tok)
    members = set(clause)
    at = doc.tokens[trig.tok].idx
    walls = _modifier_clauses(doc, trig, sent.start, sent.end)
    inside = [
        t for t in times
        if sent.start_char <= t.start and t.end <= sent.end_char
        and not any(lo_w <= t.start < hi_w for lo_w, hi_w in walls)
        and _in_clause(doc, t, members)
    ]
    return min(inside, key=lambda t: abs(t.start - at)) if inside else None


def _in_clause(doc: ParsedDoc, t: TimeExpr, members: set[int]) -> bool:
    """Whether a word of the time expression belongs to the clause's tokens."""
    first, last = doc.token_at(t.start), doc.token_at(max(t.start, t.end - 1))
    if first is None or last is None:
        return False
    return any(i in members for i in range(first, last + 1))


def _modifier_clauses(doc: ParsedDoc, trig: _Trigger, start: int, end: int) -> list[tuple[int, int]]:
    """Char spans of clauses that describe a noun and hold neither trigger nor anchor: 'the dam,
    completed in 1968, supplies ...' - their dates belong to the noun's past, not to the event."""
    spans = []
    for i in range(start, end):
        if doc.tokens[i].dep not in MODIFIER_CLAUSE_DEPS and not _time_shifted(doc, i):
            continue
        sub = doc.subtree(i)
        if trig.tok in sub or trig.anchor in sub:
            continue
        spans.append((doc.tokens[min(sub)].idx, doc.tokens[max(sub)].end))
    return spans


def _time_shifted(doc: ParsedDoc, i: int) -> bool:
    """An adverbial clause set at another time ('after Macron indicated in May')."""
    return doc.tokens[i].dep == "advcl" and any(
        doc.tokens[k].dep == "mark" and doc.tokens[k].text.lower() in TIME_SHIFT_MARKS
        for k in doc.children(i)
    )


def _amounts_in(doc: ParsedDoc, clause: list[int], amounts: Sequence[Amount]) -> tuple[str, ...]:
    lo, hi = doc.tokens[clause[0]].idx, doc.tokens[clause[-1]].end
    return tuple(a.id for a in amounts if lo <= a.start and a.end <= hi)


def _place(doc: ParsedDoc, trig: _Trigger, clause: list[int], actors: set[int | None]) -> str | None:
    """A place phrase of the clause: 'in the Kursk region', 'near Samarra'."""
    members = set(clause)
    taken = {j for a in actors if a is not None for j in range(*_actor_span(doc, a))}
    for p in clause:
        prep = doc.tokens[p]
        if prep.dep != "prep" or prep.text.lower() not in PLACE_PREPS:
            continue
        obj = _child(doc, p, "pobj")
        if obj is None or obj not in members or obj in taken:
            continue
        if _names_place(doc, obj):
            return _place_text(doc, obj)
    return None


def _purpose_place(doc: ParsedDoc, trig: _Trigger, actors: set[int | None]) -> str | None:
    """The place of the act a trigger announces, refuses or threatens when its own clause names
    none: 'threatened to impose a curfew in Algiers', 'refused to deploy peacekeepers in Iraq' (the
    target is read from that clause too: :func:`_target`)."""
    comp = _purpose(doc, trig.anchor)
    if comp is None or comp == trig.tok:
        return None
    inner = _Trigger(comp, comp, trig.type, trig.confidence)
    return _place(doc, inner, _clause_tokens(doc, inner), actors)


def _names_place(doc: ParsedDoc, obj: int) -> bool:
    phrase = range(*_phrase(doc, obj))
    if any(doc.tokens[j].ent_type in PLACE_ENTS for j in phrase):
        return True
    return doc.tokens[obj].lemma.lower() in PLACE_NOUNS and any(
        doc.tokens[j].pos == "PROPN" for j in doc.subtree(obj)
    )


def _place_text(doc: ParsedDoc, obj: int) -> str:
    obj = _counted(doc, obj)  # 'the town of Cizre' is Cizre
    sub = doc.subtree(obj)
    start, end = sub[0], sub[-1] + 1
    if end - start > defaults.EVENT_PLACE_MAX_TOKENS:  # long phrase: keep its noun phrase core
        start, end = _phrase(doc, obj)
    while start < end - 1 and doc.tokens[start].pos in ("DET", "PUNCT"):
        start += 1
    return doc.span_text(start, end)

"""The long tail the lexicon misses: attributions of learned cues, and the acceptance model.

A classifier (:mod:`cuemodel`) scores every token; a token the lexicon missed whose probability
reaches ``QUOTE_CUE_MODEL_MIN_PROB`` gets its source (subject, possessor, agent) and content
(clause, infinitive, object, prepositional object) from the parse. The acceptance model then weighs
every attribution (:func:`attribution_features`) and :func:`accepted` keeps those reaching
``QUOTE_ACCEPT_MIN_PROB``. bench/train_quotes.py trains both on the same features.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from newsfuse import defaults
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes import cuemodel, cues, speakers
from newsfuse.analyze.quotes.attribution import Attribution, classify, holds, inside_marks, tok_span
from newsfuse.analyze.quotes.cuecheck import negated, verb_lemma
from newsfuse.analyze.quotes.marks import QuoteSpan
from newsfuse.analyze.quotes.refusals import refusal_to_speak, refused
from newsfuse.analyze.quotes.spans import (
    CLAUSE_DEPS,
    adjacent_quote,
    after_colon,
    after_relative,
    as_clause_content,
    as_predicate,
    inside_quote_only,
    is_time,
    trailing_cue_content,
)
from newsfuse.analyze.quotes.speaker import auxiliaries, name_head, np_span, subject


def accepted(
    doc: ParsedDoc, found: Sequence[Attribution], probs: Sequence[float], model: cuemodel.CueModel
) -> list[Attribution]:
    """The attributions the acceptance model keeps; a learned one's confidence is its probability."""
    if model.accept is None:
        return list(found)
    out = []
    relayed = [b.content for b in found if b.lemma in cues.RELAY]
    for a in found:
        if a.lemma in _STRUCTURAL or a.lemma in cues.RELAY:
            out.append(a)  # headline colons, 'according to' and relays ('reports Reuters') name the
            continue  # cited source of other quotes; cite_sources drops the pure relays later
        if a.lemma in cues.SPEECH and any(holds(c, a.cue) for c in relayed):
            out.append(a)  # 'X said Y, CNN reported': X's words are the news the relay carries,
            continue  # whatever an attribution corpus that annotates only the relay would keep
        p = model.accept.prob(attribution_features(doc, a, probs, found))
        if p >= defaults.QUOTE_ACCEPT_MIN_PROB:
            out.append(replace(a, confidence=min(a.confidence, p)) if a.learned else a)
    return out


_STRUCTURAL = frozenset({":", "according to"})


def attribution_features(
    doc: ParsedDoc, a: Attribution, probs: Sequence[float], found: Sequence[Attribution] = ()
) -> list[str]:
    """What the acceptance model weighs: how the cue was found and how sure the cue model is, the
    cue's lexicon class, the speaker's kind and side, how the content hangs on the cue and how long
    it is, where the cue stands, and whether it sits inside another proposal's content (``found``)."""
    tok = doc.tokens[a.cue_tok]
    origin = "learned" if a.learned else "rules"
    pb = f"{min(int(probs[a.cue_tok] * 10), 9) if cuemodel.candidate(doc, a.cue_tok) else 'x'}"
    rel = _content_relation(doc, a)
    words = len(doc.text[a.content[0] : a.content[1]].split())
    size = next(n for n in (1, 3, 8, 20, 10**9) if words <= n)
    spk = _speaker_kind(doc, a)
    feats = [
        f"o={origin}", f"k={a.kind}", f"l={a.lemma}", f"ok={origin}|{a.kind}", f"pb={pb}",
        f"opb={origin}|{pb}", f"cp={tok.pos}|{tok.dep}", f"rel={rel}", f"orel={origin}|{rel}",
        f"lrel={a.lemma}|{rel}", f"size={size}", f"ksize={a.kind}|{size}", f"spk={spk}",
        f"ospk={origin}|{spk}",
    ]
    if a.speaker is not None:
        feats.append(f"side={'before' if a.speaker[0] < a.cue[0] else 'after'}")
    cls = _lemma_class(a.lemma)
    feats += [f"lc={cls}", f"lck={cls}|{a.kind}", *_position(doc, a.cue_tok), *_nesting(a, found)]
    return feats


def _lemma_class(lemma: str) -> str:
    """The lexicon class of a cue: speech is annotated far more often than beliefs or positions,
    and the lemma feature alone says nothing about rare lemmas of a well-annotated class."""
    return next((name for name, group in _CLASSES if lemma in group), "other")


_CLASSES = (
    ("speech", cues.SPEECH), ("belief", cues.BELIEF), ("eval", cues.EVALUATIVE), ("evid", cues.EVIDENCE),
    ("intent", cues.INTENTION), ("stance", cues.STANCE),
)


def _position(doc: ParsedDoc, t: int) -> list[str]:
    """Third of its sentence the cue stands in (closing cues, '..., he said', are the surest) and
    its line (the first lines are headlines and datelines, written in their own style)."""
    sent = doc.sent_of(t)
    third = min(int(3 * (t - sent.start) / max(1, sent.end - sent.start)), 2)
    line = min(doc.text.count("\n", 0, doc.tokens[t].idx), defaults.QUOTE_ACCEPT_LINES)
    return [f"spos={third}", f"line={line}"]


def _nesting(a: Attribution, found: Sequence[Attribution]) -> list[str]:
    """Whether the cue sits inside what another proposal reports ('X said that Y believes Z'),
    and the class of the nearest such cue, and whether its own content holds another cue:
    attribution corpora often annotate only the outer one."""
    outer = [b for b in found if b is not a and holds(b.content, a.cue)]
    inner = any(b is not a and holds(a.content, b.cue) for b in found)
    feats = [f"nest={'in' if outer else 'no'}", f"holds={inner}"]
    if outer:
        nearest = min(outer, key=lambda b: b.content[1] - b.content[0])
        feats.append(f"nestl={_lemma_class(nearest.lemma)}")
    return feats


def _content_relation(doc: ParsedDoc, a: Attribution) -> str:
    """How the content hangs on the cue: the dependency of its top token ('ccomp', 'dobj'),
    'around' when the cue sits inside the content's clause, else 'apart'."""
    toks = [i for i in doc.subtree(a.cue_tok) if a.content[0] <= doc.tokens[i].idx < a.content[1]]
    for i in toks:
        if doc.tokens[i].head == a.cue_tok and i != a.cue_tok:
            return doc.tokens[i].dep
    head = doc.tokens[a.cue_tok].head
    if a.content[0] <= doc.tokens[head].idx < a.content[1]:
        return "around"
    return "apart"


def _speaker_kind(doc: ParsedDoc, a: Attribution) -> str:
    if a.speaker is None or a.speaker_tok is None:
        return "none"
    head = doc.tokens[a.speaker_tok]
    if speakers.is_pronoun(doc, a.speaker_tok):
        return f"pron:{head.text.lower()}"
    return f"{head.pos}:{head.ent_type or '-'}"


def learned_attributions(
    doc: ParsedDoc, marks: Sequence[QuoteSpan], found: Sequence[Attribution], probs: list[float] | None
) -> list[Attribution]:
    """Attributions whose cue only the learned classifier knows ('is convinced that', "Trump's
    claim that", 'polls show'); source and content come from the parse around the cue."""
    if probs is None:
        return []
    taken = {a.cue_tok for a in found}
    cue_chars = [a.cue for a in found]
    out = []
    for t, p in enumerate(probs):
        if p < defaults.QUOTE_CUE_MODEL_MIN_PROB or t in taken or inside_marks(doc.tokens[t].idx, marks):
            continue
        if any(s <= doc.tokens[t].idx < e for s, e in cue_chars):
            continue
        a = learned_at(doc, t, marks, p)
        if a is not None:
            out.append(a)
    return out


def learned_at(doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan], prob: float) -> Attribution | None:
    """The attribution of a learned cue, or None when the parse shows no content for it."""
    tok = doc.tokens[t]
    if tok.pos == "NOUN":
        content, source = _nominal_content(doc, t), _nominal_source(doc, t)
    else:
        content, source = _verbal_content(doc, t, marks), subject(doc, t, depth=0)
        if source is None and tok.dep in ("acomp", "attr") and tok.head != t:
            source = subject(doc, tok.head, depth=0)  # 'Clinton is confident that ...'
        if source is None:  # 'Reyes is convinced' parsed with the subject on the auxiliary
            source = next((g for c in auxiliaries(doc, t) for g in doc.children(c)
                           if doc.tokens[g].dep == "nsubj"), None)
    if content is None or refusal_to_speak(doc, t) or _no_statement(doc, t) or refused(doc, t):
        return None
    if tok.lemma.lower() in cues.RAISING:
        source = None  # 'Clinton appeared to gain': the outlet's judgement, not Clinton's words
    if source is not None and source > t and tok.pos != "NOUN" and source in doc.subtree(t):
        return None  # a 'subject' after the cue inside its own phrase is a misparse
    span, clausal = content
    speaker = np_span(doc, source, t) if source is not None else None
    if speaker is not None and holds(span, speaker):
        return None  # the holder inside what it holds: a misparse
    kind, span, conf = classify(doc.text, span, clausal, marks, prob)
    if kind == "reported" and doc.tokens[t].lemma.lower() not in cues.SPEECH:
        kind = "stance"  # an attitude the outlet reports, not words
    if kind == "stance" and tok.dep == "acl" and source == tok.head:
        return None  # 'voters backing the mayor': a participle that describes who, no position held
    return Attribution(
        kind=kind, content=span, cue=_learned_cue_span(doc, t), cue_tok=t,
        speaker_tok=name_head(doc, source), speaker=speaker, confidence=min(conf, prob),
        lemma=tok.lemma.lower(), learned=True,
    )


def _no_statement(doc: ParsedDoc, t: int) -> bool:
    """'Neither X nor Y confirmed', 'X did not say': nobody made a statement. A negated attitude
    ('does not support the deal') is still its holder's position and stays."""
    if not negated(doc, t):
        return False
    return verb_lemma(doc.tokens[t].text, doc.tokens[t].lemma) in cues.SPEECH or not any(
        doc.tokens[c].dep == "neg" for c in doc.children(t))


def _learned_cue_span(doc: ParsedDoc, t: int) -> tuple[int, int]:
    """The cue word, with the adjective or participle a copula cue stands for ('is convinced') and
    the auxiliaries right before it ('has learned')."""
    tok = doc.tokens[t]
    pred = [c for c in doc.children(t) if c == t + 1 and doc.tokens[c].dep in ("acomp", "attr")]
    start = t
    while start - 1 in auxiliaries(doc, t):
        start -= 1
    return doc.tokens[start].idx, doc.tokens[pred[0]].end if pred else tok.end


_CONTENT_PREPS = frozenset({"about", "on", "of", "for", "against", "to", "with", "over", "that"})


def _verbal_content(
    doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan]
) -> tuple[tuple[int, int], bool] | None:
    """What a learned verb, adjective or copula cue reports: its clause, infinitive, object or
    prepositional object (looking through 'is confident that'), else the clause it closes."""
    heads = [t] + [c for c in doc.children(t) if doc.tokens[c].dep in ("acomp", "attr")]
    for h in heads:
        kids = doc.children(h)
        deps = {doc.tokens[c].dep: c for c in reversed(kids)}
        for dep in ("ccomp", "xcomp", "dobj"):
            if dep in deps and not inside_quote_only(doc, deps[dep], t):
                if doc.tokens[deps[dep]].pos == "PRON" and len(doc.subtree(deps[dep])) == 1:
                    predicate = as_predicate(doc, kids, deps[dep]) if dep == "dobj" else None
                    if predicate is not None:
                        return predicate, False
                    continue
                toks = after_relative(doc, doc.subtree(deps[dep]), t)
                return tok_span(doc, toks, exclude=t), dep == "ccomp"
        objs = _prep_objects(doc, kids)
        if objs:
            return tok_span(doc, doc.subtree(objs[0]), exclude=t), False
    as_clause = as_clause_content(doc, t)
    if as_clause is not None:
        return as_clause, True
    # '..., X believes': only a cue the parser hangs on the clause as a report ('went', 'toured'
    # after a comma are events, not reports)
    trailing = trailing_cue_content(doc, t) if doc.tokens[t].dep in CLAUSE_DEPS else None
    if trailing is not None:
        return trailing, True
    colon = after_colon(doc, t, marks)
    if colon is not None:
        return colon, True
    # '"...," mused Burguiere', 'She responded, "..."': a quote next to a cue with its own subject
    adjacent = adjacent_quote(doc, t, marks) if doc.tokens[t].pos == "VERB" else None
    return (adjacent, True) if adjacent is not None else None


def _prep_objects(doc: ParsedDoc, kids: Sequence[int]) -> list[int]:
    """Objects of the prepositions that introduce content ('worried about X', 'critical of X')."""
    out = []
    for c in kids:
        ch = doc.tokens[c]
        if ch.dep == "prep" and ch.text.lower() in _CONTENT_PREPS:
            out += [g for g in doc.children(c) if doc.tokens[g].dep in ("pobj", "pcomp")
                    and not is_time(doc, doc.subtree(g))]
    return out


def _nominal_content(doc: ParsedDoc, t: int) -> tuple[tuple[int, int], bool] | None:
    """'the claim that X' (clause), 'his call for talks', 'support for X' (prepositional object)."""
    kids = doc.children(t)
    for c in kids:
        if doc.tokens[c].dep in ("acl", "ccomp", "relcl") and any(
            doc.tokens[g].dep == "mark" for g in doc.children(c)
        ):
            return tok_span(doc, doc.subtree(c), exclude=t), True
    objs = _prep_objects(doc, kids)
    if objs:
        return tok_span(doc, doc.subtree(objs[0]), exclude=t), False
    return None


def _nominal_source(doc: ParsedDoc, t: int) -> int | None:
    """Whose claim: the possessor ("Trump's claim"), else the agent of 'by'."""
    for c in doc.children(t):
        ch = doc.tokens[c]
        if ch.dep == "poss":
            return c
        if ch.dep == "prep" and ch.text.lower() == "by":
            objs = [g for g in doc.children(c) if doc.tokens[g].dep == "pobj"]
            if objs:
                return objs[0]
    return None

"""What a lexicon cue reports: the char span of its content and whether that content is a clause.

In order of preference: the cue's clause complement ('said that ...'), the clause an 'as' clause
modifies, a wish's infinitive or a position's object, the subject of a passive report, the object
and predicate of 'call', a particle verb's object, the object of verbs whose object is what was
said, the clause a closing cue hangs on ('..., X said'), the quote after a colon, the clause a
medial cue sits in ('Biden, Rubio said, had ...') and the quote next to the cue. The learned cues
reuse several of these pieces (:mod:`learnedcues`).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes import cues
from newsfuse.analyze.quotes.attribution import EDGE_PUNCT, inside_marks, paragraph_span, tok_span, trim
from newsfuse.analyze.quotes.marks import QuoteSpan
from newsfuse.analyze.quotes.speaker import WH, inverted_subject

CLAUSE_DEPS = frozenset({"ccomp", "parataxis"})


_COMPLETERS = frozenset({"of", "as", "for"})


def cue_content(
    doc: ParsedDoc, t: int, lemma: str, marks: Sequence[QuoteSpan]
) -> tuple[tuple[int, int], bool] | None:
    """Char span of what was said and whether it is a clause; None when the cue has no content."""
    kids = doc.children(t)
    deps = {doc.tokens[c].dep: c for c in reversed(kids)}  # first child of each dep wins
    clause = clause_child(doc, t, kids)
    if clause is not None:
        toks = [*after_relative(doc, doc.subtree(clause), t), *_that_opening(doc, t, clause)]
        return tok_span(doc, toks, exclude=t), True
    as_clause = as_clause_content(doc, t)
    if as_clause is not None:
        return as_clause, True
    stance = _stance_content(doc, t, lemma, kids, deps)
    if stance is not None:
        return stance, False
    if lemma not in cues.SPEECH and lemma not in cues.EVALUATIVE and lemma != "call":
        return None  # beliefs, wishes, positions and findings only with the content found above
    passive = _passive_content(doc, t, kids)
    if passive is not None:
        return passive, False
    if lemma == "call" or lemma in cues.NAMING:
        return _call_content(doc, t, deps)
    if lemma in cues.NEEDS_PARTICLE:
        return _particle_content(doc, t, kids, lemma)
    inverted = inverted_subject(doc, t) is not None  # '..., reports Reuters': object is the source
    if lemma in cues.ADDRESSEE_FIRST and "xcomp" in deps:  # 'urged women to vote': not the women
        return tok_span(doc, doc.subtree(deps["xcomp"]), exclude=t), False
    if "dobj" in deps and not inverted and (lemma in cues.EVALUATIVE or lemma in cues.OBJECT_CONTENT):
        if doc.tokens[deps["dobj"]].pos == "PRON" and len(doc.subtree(deps["dobj"])) == 1:
            # 'announce it': the content is somewhere else, and we cannot tell where; 'described
            # himself as a moderate' says it with the predicate
            predicate = as_predicate(doc, kids, deps["dobj"])
            return (predicate, False) if predicate is not None else None
        return _object_content(doc, t, kids, deps["dobj"]), False
    if lemma == "cite":
        return None  # 'citing officials' names a source, not what it said
    trailing = trailing_cue_content(doc, t)
    if trailing is not None:
        return trailing, True
    colon = after_colon(doc, t, marks)
    if colon is not None:
        return colon, True
    medial = _medial_cue_content(doc, t)
    if medial is not None:
        return medial, True
    adjacent = adjacent_quote(doc, t, marks) if lemma in cues.SPEECH else None
    return (adjacent, True) if adjacent is not None else None


def _that_opening(doc: ParsedDoc, t: int, clause: int) -> list[int]:
    """'denied that repairs to X had been postponed' parsed with 'that repairs' as the object: a
    'that' right after the cue opens the clause, so its content runs from there (the whole
    that-clause), whatever the parser hung in between."""
    nxt = t + 1
    if nxt < clause and doc.tokens[nxt].text.lower() == "that" and doc.tokens[nxt].sent == doc.tokens[t].sent:
        return [nxt]
    return []


def clause_child(doc: ParsedDoc, t: int, kids: Sequence[int]) -> int | None:
    """The cue's clause complement in its own paragraph: the parser may run a sentence over a
    paragraph break and hang the previous paragraph's quote on the cue ('"...?" / Obama said his
    critics ...'); that clause is cut away by the paragraph and the next one is the content."""
    para_start, para_end = paragraph_span(doc.text, doc.tokens[t].idx)
    for c in kids:
        if doc.tokens[c].dep != "ccomp" or inside_quote_only(doc, c, t):
            continue
        if any(para_start <= doc.tokens[i].idx < para_end and doc.tokens[i].pos != "PUNCT" and i != t
               for i in doc.subtree(c)):
            return c
    return None


def after_relative(doc: ParsedDoc, toks: Sequence[int], t: int) -> Sequence[int]:
    """'a bill which critics said was unfair': the clause's subject is the relative pronoun before
    the cue; what was said is the part after the cue (the pronoun alone says nothing)."""
    if doc.tokens[t].dep not in ("relcl", "pcomp") or not toks or min(toks) >= t:
        return toks
    after = [i for i in toks if i > t]
    return after or toks


def _medial_cue_content(doc: ParsedDoc, t: int) -> tuple[int, int] | None:
    """'Biden, Rubio said, had been in the Senate': the cue inside the clause it reports. The
    content runs over the cue (a Quote has one span); nothing when no commas set the cue off."""
    tok = doc.tokens[t]
    if tok.dep != "parataxis" or tok.head <= t or not _own_subject(doc, t):
        return None
    own = set(doc.subtree(t))
    rest = [i for i in doc.subtree(tok.head) if i not in own]
    before, after = [i for i in rest if i < min(own)], [i for i in rest if i > max(own)]
    if not before or not after or not _comma_between(doc, before[-1], min(own)):
        return None
    para_start, para_end = paragraph_span(doc.text, tok.idx)
    if _whole_clause(doc, before):  # 'X will be rebuilt, Y said, six days after ...': what follows
        start, end = max(doc.tokens[min(before)].idx, para_start), doc.tokens[max(before)].end
        return trim(doc.text, start, end, EDGE_PUNCT)  # the cue is the report's, not the quote's
    last = max(i for i in after if doc.tokens[i].dep != "punct") if any(
        doc.tokens[i].dep != "punct" for i in after) else max(after)
    start, end = max(doc.tokens[min(before)].idx, para_start), min(doc.tokens[last].end, para_end)
    return trim(doc.text, start, end, EDGE_PUNCT)


def as_clause_content(doc: ParsedDoc, t: int) -> tuple[int, int] | None:
    """'As The Hill reported, Trump was accused ...', 'the last part, as Krugman points out, is ...':
    a cue in an 'as' clause with its own subject reports the clause it modifies (one span, over the
    cue when the cue sits inside it, as for medial cues). A passive 'as reported by The Hill' names
    its source in the 'by' phrase and reports the same clause."""
    tok = doc.tokens[t]
    if tok.dep != "advcl" or tok.head == t or not (_own_subject(doc, t) or _agent(doc, t)):
        return None
    if not any(doc.tokens[c].dep == "mark" and doc.tokens[c].text.lower() == "as" for c in doc.children(t)):
        return None
    own = set(doc.subtree(t))
    rest = [i for i in doc.subtree(tok.head) if i not in own and doc.tokens[i].dep not in ("punct", "cc")]
    if not rest:
        return None
    para_start, para_end = paragraph_span(doc.text, tok.idx)
    start, end = max(doc.tokens[min(rest)].idx, para_start), min(doc.tokens[max(rest)].end, para_end)
    return trim(doc.text, start, end, EDGE_PUNCT) if end > start else None


def _agent(doc: ParsedDoc, t: int) -> bool:
    """Does the cue name who acts in a 'by' phrase ('reported by the Post')?"""
    return any(doc.tokens[c].dep == "agent" and doc.children(c) for c in doc.children(t))


def _passive_content(doc: ParsedDoc, t: int, kids: Sequence[int]) -> tuple[int, int] | None:
    """'Scully's involvement was first reported by the Times', 'the campaign, first reported by the
    Post, ...': with the speaker in a 'by' phrase, what was reported is the passive subject or the
    noun the participle modifies (up to the cue)."""
    if not any(doc.tokens[c].dep == "agent" for c in kids):
        return None
    subj = next((c for c in kids if doc.tokens[c].dep == "nsubjpass"), None)
    if subj is not None:
        return tok_span(doc, doc.subtree(subj), exclude=t)
    tok = doc.tokens[t]
    if tok.dep == "acl" and tok.head < t and doc.tokens[tok.head].pos in ("NOUN", "PROPN"):
        own = set(doc.subtree(t))
        before = [i for i in doc.subtree(tok.head) if i < t and i not in own]
        return tok_span(doc, before, exclude=t) if before else None
    return None


def _whole_clause(doc: ParsedDoc, toks: Sequence[int]) -> bool:
    """Do the tokens hold a verb with its own subject ('the dam will be rebuilt')?"""
    inside = set(toks)
    return any(
        doc.tokens[i].dep in ("nsubj", "nsubjpass") and doc.tokens[i].head in inside
        and doc.tokens[doc.tokens[i].head].pos in ("VERB", "AUX")
        for i in toks
    )


def adjacent_quote(doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan]) -> tuple[int, int] | None:
    """A quote that the parser left outside the cue's clause: '"...," Clark said.' (quote, then
    the clause) or 'Erdogan said, "..."' (clause, comma, quote), in the cue's paragraph."""
    if not _own_subject(doc, t):
        return None
    # the words of the cue's clause outside quote marks (the parser may hang the quote on the cue)
    clause = [i for i in doc.subtree(t)
              if doc.tokens[i].dep != "punct" and not inside_marks(doc.tokens[i].idx, marks)]
    start, end = doc.tokens[min(clause)].idx, doc.tokens[max(clause)].end
    para_start, para_end = paragraph_span(doc.text, doc.tokens[t].idx)
    for q in marks:
        if para_start <= q.start and q.end <= start and not doc.text[q.end : start].strip(" ,\u2014-"):
            return q.start, q.end
        if end <= q.start < para_end and doc.text[end : q.start].strip() in (",", ""):
            return q.start, q.end
    return None


def _stance_content(
    doc: ParsedDoc, t: int, lemma: str, kids: Sequence[int], deps: dict[str, int]
) -> tuple[int, int] | None:
    """What a wish, plan, position or finding is about: 'wants to run' -> 'to run', 'wants the
    party to move' -> 'the party to move', 'opposes the deal', 'views X as Y', 'the poll shows X'."""
    obj = deps.get("dobj")
    if obj is not None and doc.tokens[obj].pos == "PRON" and len(doc.subtree(obj)) == 1:
        obj = None  # 'supports it': the content is somewhere else, and we cannot tell where
    infinitive = _infinitive(doc, deps)
    if lemma in cues.INTENTION or lemma in cues.INFINITIVE_CONTENT:
        if infinitive is not None and obj is None:
            return tok_span(doc, doc.subtree(infinitive), exclude=t)
        if obj is not None and lemma in cues.INTENTION_OBJECT:
            return _object_content(doc, t, kids, obj)
    if obj is None:
        return None
    if lemma in cues.AS_FRAME:
        return _object_content(doc, t, kids, obj) if _child_word(doc, kids, "prep", "as", obj) else None
    if lemma in cues.STANCE or lemma in cues.EVIDENCE:
        return _object_content(doc, t, kids, obj)
    return None


def _infinitive(doc: ParsedDoc, deps: dict[str, int]) -> int | None:
    """The 'to ...' complement of a verb ('plans to run'), None for other xcomps ('seems ready')."""
    x = deps.get("xcomp")
    return x if x is not None and _child_word(doc, doc.children(x), "aux", "to", -1) else None


def _child_word(doc: ParsedDoc, kids: Sequence[int], dep: str, word: str, after: int) -> bool:
    """One of ``kids`` after token ``after`` is ``word`` attached as ``dep``."""
    return any(c > after and doc.tokens[c].dep == dep and doc.tokens[c].text.lower() == word for c in kids)


def inside_quote_only(doc: ParsedDoc, c: int, t: int) -> bool:
    """A 'ccomp' that is just punctuation or the cue itself is a parser slip, not content."""
    return all(doc.tokens[i].pos == "PUNCT" for i in doc.subtree(c) if i != t)


def _call_content(doc: ParsedDoc, t: int, deps: dict[str, int]) -> tuple[tuple[int, int], bool] | None:
    """'calling it a dangerous escalation' (object + predicate) or 'called for talks'."""
    second = next((deps[d] for d in ("oprd", "xcomp", "attr") if d in deps), None)
    if "dobj" in deps and doc.tokens[deps["dobj"]].text.lower() in WH:
        return None  # 'what do you call it' asks, it does not call
    if "dobj" in deps and second is not None:
        if deps["dobj"] < t < second:  # 'the bill, which critics called anti-gay': the predicate
            return tok_span(doc, doc.subtree(second), exclude=t), False
        toks = doc.subtree(deps["dobj"]) + doc.subtree(second)
        return tok_span(doc, toks, exclude=t), False
    for c in doc.children(t):
        if doc.tokens[c].dep == "prep" and doc.tokens[c].text.lower() == "for":
            objs = [g for g in doc.children(c) if doc.tokens[g].dep == "pobj"]
            if objs:
                return tok_span(doc, doc.subtree(objs[0]), exclude=t), False
    return None


def _particle_content(
    doc: ParsedDoc, t: int, kids: Sequence[int], lemma: str
) -> tuple[tuple[int, int], bool] | None:
    """'spoke about the decision', 'pointed to the GOP', 'pointed out the flaw'."""
    wanted = cues.NEEDS_PARTICLE[lemma]
    for c in kids:
        ch = doc.tokens[c]
        if ch.dep == "prep" and ch.text.lower() in wanted:
            objs = [g for g in doc.children(c) if doc.tokens[g].dep in ("pobj", "pcomp")]
            if objs and not is_time(doc, doc.subtree(objs[0])):  # 'spoke on Tuesday
                return tok_span(doc, doc.subtree(objs[0]), exclude=t), False
        if ch.dep == "prt" and ch.text.lower() in wanted:
            objs = [g for g in kids if doc.tokens[g].dep in ("dobj", "ccomp")]
            if objs:
                return tok_span(doc, doc.subtree(objs[0]), exclude=t), doc.tokens[objs[0]].dep == "ccomp"
    return None


def is_time(doc: ParsedDoc, toks: Sequence[int]) -> bool:
    return all(doc.tokens[i].ent_type in ("DATE", "TIME") for i in toks)


def _object_content(doc: ParsedDoc, t: int, kids: Sequence[int], dobj: int) -> tuple[int, int]:
    """The object with the complements that finish it ('described Rubio as "a leader"', 'blamed
    the GOP for ...'); for 'accused Cruz of lying' only what he is accused of."""
    lemma = doc.tokens[t].lemma.lower()
    toks = [] if lemma in cues.ADDRESSEE_FIRST else list(doc.subtree(dobj))
    if toks == []:  # 'accused Cruz of lying': the charge, without its preposition
        for c in kids:
            if c > dobj and doc.tokens[c].dep == "prep" and doc.tokens[c].text.lower() in _COMPLETERS:
                objs = [g for g in doc.children(c) if doc.tokens[g].dep in ("pobj", "pcomp")]
                if objs:
                    return tok_span(doc, doc.subtree(objs[0]), exclude=t)
    for c in kids:
        ch = doc.tokens[c]
        completes = ch.dep in ("xcomp", "oprd") or (ch.dep == "prep" and ch.text.lower() in _COMPLETERS)
        if c > dobj and completes:
            toks += doc.subtree(c)
    return tok_span(doc, toks or list(doc.subtree(dobj)), exclude=t)


def trailing_cue_content(doc: ParsedDoc, t: int) -> tuple[int, int] | None:
    """'Ukraine will respond, X said' parsed with the cue hanging on the clause it reports."""
    tok = doc.tokens[t]
    if tok.head == t or tok.dep not in CLAUSE_DEPS | {"advcl", "conj"} or tok.head > t:
        return None
    if not _own_subject(doc, t):
        return None  # a participle ('..., adding') shares its clause's subject; it reports nothing
    own = set(doc.subtree(t))
    before = [i for i in doc.subtree(tok.head) if i not in own and i < min(own)]
    if not before or not _comma_between(doc, before[-1], min(own)):
        return None
    return tok_span(doc, before, exclude=t)


def _own_subject(doc: ParsedDoc, t: int) -> bool:
    has_subj = any(doc.tokens[c].dep in ("nsubj", "csubj") for c in doc.children(t))
    return has_subj or inverted_subject(doc, t) is not None


def _comma_between(doc: ParsedDoc, a: int, b: int) -> bool:
    return any(doc.tokens[i].text in {",", "\u2014", "\u2013", "-"} for i in range(a, b + 1))


def after_colon(doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan]) -> tuple[int, int] | None:
    """'Caddell continued: "..."' - the quote right after a colon that follows the cue closely."""
    sent = doc.sent_of(t)
    colon = next((i for i in range(t + 1, min(sent.end, t + 8)) if doc.tokens[i].text == ":"), None)
    if colon is None:
        return None
    after = doc.tokens[colon].end
    for q in marks:
        if q.start >= after and not doc.text[after : q.start].strip():
            return q.start, q.end
    if colon + 1 < sent.end:  # 'He said: we must go.' - unquoted statement to the sentence end
        return tok_span(doc, list(range(colon + 1, sent.end)), exclude=t)
    return None


def as_predicate(doc: ParsedDoc, kids: Sequence[int], obj: int) -> tuple[int, int] | None:
    """'cast himself as a change agent', 'see him as the stronger candidate': a pronoun object
    says nothing alone; with its 'as' predicate it is what the cue reports."""
    pred = next((c for c in kids if c > obj and (doc.tokens[c].dep == "oprd" or (
        doc.tokens[c].dep == "prep" and doc.tokens[c].text.lower() == "as"))), None)
    if pred is None:
        return None
    toks = [obj, *doc.subtree(pred)]
    return tok_span(doc, list(range(obj, max(toks) + 1)), exclude=obj)

"""Quotes and reported speech with their speakers, cues and cited sources.

How a quote is found (each step works on the spaCy-free :class:`ParsedDoc`):

1. Quote marks are paired on the raw text (:mod:`quotemarks`), so multi-sentence and
   multi-paragraph quotes stay whole and an unclosed mark cannot swallow the article.
2. Every cue verb (:mod:`cues`) outside quote marks yields an attribution: the speaker is its
   subject (or, for participles like 'adding'/'calling', the subject of the clause they hang on, or
   the noun they modify); the content is its clause complement ('said that ...'), its object for
   verbs whose object is what was said ('confirmed the move'), the clause it is attached to when
   the cue comes last ('..., The Times wrote'), or the quote after a colon ('said: "..."'). A cue
   inside a relative clause reports what follows it ('moves that he said improved the economy' ->
   'improved the economy'); a clause the parser fetched from the previous paragraph is passed over.
   When the parser leaves a quote outside the cue's clause, the quote right before ('"...," Clark
   said.') or right after ('Erdogan said, "..."') is the content; a cue set off by commas inside
   the clause it reports ('Biden, Rubio said, had been ...') reports that whole clause.
   Attitudes are attributions too (as in the PARC and PolNeAR corpora) but of kind ``stance``:
   wishes with their infinitive or object ('wants to run', 'wants a recount') and positions with
   their object ('opposes the deal', 'views X as Y'); they need a subject of their own.
   'according to X' gives X as speaker and the rest of the sentence as content; a line opened by
   a name and a colon ('Macron: ...', headline style), or a name after a dash followed by a colon
   and a quote ('POLL - Jane Roe: "..."'), gives the name as speaker.
   The speaker span follows attribution-corpus guidelines: the whole noun phrase with titles and
   appositives ('French President Emmanuel Macron'), without relative clauses or participles
   ('officials who spoke ...' -> 'officials') or the cue's time the parser hung on it ('the
   contenders on Saturday'), never across a line break or a dateline dash. A passive cue has no
   speaker of its own ('Asked about it, Johnson said': Johnson was asked), and neither has a
   cue whose subject is its topic ('members are expected to ...').
   Negated cues ('did not confirm', 'Neither X nor Y confirmed') yield nothing.
3. The content decides the kind: entirely inside quote marks -> ``direct`` (content without the
   marks, the whole quote even when it runs over sentences); a clause with a quoted part -> ``mixed``;
   a non-clause complement with a quoted part ('calling it a "dangerous escalation"') -> ``partial``;
   no marks -> ``reported``; and ``according_to``; attitudes are ``stance`` whatever their marks.
4. Quotes of enough words with no cue of their own continue the nearest earlier attribution in
   the same paragraph ('"A," he said. "B."'), with lower confidence and the same cue offsets.
5. Speakers get entity keys (mentions, else parser entities; pronouns via the previous speaker or
   nearest person), anonymity flags and cited sources: the organisation the outlet attributes the
   statement to ('..., reports Reuters' -> cited source of the inner quote; 'Reuters cites internal
   sources' -> speaker 'internal sources', cited source Reuters; an organisation speaking for itself,
   'The Times wrote', 'the Pentagon confirmed', is its own cited source). A relay ('reports',
   'cites') that only passes on an inner quote is not a quote of its own.

'X declined to comment' has no content and yields no quote (see :mod:`cues`); :func:`no_comments`
lists such refusals with who refused, for consumers that count them (attribution corpora do).

Learned cues (after step 2): a classifier trained on an attribution corpus (:mod:`cuemodel`) scores
every token; a token the lexicon missed ('is convinced that', "Trump's claim that", 'polls show')
whose probability reaches ``QUOTE_CUE_MODEL_MIN_PROB`` gets its source (subject, possessor, agent)
and content (clause, infinitive, object, prepositional object) from the parse, kind ``stance``
unless quote marks or a speech lemma say otherwise; a raising verb ('Clinton appeared to gain') has
no source (the outlet judges), and a negated speech cue none at all. An acceptance model then weighs
every attribution, from the lexicon or learned (cue probability, how the content hangs on the cue,
the speaker's kind), and keeps those reaching ``QUOTE_ACCEPT_MIN_PROB``; a learned quote's
confidence is that probability.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsfuse import defaults
from newsfuse.analyze import cuemodel, cues, gender, speakers, titles
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotemarks import QuoteSpan, find_quote_spans, paragraphs
from newsfuse.ids import content_id
from newsfuse.models import Mention, Quote

_EDGE_PUNCT = " \t\n\xa0,.;:-\u2013\u2014"
_QUOTE_CHARS = "\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019"
_CLAUSE_DEPS = frozenset({"ccomp", "parataxis"})
_MODIFIER_DEPS = frozenset({"relcl", "acl", "advcl"})
_COMPLETERS = frozenset({"of", "as", "for"})
_WH = frozenset({"who", "that", "which"})
_NO_ONE = frozenset({"neither", "no", "nobody", "none"})  # subjects that deny the act took place


@dataclass(frozen=True, slots=True)
class Attribution:
    """A quote before speaker resolution; token indices refer to the ParsedDoc."""

    kind: str
    content: tuple[int, int]
    cue: tuple[int, int]
    cue_tok: int
    speaker_tok: int | None
    speaker: tuple[int, int] | None
    confidence: float
    lemma: str = ""
    cited: tuple[int, int] | None = None  # char span of the source the outlet cites, if set by syntax
    cited_tok: int | None = None
    learned: bool = False  # the cue came from the learned classifier, not from the lexicon


def find_quotes(doc: ParsedDoc, article_id: str, mentions: Sequence[Mention]) -> list[Quote]:
    """All quotes of one article, sorted by ``content_start``."""
    marks = find_quote_spans(doc.text)
    model = cuemodel.load() if defaults.QUOTE_CUE_MODEL_MIN_PROB <= 1.0 else None
    found, probs = proposals(doc, marks, model)
    if model is not None and probs is not None:
        found = accepted(doc, found, probs, model)
    found = [a for a in found if not _outlet_voice(doc, a)]
    found += continuations(doc, marks, found)
    found = _drop_nested_evidence(found)
    found = cite_sources(doc, mentions, found)
    return to_quotes(doc, article_id, mentions, found)


def _outlet_voice(doc: ParsedDoc, a: Attribution) -> bool:
    """'We recall that ...', 'as we reported': outside quote marks a first-person plural is the
    outlet itself. What it says is the article's own reporting, no quote from a source, and
    crediting it to a speaker would invent one (the outlet may not even be known)."""
    return a.speaker_tok is not None and doc.tokens[a.speaker_tok].text.lower() in _OUTLET_WE


_OUTLET_WE = frozenset({"we", "us"})


# ---------------------------------------------------------------------------------------------
# step 2: one attribution per cue
# ---------------------------------------------------------------------------------------------


def attribution_at(doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan]) -> Attribution | None:
    """The attribution whose cue is token ``t``, or None when ``t`` is no cue."""
    tok = doc.tokens[t]
    if _inside_marks(tok.idx, marks):
        return None  # words inside a quote belong to the quoted speaker, not to the outlet
    if tok.text.lower() == "according":
        return _according_to(doc, t, marks)
    if tok.text.lower() == "in":
        return _in_source(doc, t, marks)
    lemma = _verb_lemma(tok.text, tok.lemma) if tok.pos == "VERB" else _gerund_lemma(doc, t)
    if not lemma or not _is_cue(doc, t, lemma) or _negated(doc, t) or _refused(doc, t) or _refusal_to_speak(
        doc, t
    ):
        return None
    content = _content(doc, t, lemma, marks)
    if content is None:
        return None
    span, clausal = content
    speaker_tok, cited_tok = _speaker_tok(doc, t, lemma)
    if lemma in cues.EVIDENCE and not _evidence_source(doc, speaker_tok):
        return None  # 'the attack showed that ...' is an inference, not a source speaking
    speaker = _np_span(doc, speaker_tok, t) if speaker_tok is not None else None
    speaker_tok = _name_head(doc, speaker_tok)
    stance = _is_stance(lemma, clausal)
    if (stance or lemma in cues.BELIEF) and not _has_subject(doc, t):
        return None  # 'voters backing Clinton', 'hoping to win': whose attitude is guesswork
    if speaker_tok is not None and _holds(span, (doc.tokens[speaker_tok].idx,) * 2) and not _holds(
        span, (doc.tokens[t].idx,) * 2
    ):
        return None  # the holder inside what it holds ('voters supporting Trump' -> 'Trump'): a misparse
    paraphrase = lemma in cues.EVALUATIVE or lemma in cues.BELIEF
    conf = defaults.QUOTE_CONF_EVALUATIVE if paraphrase else defaults.QUOTE_CONF_SYNTAX
    kind, span, conf = _classify(doc.text, span, clausal, marks, conf)
    if stance:
        kind, conf = "stance", min(conf, defaults.QUOTE_CONF_STANCE)
    return Attribution(
        kind=kind, content=span, cue=_cue_span(doc, t, lemma), cue_tok=t, speaker_tok=speaker_tok,
        speaker=speaker, confidence=conf, lemma=lemma,
        cited=_np_span(doc, cited_tok, t) if cited_tok is not None else None, cited_tok=cited_tok,
    )


def _verb_lemma(word: str, lemma: str) -> str:
    """The lemma, mended where the small model clips a final 'e' ('hopes' -> 'hop')."""
    low = lemma.lower()
    fixed = low + "e"
    if word.lower().startswith(fixed) and any(fixed in group for group in _CUE_GROUPS):
        return fixed
    return low


def _gerund_lemma(doc: ParsedDoc, t: int) -> str:
    """'warning that ...' mistagged as a noun: its verb lemma when it governs a clause, else ''."""
    word = doc.tokens[t].text.lower()
    if not word.endswith("ing") or not any(doc.tokens[c].dep == "ccomp" for c in doc.children(t)):
        return ""
    stem = word[:-3]
    return next((c for c in (stem, stem + "e", stem[:-1]) if c in cues.SPEECH or c in cues.BELIEF), "")


_CUE_GROUPS = (
    cues.SPEECH, cues.BELIEF, cues.EVALUATIVE, cues.EVIDENCE, cues.INTENTION, cues.STANCE, cues.AS_FRAME,
)


def _is_cue(doc: ParsedDoc, t: int, lemma: str) -> bool:
    if lemma == "call":
        return True  # checked by its content rule: needs a second complement or 'for'
    if lemma in cues.NEEDS_PARTICLE:
        words = {doc.tokens[c].text.lower() for c in doc.children(t) if doc.tokens[c].dep in ("prt", "prep")}
        return bool(words & cues.NEEDS_PARTICLE[lemma])
    return any(lemma in group for group in _CUE_GROUPS)


def _is_stance(lemma: str, clausal: bool) -> bool:
    """An attitude rather than words: a position, or a wish whose content is no clause."""
    if lemma in cues.STANCE or lemma in cues.AS_FRAME:
        return not clausal
    return lemma in cues.INTENTION and lemma not in cues.SPEECH and not clausal


def _negated(doc: ParsedDoc, t: int) -> bool:
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


def _cue_span(doc: ParsedDoc, t: int, lemma: str) -> tuple[int, int]:
    """The cue verb, with the particle or preposition that makes it one ('pointed out', 'called for')."""
    tok = doc.tokens[t]
    end = tok.end
    wanted = cues.NEEDS_PARTICLE.get(lemma, set()) | ({"for"} if lemma == "call" else set())
    for c in doc.children(t):
        ch = doc.tokens[c]
        if ch.dep in ("prt", "prep") and ch.text.lower() in wanted and c == t + 1:
            end = ch.end
    return tok.idx, end


def _content(
    doc: ParsedDoc, t: int, lemma: str, marks: Sequence[QuoteSpan]
) -> tuple[tuple[int, int], bool] | None:
    """Char span of what was said and whether it is a clause; None when the cue has no content."""
    kids = doc.children(t)
    deps = {doc.tokens[c].dep: c for c in reversed(kids)}  # first child of each dep wins
    clause = _clause_child(doc, t, kids)
    if clause is not None:
        toks = [*_after_relative(doc, doc.subtree(clause), t), *_that_opening(doc, t, clause)]
        return _tok_span(doc, toks, exclude=t), True
    as_clause = _as_clause_content(doc, t)
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
    inverted = _inverted_subject(doc, t) is not None  # '..., reports Reuters': object is the source
    if lemma in cues.ADDRESSEE_FIRST and "xcomp" in deps:  # 'urged women to vote': not the women
        return _tok_span(doc, doc.subtree(deps["xcomp"]), exclude=t), False
    if "dobj" in deps and not inverted and (lemma in cues.EVALUATIVE or lemma in cues.OBJECT_CONTENT):
        if doc.tokens[deps["dobj"]].pos == "PRON" and len(doc.subtree(deps["dobj"])) == 1:
            # 'announce it': the content is somewhere else, and we cannot tell where; 'described
            # himself as a moderate' says it with the predicate
            predicate = _as_predicate(doc, kids, deps["dobj"])
            return (predicate, False) if predicate is not None else None
        return _object_content(doc, t, kids, deps["dobj"]), False
    if lemma == "cite":
        return None  # 'citing officials' names a source, not what it said
    trailing = _trailing_cue_content(doc, t)
    if trailing is not None:
        return trailing, True
    colon = _after_colon(doc, t, marks)
    if colon is not None:
        return colon, True
    medial = _medial_cue_content(doc, t)
    if medial is not None:
        return medial, True
    adjacent = _adjacent_quote(doc, t, marks) if lemma in cues.SPEECH else None
    return (adjacent, True) if adjacent is not None else None


def _that_opening(doc: ParsedDoc, t: int, clause: int) -> list[int]:
    """'denied that repairs to X had been postponed' parsed with 'that repairs' as the object: a
    'that' right after the cue opens the clause, so its content runs from there (the whole
    that-clause), whatever the parser hung in between."""
    nxt = t + 1
    if nxt < clause and doc.tokens[nxt].text.lower() == "that" and doc.tokens[nxt].sent == doc.tokens[t].sent:
        return [nxt]
    return []


def _clause_child(doc: ParsedDoc, t: int, kids: Sequence[int]) -> int | None:
    """The cue's clause complement in its own paragraph: the parser may run a sentence over a
    paragraph break and hang the previous paragraph's quote on the cue ('"...?" / Obama said his
    critics ...'); that clause is cut away by the paragraph and the next one is the content."""
    para_start, para_end = _paragraph_span(doc.text, doc.tokens[t].idx)
    for c in kids:
        if doc.tokens[c].dep != "ccomp" or _inside_quote_only(doc, c, t):
            continue
        if any(para_start <= doc.tokens[i].idx < para_end and doc.tokens[i].pos != "PUNCT" and i != t
               for i in doc.subtree(c)):
            return c
    return None


def _after_relative(doc: ParsedDoc, toks: Sequence[int], t: int) -> Sequence[int]:
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
    para_start, para_end = _paragraph_span(doc.text, tok.idx)
    if _whole_clause(doc, before):  # 'X will be rebuilt, Y said, six days after ...': what follows
        start, end = max(doc.tokens[min(before)].idx, para_start), doc.tokens[max(before)].end
        return _trim(doc.text, start, end, _EDGE_PUNCT)  # the cue is the report's, not the quote's
    last = max(i for i in after if doc.tokens[i].dep != "punct") if any(
        doc.tokens[i].dep != "punct" for i in after) else max(after)
    start, end = max(doc.tokens[min(before)].idx, para_start), min(doc.tokens[last].end, para_end)
    return _trim(doc.text, start, end, _EDGE_PUNCT)


def _as_clause_content(doc: ParsedDoc, t: int) -> tuple[int, int] | None:
    """'As The Hill reported, Trump was accused ...', 'the last part, as Krugman points out, is ...':
    a cue in an 'as' clause with its own subject reports the clause it modifies (one span, over the
    cue when the cue sits inside it, as for medial cues)."""
    tok = doc.tokens[t]
    if tok.dep != "advcl" or tok.head == t or not _own_subject(doc, t):
        return None
    if not any(doc.tokens[c].dep == "mark" and doc.tokens[c].text.lower() == "as" for c in doc.children(t)):
        return None
    own = set(doc.subtree(t))
    rest = [i for i in doc.subtree(tok.head) if i not in own and doc.tokens[i].dep not in ("punct", "cc")]
    if not rest:
        return None
    para_start, para_end = _paragraph_span(doc.text, tok.idx)
    start, end = max(doc.tokens[min(rest)].idx, para_start), min(doc.tokens[max(rest)].end, para_end)
    return _trim(doc.text, start, end, _EDGE_PUNCT) if end > start else None


def _passive_content(doc: ParsedDoc, t: int, kids: Sequence[int]) -> tuple[int, int] | None:
    """'Scully's involvement was first reported by the Times', 'the campaign, first reported by the
    Post, ...': with the speaker in a 'by' phrase, what was reported is the passive subject or the
    noun the participle modifies (up to the cue)."""
    if not any(doc.tokens[c].dep == "agent" for c in kids):
        return None
    subj = next((c for c in kids if doc.tokens[c].dep == "nsubjpass"), None)
    if subj is not None:
        return _tok_span(doc, doc.subtree(subj), exclude=t)
    tok = doc.tokens[t]
    if tok.dep == "acl" and tok.head < t and doc.tokens[tok.head].pos in ("NOUN", "PROPN"):
        own = set(doc.subtree(t))
        before = [i for i in doc.subtree(tok.head) if i < t and i not in own]
        return _tok_span(doc, before, exclude=t) if before else None
    return None


def _whole_clause(doc: ParsedDoc, toks: Sequence[int]) -> bool:
    """Do the tokens hold a verb with its own subject ('the dam will be rebuilt')?"""
    inside = set(toks)
    return any(
        doc.tokens[i].dep in ("nsubj", "nsubjpass") and doc.tokens[i].head in inside
        and doc.tokens[doc.tokens[i].head].pos in ("VERB", "AUX")
        for i in toks
    )


def _adjacent_quote(doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan]) -> tuple[int, int] | None:
    """A quote that the parser left outside the cue's clause: '"...," Clark said.' (quote, then
    the clause) or 'Erdogan said, "..."' (clause, comma, quote), in the cue's paragraph."""
    if not _own_subject(doc, t):
        return None
    # the words of the cue's clause outside quote marks (the parser may hang the quote on the cue)
    clause = [i for i in doc.subtree(t)
              if doc.tokens[i].dep != "punct" and not _inside_marks(doc.tokens[i].idx, marks)]
    start, end = doc.tokens[min(clause)].idx, doc.tokens[max(clause)].end
    para_start, para_end = _paragraph_span(doc.text, doc.tokens[t].idx)
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
            return _tok_span(doc, doc.subtree(infinitive), exclude=t)
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


def _inside_quote_only(doc: ParsedDoc, c: int, t: int) -> bool:
    """A 'ccomp' that is just punctuation or the cue itself is a parser slip, not content."""
    return all(doc.tokens[i].pos == "PUNCT" for i in doc.subtree(c) if i != t)


def _call_content(doc: ParsedDoc, t: int, deps: dict[str, int]) -> tuple[tuple[int, int], bool] | None:
    """'calling it a dangerous escalation' (object + predicate) or 'called for talks'."""
    second = next((deps[d] for d in ("oprd", "xcomp", "attr") if d in deps), None)
    if "dobj" in deps and doc.tokens[deps["dobj"]].text.lower() in _WH:
        return None  # 'what do you call it' asks, it does not call
    if "dobj" in deps and second is not None:
        if deps["dobj"] < t < second:  # 'the bill, which critics called anti-gay': the predicate
            return _tok_span(doc, doc.subtree(second), exclude=t), False
        toks = doc.subtree(deps["dobj"]) + doc.subtree(second)
        return _tok_span(doc, toks, exclude=t), False
    for c in doc.children(t):
        if doc.tokens[c].dep == "prep" and doc.tokens[c].text.lower() == "for":
            objs = [g for g in doc.children(c) if doc.tokens[g].dep == "pobj"]
            if objs:
                return _tok_span(doc, doc.subtree(objs[0]), exclude=t), False
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
            if objs and not _is_time(doc, doc.subtree(objs[0])):  # 'spoke on Tuesday
                return _tok_span(doc, doc.subtree(objs[0]), exclude=t), False
        if ch.dep == "prt" and ch.text.lower() in wanted:
            objs = [g for g in kids if doc.tokens[g].dep in ("dobj", "ccomp")]
            if objs:
                return _tok_span(doc, doc.subtree(objs[0]), exclude=t), doc.tokens[objs[0]].dep == "ccomp"
    return None


def _is_time(doc: ParsedDoc, toks: Sequence[int]) -> bool:
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
                    return _tok_span(doc, doc.subtree(objs[0]), exclude=t)
    for c in kids:
        ch = doc.tokens[c]
        completes = ch.dep in ("xcomp", "oprd") or (ch.dep == "prep" and ch.text.lower() in _COMPLETERS)
        if c > dobj and completes:
            toks += doc.subtree(c)
    return _tok_span(doc, toks or list(doc.subtree(dobj)), exclude=t)


def _trailing_cue_content(doc: ParsedDoc, t: int) -> tuple[int, int] | None:
    """'Ukraine will respond, X said' parsed with the cue hanging on the clause it reports."""
    tok = doc.tokens[t]
    if tok.head == t or tok.dep not in _CLAUSE_DEPS | {"advcl", "conj"} or tok.head > t:
        return None
    if not _own_subject(doc, t):
        return None  # a participle ('..., adding') shares its clause's subject; it reports nothing
    own = set(doc.subtree(t))
    before = [i for i in doc.subtree(tok.head) if i not in own and i < min(own)]
    if not before or not _comma_between(doc, before[-1], min(own)):
        return None
    return _tok_span(doc, before, exclude=t)


def _has_subject(doc: ParsedDoc, t: int) -> bool:
    """The verb has a subject of its own (not one borrowed from the clause it hangs on)."""
    return any(doc.tokens[c].dep == "nsubj" for c in doc.children(t))


def _own_subject(doc: ParsedDoc, t: int) -> bool:
    has_subj = any(doc.tokens[c].dep in ("nsubj", "csubj") for c in doc.children(t))
    return has_subj or _inverted_subject(doc, t) is not None


def _comma_between(doc: ParsedDoc, a: int, b: int) -> bool:
    return any(doc.tokens[i].text in {",", "\u2014", "\u2013", "-"} for i in range(a, b + 1))


def _after_colon(doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan]) -> tuple[int, int] | None:
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
        return _tok_span(doc, list(range(colon + 1, sent.end)), exclude=t)
    return None


def _tok_span(doc: ParsedDoc, toks: Sequence[int], exclude: int) -> tuple[int, int]:
    """Char span of the tokens, cut before the cue if the cue fell inside, trimmed of punctuation."""
    lo, hi = min(toks), max(toks)
    if lo < exclude <= hi:
        hi = exclude - 1
    while hi > lo and doc.tokens[hi].dep in ("cc", "punct"):  # '..., and' left by a cut
        hi -= 1
    para_start, para_end = _paragraph_span(doc.text, doc.tokens[exclude].idx)
    start, end = max(doc.tokens[lo].idx, para_start), min(doc.tokens[hi].end, para_end)
    cut = doc.text.find(" on condition of anonymity", start, end)  # about the source, not content
    return _trim(doc.text, start, cut if cut > start else end, _EDGE_PUNCT)


def _paragraph_span(text: str, char: int) -> tuple[int, int]:
    """The line holding ``char``: unquoted content never runs into another paragraph."""
    end = text.find("\n", char)
    return text.rfind("\n", 0, char) + 1, end if end >= 0 else len(text)


def _trim(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


# ---------------------------------------------------------------------------------------------
# speakers
# ---------------------------------------------------------------------------------------------


def _speaker_tok(doc: ParsedDoc, t: int, lemma: str) -> tuple[int | None, int | None]:
    """(speaker head, cited-source head): 'Reuters cites internal sources' -> (sources, Reuters)."""
    subj = _subject(doc, t, depth=0)
    if lemma == "cite":
        obj = next((c for c in doc.children(t) if doc.tokens[c].dep == "dobj"), None)
        if obj is not None:
            return obj, subj
    return subj, None


def _subject(doc: ParsedDoc, t: int, depth: int) -> int | None:
    """The speaker's head: the subject, else that of the verb a participle or conjunct hangs on,
    else the noun a participle modifies ('spokesperson Dmitry Peskov calling it ...')."""
    kids = doc.children(t)
    tok = doc.tokens[t]
    for c in sorted(kids, key=lambda c: _quoted_word_before(doc, c, t)):
        if doc.tokens[c].dep in ("nsubj", "csubj"):
            if tok.dep == "relcl" and doc.tokens[c].text.lower() in _WH and tok.head != t:
                return tok.head  # 'voters who said ...': the speakers are the voters
            return c
    for c in kids:  # 'the bill was criticized by X'
        if doc.tokens[c].dep == "agent":
            objs = [g for g in doc.children(c) if doc.tokens[g].dep == "pobj"]
            if objs:
                return objs[0]
    passive = [c for c in kids if doc.tokens[c].dep == "nsubjpass"]
    if passive:  # 'members are expected to ...': a passive cue's subject is its topic, not its speaker
        return passive[0] if _contracted_have(doc, kids) else None
    inverted = _inverted_subject(doc, t)
    if inverted is not None:
        return inverted
    if tok.head == t or depth > 3 or _passive_participle(doc, t):
        return None
    head = doc.tokens[tok.head]
    if tok.dep == "acl" and head.pos in ("NOUN", "PROPN"):
        sender = _message_sender(doc, tok.head)
        if sender is None and head.dep == "dobj" and doc.tokens[t - 1].text == ",":
            # 'Warren endorsed Clinton, saying ...': a participle set off after the object is the
            # subject's, whatever noun the parser hangs it on
            sender = _subject(doc, head.head, depth + 1) if head.head != tok.head else None
        return sender if sender is not None else tok.head
    if tok.dep in ("conj", "advcl", "xcomp", "pcomp", "dep") and head.pos in ("VERB", "AUX"):
        shared = [c for c in doc.children(tok.head) if doc.tokens[c].dep == "nsubjpass"]
        if tok.dep == "conj" and shared and head.dep == "ccomp" and head.head != tok.head:
            # 'warned that the water could be contaminated and urged people ...': the passive clause
            # is what was warned; the cue the parser joined to it is the warner's, not the water's
            return _subject(doc, head.head, depth + 1)
        if tok.dep == "conj" and shared:
            return shared[0]  # 'he was asked about it and said ...': conjuncts share the subject
        return _subject(doc, tok.head, depth + 1)
    # 'he defended it by citing a poll', 'Clinton erred in saying': the gerund's speaker is the
    # subject of the verb its preposition hangs on
    if tok.dep == "pcomp" and head.dep == "prep" and doc.tokens[head.head].pos in ("VERB", "AUX"):
        return _subject(doc, head.head, depth + 1) if head.pos == "ADP" and head.head != tok.head else None
    return None


def _quoted_word_before(doc: ParsedDoc, c: int, t: int) -> bool:
    """'"Investors like the fit," said Petra Linn' parsed with two subjects: a word before the cue
    with a closing quote mark between them is inside the quote, so the other subject speaks."""
    return c < t and any(doc.tokens[i].text in _CLOSING for i in range(c + 1, t))


def _contracted_have(doc: ParsedDoc, kids: Sequence[int]) -> bool:
    """"He's said ..." read as a passive: the 's is 'has', so the 'passive subject' is the speaker."""
    return any(doc.tokens[c].dep == "auxpass" and doc.tokens[c].text in ("'s", "\u2019s") for c in kids)


def _passive_participle(doc: ParsedDoc, t: int) -> bool:
    """'Asked about it, Johnson said ...', 'a think tank known for ...': a past participle hanging
    on a clause or noun without 'have' is passive; that clause's subject is who was asked, not who
    asked."""
    tok = doc.tokens[t]
    return tok.tag == "VBN" and tok.dep in ("advcl", "acl") and not _auxiliaries(doc, t)


def _message_sender(doc: ParsedDoc, noun: int) -> int | None:
    """'Trump released a statement saying ...': a message a participle reports on speaks for whoever
    sent it, the subject of the verb the message is the object of."""
    tok = doc.tokens[noun]
    if tok.lemma.lower() not in cues.MESSAGES or tok.dep != "dobj" or tok.head == noun:
        return None
    return next((c for c in doc.children(tok.head) if doc.tokens[c].dep == "nsubj"), None)


def _drop_nested_evidence(found: Sequence[Attribution]) -> list[Attribution]:
    """'The mayor said that tests had shown X': the finding is part of what the mayor said, not a
    source of its own; evidence cues only speak for themselves in the outlet's own voice."""
    return [
        a for a in found
        if a.lemma not in cues.EVIDENCE
        or not any(b is not a and b.lemma not in cues.EVIDENCE and _holds(b.content, a.cue) for b in found)
    ]


def _evidence_source(doc: ParsedDoc, head: int | None) -> bool:
    return head is not None and doc.tokens[head].lemma.lower() in cues.EVIDENCE_SOURCES


def _name_head(doc: ParsedDoc, head: int | None) -> int | None:
    """'Quillpay's founder, Ines Halvard': the named appositive stands for the speaker."""
    if head is None or doc.tokens[head].pos == "PROPN":
        return head
    names = [c for c in doc.children(head) if doc.tokens[c].dep == "appos" and doc.tokens[c].pos == "PROPN"]
    return names[0] if names else head


def _inverted_subject(doc: ParsedDoc, t: int) -> int | None:
    """'..., reports Reuters' / '..., said Caddell': a proper-noun object after a cue that closes
    the clause it reports is the speaker."""
    tok = doc.tokens[t]
    if tok.head > t or (tok.head == t and not _after_quote(doc, t)):
        return None
    for c in doc.children(t):
        ch = doc.tokens[c]
        if ch.dep in ("dobj", "attr", "npadvmod") and c > t and ch.pos == "PROPN":
            return c
    return None


def _after_quote(doc: ParsedDoc, t: int) -> bool:
    """'"...," added Gowdy.' parsed as a sentence of its own: the cue right after a closing quote."""
    prev = t - 1
    while prev >= 0 and not doc.tokens[prev].text.strip():
        prev -= 1
    return prev >= 0 and doc.tokens[prev].text in _CLOSING and doc.tokens[prev].sent == doc.tokens[t].sent


_CLOSING = frozenset({"\"", "\u201d", "''"})


def _np_span(doc: ParsedDoc, head: int, cue: int) -> tuple[int, int]:
    """The speaker as written: the head's phrase without the cue's own clause, edges trimmed."""
    dropped = set(doc.subtree(cue)) if cue in doc.subtree(head) else set()
    for c in doc.children(head):  # 'Trump, who leads the polls,' / 'Gold, 83,': not the name
        ch = doc.tokens[c]
        if ch.dep in _MODIFIER_DEPS or (ch.dep == "appos" and ch.pos == "NUM") or _adjunct(doc, head, c):
            dropped.update(doc.subtree(c))
    toks = [i for i in doc.subtree(head) if i not in dropped]
    run = [i for i in toks if (i <= head and all(j in toks for j in range(i, head + 1)))
           or (i > head and all(j in toks for j in range(head, i + 1)))]
    start, end = doc.tokens[min(run)].idx, doc.tokens[max(run)].end
    head_at = doc.tokens[head].idx
    # never across a line (timestamps, headlines) or a dateline dash ('RENO (AP) - Trump said')
    cut = max(doc.text.rfind("\n", start, head_at), doc.text.rfind(" \u2014 ", start, head_at),
              doc.text.rfind(" \u2013 ", start, head_at), doc.text.rfind(" - ", start, head_at))
    if cut >= start:
        start = cut + 1
    newline = doc.text.find("\n", head_at, end)
    if newline >= 0:
        end = newline
    return _trim(doc.text, start, end, _EDGE_PUNCT + _QUOTE_CHARS)


def _adjunct(doc: ParsedDoc, head: int, c: int) -> bool:
    """A word after the speaker's head that tells when or how many, not who: 'the contenders on
    Saturday' (the parser hangs the cue's time on the noun), 'Bush and Cruz both'. Measured on
    PolNeAR TRAIN, where sources keep 'a poll last week' but not 'the allies on Monday'."""
    ch = doc.tokens[c]
    if c < head:
        return False
    if ch.lemma.lower() in _QUANTIFIERS and ch.dep in ("appos", "advmod", "det", "npadvmod"):
        return True
    if ch.dep != "prep" or ch.text.lower() not in _WHEN_PREPS:
        return False  # 'a poll last week', 'the Act of 2009': a date that names the source stays
    objs = [g for g in doc.children(c) if doc.tokens[g].dep == "pobj"]
    return len(objs) == 1 and doc.tokens[objs[0]].ent_type in _WHEN and len(doc.subtree(c)) <= 4


_QUANTIFIERS = frozenset({"both", "all", "each", "alone"})
_WHEN_PREPS = frozenset({"on", "in", "at"})
_WHEN = frozenset({"DATE", "TIME"})


# ---------------------------------------------------------------------------------------------
# learned cues: the long tail the lexicon misses
# ---------------------------------------------------------------------------------------------


def proposals(
    doc: ParsedDoc, marks: Sequence[QuoteSpan], model: cuemodel.CueModel | None
) -> tuple[list[Attribution], list[float] | None]:
    """The attributions of the lexicon rules and of the learned cues, before acceptance, and the
    cue probability of every token (None without a model)."""
    found = [a for t in range(len(doc.tokens)) if (a := attribution_at(doc, t, marks)) is not None]
    found += headline_colons(doc, marks)
    if model is None:
        return found, None
    probs = model.probs(doc, marks)
    return found + learned_attributions(doc, marks, found, probs), probs


def accepted(
    doc: ParsedDoc, found: Sequence[Attribution], probs: Sequence[float], model: cuemodel.CueModel
) -> list[Attribution]:
    """The attributions the acceptance model keeps; a learned one's confidence is its probability."""
    if model.accept is None:
        return list(found)
    out = []
    for a in found:
        if a.lemma in _STRUCTURAL or a.lemma in cues.RELAY:
            out.append(a)  # headline colons, 'according to' and relays ('reports Reuters') name the
            continue  # cited source of other quotes; cite_sources drops the pure relays later
        p = model.accept.prob(attribution_features(doc, a, probs))
        if p >= defaults.QUOTE_ACCEPT_MIN_PROB:
            out.append(replace(a, confidence=min(a.confidence, p)) if a.learned else a)
    return out


_STRUCTURAL = frozenset({":", "according to"})


def attribution_features(doc: ParsedDoc, a: Attribution, probs: Sequence[float]) -> list[str]:
    """What the acceptance model weighs: how the cue was found and how sure the cue model is, the
    speaker's kind and side, how the content hangs on the cue and how long it is."""
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
        if p < defaults.QUOTE_CUE_MODEL_MIN_PROB or t in taken or _inside_marks(doc.tokens[t].idx, marks):
            continue
        if any(s <= doc.tokens[t].idx < e for s, e in cue_chars):
            continue
        a = _learned_at(doc, t, marks, p)
        if a is not None:
            out.append(a)
    return out


def _learned_at(doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan], prob: float) -> Attribution | None:
    """The attribution of a learned cue, or None when the parse shows no content for it."""
    tok = doc.tokens[t]
    if tok.pos == "NOUN":
        content, source = _nominal_content(doc, t), _nominal_source(doc, t)
    else:
        content, source = _verbal_content(doc, t, marks), _subject(doc, t, depth=0)
        if source is None and tok.dep in ("acomp", "attr") and tok.head != t:
            source = _subject(doc, tok.head, depth=0)  # 'Clinton is confident that ...'
        if source is None:  # 'Reyes is convinced' parsed with the subject on the auxiliary
            source = next((g for c in _auxiliaries(doc, t) for g in doc.children(c)
                           if doc.tokens[g].dep == "nsubj"), None)
    if content is None or _refusal_to_speak(doc, t) or _no_statement(doc, t) or _refused(doc, t):
        return None
    if tok.lemma.lower() in cues.RAISING:
        source = None  # 'Clinton appeared to gain': the outlet's judgement, not Clinton's words
    if source is not None and source > t and tok.pos != "NOUN" and source in doc.subtree(t):
        return None  # a 'subject' after the cue inside its own phrase is a misparse
    span, clausal = content
    speaker = _np_span(doc, source, t) if source is not None else None
    if speaker is not None and _holds(span, speaker):
        return None  # the holder inside what it holds: a misparse
    kind, span, conf = _classify(doc.text, span, clausal, marks, prob)
    if kind == "reported" and doc.tokens[t].lemma.lower() not in cues.SPEECH:
        kind = "stance"  # an attitude the outlet reports, not words
    return Attribution(
        kind=kind, content=span, cue=_learned_cue_span(doc, t), cue_tok=t,
        speaker_tok=_name_head(doc, source), speaker=speaker, confidence=min(conf, prob),
        lemma=tok.lemma.lower(), learned=True,
    )


def _no_statement(doc: ParsedDoc, t: int) -> bool:
    """'Neither X nor Y confirmed', 'X did not say': nobody made a statement. A negated attitude
    ('does not support the deal') is still its holder's position and stays."""
    if not _negated(doc, t):
        return False
    return _verb_lemma(doc.tokens[t].text, doc.tokens[t].lemma) in cues.SPEECH or not any(
        doc.tokens[c].dep == "neg" for c in doc.children(t))


def _learned_cue_span(doc: ParsedDoc, t: int) -> tuple[int, int]:
    """The cue word, with the adjective or participle a copula cue stands for ('is convinced') and
    the auxiliaries right before it ('has learned')."""
    tok = doc.tokens[t]
    pred = [c for c in doc.children(t) if c == t + 1 and doc.tokens[c].dep in ("acomp", "attr")]
    start = t
    while start - 1 in _auxiliaries(doc, t):
        start -= 1
    return doc.tokens[start].idx, doc.tokens[pred[0]].end if pred else tok.end


def _auxiliaries(doc: ParsedDoc, t: int) -> list[int]:
    return [c for c in doc.children(t) if doc.tokens[c].dep in ("aux", "auxpass")]


def _refusal_to_speak(doc: ParsedDoc, t: int) -> bool:
    """'declined to comment (on X)', 'declined to say whether X': no statement was made, whatever
    it was about."""
    return any(doc.tokens[c].dep == "xcomp" and _unspoken(doc, t, c) for c in doc.children(t))


def _unspoken(doc: ParsedDoc, t: int, comment: int) -> bool:
    """The infinitive ``comment`` of ``t`` names a statement that was not made: 'to comment'
    after any verb, a speech verb ('to say', 'to confirm') after a refusal."""
    lemma = doc.tokens[comment].lemma.lower()
    return lemma in cues.NO_CONTENT or (
        doc.tokens[t].lemma.lower() in cues.REFUSALS
        and _verb_lemma(doc.tokens[comment].text, lemma) in cues.SPEECH
    )


def _refused(doc: ParsedDoc, t: int) -> bool:
    """'declined to say whether ...': the speech act is refused, so it is no quote of its own."""
    tok = doc.tokens[t]
    return tok.dep == "xcomp" and tok.head != t and _unspoken(doc, tok.head, t)


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
            if dep in deps and not _inside_quote_only(doc, deps[dep], t):
                if doc.tokens[deps[dep]].pos == "PRON" and len(doc.subtree(deps[dep])) == 1:
                    predicate = _as_predicate(doc, kids, deps[dep]) if dep == "dobj" else None
                    if predicate is not None:
                        return predicate, False
                    continue
                toks = _after_relative(doc, doc.subtree(deps[dep]), t)
                return _tok_span(doc, toks, exclude=t), dep == "ccomp"
        objs = _prep_objects(doc, kids)
        if objs:
            return _tok_span(doc, doc.subtree(objs[0]), exclude=t), False
    as_clause = _as_clause_content(doc, t)
    if as_clause is not None:
        return as_clause, True
    # '..., X believes': only a cue the parser hangs on the clause as a report ('went', 'toured'
    # after a comma are events, not reports)
    trailing = _trailing_cue_content(doc, t) if doc.tokens[t].dep in _CLAUSE_DEPS else None
    if trailing is not None:
        return trailing, True
    colon = _after_colon(doc, t, marks)
    if colon is not None:
        return colon, True
    # '"...," mused Burguiere', 'She responded, "..."': a quote next to a cue with its own subject
    adjacent = _adjacent_quote(doc, t, marks) if doc.tokens[t].pos == "VERB" else None
    return (adjacent, True) if adjacent is not None else None


def _as_predicate(doc: ParsedDoc, kids: Sequence[int], obj: int) -> tuple[int, int] | None:
    """'cast himself as a change agent', 'see him as the stronger candidate': a pronoun object
    says nothing alone; with its 'as' predicate it is what the cue reports."""
    pred = next((c for c in kids if c > obj and (doc.tokens[c].dep == "oprd" or (
        doc.tokens[c].dep == "prep" and doc.tokens[c].text.lower() == "as"))), None)
    if pred is None:
        return None
    toks = [obj, *doc.subtree(pred)]
    return _tok_span(doc, list(range(obj, max(toks) + 1)), exclude=obj)


def _prep_objects(doc: ParsedDoc, kids: Sequence[int]) -> list[int]:
    """Objects of the prepositions that introduce content ('worried about X', 'critical of X')."""
    out = []
    for c in kids:
        ch = doc.tokens[c]
        if ch.dep == "prep" and ch.text.lower() in _CONTENT_PREPS:
            out += [g for g in doc.children(c) if doc.tokens[g].dep in ("pobj", "pcomp")
                    and not _is_time(doc, doc.subtree(g))]
    return out


def _nominal_content(doc: ParsedDoc, t: int) -> tuple[tuple[int, int], bool] | None:
    """'the claim that X' (clause), 'his call for talks', 'support for X' (prepositional object)."""
    kids = doc.children(t)
    for c in kids:
        if doc.tokens[c].dep in ("acl", "ccomp", "relcl") and any(
            doc.tokens[g].dep == "mark" for g in doc.children(c)
        ):
            return _tok_span(doc, doc.subtree(c), exclude=t), True
    objs = _prep_objects(doc, kids)
    if objs:
        return _tok_span(doc, doc.subtree(objs[0]), exclude=t), False
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


# ---------------------------------------------------------------------------------------------
# no comment: who declined to speak (not a quote; attribution corpora count it as one)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoComment:
    """'A spokeswoman declined to comment on the report': who (char span), the cue ('declined to
    comment on') and what was not commented on (None when unnamed)."""

    speaker: tuple[int, int]
    cue: tuple[int, int]
    topic: tuple[int, int] | None


def no_comments(doc: ParsedDoc) -> list[NoComment]:
    """The refusals to comment of one article that name who refused: 'declined to comment (on X)',
    'did not respond to requests for comment', 'did not return calls'. newsfuse keeps them out of
    its quotes (nothing was said; the claims stage makes them no-comment facts); the PolNeAR bench
    reports them, as that corpus annotates them as attributions."""
    out = []
    for t, tok in enumerate(doc.tokens):
        found = _refusal(doc, t) if tok.pos in ("VERB", "AUX") else None
        speaker = _subject(doc, t, depth=0) if found is not None else None
        if found is None or speaker is None:
            continue
        last, topic = found
        start = min([t, *_auxiliaries(doc, t), *(c for c in doc.children(t) if doc.tokens[c].dep == "neg")])
        cue = (doc.tokens[start].idx, doc.tokens[last].end)
        out.append(NoComment(_np_span(doc, speaker, t), cue, topic))
    return out


def _refusal(doc: ParsedDoc, t: int) -> tuple[int, tuple[int, int] | None] | None:
    """(last cue token, topic span) when token ``t`` refuses comment, else None."""
    lemma = doc.tokens[t].lemma.lower()
    kids = doc.children(t)
    if lemma in cues.REFUSALS:
        comment = next((c for c in kids if doc.tokens[c].dep == "xcomp" and _unspoken(doc, t, c)), None)
        return _refused_topic(doc, comment) if comment is not None else None
    if not _negated(doc, t):
        return None
    if lemma == "respond":
        for to in (c for c in kids if doc.tokens[c].dep == "prep" and doc.tokens[c].text.lower() == "to"):
            objs = [g for g in doc.children(to) if doc.tokens[g].dep == "pobj"]
            if objs and doc.tokens[objs[0]].lemma.lower() in _REQUESTS:
                return to, _tok_span(doc, doc.subtree(objs[0]), exclude=to)
    if lemma == "return":
        objs = [c for c in kids if doc.tokens[c].dep == "dobj" and doc.tokens[c].lemma.lower() in _REQUESTS]
        if objs:
            return t, _tok_span(doc, doc.subtree(objs[0]), exclude=t)
    return None


def _refused_topic(doc: ParsedDoc, comment: int) -> tuple[int, tuple[int, int] | None]:
    """'to comment on the report': the cue ends with 'on', the report is the topic; 'to say
    whether X': the clause is the topic."""
    clause = _clause_child(doc, comment, doc.children(comment))
    if clause is not None:
        return comment, _tok_span(doc, doc.subtree(clause), exclude=comment)
    on = next((c for c in doc.children(comment) if doc.tokens[c].dep == "prep"
               and doc.tokens[c].text.lower() in ("on", "about")), None)
    objs = [g for g in doc.children(on) if doc.tokens[g].dep == "pobj"] if on is not None else []
    if on is None or not objs:
        return comment, None
    return on, _tok_span(doc, doc.subtree(objs[0]), exclude=on)


_REQUESTS = frozenset({"request", "call", "email", "e-mail", "message", "inquiry", "question", "query"})


# ---------------------------------------------------------------------------------------------
# 'according to'
# ---------------------------------------------------------------------------------------------


def _according_to(doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan]) -> Attribution | None:
    to = next((c for c in doc.children(t) if doc.tokens[c].text.lower() == "to"), None)
    if to is None and t + 1 < len(doc.tokens) and doc.tokens[t + 1].text.lower() == "to":
        to = t + 1
    if to is None:
        return None
    objs = [g for g in doc.children(to) if doc.tokens[g].dep == "pobj"]
    if not objs:
        return None
    rest = _sentence_without(doc, t, set(doc.subtree(t)) | set(doc.subtree(to)))
    if rest is None:
        return None
    _, span, conf = _classify(doc.text, rest, True, marks, defaults.QUOTE_CONF_SYNTAX)
    cue_end = doc.tokens[to].end
    return Attribution(
        kind="according_to", content=span, cue=(doc.tokens[t].idx, cue_end), cue_tok=t,
        speaker_tok=objs[0], speaker=_np_span(doc, objs[0], t), confidence=conf, lemma="according to",
    )


def _sentence_without(doc: ParsedDoc, t: int, phrase: set[int]) -> tuple[int, int] | None:
    """The char span of ``t``'s sentence (within its paragraph) without the source phrase: what
    follows it when it opens the sentence, what precedes it when it closes it, else the rest."""
    sent = doc.sent_of(t)
    lo, hi = min(phrase), max(phrase)
    if lo <= _first_word(doc, sent.start, sent.end):
        rest = list(range(hi + 1, sent.end))  # 'According to X, ...'
    elif hi >= _last_word(doc, sent.start, sent.end):
        rest = list(range(sent.start, lo))  # '..., according to X.'
    else:
        rest = [i for i in range(sent.start, sent.end) if i not in phrase]
    if not rest:
        return None
    para_start, para_end = _paragraph_span(doc.text, doc.tokens[t].idx)
    start = max(doc.tokens[min(rest)].idx, para_start)
    start, end = _trim(doc.text, start, min(doc.tokens[max(rest)].end, para_end), _EDGE_PUNCT + _QUOTE_CHARS)
    return (start, end) if end > start else None


def _in_source(doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan]) -> Attribution | None:
    """'In a recent CNN/ORC poll, 20 percent said ...', 'Sanders has sagged in the polls': the
    poll or study an 'in' phrase names is the source of the clause it modifies."""
    if doc.tokens[t].dep != "prep":
        return None
    obj = next((g for g in doc.children(t) if doc.tokens[g].dep == "pobj"), None)
    if obj is None or doc.tokens[obj].lemma.lower() not in cues.IN_SOURCES:
        return None
    if defaults.QUOTE_IN_SOURCE_OPENS and t != _first_word(doc, doc.sent_of(t).start, doc.sent_of(t).end):
        return None
    rest = _sentence_without(doc, t, set(doc.subtree(t)))
    if rest is None:
        return None
    _, span, conf = _classify(doc.text, rest, True, marks, defaults.QUOTE_CONF_EVALUATIVE)
    return Attribution(
        kind="according_to", content=span, cue=(doc.tokens[t].idx, doc.tokens[t].end), cue_tok=t,
        speaker_tok=obj, speaker=_np_span(doc, obj, t), confidence=conf, lemma="in",
    )


def _first_word(doc: ParsedDoc, start: int, end: int) -> int:
    return next((i for i in range(start, end) if doc.tokens[i].pos != "PUNCT"), start)


def _last_word(doc: ParsedDoc, start: int, end: int) -> int:
    """Last token with a letter or digit (sentences may trail off in rules like '___')."""
    return next((i for i in range(end - 1, start - 1, -1) if _wordy(doc.tokens[i].text)), end - 1)


def _wordy(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def headline_colons(doc: ParsedDoc, marks: Sequence[QuoteSpan]) -> list[Attribution]:
    """'Macron: Putin does not want peace' - a line opened by a name and a colon (headline style),
    and 'NEW POLL - Jane Roe: "..."' - a name after a dash, a colon and a quote (digest style)."""
    out = []
    for start, end in paragraphs(doc.text):
        found = _name_colon(doc, marks, start, end, start, need_quote=False)
        if found is not None:
            out.append(found)
        for dash in _DASH.finditer(doc.text, start, end):
            found = _name_colon(doc, marks, dash.end(), end, start, need_quote=True)
            if found is not None:
                out.append(found)
    return out


_DASH = re.compile(r" [-\u2013\u2014] ")


def _name_colon(
    doc: ParsedDoc, marks: Sequence[QuoteSpan], start: int, end: int, para: int, need_quote: bool
) -> Attribution | None:
    """The attribution of a name at ``start`` followed by a colon, or None."""
    colon = doc.text.find(":", start, min(end, start + defaults.QUOTE_HEADLINE_NAME_CHARS))
    first, last = doc.token_at(start), doc.token_at(colon - 1) if colon > start else None
    if first is None or last is None or len(doc.text[colon + 1 : end].split()) < defaults.QUOTE_MIN_WORDS:
        return None
    if not all(doc.tokens[i].pos == "PROPN" for i in range(first, last + 1)):
        return None  # '10:30 p.m.' and 'Update: ...' are no speakers
    content = _trim(doc.text, colon + 1, end, _EDGE_PUNCT)
    quote = next((q for q in marks if q.start == content[0]), None)
    if need_quote:
        if quote is None:
            return None
        content = (quote.start, quote.end)
    kind, span, conf = _classify(doc.text, content, True, marks, defaults.QUOTE_CONF_HEADLINE)
    return Attribution(
        kind=kind, content=span, cue=(colon, colon + 1), cue_tok=last + 1, speaker_tok=last,
        speaker=(doc.tokens[first].idx, doc.tokens[last].end), confidence=conf, lemma=":",
    )


# ---------------------------------------------------------------------------------------------
# step 3: kind from the quote marks
# ---------------------------------------------------------------------------------------------


def _classify(
    text: str, span: tuple[int, int], clausal: bool, marks: Sequence[QuoteSpan], conf: float
) -> tuple[str, tuple[int, int], float]:
    """Kind, final content span and confidence of a content span given the quote marks."""
    core = _trim(text, span[0], span[1], _EDGE_PUNCT + _QUOTE_CHARS)
    overlapping = [q for q in marks if q.start < core[1] and q.end > core[0]]
    if not overlapping:
        return "reported", span, conf
    if not all(q.closed for q in overlapping):
        conf = min(conf, defaults.QUOTE_CONF_UNCLOSED)
    whole = next((q for q in overlapping if q.start <= core[0] and core[1] <= q.end), None)
    if whole is not None:
        start, end = _trim(text, whole.inner_start, whole.inner_end, " \n,")
        return "direct", (start, end), conf
    start = min(span[0], *(q.start for q in overlapping))
    end = max(span[1], *(q.end for q in overlapping))
    last = max(overlapping, key=lambda q: q.end)
    if end == last.end and last.closed and text[last.inner_end - 1 : last.inner_end] in _GOES_ON:
        # 'priority was to "help Ukraine to resist," Macron said': the comma before the closing
        # mark belongs to the sentence that goes on with the attribution, not to the content
        end = _trim(text, start, last.inner_end, _GOES_ON)[1]
    return ("mixed" if clausal else "partial"), (start, end), conf


_GOES_ON = ",;:"  # punctuation before a closing mark that says the sentence continues


def _inside_marks(char: int, marks: Sequence[QuoteSpan]) -> bool:
    return any(q.inner_start <= char < q.inner_end for q in marks)


# ---------------------------------------------------------------------------------------------
# step 4: quotes without a cue of their own
# ---------------------------------------------------------------------------------------------


def continuations(
    doc: ParsedDoc, marks: Sequence[QuoteSpan], found: Sequence[Attribution]
) -> list[Attribution]:
    """Quotes no attribution covers, given to the nearest earlier attribution within a few
    sentences ('"A," he said. "B."'), else to a cue later in the same sentence or the next."""
    out: list[Attribution] = []
    for q in marks:
        if q.words(doc.text) < defaults.QUOTE_MIN_WORDS or _covered(q, found):
            continue
        owner = _owner(doc, q, found)
        if owner is None:
            continue
        start, end = _trim(doc.text, q.inner_start, q.inner_end, " \n,")
        conf = defaults.QUOTE_CONF_CONTINUATION
        if not q.closed:
            conf = min(conf, defaults.QUOTE_CONF_UNCLOSED)
        out.append(replace(owner, kind="direct", content=(start, end), confidence=conf))
    return out


def _paragraph(text: str, char: int) -> int:
    """Start of the line holding ``char``: quotes do not continue across paragraphs unannounced."""
    return text.rfind("\n", 0, char) + 1


def _covered(q: QuoteSpan, found: Sequence[Attribution]) -> bool:
    return any(a.content[0] < q.inner_end and a.content[1] > q.inner_start for a in found)


def _owner(doc: ParsedDoc, q: QuoteSpan, found: Sequence[Attribution]) -> Attribution | None:
    first = doc.token_at(q.start)
    last = doc.token_at(max(q.start, q.end - 1))
    if first is None or last is None:
        return None
    s_first, s_last = doc.tokens[first].sent, doc.tokens[last].sent
    para = _paragraph(doc.text, q.start)
    spoken = [a for a in found if a.speaker is not None and a.kind != "according_to"
              and _paragraph(doc.text, a.cue[0]) == para]
    before = [a for a in spoken if a.cue[1] <= q.start
              and s_first - doc.tokens[a.cue_tok].sent <= defaults.QUOTE_CONTINUATION_SENTS]
    if before:
        return max(before, key=lambda a: a.cue[0])
    after = [a for a in spoken if a.cue[0] >= q.end and doc.tokens[a.cue_tok].sent - s_last <= 1]
    return min(after, key=lambda a: a.cue[0]) if after else None


# ---------------------------------------------------------------------------------------------
# step 5: cited sources, speaker keys, records
# ---------------------------------------------------------------------------------------------


def cite_sources(
    doc: ParsedDoc, mentions: Sequence[Mention], found: Sequence[Attribution]
) -> list[Attribution]:
    """Give each attribution the organisation the outlet cites for it; drop pure relays."""
    out: list[Attribution] = []
    relays: set[int] = set()
    for a in found:
        chain = _outer_chain(a, found)
        org = next((b for b in reversed(chain) if _org_speaker(doc, mentions, b)), None)
        if org is not None and a.cited is None:
            a = replace(a, cited=org.speaker, cited_tok=org.speaker_tok)
        relays.update(id(b) for b in chain[1:] if b.lemma in cues.RELAY)
        out.append(a)
    return [a for a, orig in zip(out, found, strict=True) if id(orig) not in relays]


def _outer_chain(a: Attribution, found: Sequence[Attribution]) -> list[Attribution]:
    """``a`` and the attributions whose content holds its cue, innermost first."""
    chain = [a]
    while len(chain) < 4:
        cur = chain[-1]
        outer = [b for b in found if b not in chain and _holds(b.content, cur.cue)]
        if not outer:
            break
        chain.append(min(outer, key=lambda b: b.content[1] - b.content[0]))
    return chain


def _holds(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _org_speaker(doc: ParsedDoc, mentions: Sequence[Mention], a: Attribution) -> bool:
    if a.speaker is None or a.speaker_tok is None:
        return False
    return speakers.is_organisation(doc, mentions, a.speaker[0], a.speaker[1], a.speaker_tok)


def to_quotes(
    doc: ParsedDoc, article_id: str, mentions: Sequence[Mention], found: Sequence[Attribution]
) -> list[Quote]:
    out: dict[tuple[int, int, int | None], Quote] = {}
    previous: tuple[int, str] | None = None  # (sentence, key) of the last person speaker
    genders = _Genders(doc, mentions)  # read once per article, only if a pronoun speaks
    body: tuple[int, str] | None = None  # (sentence, key) of the last organisation speaker
    for a in sorted(found, key=lambda a: (a.cue[0], a.content[0])):
        key, conf = _resolve_key(doc, mentions, a, previous, body, genders)
        if key is not None and a.speaker_tok is not None:
            org = speakers.is_organisation(doc, mentions, *(a.speaker or (0, 0)), a.speaker_tok)
            if org:
                body = (doc.tokens[a.cue_tok].sent, key)
            else:
                previous = (doc.tokens[a.cue_tok].sent, key)
        q = _record(doc, article_id, mentions, a, key, conf)
        slot = (q.content_start, q.content_end, q.speaker_start)
        if slot not in out or out[slot].confidence < q.confidence:
            out[slot] = q
    return sorted(out.values(), key=lambda q: (q.content_start, q.content_end))


class _Genders:
    """The article's person genders (gender.mention_genders), computed on first use only."""

    def __init__(self, doc: ParsedDoc, mentions: Sequence[Mention]) -> None:
        self.doc, self.mentions = doc, mentions
        self.known: dict[str, gender.Gender] | None = None

    def fits(self, key: str | None, pronoun: str) -> bool:
        if key is None:
            return True
        if self.known is None:
            self.known = gender.mention_genders(self.doc, self.mentions)
        return gender.compatible(self.known.get(key), pronoun)


def _resolve_key(
    doc: ParsedDoc, mentions: Sequence[Mention], a: Attribution, previous: tuple[int, str] | None,
    body: tuple[int, str] | None = None, genders: _Genders | None = None,
) -> tuple[str | None, float]:
    """Entity key of the speaker and the confidence after resolution."""
    if a.speaker is None or a.speaker_tok is None:
        return None, a.confidence
    head = doc.tokens[a.speaker_tok]
    m = speakers.mention_at(mentions, a.speaker[0], a.speaker[1], (head.idx, head.end))
    if m is not None and not (m.start <= head.idx and head.end <= m.end) and _body_noun(doc, a.speaker_tok):
        m = None  # 'the Kessel fire service': the name only says whose service; the service speaks
    if not speakers.is_pronoun(doc, a.speaker_tok):
        if m is not None:
            return m.entity_key, a.confidence
        ent = speakers.ent_key_at(doc, a.speaker[0], a.speaker[1], (head.idx, head.end))
        if ent is None:
            return None, a.confidence
        key, label = ent
        return (speakers.full_name(doc, key, a.speaker[0]) if label == "PERSON" else key), a.confidence
    person = head.text.lower() in cues.PERSON_PRONOUNS
    genders = genders or _Genders(doc, mentions)
    if m is not None and m.entity_key.lower() not in cues.PRONOUNS and not (
        person and speakers.names_no_person(mentions, m.entity_key)
    ):
        return m.entity_key, a.confidence
    if head.text.lower() == "it":
        return _body_key(doc, mentions, a, body), a.confidence
    if not person:
        return None, a.confidence * defaults.QUOTE_CONF_UNRESOLVED
    # 'she said' never goes to a man the article calls Mr or 'chairman' (or, lacking such words,
    # whose first name is a man's): the gender check skips such candidates.
    if (
        previous is not None and head.sent - previous[0] <= defaults.QUOTE_PRONOUN_WINDOW
        and not speakers.names_no_person(mentions, previous[1])
        and genders.fits(previous[1], head.text)
    ):
        return previous[1], a.confidence
    nearest = speakers.preceding_person(doc, mentions, a.speaker[0])
    if nearest is not None and not genders.fits(nearest, head.text):
        nearest = None
    return nearest, a.confidence * (1.0 if nearest else defaults.QUOTE_CONF_UNRESOLVED)


def _body_noun(doc: ParsedDoc, i: int) -> bool:
    """A common noun naming a body or thing ('service', 'memo'), not a person's role ('spokesman')."""
    tok = doc.tokens[i]
    return tok.pos == "NOUN" and not titles.is_role(tok) and tok.lemma.lower() not in cues.ANONYMOUS_HEADS


def _body_key(
    doc: ParsedDoc, mentions: Sequence[Mention], a: Attribution, body: tuple[int, str] | None
) -> str | None:
    """'it said ...' stands for the organisation the outlet cites for it, else for the organisation
    that spoke in the sentences just before; never for a person."""
    if a.cited is not None and a.cited_tok is not None:
        tok = doc.tokens[a.cited_tok]
        m = speakers.mention_at(mentions, a.cited[0], a.cited[1], (tok.idx, tok.end))
        if m is not None and m.label != "PERSON":
            return m.entity_key
    if body is not None and doc.tokens[a.cue_tok].sent - body[0] <= defaults.QUOTE_PRONOUN_WINDOW:
        return body[1]
    return None


def _hearsay(doc: ParsedDoc, t: int) -> bool:
    """'X is said to / is reported to / is believed to have ...': a passive cue with an infinitive
    and no agent passes on hearsay whose source nobody names: anonymous, not the outlet's own."""
    deps = {doc.tokens[c].dep for c in doc.children(t)}
    tok = doc.tokens[t]
    lemma = _verb_lemma(tok.text, tok.lemma.lower())
    return (lemma in cues.SPEECH or lemma in cues.BELIEF) and "nsubjpass" in deps and "xcomp" in deps and (
        "agent" not in deps)


def _record(
    doc: ParsedDoc, article_id: str, mentions: Sequence[Mention], a: Attribution, key: str | None, conf: float
) -> Quote:
    text = doc.text
    anonymous = False
    if a.speaker is not None and a.speaker_tok is not None:
        toks = [i for i in doc.subtree(a.speaker_tok) if a.speaker[0] <= doc.tokens[i].idx < a.speaker[1]]
        anonymous = speakers.is_anonymous(doc, toks, a.speaker_tok)
    anonymous = anonymous or (a.speaker is None and _hearsay(doc, a.cue_tok))
    key = None if anonymous else key  # an unnamed source is no entity, whatever names its modifiers
    cited = text[a.cited[0] : a.cited[1]] if a.cited else None
    if cited is None and not anonymous and a.speaker is not None and _org_speaker(doc, mentions, a):
        cited = text[a.speaker[0] : a.speaker[1]]
    return Quote(
        id=content_id(article_id, a.kind, a.content[0], a.content[1], a.cue[0], prefix="q_"),
        article_id=article_id, kind=a.kind, content=text[a.content[0] : a.content[1]],
        content_start=a.content[0], content_end=a.content[1],
        speaker=text[a.speaker[0] : a.speaker[1]] if a.speaker else None,
        speaker_start=a.speaker[0] if a.speaker else None, speaker_end=a.speaker[1] if a.speaker else None,
        speaker_key=key, anonymous=anonymous, cue=text[a.cue[0] : a.cue[1]],
        cue_start=a.cue[0], cue_end=a.cue[1], cited_source=cited, confidence=round(conf, 3),
    )

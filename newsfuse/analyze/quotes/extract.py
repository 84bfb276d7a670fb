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
   'cites') that only passes on an inner quote is not a quote of its own; it is kept on the quote
   it carried (``Quote.relay_*``: cue, outlet and the clause it reported).

'X declined to comment' has no content and yields no quote (see :mod:`cues`); :func:`no_comments`
lists such refusals with who refused, for consumers that count them (attribution corpora do).

Learned cues (after step 2): a classifier trained on an attribution corpus (:mod:`cuemodel`) scores
every token; a token the lexicon missed ('is convinced that', "Trump's claim that", 'polls show')
whose probability reaches ``QUOTE_CUE_MODEL_MIN_PROB`` gets its source (subject, possessor, agent)
and content (clause, infinitive, object, prepositional object) from the parse, kind ``stance``
unless quote marks or a speech lemma say otherwise; a raising verb ('Clinton appeared to gain') has
no source (the outlet judges), and a negated speech cue none at all. An acceptance model then weighs
every attribution, from the lexicon or learned (cue probability, how the content hangs on the cue,
the speaker's kind, the cue's lexicon class and place, whether it sits inside another proposal's
content), and keeps those reaching ``QUOTE_ACCEPT_MIN_PROB``; a learned quote's
confidence is that probability.

Where the steps live (this module is the entry point and runs them in order): :mod:`attribution`
(the record, span helpers, kind from quote marks), :mod:`cuecheck` (is a token a lexicon cue),
:mod:`quotespans` (a cue's content), :mod:`quotespeaker` (its speaker), :mod:`according` ('according
to', 'in a poll', headline colons), :mod:`learnedcues` (learned cues, acceptance model),
:mod:`refusals` (no-comments, hearsay), :mod:`quotelinks` (steps 4 and the cited sources of 5) and
:mod:`quoterecords` (speaker keys and Quote records).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse import defaults
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes import cuemodel, cues
from newsfuse.analyze.quotes.according import according_to, headline_colons, in_source
from newsfuse.analyze.quotes.attribution import Attribution, classify, holds, inside_marks
from newsfuse.analyze.quotes.cuecheck import (
    cue_span,
    gerund_lemma,
    has_subject,
    is_cue,
    is_stance,
    negated,
    verb_lemma,
)
from newsfuse.analyze.quotes.learnedcues import accepted, attribution_features, learned_attributions
from newsfuse.analyze.quotes.links import cite_sources, continuations, drop_nested_evidence
from newsfuse.analyze.quotes.marks import QuoteSpan, find_quote_spans
from newsfuse.analyze.quotes.records import to_quotes
from newsfuse.analyze.quotes.refusals import NoComment, no_comments, refusal_to_speak, refused
from newsfuse.analyze.quotes.spans import cue_content
from newsfuse.analyze.quotes.speaker import evidence_source, name_head, np_span, speaker_and_cited
from newsfuse.models import Mention, Quote

# what other modules, tests and bench scripts import from here (the steps' own modules hold them)
__all__ = [
    "Attribution", "NoComment", "accepted", "attribution_at", "attribution_features", "cite_sources",
    "continuations", "find_quotes", "headline_colons", "learned_attributions", "no_comments",
    "proposals", "to_quotes",
]


def find_quotes(doc: ParsedDoc, article_id: str, mentions: Sequence[Mention]) -> list[Quote]:
    """All quotes of one article, sorted by ``content_start``."""
    marks = find_quote_spans(doc.text)
    model = cuemodel.load() if defaults.QUOTE_CUE_MODEL_MIN_PROB <= 1.0 else None
    found, probs = proposals(doc, marks, model)
    if model is not None and probs is not None:
        found = accepted(doc, found, probs, model)
    found = [a for a in found if not _outlet_voice(doc, a)]
    found += continuations(doc, marks, found)
    found = drop_nested_evidence(found)
    found = cite_sources(doc, mentions, found)
    return to_quotes(doc, article_id, mentions, found)


def _outlet_voice(doc: ParsedDoc, a: Attribution) -> bool:
    """'We recall that ...', 'as we reported': outside quote marks a first-person plural is the
    outlet itself. What it says is the article's own reporting, no quote from a source, and
    crediting it to a speaker would invent one (the outlet may not even be known)."""
    return a.speaker_tok is not None and doc.tokens[a.speaker_tok].text.lower() in _OUTLET_WE


_OUTLET_WE = frozenset({"we", "us"})


def attribution_at(doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan]) -> Attribution | None:
    """The attribution whose cue is token ``t``, or None when ``t`` is no cue."""
    tok = doc.tokens[t]
    word = tok.text.lower()
    lemma = None
    if word not in ("according", "in"):
        lemma = verb_lemma(tok.text, tok.lemma) if tok.pos == "VERB" else gerund_lemma(doc, t)
        if not lemma:
            return None  # before the marks check, which costs one look at every quote mark
    if inside_marks(tok.idx, marks):
        return None  # words inside a quote belong to the quoted speaker, not to the outlet
    if word == "according":
        return according_to(doc, t, marks)
    if word == "in":
        return in_source(doc, t, marks)
    if not lemma or not is_cue(doc, t, lemma) or negated(doc, t) or refused(doc, t) or refusal_to_speak(
        doc, t
    ):
        return None
    content = cue_content(doc, t, lemma, marks)
    if content is None:
        return None
    span, clausal = content
    speaker_tok, cited_tok = speaker_and_cited(doc, t, lemma)
    if lemma in cues.EVIDENCE and not evidence_source(doc, speaker_tok):
        return None  # 'the attack showed that ...' is an inference, not a source speaking
    speaker = np_span(doc, speaker_tok, t) if speaker_tok is not None else None
    speaker_tok = name_head(doc, speaker_tok)
    stance = is_stance(lemma, clausal)
    if (stance or lemma in cues.BELIEF) and not has_subject(doc, t):
        return None  # 'voters backing Clinton', 'hoping to win': whose attitude is guesswork
    if speaker_tok is not None and holds(span, (doc.tokens[speaker_tok].idx,) * 2) and not holds(
        span, (doc.tokens[t].idx,) * 2
    ):
        return None  # the holder inside what it holds ('voters supporting Trump' -> 'Trump'): a misparse
    paraphrase = lemma in cues.EVALUATIVE or lemma in cues.BELIEF
    conf = defaults.QUOTE_CONF_EVALUATIVE if paraphrase else defaults.QUOTE_CONF_SYNTAX
    kind, span, conf = classify(doc.text, span, clausal, marks, conf)
    if stance:
        kind, conf = "stance", min(conf, defaults.QUOTE_CONF_STANCE)
    return Attribution(
        kind=kind, content=span, cue=cue_span(doc, t, lemma), cue_tok=t, speaker_tok=speaker_tok,
        speaker=speaker, confidence=conf, lemma=lemma,
        cited=np_span(doc, cited_tok, t) if cited_tok is not None else None, cited_tok=cited_tok,
    )


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

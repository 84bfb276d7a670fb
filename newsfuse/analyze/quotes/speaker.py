"""Who speaks: the speaker's head token for a cue and the speaker span as written.

The head is the cue's subject, else that of the clause a participle or conjunct hangs on, the noun
a participle modifies, the agent of a passive, or a proper noun after a closing cue ('..., said
Caddell'); a passive cue has none. The span is the head's noun phrase with titles and appositives
(also a title the parser hung elsewhere), without relative clauses, participles, the cue's time or
channel ('in his speech'), a leading 'even', or anything across a line, a dateline dash or a markup
tag; a dateline's place is never the speaker ('RENO, Nev. - Smith said').
Lexicon cues, learned cues, 'according to' and refusals all name their speaker this way.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse import defaults
from newsfuse.analyze.names import titles
from newsfuse.analyze.parse import ParsedDoc, Tok
from newsfuse.analyze.quotes import cues, speakers
from newsfuse.analyze.quotes.attribution import EDGE_PUNCT, QUOTE_CHARS, Attribution, trim
from newsfuse.models import Mention

MODIFIER_DEPS = frozenset({"relcl", "acl", "advcl"})


WH = frozenset({"who", "that", "which"})


def speaker_and_cited(doc: ParsedDoc, t: int, lemma: str) -> tuple[int | None, int | None]:
    """(speaker head, cited-source head): 'Reuters cites internal sources' -> (sources, Reuters)."""
    subj = subject(doc, t, depth=0)
    if lemma == "cite":
        obj = next((c for c in doc.children(t) if doc.tokens[c].dep == "dobj"), None)
        if obj is not None:
            return obj, subj
    return subj, None


def subject(doc: ParsedDoc, t: int, depth: int) -> int | None:
    """The speaker's head: the subject, else that of the verb a participle or conjunct hangs on,
    else the noun a participle modifies ('spokesperson Dmitry Peskov calling it ...')."""
    kids = doc.children(t)
    tok = doc.tokens[t]
    for c in sorted(kids, key=lambda c: _quoted_word_before(doc, c, t)):
        if doc.tokens[c].dep in ("nsubj", "csubj"):
            if tok.dep == "relcl" and doc.tokens[c].text.lower() in WH and tok.head != t:
                return tok.head  # 'voters who said ...': the speakers are the voters
            end = dateline_end(doc, c)
            if end is None:
                return c
            named = _after_dateline(doc, c, end)
            if named is not None:
                return named
    for c in kids:  # 'the bill was criticized by X'
        if doc.tokens[c].dep == "agent":
            objs = [g for g in doc.children(c) if doc.tokens[g].dep == "pobj"]
            if objs:
                return objs[0]
    passive = [c for c in kids if doc.tokens[c].dep == "nsubjpass"]
    if passive:  # 'members are expected to ...': a passive cue's subject is its topic, not its speaker
        return passive[0] if _contracted_have(doc, kids) else None
    inverted = inverted_subject(doc, t)
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
            sender = subject(doc, head.head, depth + 1) if head.head != tok.head else None
        return sender if sender is not None else tok.head
    if tok.dep in ("conj", "advcl", "xcomp", "pcomp", "dep") and head.pos in ("VERB", "AUX"):
        shared = [c for c in doc.children(tok.head) if doc.tokens[c].dep == "nsubjpass"]
        if tok.dep == "conj" and shared and head.dep == "ccomp" and head.head != tok.head:
            # 'warned that the water could be contaminated and urged people ...': the passive clause
            # is what was warned; the cue the parser joined to it is the warner's, not the water's
            return subject(doc, head.head, depth + 1)
        if tok.dep == "conj" and shared:
            return shared[0]  # 'he was asked about it and said ...': conjuncts share the subject
        if _trailing_participle(doc, t) and head.dep == "ccomp" and head.head != tok.head and (
                doc.tokens[head.head].lemma.lower() in cues.SPEECH):
            # 'Reyes said the plan would fail, adding ...': a participle set off after a reported
            # clause goes on with the report, whatever verb of that clause the parser hangs it on
            return subject(doc, head.head, depth + 1)
        return subject(doc, tok.head, depth + 1)
    # 'he defended it by citing a poll', 'Clinton erred in saying': the gerund's speaker is the
    # subject of the verb its preposition hangs on
    if tok.dep == "pcomp" and head.dep == "prep" and doc.tokens[head.head].pos in ("VERB", "AUX"):
        return subject(doc, head.head, depth + 1) if head.pos == "ADP" and head.head != tok.head else None
    return None


def dateline_end(doc: ParsedDoc, t: int) -> int | None:
    """Where the dateline holding token ``t`` ends ('RENO, Nev. (AP) - '), None outside one. A
    dateline opens its line with a place in capitals and ends at a dash; the parser often makes the
    place the subject of the first sentence, but a place never speaks there."""
    tok = doc.tokens[t]
    line = doc.text.rfind("\n", 0, tok.idx) + 1
    head = doc.text[line : line + defaults.QUOTE_DATELINE_CHARS]
    first = head.split(" ", 1)[0].strip(",")
    if len(first) < _DATELINE_MIN_LETTERS or not first.isalpha() or not first.isupper():
        return None
    dashes = [i for d in _DASHES if (i := head.find(d)) >= 0]
    if not dashes or any(q in head[: min(dashes)] for q in QUOTE_CHARS):
        return None
    end = line + min(dashes) + 3
    return end if tok.idx < end else None


_DASHES = (" - ", " \u2013 ", " \u2014 ")
_DATELINE_MIN_LETTERS = 3  # 'WASHINGTON', 'RENO'; 'U.S.' or 'AP' open ordinary sentences too


def _after_dateline(doc: ParsedDoc, c: int, end: int) -> int | None:
    """'RANGOON, Burma - Suu Kyi's allies predicted': the parser hangs the real subject on the
    place; the top word of the place's phrase after the dash is the speaker, if there is one."""
    rest = [i for i in doc.subtree(c) if doc.tokens[i].idx >= end and doc.tokens[i].text.strip()]
    tops = [i for i in rest if doc.tokens[i].head not in rest or doc.tokens[i].head == i]
    nouns = [i for i in tops if doc.tokens[i].pos in ("NOUN", "PROPN", "PRON")]
    return nouns[-1] if nouns else None


def _trailing_participle(doc: ParsedDoc, t: int) -> bool:
    """A gerund clause set off by a comma: ', adding ...', ', insisting ...'."""
    tok = doc.tokens[t]
    return tok.dep == "advcl" and tok.tag == "VBG" and t > 0 and doc.tokens[t - 1].text == ","


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
    return tok.tag == "VBN" and tok.dep in ("advcl", "acl") and not auxiliaries(doc, t)


def _message_sender(doc: ParsedDoc, noun: int) -> int | None:
    """'Trump released a statement saying ...': a message a participle reports on speaks for whoever
    sent it, the subject of the verb the message is the object of."""
    tok = doc.tokens[noun]
    if tok.lemma.lower() not in cues.MESSAGES or tok.dep != "dobj" or tok.head == noun:
        return None
    return next((c for c in doc.children(tok.head) if doc.tokens[c].dep == "nsubj"), None)


def evidence_source(doc: ParsedDoc, head: int | None) -> bool:
    return head is not None and doc.tokens[head].lemma.lower() in cues.EVIDENCE_SOURCES


def name_head(doc: ParsedDoc, head: int | None) -> int | None:
    """'Quillpay's founder, Ines Halvard': the named appositive stands for the speaker."""
    if head is None or doc.tokens[head].pos == "PROPN":
        return head
    names = [c for c in doc.children(head) if doc.tokens[c].dep == "appos" and doc.tokens[c].pos == "PROPN"]
    return names[0] if names else head


def inverted_subject(doc: ParsedDoc, t: int) -> int | None:
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


def np_span(doc: ParsedDoc, head: int, cue: int) -> tuple[int, int]:
    """The speaker as written: the head's phrase without the cue's own clause, edges trimmed."""
    dropped = set(doc.subtree(cue)) if cue in doc.subtree(head) else set()
    for c in doc.children(head):  # 'Trump, who leads the polls,' / 'Gold, 83,': not the name
        ch = doc.tokens[c]
        if ch.dep in MODIFIER_DEPS or (ch.dep == "appos" and ch.pos == "NUM") or adjunct(doc, head, c):
            dropped.update(doc.subtree(c))
    toks = [i for i in doc.subtree(head) if i not in dropped]
    run = [i for i in toks if (i <= head and all(j in toks for j in range(i, head + 1)))
           or (i > head and all(j in toks for j in range(head, i + 1)))]
    first = _title_before(doc, _leading_focus(doc, min(run), head), cue)
    start, end = doc.tokens[first].idx, doc.tokens[max(run)].end
    head_at = doc.tokens[head].idx
    # never across a line (timestamps, headlines), a dateline dash ('RENO (AP) - Trump said') or
    # the end of a markup tag left in the text ('<tweet author="...">Trump')
    cut = max(doc.text.rfind("\n", start, head_at), doc.text.rfind(" \u2014 ", start, head_at),
              doc.text.rfind(" \u2013 ", start, head_at), doc.text.rfind(" - ", start, head_at),
              doc.text.rfind(">", start, head_at))
    if cut >= start:
        start = cut + 1
    newline = doc.text.find("\n", head_at, end)
    if newline >= 0:
        end = newline
    return trim(doc.text, start, end, EDGE_PUNCT + QUOTE_CHARS)


def _title_before(doc: ParsedDoc, first: int, cue: int) -> int:
    """'Presumptive Democratic presidential nominee Hillary Clinton', 'Trump senior adviser Paul
    Manafort': a title the parser hung elsewhere still belongs to the name it stands before; the
    words before the span are taken back while they continue a title chain that ends at the span
    (a role noun before a name, title words before a role, a name or place before a title)."""
    sent = doc.sent_of(first)
    i = first
    while i - 1 >= sent.start and i - 1 != cue and _title_word_before(doc, i - 1):
        i -= 1
    return i


def _title_word_before(doc: ParsedDoc, i: int) -> bool:
    """Whether token ``i`` continues the title chain that starts at token ``i + 1``."""
    tok, nxt = doc.tokens[i], doc.tokens[i + 1]
    if doc.text[tok.end : nxt.idx] != " " or not any(ch.isalpha() for ch in tok.text):
        return False  # a comma, a dash or a quote mark between them: another phrase
    if _is_role(tok):
        return nxt.pos == "PROPN" or _title_at(doc, i + 1)
    if not _title_at(doc, i + 1):
        return False
    # a title word, a nationality, party or firm, or a capitalised name the parser took for a verb
    return _title_at(doc, i) or tok.ent_type in _QUALIFIERS or (
        tok.text[:1].isupper() and tok.pos in ("PROPN", "VERB"))


def _is_role(tok: Tok) -> bool:
    return tok.text.lower() in titles.ROLE_NOUNS or tok.lemma.lower() in titles.ROLE_NOUNS


def _title_at(doc: ParsedDoc, i: int) -> bool:
    """A title word ('senior', 'nominee', 'presidential') at token ``i``."""
    tok = doc.tokens[i]
    low = tok.text.lower()
    return _is_role(tok) or low in titles.TITLE_MODIFIERS or low in _TITLE_ADJECTIVES


# party and race words that qualify a candidate's title ('presumptive Republican nominee')
_TITLE_ADJECTIVES = frozenset({"presumptive", "presidential", "democratic", "republican", "gop"})
_QUALIFIERS = frozenset({"NORP", "GPE", "ORG"})


def _leading_focus(doc: ParsedDoc, first: int, head: int) -> int:
    """'even some of his allies said': a focus word before the speaker weighs the statement, it
    does not name who speaks (PolNeAR TRAIN leaves 'even' out of 29 sources, keeps it in 8)."""
    tok = doc.tokens[first]
    return first + 1 if first < head and tok.text.lower() in _FOCUS and tok.dep == "advmod" else first


_FOCUS = frozenset({"even"})


def adjunct(doc: ParsedDoc, head: int, c: int) -> bool:
    """A word after the speaker's head that tells when or how many, not who: 'the contenders on
    Saturday' (the parser hangs the cue's time on the noun), 'Bush and Cruz both'. Measured on
    PolNeAR TRAIN, where sources keep 'a poll last week' but not 'the allies on Monday'."""
    ch = doc.tokens[c]
    if c < head:
        return False
    if ch.lemma.lower() in _QUANTIFIERS and ch.dep in ("appos", "advmod", "det", "npadvmod"):
        return True
    if ch.dep == "npadvmod" and ch.ent_type in _WHEN:
        return _person_like(doc, head)  # 'Trump last week said', but 'a poll last week' names the poll
    if ch.dep != "prep" or ch.text.lower() not in _WHEN_PREPS:
        return False  # 'the Act of 2009': a date that names the source stays
    objs = [g for g in doc.children(c) if doc.tokens[g].dep == "pobj"]
    if len(objs) != 1 or len(doc.subtree(c)) > defaults.QUOTE_ADJUNCT_MAX_WORDS:
        return False
    return doc.tokens[objs[0]].ent_type in _WHEN or channel(doc, c)


def channel(doc: ParsedDoc, c: int) -> bool:
    """'in his speech', 'on social media': a short phrase naming the channel of a statement."""
    objs = [g for g in doc.children(c) if doc.tokens[g].dep == "pobj"]
    return (doc.tokens[c].dep == "prep" and doc.tokens[c].text.lower() in _WHEN_PREPS and len(objs) == 1
            and doc.tokens[objs[0]].lemma.lower() in _MEDIA
            and len(doc.subtree(c)) <= defaults.QUOTE_ADJUNCT_MAX_WORDS)


def _person_like(doc: ParsedDoc, head: int) -> bool:
    tok = doc.tokens[head]
    return tok.ent_type == "PERSON" or tok.pos == "PRON" or (tok.pos == "PROPN" and not tok.ent_type)


# where or through what a speaker spoke: 'Trump in his speech', 'libertarians on social media',
# 'Bush in a Medium post': the channel of the statement, not part of who made it
_MEDIA = frozenset({
    "interview", "speech", "statement", "post", "filing", "letter", "tweet", "email", "e-mail",
    "remark", "remarks", "appearance", "conference", "call", "op-ed", "column", "video", "media",
    "twitter", "facebook", "television", "radio", "blog", "briefing", "hearing", "room",
    "address", "testimony", "memo",
})


_QUANTIFIERS = frozenset({"both", "all", "each", "alone"})


_WHEN_PREPS = frozenset({"on", "in", "at", "during"})


_WHEN = frozenset({"DATE", "TIME"})


def auxiliaries(doc: ParsedDoc, t: int) -> list[int]:
    return [c for c in doc.children(t) if doc.tokens[c].dep in ("aux", "auxpass")]


def org_speaker(doc: ParsedDoc, mentions: Sequence[Mention], a: Attribution) -> bool:
    if a.speaker is None or a.speaker_tok is None:
        return False
    return speakers.is_organisation(doc, mentions, a.speaker[0], a.speaker[1], a.speaker_tok)

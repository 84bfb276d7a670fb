"""A learned attribution-cue classifier: how likely each token is the head of an attribution cue.

The hand-written cue lexicon (:mod:`cues`) covers speech verbs well but misses the long tail that
attribution corpora annotate: beliefs and intentions ('is convinced', 'hopes'), evaluations,
nominal cues ("Trump's claim that ...", 'the report found'), adjectives ('confident that').
Following Newell et al. (2018), a logistic regression over sparse features of the token and its
parse neighbourhood (lemma, POS, dependency, head, the dependencies of its children, a 'that'
clause, a subject, quote marks nearby) scores every token; :mod:`quotes` then finds the source
and content of the cues the lexicon missed from the parse.

A third, small model (:func:`choose_source`) picks a source span's boundary among variants that
keep the speaker's relative clause, participle, appositive or prepositional phrase ('Sembler, who
helped lead ...', 'a poll released Monday'): attribution corpora keep them in some sentences and
not in others, and a learned choice follows that convention better than a fixed rule. newsfuse's
own speaker spans stay without them; bench/quotes.py uses the chooser to speak PolNeAR's dialect.

The weights are trained by ``bench/train_quotes.py`` on PolNeAR's training split and shipped as
JSON (``newsfuse/data/quotes/cuemodel.json``): feature -> weight plus a bias. Scoring needs only
dictionary look-ups, no scikit-learn and no numpy, and is vectorised per sentence in spirit: the
features of one token are built once from the parse, never per token pair.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes.marks import QuoteSpan
from newsfuse.analyze.quotes.speaker import MODIFIER_DEPS, channel
from newsfuse.errors import AnalysisError

MODEL_PATH = Path(__file__).resolve().parents[2] / "data" / "quotes" / "cuemodel.json"

# parts of speech that can head a cue ('said', 'claim', 'confident', 'according'); the others are
# never scored, which keeps the model fast and its negatives informative
CANDIDATE_POS = frozenset({"VERB", "NOUN", "ADJ", "AUX"})
_QUOTE_CHARS = frozenset("\"\u201c\u201d\u201e\u00ab\u00bb")


def candidate(doc: ParsedDoc, i: int) -> bool:
    """Tokens the classifier scores: words of the parts of speech that head cues."""
    tok = doc.tokens[i]
    return tok.pos in CANDIDATE_POS and any(ch.isalpha() for ch in tok.text)


def token_features(doc: ParsedDoc, i: int, marks: Sequence[QuoteSpan] = ()) -> list[str]:
    """Sparse features of token ``i``: itself, its head, its children and quote marks nearby."""
    tok = doc.tokens[i]
    lemma, pos = tok.lemma.lower(), tok.pos
    head = doc.tokens[tok.head]
    hl = head.lemma.lower()
    feats = [
        f"l={lemma}", f"p={pos}", f"t={tok.tag}", f"d={tok.dep}", f"lp={lemma}|{pos}",
        f"ld={lemma}|{tok.dep}", f"pd={pos}|{tok.dep}", f"hl={hl}", f"hp={head.pos}", f"dhl={tok.dep}|{hl}",
        f"ldh={lemma}|{tok.dep}|{hl}", f"e={tok.ent_type}",
    ]
    kids = doc.children(i)
    deps = sorted({doc.tokens[c].dep for c in kids})
    feats += [f"c={d}" for d in deps] + [f"lc={lemma}|{d}" for d in deps] + [f"pc={pos}|{d}" for d in deps]
    feats.append(f"cs={'+'.join(d for d in deps if d not in ('punct', 'det', 'aux', 'advmod', 'cc'))}")
    feats += _child_words(doc, kids, lemma)
    feats += _context(doc, i, lemma)
    feats += _quote_context(doc, i, marks)
    return feats


def _child_words(doc: ParsedDoc, kids: Sequence[int], lemma: str) -> list[str]:
    """Prepositions, markers and subjects below the token ('claim that', 'warned of', 'X's view')."""
    out = []
    for c in kids:
        ch = doc.tokens[c]
        low = ch.text.lower()
        if ch.dep in ("prep", "prt", "agent"):
            out += [f"cw={ch.dep}:{low}", f"lcw={lemma}|{low}"]
        elif ch.dep in ("acomp", "attr", "dobj", "oprd"):
            # the predicate or object that makes a copula or light verb a cue ('is confident',
            # 'made an appeal', 'has praise for'), whatever the verb
            out.append(f"kd={ch.dep}:{ch.lemma.lower()}")
        elif ch.dep in ("nsubj", "nsubjpass", "poss"):
            kind = ch.ent_type or ch.pos
            out += [f"subj={ch.dep}:{kind}", f"subjl={ch.dep}:{ch.lemma.lower()}"]
        elif ch.dep in ("ccomp", "acl", "xcomp", "advcl", "relcl"):
            grand = doc.children(c)
            marks = [doc.tokens[g].text.lower() for g in grand if doc.tokens[g].dep in ("mark", "aux")]
            out += [f"cm={ch.dep}:{m}" for m in marks] + [f"lcm={lemma}|{ch.dep}:{m}" for m in marks]
    return out


def _context(doc: ParsedDoc, i: int, lemma: str) -> list[str]:
    """The words either side and whether the token opens or closes its sentence's clause."""
    sent = doc.sent_of(i)
    prev = doc.tokens[i - 1].text.lower() if i > sent.start else "<s>"
    nxt = doc.tokens[i + 1].text.lower() if i + 1 < sent.end else "</s>"
    return [f"w-1={prev}", f"w+1={nxt}", f"lw+1={lemma}|{nxt}", f"lw-1={lemma}|{prev}"]


def _quote_context(doc: ParsedDoc, i: int, marks: Sequence[QuoteSpan]) -> list[str]:
    """Inside a quote, or a quote right before or after in the sentence ('"...," he said')."""
    tok = doc.tokens[i]
    sent = doc.sent_of(i)
    out = []
    for q in marks:
        if q.inner_start <= tok.idx < q.inner_end:
            out.append("q=in")
        elif sent.start_char <= q.end <= tok.idx:
            out.append("q=before")
        elif tok.end <= q.start < sent.end_char:
            out.append("q=after")
    return sorted(set(out)) or ["q=none"]


class Linear:
    """Logistic-regression weights over sparse string features; ``prob`` is pure Python."""

    def __init__(self, weights: dict[str, float], bias: float) -> None:
        self.weights = weights
        self.bias = bias

    def prob(self, feats: Sequence[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, object]:
        return {"bias": self.bias, "weights": self.weights}


class CueModel:
    """The cue classifier (:func:`token_features`), the acceptance classifier that judges a
    whole attribution (cue, source and content found from the parse; see :mod:`quotes`) and the
    source-span chooser (:func:`source_variants`) that picks an attribution corpus's boundary."""

    def __init__(self, cue: Linear, accept: Linear | None = None, span: Linear | None = None) -> None:
        self.cue = cue
        self.accept = accept
        self.span = span

    def probs(self, doc: ParsedDoc, marks: Sequence[QuoteSpan] = ()) -> list[float]:
        """Cue probability of every token (0 for tokens that can never head a cue)."""
        by_sent = _marks_by_sentence(doc, marks)
        return [
            self.cue.prob(token_features(doc, i, by_sent[doc.tokens[i].sent])) if candidate(doc, i) else 0.0
            for i in range(len(doc.tokens))
        ]

    def to_json(self) -> str:
        data = {"cue": self.cue.to_dict(), "accept": self.accept.to_dict() if self.accept else None,
                "span": self.span.to_dict() if self.span else None}
        return json.dumps(data, sort_keys=True, separators=(",", ":"))


def _marks_by_sentence(doc: ParsedDoc, marks: Sequence[QuoteSpan]) -> list[list[QuoteSpan]]:
    """The quotes touching each sentence, so a token only looks at its own sentence's quotes."""
    out: list[list[QuoteSpan]] = [[] for _ in doc.sents]
    for n, s in enumerate(doc.sents):
        out[n] = [q for q in marks if q.start < s.end_char and q.end > s.start_char]
    return out


@lru_cache(maxsize=2)
def load(path: Path | None = None) -> CueModel:
    """The cue model at ``path`` (default: the packaged one, ``MODEL_PATH``), read once per process."""
    path = path or MODEL_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        accept = _linear(data["accept"]) if data.get("accept") else None
        span = _linear(data["span"]) if data.get("span") else None
        return CueModel(_linear(data["cue"]), accept, span)
    except (OSError, ValueError, KeyError) as exc:
        raise AnalysisError(
            f"cue model {path} is missing or unreadable; reinstall newsfuse or retrain it with "
            "'python bench/train_quotes.py ../shared/bench/polnear/train'"
        ) from exc


def _linear(data: dict[str, object]) -> Linear:
    weights = data["weights"]
    if not isinstance(weights, dict):
        raise ValueError("weights must be an object")
    return Linear({str(k): float(v) for k, v in weights.items()}, float(str(data["bias"])))


# ---------------------------------------------------------------------------------------------
# source spans: which of the speaker's modifiers an attribution corpus counts as the source
# ---------------------------------------------------------------------------------------------

# right-hand modifiers of a speaker's head a source span may keep: 'Sembler, who helped ...'
# (relcl), 'the poll released Monday' (acl), 'Gold, 83, a doctor' (appos), 'Miller of Gavekal'
# (prep); each variant adds one group, 'all' adds every one of them
_VARIANTS: tuple[tuple[str, frozenset[str]], ...] = (
    ("relcl", frozenset({"relcl"})), ("acl", frozenset({"acl"})), ("appos", frozenset({"appos"})),
    ("prep", frozenset({"prep"})), ("relcl+acl", frozenset({"relcl", "acl"})),
    ("all", frozenset({"relcl", "acl", "appos", "prep", "amod", "npadvmod", "punct"})),
)


def source_variants(doc: ParsedDoc, span: tuple[int, int], head: int, cue: int) -> list[
        tuple[str, tuple[int, int], list[int]]]:
    """(name, char span, added tokens) of the source as found ('base') and of each variant that
    extends it with right-hand modifiers of ``head``, never over the cue or a line break."""
    out: list[tuple[str, tuple[int, int], list[int]]] = [("base", span, [])]
    seen = {span}
    for name, deps in _VARIANTS:
        # a channel phrase ('Trump in his speech') is never the speaker's, whatever the corpus
        added = [i for k in doc.children(head) if k > head and doc.tokens[k].dep in deps
                 and not channel(doc, k) and cue not in (sub := doc.subtree(k)) for i in sub]
        if not added:
            continue
        end = max(span[1], max(doc.tokens[i].end for i in added))
        cue_char = doc.tokens[cue].idx
        if span[0] < cue_char < end or "\n" in doc.text[span[1] : end]:
            continue
        while end > span[1] and doc.text[end - 1] in " ,;:-\u2013\u2014":
            end -= 1
        new = (span[0], end)
        if new not in seen:
            seen.add(new)
            out.append((name, new, added))
    return out


def variant_features(doc: ParsedDoc, name: str, added: Sequence[int], head: int, cue: int) -> list[str]:
    """What the span chooser weighs: the variant, what it adds, the head and the cue's side."""
    h, c = doc.tokens[head], doc.tokens[cue]
    side = "before" if head < cue else "after"
    deps = "+".join(sorted({doc.tokens[i].dep for i in added if doc.tokens[i].head == head}))
    size = next(n for n in (0, 2, 5, 10, 20, 10**9) if len(added) <= n)
    comma = bool(added) and _set_off(doc, min(added))
    kind = h.ent_type or h.pos
    return [
        f"v={name}", f"vs={name}|{side}", f"vk={name}|{kind}", f"vd={deps}", f"vds={deps}|{side}",
        f"vz={name}|{size}", f"vc={name}|{comma}", f"vcl={name}|{c.lemma.lower()}", f"vcd={name}|{c.dep}",
        f"vhd={name}|{h.dep}", f"vsc={name}|{side}|{comma}", *_modifier_words(doc, name, added, head),
        *_variant_shape(doc, name, added, head),
    ]


def _variant_shape(doc: ParsedDoc, name: str, added: Sequence[int], head: int) -> list[str]:
    """How the added words end: a clause inside an appositive ('Law, a former aide who leads X')
    or a quote mark or colon ('Nancy Cordes: "') is rarely part of a source; and which modifiers the
    head has at all, so that the bare span is weighed against what it could have taken."""
    out = []
    if any(doc.tokens[i].dep in MODIFIER_DEPS and doc.tokens[i].head != head for i in added):
        out.append(f"vn={name}|clause-inside")
    if any(doc.tokens[i].text in _QUOTE_CHARS or doc.tokens[i].text == ":" for i in added):
        out.append(f"vq={name}")
    kids = [k for k in doc.children(head) if k > head]
    has = sorted({doc.tokens[k].dep for k in kids if doc.tokens[k].dep in _CLAUSES_APPOS})
    out.append(f"va={name}|{'+'.join(has) or '-'}")
    return out


_CLAUSES_APPOS = frozenset({"relcl", "acl", "appos", "prep"})


def _modifier_words(doc: ParsedDoc, name: str, added: Sequence[int], head: int) -> list[str]:
    """The verbs of the added modifiers ('who spoke on condition of anonymity' is left out of a
    source more often than 'who runs the campaign') and their relative word."""
    tops = [i for i in added if doc.tokens[i].head == head]
    out = [f"vv={name}|{doc.tokens[i].lemma.lower()}" for i in tops if doc.tokens[i].pos in ("VERB", "AUX")]
    rel = [doc.tokens[i].text.lower() for i in added if doc.tokens[i].tag in ("WP", "WDT", "WP$")]
    return [*out, f"vw={name}|{rel[0] if rel else '-'}"]


def choose_source(
    model: CueModel, doc: ParsedDoc, span: tuple[int, int], head: int, cue: int
) -> tuple[int, int]:
    """The source span the span chooser rates best (``span`` itself without a chooser)."""
    if model.span is None:
        return span
    cands = source_variants(doc, span, head, cue)
    if len(cands) == 1:
        return span
    span_model = model.span
    best = max(cands, key=lambda v: span_model.prob(variant_features(doc, v[0], v[2], head, cue)))
    return best[1]


def _set_off(doc: ParsedDoc, first: int) -> bool:
    """Whether an added modifier is set off by a comma or dash ('Reid, who ...'): the parser hangs
    that comma on the head, not on the modifier, so the text before the modifier is looked at."""
    if doc.tokens[first].text in _SET_OFF:
        return True
    return first > 0 and doc.tokens[first - 1].text in _SET_OFF


_SET_OFF = frozenset({",", "-", "(", "\u2014", "\u2013"})

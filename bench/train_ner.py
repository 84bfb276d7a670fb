"""Train the packaged entity recogniser (newsfuse/data/ner/) on CoNLL-2003 train.

Usage (from the project root, inside the venv)::

    python bench/train_ner.py ../shared/bench/conll2003/eng.train [--epochs N] [--holdout 10]
        [--out newsfuse/data/ner] [--seed 0] [--dropout 0.1] [--batch 32]

Held-out protocol (how every setting here was chosen; never on eng.testa or a test split): with
``--holdout 10`` every 10th training document is held out, the model is fitted on the rest and scored on
the held-out documents after every epoch, next to the small model it starts from (the peer, same run).
The packaged model is then trained on every training document (``--holdout 0``) with the chosen epochs.

What is trained: the small English model's own entity recogniser (its weights are the starting point,
so it keeps what it learned on OntoNotes) fine-tuned on the CoNLL documents, with its OntoNotes labels
kept so every later rule reads the labels it always read:

* gold names carry the CoNLL type mapped to OntoNotes: PER -> PERSON, ORG -> ORG; LOC -> the small
  model's place label (GPE, LOC or FAC) when it found the same span, else GPE; MISC -> the small model's
  NORP / EVENT / PRODUCT / WORK_OF_ART / LAW / LANGUAGE label when it found the same span, else NORP for
  a one-word nationality-like name ('German', 'Iraqis') and EVENT otherwise;
* the small model's own numeric and date entities (CARDINAL, DATE, TIME, MONEY, PERCENT, QUANTITY,
  ORDINAL), which CoNLL does not annotate, are kept as silver labels where they do not touch a gold
  name, so the fine-tuned model still finds amounts and dates;
* everything else is outside any entity (CoNLL's annotators said so).

Only the ``ner`` component is written (``Parser.to_disk`` without the vocabulary); newsfuse loads it
into the small model's pipeline in place of the model's own recogniser (analyze/nlp.py). The run is
deterministic for a seed: one thread, fixed shuffling, fixed dropout masks (thinc's seeded RNG).
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # the machine is shared: train on one thread

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # the CoNLL reading of bench/ner.py

from ner import iob1_spans  # noqa: E402

from newsfuse import defaults  # noqa: E402

NUMERIC = frozenset({"CARDINAL", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
PLACES = frozenset({"GPE", "LOC", "FAC"})
MISC_KINDS = frozenset({"NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"})
TO_CONLL = {
    "PERSON": "PER", "ORG": "ORG", **dict.fromkeys(PLACES, "LOC"), **dict.fromkeys(MISC_KINDS, "MISC"),
}
# Word endings of nationalities and peoples ('German', 'Iraqi', 'Chinese', 'Britons', 'Kurdish').
DEMONYM_ENDINGS = ("an", "ans", "i", "is", "ese", "ish", "ic", "ch", "ot", "ots", "on", "ons")

Sentence = list[tuple[str, str]]  # (word, IOB1 tag)


def read_documents(path: Path) -> list[list[Sentence]]:
    """CoNLL-2003 documents as lists of sentences of (word, tag)."""
    docs: list[list[Sentence]] = [[]]
    sentence: Sentence = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if sentence:
                docs[-1].append(sentence)
                sentence = []
            if parts and docs[-1]:
                docs.append([])
            continue
        sentence.append((parts[0], parts[-1]))
    if sentence:
        docs[-1].append(sentence)
    return [d for d in docs if d]


def ontonotes_label(kind: str, words: list[str], stock: str | None) -> str:
    """OntoNotes label of a gold CoNLL span, given the small model's label for the same span (or None)."""
    if kind == "PER":
        return "PERSON"
    if kind == "ORG":
        return "ORG"
    if kind == "LOC":
        return stock if stock in PLACES else "GPE"
    if stock in MISC_KINDS:
        return stock
    word = words[0]
    if len(words) == 1 and word[:1].isupper() and word.lower().endswith(DEMONYM_ENDINGS):
        return "NORP"
    return "EVENT"


def curl_quotes(text: str) -> str:
    """Typographic quotes in place of CoNLL's straight ones (same length, so offsets hold): news on the
    web writes 'Biden’s' and “...”, which CoNLL never shows the model."""
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        else:
            out.append("\u2019" if ch == "'" else ch)
    return "".join(out)


def make_examples(
    nlp: Any, sentences: list[Sentence], curly_share: float = 0.0, seed: int = 0, spacy_tokens: bool = False,
    breaks: list[int] | None = None,
) -> list[Any]:
    """Training Examples: gold names mapped to OntoNotes plus the stock numeric entities.

    CoNLL tokens are joined by one space and gold spans carried over by characters, so a name's edges
    are always token edges. By default each sentence is one example on CoNLL's tokens (the first
    packaged model was trained so); ``spacy_tokens`` tokenises the text with the model's own tokenizer
    as at run time instead (CoNLL keeps 'Jean-Noel' as one token, spaCy splits it in three) and joins
    the sentences of a document in runs of ``defaults.NER_TRAIN_SENTENCES_PER_EXAMPLE``, each pair by a
    space, a line break or a blank line (:data:`SEPARATORS`): news text at run time holds whitespace
    tokens between paragraphs, which a model that never saw one reads as a sentence start of its own
    ('day.\n\nDunmere's mayor' took the town for a person). ``breaks`` are the indices of the
    sentences that start a document (no run crosses one). ``curly_share`` of the examples get
    typographic quotes (:func:`curl_quotes`)."""
    from spacy.tokens import Doc
    from spacy.training import Example

    def tokenise(text: str) -> Any:
        return nlp.make_doc(text) if spacy_tokens else Doc(nlp.vocab, words=text.split(" "))

    rng = random.Random(seed)
    texts, spans = [], []
    for unit in _units(sentences, breaks if spacy_tokens else None):
        text, gold = "", []
        for n, sentence in enumerate(unit):
            if n:
                text += rng.choice(SEPARATORS)
            words = [w for w, _ in sentence]
            starts = [len(text) + sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
            text += " ".join(words)
            gold += [(starts[a], starts[b - 1] + len(words[b - 1]), kind, words[a:b])
                     for a, b, kind in iob1_spans([t for _, t in sentence])]
        texts.append(curl_quotes(text) if curly_share and rng.random() < curly_share else text)
        spans.append(gold)
    stock_docs = nlp.get_pipe("ner").pipe((tokenise(t) for t in texts), batch_size=256)
    examples = []
    for text, gold, stock in zip(texts, spans, stock_docs, strict=True):
        stock_label = {(e.start_char, e.end_char): e.label_ for e in stock.ents}
        ref = tokenise(text)
        ents = []
        taken: set[int] = set()
        for start, end, kind, words in gold:
            label = ontonotes_label(kind, words, stock_label.get((start, end)))
            ents.append(ref.char_span(start, end, label=label, alignment_mode="expand"))
            taken.update(range(start, end))
        for e in stock.ents:
            if e.label_ in NUMERIC and not taken.intersection(range(e.start_char, e.end_char)):
                ents.append(ref.char_span(e.start_char, e.end_char, label=e.label_))
        ref.ents = _no_overlaps(e for e in ents if e is not None)
        examples.append(Example(tokenise(text), ref))
    return examples


# How sentences of one document are joined inside a training example (run-time tokens): a space, a
# line break, a blank line between paragraphs.
SEPARATORS = (" ", "\n", "\n\n")


def _units(sentences: list[Sentence], breaks: list[int] | None) -> list[list[Sentence]]:
    """Sentences grouped into runs inside one document (``breaks``: document starts), or one by one."""
    if breaks is None:
        return [[s] for s in sentences]
    size = defaults.NER_TRAIN_SENTENCES_PER_EXAMPLE
    starts = set(breaks)
    units: list[list[Sentence]] = []
    for i, sentence in enumerate(sentences):
        if i in starts or not units or len(units[-1]) >= size:
            units.append([])
        units[-1].append(sentence)
    return units


def _no_overlaps(spans: Any) -> list[Any]:
    """Entity spans sorted, dropping any that overlaps one kept before (an 'expand'ed gold name may
    swallow a neighbour's token: 'U.S.-led')."""
    kept: list[Any] = []
    for span in sorted(spans, key=lambda e: (e.start, -e.end)):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def _doc_starts(docs: list[list[Sentence]]) -> list[int]:
    starts, n = [], 0
    for d in docs:
        starts.append(n)
        n += len(d)
    return starts


def score(nlp: Any, examples: list[Any]) -> dict[str, Any]:
    """Entity-level P/R/F1 of CoNLL name types on gold tokens, and agreement with the stock numeric ents."""
    tp, fp, fn = Counter[str](), Counter[str](), Counter[str]()
    num = Counter[str]()
    from spacy.tokens import Doc

    fresh = [Doc(nlp.vocab, words=[t.text for t in ex.reference]) for ex in examples]
    preds = nlp.get_pipe("ner").pipe(fresh, batch_size=256)
    for ex, pred in zip(examples, preds, strict=True):
        gold = {(e.start, e.end, TO_CONLL[e.label_]) for e in ex.reference.ents if e.label_ in TO_CONLL}
        got = {(e.start, e.end, TO_CONLL[e.label_]) for e in pred.ents if e.label_ in TO_CONLL}
        for s in got & gold:
            tp[s[2]] += 1
        for s in got - gold:
            fp[s[2]] += 1
        for s in gold - got:
            fn[s[2]] += 1
        gold_num = {(e.start, e.end, e.label_) for e in ex.reference.ents if e.label_ in NUMERIC}
        got_num = {(e.start, e.end, e.label_) for e in pred.ents if e.label_ in NUMERIC}
        num["tp"] += len(gold_num & got_num)
        num["fp"] += len(got_num - gold_num)
        num["fn"] += len(gold_num - got_num)
    out: dict[str, Any] = {}
    for label in ("PER", "LOC", "ORG", "MISC", "all"):
        t = sum(tp.values()) if label == "all" else tp[label]
        p_den = t + (sum(fp.values()) if label == "all" else fp[label])
        r_den = t + (sum(fn.values()) if label == "all" else fn[label])
        out[label] = _prf(t, p_den, r_den)
    out["numeric_vs_stock"] = _prf(num["tp"], num["tp"] + num["fp"], num["tp"] + num["fn"])
    return out


def _prf(tp: int, p_den: int, r_den: int) -> dict[str, float]:
    p = tp / p_den if p_den else 0.0
    r = tp / r_den if r_den else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def train(args: argparse.Namespace) -> dict[str, Any]:
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(args.seed)
    began = time.perf_counter()
    # the recogniser has its own tok2vec: nothing else of the pipeline is needed to train it
    others = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]
    nlp = spacy.load(defaults.SPACY_MODEL, exclude=others)
    docs = read_documents(args.data)
    held = [d for n, d in enumerate(docs) if args.holdout and n % args.holdout == args.holdout - 1]
    fit = [d for n, d in enumerate(docs) if not (args.holdout and n % args.holdout == args.holdout - 1)]
    train_ex = make_examples(nlp, [s for d in fit for s in d], args.curly, args.seed, args.spacy_tokens,
                             _doc_starts(fit))
    held_ex = make_examples(nlp, [s for d in held for s in d], spacy_tokens=args.spacy_tokens,
                            breaks=_doc_starts(held)) if held else []
    result: dict[str, Any] = {
        "bench": "train_ner", "data": str(args.data), "seed": args.seed, "epochs": args.epochs,
        "dropout": args.dropout, "batch": args.batch, "curly": args.curly,
        "spacy_tokens": args.spacy_tokens, "holdout": args.holdout,
        "train_documents": len(fit), "train_sentences": len(train_ex), "held_documents": len(held),
    }
    if held_ex:
        result["stock"] = score(nlp, held_ex)  # the peer: the small model as shipped
        _show("stock", result["stock"])
    optimizer = nlp.resume_training()
    optimizer.learn_rate = args.learn_rate
    rng = random.Random(args.seed)
    order = list(range(len(train_ex)))
    result["per_epoch"] = []
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(order)
        losses: dict[str, float] = {}
        for batch in minibatch([train_ex[i] for i in order], size=args.batch):
            nlp.update(list[Example](batch), drop=args.dropout, sgd=optimizer, losses=losses)
        row: dict[str, Any] = {"epoch": epoch, "loss": round(float(losses.get("ner", 0.0)), 1),
                               "seconds": round(time.perf_counter() - began, 1)}
        if held_ex:
            row["held"] = score(nlp, held_ex)
            _show(f"epoch {epoch}", row["held"])
        print(f"epoch {epoch}: loss {row['loss']}, {row['seconds']} s", flush=True)
        result["per_epoch"].append(row)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        nlp.get_pipe("ner").to_disk(args.out, exclude=["vocab"])
        result["out"] = str(args.out)
    result["seconds"] = round(time.perf_counter() - began, 1)
    return result


def _show(name: str, table: dict[str, Any]) -> None:
    cells = "  ".join(f"{k} P {v['p']:.3f} R {v['r']:.3f} F1 {v['f1']:.3f}" for k, v in table.items())
    print(f"{name}: {cells}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="CoNLL-2003 training file (conll2003/eng.train)")
    ap.add_argument("--epochs", type=int, default=defaults.NER_TRAIN_EPOCHS)
    ap.add_argument("--holdout", type=int, default=0, help="hold out every Nth document and score on it")
    ap.add_argument("--out", type=Path, default=None, help="directory to write the ner component to")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dropout", type=float, default=defaults.NER_TRAIN_DROPOUT)
    ap.add_argument("--batch", type=int, default=defaults.NER_TRAIN_BATCH)
    ap.add_argument("--curly", type=float, default=defaults.NER_TRAIN_CURLY_SHARE,
                    help="share of training sentences given typographic quotes")
    ap.add_argument("--spacy-tokens", action="store_true",
                    help="tokenise training text with the model's tokenizer (as at run time), not CoNLL's")
    ap.add_argument("--learn-rate", type=float, default=defaults.NER_TRAIN_LEARN_RATE)
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"{args.data}: no such file; pass CoNLL-2003 eng.train", file=sys.stderr)
        return 2
    print(json.dumps(train(args), separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())

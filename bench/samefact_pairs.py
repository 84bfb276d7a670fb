"""'Same fact' sentence pairs from ECB+ (train to learn, dev to report once): the data of
``bench/train_samefact.py`` and of the candidate-floor table in ``bench/claims.py``.

A pair is two sentences of two *different* documents of one ECB+ topic, each holding at least one
gold event mention of a cross-document chain:

* positive: the two sentences hold mentions of one cross-document event chain (two reports of one
  event, worded apart: what the product's matcher must call one fact);
* negative (hard): they share no chain; half are drawn from one subtopic (one story, another event
  of it: what a claim must not join), half from the topic's other subtopic (an event of the same
  kind: 'an earthquake in Indonesia' / 'an earthquake in California').

Every positive pair is kept, at most ``MAX_POSITIVES_PER_SUBTOPIC`` per subtopic (a story told by
many documents would otherwise fill the set), and as many negatives are drawn (fixed seed). Topics
are the unit of the folds (:func:`topic_folds`): no topic is split between training and scoring.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
from claimalign import _read_conll, detokenized, ecb_scope

MAX_POSITIVES_PER_SUBTOPIC = 40
SEED = 13


@dataclass(frozen=True)
class Sentence:
    doc: str
    sent: int
    text: str
    chains: frozenset[str]  # cross-document event chains mentioned in it

    @property
    def topic(self) -> str:
        return self.doc.split("_")[0]

    @property
    def story(self) -> str:
        return ecb_scope(self.doc)


@dataclass(frozen=True)
class SamePair:
    label: int
    a: str
    b: str
    topic: str
    same_story: bool


def read_sentences(folder: Path, split: str) -> list[Sentence]:
    """Sentences of ECB+ ``split`` ('Train' or 'Dev') holding a mention of a cross-document chain."""
    corpus = _read_conll(folder / f"ECB_{split}_corpus.txt", 0)
    mentions = json.loads((folder / f"ECB_{split}_Event_gold_mentions.json").read_text("utf-8"))
    docs_of: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if not m["is_singleton"]:
            docs_of[m["coref_chain"]].add(m["doc_id"])
    chains: dict[tuple[str, int], set[str]] = defaultdict(set)
    for m in mentions:
        if len(docs_of.get(m["coref_chain"], ())) > 1:
            chains[(m["doc_id"], int(m["sent_id"]))].add(m["coref_chain"])
    out = []
    for (doc, sent), held in sorted(chains.items()):
        tokens = corpus.get(doc, {}).get(sent)
        if tokens:
            out.append(Sentence(doc, sent, detokenized(tokens)[0], frozenset(held)))
    return out


def build_pairs(sentences: Sequence[Sentence]) -> list[SamePair]:
    """Positive and hard negative pairs (see the module's docstring), in a fixed order."""
    rng = random.Random(SEED)
    by_topic: dict[str, list[Sentence]] = defaultdict(list)
    for s in sentences:
        by_topic[s.topic].append(s)
    out: list[SamePair] = []
    for topic in sorted(by_topic, key=int):
        pos, near, far = [], [], []
        seen: set[tuple[str, str]] = set()
        for x, y in combinations(by_topic[topic], 2):
            texts = (min(x.text, y.text), max(x.text, y.text))
            if x.doc == y.doc or x.text == y.text or texts in seen:
                continue  # one pair of texts once (copies of a sentence in two documents)
            seen.add(texts)
            if x.chains & y.chains:
                pos.append((x, y))
            elif x.story == y.story:
                near.append((x, y))
            else:
                far.append((x, y))
        kept: list[tuple[Sentence, Sentence]] = []
        for story in sorted({x.story for x, _ in pos}):
            mine = [p for p in pos if p[0].story == story]
            kept.extend(rng.sample(mine, min(len(mine), MAX_POSITIVES_PER_SUBTOPIC)))
        half = len(kept) // 2
        negatives = rng.sample(near, min(len(near), half))
        negatives += rng.sample(far, min(len(far), len(kept) - len(negatives)))
        for label, chosen in ((1, kept), (0, negatives)):
            for x, y in chosen:
                out.append(SamePair(label, x.text, y.text, topic, x.story == y.story))
    return out


def topic_folds(pairs: Sequence[SamePair], k: int) -> list[list[int]]:
    """Pair indices per fold; the topics (in numeric order) are dealt to the folds in turn."""
    topics = sorted({p.topic for p in pairs}, key=int)
    fold_of = {t: n % k for n, t in enumerate(topics)}
    folds: list[list[int]] = [[] for _ in range(k)]
    for i, p in enumerate(pairs):
        folds[fold_of[p.topic]].append(i)
    return folds


def read_pairs(folder: Path, split: str) -> list[SamePair]:
    return build_pairs(read_sentences(folder, split))


def all_sentences(folder: Path, split: str) -> list[Sentence]:
    """Every sentence of ECB+ ``split``, with the cross-document chains it mentions (often none)."""
    marked = {(s.doc, s.sent): s for s in read_sentences(folder, split)}
    corpus = _read_conll(folder / f"ECB_{split}_corpus.txt", 0)
    return [marked.get((doc, n)) or Sentence(doc, n, detokenized(tokens)[0], frozenset())
            for doc in sorted(corpus) for n, tokens in sorted(corpus[doc].items()) if tokens]


def asked_pairs(docs: Sequence[str], vectors: np.ndarray, floor: float, k: int) -> set[tuple[int, int]]:
    """The sentence pairs the product's meaning pass offers the matcher in one story
    (fuse/claims/meaning.py): each sentence with its ``k`` nearest sentences of other documents,
    those at cosine ``floor`` or above, each pair once."""
    cos = vectors @ vectors.T
    same = np.array(docs)[:, None] == np.array(docs)[None, :]
    cos[same] = -np.inf
    out: set[tuple[int, int]] = set()
    for i in range(len(docs)):
        for j in np.argsort(-cos[i], kind="stable")[:k]:
            if cos[i, j] >= floor:
                out.add((min(i, int(j)), max(i, int(j))))
    return out


def candidate_table(sentences: Sequence[Sentence], vectors: np.ndarray, floors: Sequence[float],
                    ks: Sequence[int]) -> list[dict[str, float]]:
    """Per (floor, k): recall of the positive pairs (two documents' sentences of one story sharing
    a cross-document event chain) among the pairs asked, and pairs asked per story (the cost)."""
    stories: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sentences):
        stories[s.story].append(i)
    rows = []
    for k in ks:
        for floor in floors:
            found = positives = asked = 0
            for members in stories.values():
                docs = [sentences[i].doc for i in members]
                pairs = asked_pairs(docs, vectors[members], floor, k)
                asked += len(pairs)
                for x, y in combinations(range(len(members)), 2):
                    a, b = sentences[members[x]], sentences[members[y]]
                    if a.doc != b.doc and a.chains & b.chains:
                        positives += 1
                        found += (x, y) in pairs
            rows.append({"floor": floor, "neighbours": k, "recall": round(found / max(positives, 1), 4),
                         "pairs_per_story": round(asked / max(len(stories), 1), 1),
                         "positives": positives, "stories": len(stories)})
    return rows

"""The trigger in its sentence: what event coreference reads of an event beyond its words.

Each event gets two unit vectors: the packaged all-MiniLM-L6-v2's hidden states at layer
``defaults.COREF_CONTEXT_LAYER`` averaged over the word pieces of the trigger's head word (the word
at ``Statement.at``) and of its whole trigger (``Statement.trigger_span``), pieces found by character
offsets. One encoder pass per sentence (all events of a sentence share it, sentences in small
batches of near-equal length) through a copy of the model cut after that layer, so layer 4 costs
4/6 of a sentence encoding. Measured by ``bench/coref_context.py`` (session 17, 15k): layer 4 gave
ECB+ train topic CV 79.54, layer 6 (the sentence encoder's own token output) 79.43.

Vectors are kept in this process (fp16, by article, sentence and trigger; ``COREF_VECTOR_CACHE``
entries), so a story re-fused after one new article encodes that article's event sentences only;
pairs compare them by one matrix product, never by encoding again.
"""

from __future__ import annotations

import functools
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from newsfuse import defaults
from newsfuse.fuse.claims.statements import Statement

Key = tuple[str, int, int, int, int, int]  # article, sentence start/end, head start, trigger start/end
_KEPT: OrderedDict[Key, np.ndarray] = OrderedDict()  # key -> (2, 384) fp16: head, whole trigger
_BATCH = 16  # sentences per encoder pass (sorted by length, so padding stays small)
_MAX_TOKENS = 256  # as the bench measured it: longer sentences are cut


@functools.lru_cache(maxsize=2)
def _model(layer: int) -> tuple[Any, Any]:
    """(tokenizer, MiniLM cut after ``layer``): its last hidden state is the full model's
    ``hidden_states[layer]``."""
    from newsfuse.fuse.claims.encoder import packaged_model_path

    path = packaged_model_path()  # first: it switches the hub off before transformers reads it
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # the cut model's unused layers are announced otherwise
    bert = AutoModel.from_pretrained(path, num_hidden_layers=layer, attn_implementation="eager")
    bert.eval()
    return AutoTokenizer.from_pretrained(path), bert


def key_of(s: Statement) -> Key:
    start, end = s.trigger_span if s.trigger_span[1] > s.trigger_span[0] else (s.at, s.at)
    return (s.article.id, s.span.start, s.span.end, s.at, start, end)


def _sentence(s: Statement) -> str:
    """The sentence's text as it stands (offsets from ``span.start`` stay valid)."""
    return s.article.text[s.span.start:s.span.end] if s.article.text else s.span.text


def trigger_vectors(events: Sequence[Statement]) -> tuple[np.ndarray, np.ndarray]:
    """(head, whole trigger) unit vectors of ``events``, rows in order (float32)."""
    keys = [key_of(s) for s in events]
    missing: dict[Key, Statement] = {k: s for k, s in zip(keys, events, strict=True) if k not in _KEPT}
    if missing:
        _encode(list(missing.items()))
    rows = []
    for k in keys:
        rows.append(_KEPT[k])
        _KEPT.move_to_end(k)
    while len(_KEPT) > defaults.COREF_VECTOR_CACHE:
        _KEPT.popitem(last=False)
    both = np.stack(rows).astype(np.float32) if rows else np.zeros((0, 2, 1), dtype=np.float32)
    return _unit(both[:, 0]), _unit(both[:, 1])


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=1, keepdims=True)
    return np.asarray(v / np.where(norm == 0, 1.0, norm), dtype=np.float32)


def _encode(named: list[tuple[Key, Statement]]) -> None:
    """Encode each distinct sentence of ``named`` once and keep its events' vectors."""
    import torch

    tokenizer, bert = _model(defaults.COREF_CONTEXT_LAYER)
    by_sentence: dict[tuple[str, int, int], list[Key]] = defaultdict(list)
    text_of: dict[tuple[str, int, int], str] = {}
    for key, s in named:
        by_sentence[key[:3]].append(key)
        text_of[key[:3]] = _sentence(s)
    order = sorted(by_sentence, key=lambda k: len(text_of[k]))
    with torch.inference_mode():
        for at in range(0, len(order), _BATCH):
            batch = order[at:at + _BATCH]
            enc = tokenizer([text_of[k] for k in batch], truncation=True, max_length=_MAX_TOKENS,
                            padding=True, return_offsets_mapping=True, return_tensors="pt")
            spans = enc.pop("offset_mapping").numpy()
            states = bert(**enc).last_hidden_state.numpy()
            for row, sentence in enumerate(batch):
                for key in by_sentence[sentence]:
                    text, at = text_of[sentence], key[1]
                    _KEPT[key] = np.stack([_pool(states[row], spans[row], text, key[3] - at, None),
                                           _pool(states[row], spans[row], text, key[4] - at, key[5] - at)]
                                          ).astype(np.float16)


def _pool(states: np.ndarray, spans: np.ndarray, text: str, start: int, end: int | None) -> np.ndarray:
    """Mean state of the word pieces of the word at ``start`` (``end`` None: pieces joined without a
    space, trailing punctuation left out, as a tokenised word would be) or of the characters [start, end) (the
    sentence's first piece when none is found)."""
    real = spans[:, 1] > spans[:, 0]
    if end is None:  # the word: pieces from ``start`` on, while they join without a space
        rows: list[int] = []
        for i in np.flatnonzero(real & (spans[:, 0] >= start)):
            if rows and (spans[i, 0] != spans[rows[-1], 1] or _trailing(text, spans[i])):
                break
            rows.append(int(i))
        rows = rows if rows and spans[rows[0], 0] == start else []
    else:
        rows = [int(i) for i in np.flatnonzero(real & (spans[:, 0] < end) & (spans[:, 1] > start))]
    v = states[rows or [0]].mean(axis=0)
    return np.asarray(v / (np.linalg.norm(v) or 1.0))


def _trailing(text: str, piece: np.ndarray) -> bool:
    """Whether a piece is punctuation ending a word ('killed,'), not inside it ('cease-fire')."""
    b, e = int(piece[0]), int(piece[1])
    return not text[b:e].isalnum() and (e >= len(text) or not text[e].isalnum())

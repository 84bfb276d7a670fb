"""The trigger in its sentence: what event coreference reads of an event beyond its words.

Each event gets two unit vectors: the packaged all-MiniLM-L6-v2's hidden states at layer
``defaults.COREF_CONTEXT_LAYER`` averaged over the word pieces of the trigger's head word (the word
at ``Statement.at``) and of its whole trigger (``Statement.trigger_span``), pieces found by character
offsets. One encoder pass per sentence (all events of a sentence share it, sentences in small
batches of near-equal length) through a copy of the model cut after that layer, so layer 4 costs
4/6 of a sentence encoding. Measured by ``bench/coref_context.py`` (session 17, 15k): layer 4 gave
ECB+ train topic CV 79.54, layer 6 (the sentence encoder's own token output) 79.43.

Vectors are kept in this process (fp16, by article, sentence and trigger; ``COREF_VECTOR_CACHE``
entries) and in the store (migration 37: by the hash of the sentence's text and the trigger's offsets
in it), so a story re-fused after one new article reads that article's vectors, and encodes them only
when no analysis stage did (:func:`encode_ahead`, from :mod:`~newsfuse.fuse.claims.ahead`: one pass
through the whole encoder gives each event sentence's own vector, from the last layer, and its
triggers' vectors, from this layer's states); pairs compare them by one matrix product.
"""

from __future__ import annotations

import functools
from collections import OrderedDict, defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from newsfuse import defaults
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.vectors import SentenceKey, sentence_text
from newsfuse.store import queries

if TYPE_CHECKING:
    from newsfuse.store import Store

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


def trigger_vectors(events: Sequence[Statement], store: Store | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(head, whole trigger) unit vectors of ``events``, rows in order (float32): kept by this process,
    else read from ``store``, else encoded (and then kept in ``store``)."""
    keys = [key_of(s) for s in events]
    missing: dict[Key, Statement] = {k: s for k, s in zip(keys, events, strict=True) if k not in _KEPT}
    if missing and store is not None:
        found = _read(store, missing)
        _KEPT.update(found)
        missing = {k: s for k, s in missing.items() if k not in found}
    if missing:
        encoded = _encode(list(missing.items()))
        _KEPT.update(encoded)
        if store is not None:
            store.put_trigger_vectors(layer_name(), stored_rows(encoded, missing))
    rows = []
    for k in keys:
        rows.append(_KEPT[k])
        _KEPT.move_to_end(k)
    while len(_KEPT) > defaults.COREF_VECTOR_CACHE:
        _KEPT.popitem(last=False)
    both = np.stack(rows).astype(np.float32) if rows else np.zeros((0, 2, 1), dtype=np.float32)
    return _unit(both[:, 0]), _unit(both[:, 1])


def layer_name() -> str:
    """What trigger vectors are kept under in the store: the encoder and the layer of its states."""
    from newsfuse.fuse.claims.encoder import MODEL_NAME

    return f"{MODEL_NAME}@layer{defaults.COREF_CONTEXT_LAYER}"


def _stored_key(key: Key, s: Statement) -> queries.TriggerKey:
    """The store's name of an event's trigger vectors: its sentence's text hash and the head word's
    and trigger's offsets inside the sentence (a wire copy's event has the same)."""
    from newsfuse.fuse.claims.vectors import text_hash

    at = key[1]
    return text_hash(_sentence(s)), key[3] - at, key[4] - at, key[5] - at


def stored_rows(vectors: dict[Key, np.ndarray], events: dict[Key, Statement]
                ) -> list[tuple[str, int, int, int, bytes]]:
    """Rows for :meth:`~newsfuse.store.Store.put_trigger_vectors` (fp16 (2, 384) bytes)."""
    return [(*_stored_key(k, events[k]), np.asarray(v, dtype=np.float16).tobytes())
            for k, v in vectors.items()]


def _read(store: Store, missing: dict[Key, Statement]) -> dict[Key, np.ndarray]:
    """The vectors of ``missing`` kept in ``store``, by this process's keys."""
    named = {k: _stored_key(k, s) for k, s in missing.items()}
    kept = queries.trigger_vectors(store, [n[0] for n in named.values()], layer_name())
    return {k: np.frombuffer(kept[n], dtype=np.float16).reshape(2, -1) for k, n in named.items() if n in kept}


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=1, keepdims=True)
    return np.asarray(v / np.where(norm == 0, 1.0, norm), dtype=np.float32)


Sentence = tuple[str, int, int]  # article, sentence start/end


def _encode(named: list[tuple[Key, Statement]]) -> dict[Key, np.ndarray]:
    """Each distinct sentence of ``named`` encoded once (through the model cut after the layer): its
    events' vectors."""
    import torch

    tokenizer, bert = _model(defaults.COREF_CONTEXT_LAYER)
    out: dict[Key, np.ndarray] = {}
    with torch.inference_mode():
        for by_sentence, text_of, enc, spans in _batches(tokenizer, named):
            states = bert(**enc).last_hidden_state.numpy()
            out.update(_of_batch(by_sentence, text_of, states, spans))
    return out


def sentence_of(s: Statement) -> str:
    """The sentence an event is told in (its span), without the label the claim text adds."""
    return s.span.text.strip() or s.text


def sentence_key(s: Statement) -> SentenceKey:
    """The name an event's sentence vector is kept under (its span: the sentence it is told in)."""
    return (s.article.id, s.span.start, s.span.end)


def event_sentences(s: Statement) -> dict[SentenceKey, str]:
    """The sentence :func:`~newsfuse.fuse.claims.eventpairs.event_features` compares an event by,
    with the text it is encoded from (what :mod:`~newsfuse.fuse.claims.ahead` encodes for every
    event of an article)."""
    key = sentence_key(s)
    return {key: sentence_text(s.article.text, key) or sentence_of(s)}


def encode_ahead(events: Sequence[Statement]) -> tuple[dict[str, np.ndarray], dict[Key, np.ndarray]]:
    """One pass of the whole sentence encoder over the events' sentences: (the sentence vector of
    each event sentence's encoder text, by that text (:func:`~newsfuse.fuse.claims.eventpairs.
    event_sentences`; float32, as ``encoder.encode`` gives it), the events' trigger vectors (fp16)).
    The layer's states give the triggers; the last layer, mean-pooled, the sentence's own vector,
    when its encoder text (whitespace collapsed) is tokenised as the sentence as written is (else
    that text is left out here: the caller encodes it)."""
    import torch

    from newsfuse.fuse.claims import encoder as claimencoder

    model = claimencoder.float_model()
    tokenizer, bert = model.tokenizer, model[0].auto_model
    named = list({key_of(s): s for s in events}.items())
    clean = {k[:3]: next(iter(event_sentences(s).values())) for k, s in named}
    sentences: dict[str, np.ndarray] = {}
    triggers: dict[Key, np.ndarray] = {}
    with torch.inference_mode():
        for by_sentence, text_of, enc, spans in _batches(tokenizer, named):
            out = bert(**enc, output_hidden_states=True)
            triggers.update(_of_batch(by_sentence, text_of, out.hidden_states[defaults.COREF_CONTEXT_LAYER]
                                      .numpy(), spans))
            mask = enc["attention_mask"]
            pooled = (out.last_hidden_state * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()
            ids = tokenizer([clean[k] for k in by_sentence], truncation=True,
                            max_length=model.max_seq_length)["input_ids"]
            for row, (sentence, want) in enumerate(zip(by_sentence, ids, strict=True)):
                if enc["input_ids"][row][:int(mask[row].sum())].tolist() == list(want):
                    sentences[clean[sentence]] = pooled[row].copy()
    return sentences, triggers


_Batch = tuple[dict[Sentence, list[Key]], dict[Sentence, str], Any, np.ndarray]


def _batches(tokenizer: Any, named: list[tuple[Key, Statement]]) -> Iterator[_Batch]:
    """The distinct sentences of ``named`` in batches of near-equal length: (the batch's sentences
    with their events' keys, their texts, the tokenizer's features, the pieces' character spans)."""
    by_sentence: dict[Sentence, list[Key]] = defaultdict(list)
    text_of: dict[Sentence, str] = {}
    for key, s in named:
        by_sentence[key[:3]].append(key)
        text_of[key[:3]] = _sentence(s)
    order = sorted(by_sentence, key=lambda k: len(text_of[k]))
    for at in range(0, len(order), _BATCH):
        batch = order[at:at + _BATCH]
        enc = tokenizer([text_of[k] for k in batch], truncation=True, max_length=_MAX_TOKENS,
                        padding=True, return_offsets_mapping=True, return_tensors="pt")
        spans = enc.pop("offset_mapping").numpy()
        yield {k: by_sentence[k] for k in batch}, {k: text_of[k] for k in batch}, enc, spans


def _of_batch(by_sentence: dict[Sentence, list[Key]], text_of: dict[Sentence, str], states: np.ndarray,
              spans: np.ndarray) -> dict[Key, np.ndarray]:
    """The (head, whole trigger) vectors (fp16) of a batch's events from the layer's ``states``."""
    out: dict[Key, np.ndarray] = {}
    for row, (sentence, keys) in enumerate(by_sentence.items()):
        text = text_of[sentence]
        for key in keys:
            at = key[1]
            out[key] = np.stack([_pool(states[row], spans[row], text, key[3] - at, None),
                                 _pool(states[row], spans[row], text, key[4] - at, key[5] - at)]
                                ).astype(np.float16)
    return out


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

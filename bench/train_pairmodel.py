"""Fine-tune the cross-encoder (newsfuse/fuse/claims/crossencoder.py) on MSRP-format pairs, on CPU.

Usage (from the project root, inside the venv)::

    python bench/train_pairmodel.py ../shared/bench/msrp/msr_paraphrase_train.txt
        [--out newsfuse/data/claims/crossencoder.pt] [--folds 5] [--limit N] [--no-final]

The packaged all-MiniLM-L6-v2 reads both sentences at once ('[CLS] a [SEP] b [SEP]', the two in
text order, as the product reads them); its lower layers stay frozen and only the top
``TOP_LAYERS`` layers and a one-unit head on the mean of the last hidden states learn. Since the
lower layers never change, their output for each pair is computed once and kept on disk under
``CACHE``; every epoch and every fold runs the top layers only.

Settings are fixed beforehand, not searched on held-out pairs, and sized to what a shared 2-core
host can train in half an hour (two top layers, 2 epochs, batch 16, learning rate 2e-4 with 10%
warm-up then linear decay; the new head at 1e-3). The usual BERT rate (5e-5) left the two layers
underfit: 0.728 accuracy on the model's own training pairs (a quarter of fold 1's) after 2 epochs.

``--only lower0|lower1|foldK|all`` computes one part and exits, so parts can run side by side in
separate processes (one torch thread each). Otherwise the script fits one model per fold (k-fold CV
on this file only), writes each pair's out-of-fold logit (scored by a model that never saw it) to
``CACHE``, where bench/train_claims.py and bench/claims.py read them to learn and score the matcher,
then fits on every pair and writes what ships. Its last line is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for _p in (ROOT, BENCH):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import train_claims  # noqa: E402

from newsfuse.fuse.claims import crossencoder  # noqa: E402
from newsfuse.fuse.claims.crossencoder import ordered_pair  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "newsfuse-pair-model"
TOP_LAYERS = 2
EPOCHS = 2
BATCH = 16
LEARNING_RATE = 2e-4
HEAD_LEARNING_RATE = 1e-3
WARMUP = 0.1
MAX_TOKENS = 128
SEED = 13
THREADS = 1  # one per process: folds are trained in separate processes side by side (--only)
LOWER_PARTS = 2
SETTINGS = (TOP_LAYERS, EPOCHS, BATCH, LEARNING_RATE, HEAD_LEARNING_RATE, WARMUP, MAX_TOKENS, SEED)

State = dict[str, Any]  # tensors of the trained top layers and head


def _key(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
    return digest.hexdigest()[:20]


def _torch() -> Any:
    import torch

    torch.set_num_threads(THREADS)
    return torch


class LowerStates:
    """The frozen lower layers' output of each pair (unpadded, float16), computed once, in
    ``LOWER_PARTS`` parts kept apart on disk (so two processes can compute them side by side)."""

    def __init__(self, pairs: Sequence[tuple[str, str]], only_part: int | None = None) -> None:
        torch = _torch()
        self.frozen = 6 - TOP_LAYERS
        self.n = len(pairs)
        ordered = [ordered_pair(a, b) for a, b in pairs]
        step = -(-len(ordered) // LOWER_PARTS)
        parts = []
        for part in range(LOWER_PARTS):
            if only_part is not None and part != only_part:
                continue
            chunk = ordered[part * step:(part + 1) * step]
            path = CACHE / f"lower-{_key('lower', self.frozen, MAX_TOKENS, chunk)}.pt"
            if not path.exists():
                _lower_part(chunk, self.frozen, path)
            parts.extend(torch.load(path, weights_only=True))
        lengths = torch.tensor([c.shape[0] for c in parts])
        self.offsets = torch.cat([torch.zeros(1, dtype=torch.long), lengths.cumsum(0)])
        self.flat = torch.cat(parts)

    def length(self, i: int) -> int:
        return int(self.offsets[i + 1] - self.offsets[i])

    def batch(self, rows: Sequence[int]) -> tuple[Any, Any]:
        """(hidden, mask) of sequence ``rows``, padded to the longest."""
        torch = _torch()
        width = max(self.length(i) for i in rows)
        hidden = torch.zeros(len(rows), width, self.flat.shape[1])
        mask = torch.zeros(len(rows), width, dtype=torch.long)
        for r, i in enumerate(rows):
            n = self.length(i)
            hidden[r, :n] = self.flat[self.offsets[i]:self.offsets[i + 1]].float()
            mask[r, :n] = 1
        return hidden, mask


def _lower_part(pairs: Sequence[tuple[str, str]], frozen: int, path: Path) -> None:
    torch = _torch()
    tokenizer, bert = crossencoder.load_transformer()
    bert.encoder.layer = bert.encoder.layer[:frozen]  # the top layers' output is never read here
    chunks: list[Any] = [None] * len(pairs)
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
    started = time.perf_counter()
    with torch.inference_mode():
        for lo in range(0, len(order), 32):
            rows = order[lo:lo + 32]
            batch = tokenizer([pairs[i][0] for i in rows], [pairs[i][1] for i in rows], padding=True,
                              truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            hidden = bert(**batch).last_hidden_state
            for r, i in enumerate(rows):
                chunks[i] = hidden[r, :int(batch["attention_mask"][r].sum())].to(torch.float16).clone()
    print(f"  lower layers of {len(pairs)} pairs: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(chunks, path)


def _batches(states: LowerStates, rows: Sequence[int], rng: np.random.Generator | None) -> list[list[int]]:
    """Batches of sequences of like length (little padding), in random order when ``rng`` is given."""
    order = sorted(rows, key=lambda i: (states.length(i), i))
    chunks = [order[lo:lo + BATCH] for lo in range(0, len(order), BATCH)]
    if rng is not None:
        rng.shuffle(chunks)  # type: ignore[arg-type]
    return chunks


def train(states: LowerStates, labels: np.ndarray, idx: Sequence[int], log: str = "") -> State:
    """The top layers and head fitted on pairs ``idx`` (labels 0/1)."""
    torch = _torch()
    torch.manual_seed(SEED)
    bert = crossencoder.load_transformer()[1]
    layers = list(bert.encoder.layer[states.frozen:])
    head = torch.nn.Linear(bert.config.hidden_size, 1)
    torch.nn.init.normal_(head.weight, std=0.02)
    torch.nn.init.zeros_(head.bias)
    dropout = torch.nn.Dropout(0.1)
    body = [p for layer in layers for p in layer.parameters()]
    optimiser = torch.optim.AdamW([{"params": body, "lr": LEARNING_RATE},
                                   {"params": list(head.parameters()), "lr": HEAD_LEARNING_RATE}],
                                  weight_decay=0.01)
    rng = np.random.default_rng(SEED)
    rows = list(idx)
    y = torch.tensor(labels, dtype=torch.float32)
    steps = EPOCHS * len(_batches(states, rows, None))
    warm = max(1, int(WARMUP * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    for layer in layers:
        layer.train()
    started = time.perf_counter()
    for epoch in range(EPOCHS):
        total = 0.0
        for chunk in _batches(states, rows, rng):
            hidden, mask = states.batch(chunk)
            top = crossencoder.run_layers(layers, hidden, mask)
            z = crossencoder.pooled_logit(dropout(top), mask, head.weight, head.bias)
            loss = loss_fn(z, y[chunk])
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(body + list(head.parameters()), 1.0)
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(chunk)
        print(f"  {log}epoch {epoch + 1}/{EPOCHS}: loss {total / len(rows):.4f} "
              f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    state: State = {f"encoder.layer.{states.frozen + n}.{k}": v.detach().clone()
                    for n, layer in enumerate(layers) for k, v in layer.state_dict().items()}
    state["head_weight"] = head.weight.detach().clone()
    state["head_bias"] = head.bias.detach().clone()
    return state


def logits(state: State, states: LowerStates, idx: Sequence[int]) -> np.ndarray:
    """Logits of pairs ``idx`` (in the order given) under ``state``, with the weights rounded to
    float16 as they ship."""
    torch = _torch()
    bert = crossencoder.load_transformer()[1]
    shipped = {k: v.to(torch.float16).to(torch.float32) for k, v in state.items()}
    bert.load_state_dict({k: v for k, v in shipped.items() if k.startswith("encoder.")}, strict=False)
    layers = list(bert.encoder.layer[states.frozen:])
    rows = list(idx)
    where = {i: n for n, i in enumerate(rows)}
    out = np.zeros(len(rows), dtype=np.float32)
    with torch.inference_mode():
        for chunk in _batches(states, rows, None):
            hidden, mask = states.batch(chunk)
            z = crossencoder.pooled_logit(crossencoder.run_layers(layers, hidden, mask), mask,
                                          shipped["head_weight"], shipped["head_bias"])
            out[[where[i] for i in chunk]] = z.numpy()
    return out


def _cached_train(states: LowerStates, labels: np.ndarray, idx: Sequence[int], pairs_key: str,
                  log: str) -> State:
    torch = _torch()
    path = CACHE / f"model-{_key('model', SETTINGS, pairs_key, list(idx))}.pt"
    if path.exists():
        loaded: State = torch.load(path, weights_only=True)
        return loaded
    state = train(states, labels, idx, log)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(state, path)
    return state


def pairs_key(pairs: Sequence[tuple[str, str]], labels: np.ndarray) -> str:
    return _key("pairs", list(pairs), labels.tolist())


def oof_path(pairs: Sequence[tuple[str, str]], labels: np.ndarray, k: int) -> Path:
    """Where the out-of-fold logits of these pairs under k folds are kept."""
    return CACHE / f"oof-{_key('oof', SETTINGS, pairs_key(pairs, labels), k)}.npy"


def out_of_fold(pairs: Sequence[tuple[str, str]], labels: np.ndarray, k: int) -> np.ndarray:
    """Each pair's logit from the model trained on the other folds (fold models and logits cached)."""
    path = oof_path(pairs, labels, k)
    if path.exists():
        return np.load(path)
    states = LowerStates(pairs)
    key = pairs_key(pairs, labels)
    out = np.zeros(len(pairs), dtype=np.float32)
    for n, held in enumerate(train_claims.folds(len(pairs), k)):
        train_idx = sorted(set(range(len(pairs))) - set(held.tolist()))
        state = _cached_train(states, labels, train_idx, key, f"fold {n + 1}/{k} ")
        out[held] = logits(state, states, [int(i) for i in held])
    np.save(path, out)
    return out


def fit_all(pairs: Sequence[tuple[str, str]], labels: np.ndarray) -> State:
    """The model fitted on every pair (what ships)."""
    states = LowerStates(pairs)
    return _cached_train(states, labels, list(range(len(pairs))), pairs_key(pairs, labels), "all pairs ")


def shipped(state: State, trained_on: str) -> dict[str, Any]:
    """What newsfuse loads (crossencoder.CrossEncoder): the top layers and head as float16."""
    torch = _torch()
    layers = {k: v.to(torch.float16) for k, v in state.items() if k.startswith("encoder.")}
    version = hashlib.sha256(b"".join(v.numpy().tobytes() for v in layers.values())).hexdigest()[:12]
    return {"layers": layers, "head_weight": state["head_weight"].to(torch.float16),
            "head_bias": state["head_bias"].to(torch.float16), "max_tokens": MAX_TOKENS,
            "version": f"msrp-top{TOP_LAYERS}-{version}", "trained_on": trained_on}


def save(state: State, path: Path, trained_on: str) -> int:
    """Write the shipped weights to ``path``; returns the file's bytes."""
    torch = _torch()
    buffer = io.BytesIO()
    torch.save(shipped(state, trained_on), buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return len(buffer.getvalue())


def _only(what: str, pairs: Sequence[tuple[str, str]], y: np.ndarray, k: int) -> None:
    if what.startswith("lower"):
        LowerStates(pairs, only_part=int(what.removeprefix("lower")))
    elif what.startswith("fold"):
        n = int(what.removeprefix("fold"))
        held = set(train_claims.folds(len(pairs), k)[n].tolist())
        idx = [i for i in range(len(pairs)) if i not in held]
        _cached_train(LowerStates(pairs), y, idx, pairs_key(pairs, y), f"fold {n + 1}/{k} ")
    elif what == "all":
        fit_all(pairs, y)
    else:
        raise SystemExit(f"--only {what}: expected lower0, lower1, fold0..fold{k - 1} or all")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train", type=Path, help="MSRP-format training pairs")
    ap.add_argument("--out", type=Path, default=crossencoder.WEIGHTS_PATH)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--limit", type=int, help="first N pairs (a timing slice; writes nothing)")
    ap.add_argument("--no-final", action="store_true", help="cross-validate only")
    ap.add_argument("--only", help="lowerP (part P of the lower layers' output), foldK (the model without "
                    "fold K) or all (the model on every pair): compute it into the cache and exit")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    read = train_claims.read_pairs(args.train, args.limit)
    pairs = [(p.a, p.b) for p in read]
    y = np.array([p.label for p in read])
    if args.only:
        _only(args.only, pairs, y, args.folds)
        print(json.dumps({"only": args.only, "seconds": round(time.perf_counter() - started, 1)}))
        return 0
    oof = out_of_fold(pairs, y, args.folds)
    result: dict[str, Any] = {"pairs": len(pairs), "folds": args.folds, "settings": list(SETTINGS),
                              "cv": train_claims.scores((oof >= 0).astype(int), y)}
    print(f"cross-encoder alone, {args.folds}-fold CV: accuracy {result['cv']['accuracy']:.4f} "
          f"F1 {result['cv']['f1']:.4f}")
    if not args.no_final and args.limit is None:
        result["bytes"] = save(fit_all(pairs, y), args.out, args.train.name)
        result["out"] = str(args.out)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

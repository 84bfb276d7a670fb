"""Fine-tune the cross-encoder (newsfuse/fuse/claims/crossencoder.py) on MSRP-format pairs, on CPU.

Usage (from the project root, inside the venv)::

    python bench/train_pairmodel.py ../shared/bench/msrp/msr_paraphrase_train.txt
        [--out newsfuse/data/claims/crossencoder.pt] [--folds 3] [--limit N] [--no-final]
        [--top 6] [--lr 8e-5] [--epochs 2] [--only lower0|lower1|select|foldK|all]

The packaged all-MiniLM-L6-v2 reads both sentences at once ('[CLS] a [SEP] b [SEP]'); the product
reads a pair in text order, training reads it in both orders (an augmentation that also teaches the
model that order means nothing). The top ``TOP_LAYERS`` transformer layers (all six by default) and a
one-unit head on the mean of the last hidden states learn; the embeddings and any lower layers stay
frozen, so their output for each pair (both orders) is computed once and kept on disk under ``CACHE``.
AdamW, 10% warm-up then linear decay, batch 16 (pairs of like length together), dropout on while
training and off when scoring.

Settings were chosen on an inner holdout of MSRP train (``--only select --lr R``: fit on 80% of fold 0's
training part, scored after each epoch on the other 20%; fold 0's own held pairs never read), one
process per rate, at session 9 on a shared 2-core host:

* top 2 layers (lower 4 frozen), lr 6e-5 / 2e-4: holdout accuracy 0.674 / 0.691 after epoch 1, 0.691 /
  0.692 after epoch 2 (training loss 0.47 / 0.33: the two layers overfit, the pair is not read);
* all six layers, lr 3e-5 / 8e-5: 0.718 / 0.751 after epoch 1 (stopped there for time).
  8e-5 was kept. Two epochs, not three: the host's time (a step of the full model costs ~1 s of one
  core; the three fold models and the final one, side by side at a quarter core each, took ~55 min).

``--only lower0|lower1|foldK|all`` computes one part and exits, so parts can run side by side in
separate processes (one torch thread each). Otherwise the script fits one model per fold (k-fold CV
on this file only), writes each pair's out-of-fold logit (scored by a model that never saw it, the mean
of its two reading orders as the product reads it: ``crossencoder.pair_logits``) to ``CACHE``, where
bench/train_claims.py and bench/claims.py read them to learn and score the matcher, then fits on every
pair and writes what ships. Its last line is one JSON object.

To reproduce what ships (the weights, then the matcher reading them)::

    python bench/train_pairmodel.py ../shared/bench/msrp/msr_paraphrase_train.txt --folds 3
    python bench/train_claims.py ../shared/bench/msrp/msr_paraphrase_train.txt --folds 3 --cross-encoder
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
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
TOP_LAYERS = 6
EPOCHS = 2
BATCH = 16
LEARNING_RATE = 8e-5
HEAD_LEARNING_RATE = 1e-3
WARMUP = 0.1
MAX_TOKENS = 128
SEED = 13
# One torch thread per process: with two threads on a shared 2-core host, one thread is preempted
# and the other spins waiting for it (a full fine-tune step took 15 s with two threads, 5 s with one,
# load 12). Folds are trained in separate processes side by side instead (--only).
THREADS = 1
# The lower layers' output is kept for both orders of each pair (part 0: text order, as the product
# reads a pair; part 1: swapped): training reads both, an augmentation that also teaches symmetry.
LOWER_PARTS = 2
HOLDOUT = 0.2  # --select: share of fold 0's training part held out to choose the settings
LEARNING_RATES = (3e-5, 8e-5)  # --select tries these (one process each, --lr)


def settings() -> tuple[object, ...]:
    """What a trained model depends on (part of every cache key)."""
    return (TOP_LAYERS, EPOCHS, BATCH, LEARNING_RATE, HEAD_LEARNING_RATE, WARMUP, MAX_TOKENS, SEED,
            LOWER_PARTS)

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
    """The frozen lower layers' output of each pair (unpadded, float16), computed once. Sequence
    ``i`` is pair ``i`` in text order, sequence ``n + i`` the same pair swapped (:meth:`rows`); the
    two orders are kept on disk as two parts (so two processes can compute them side by side)."""

    def __init__(self, pairs: Sequence[tuple[str, str]], only_part: int | None = None) -> None:
        torch = _torch()
        self.frozen = 6 - TOP_LAYERS
        self.n = len(pairs)
        ordered = [ordered_pair(a, b) for a, b in pairs]
        orders = [ordered, [(b, a) for a, b in ordered]][:LOWER_PARTS]
        parts = []
        for part, chunk in enumerate(orders):
            if only_part is not None and part != only_part:
                continue
            path = CACHE / f"lower-{_key('lower', self.frozen, MAX_TOKENS, chunk)}.pt"
            if not path.exists():
                _lower_part(chunk, self.frozen, path)
            parts.extend(torch.load(path, weights_only=True))
        lengths = torch.tensor([c.shape[0] for c in parts])
        self.offsets = torch.cat([torch.zeros(1, dtype=torch.long), lengths.cumsum(0)])
        self.flat = torch.cat(parts)

    def rows(self, idx: Sequence[int]) -> list[int]:
        """The training sequences of pairs ``idx``: each pair in every order kept."""
        return [part * self.n + i for part in range(LOWER_PARTS) for i in idx]

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
    _save_atomic(chunks, path)


def _save_atomic(obj: Any, path: Path) -> None:
    """Write ``obj`` to ``path`` whole or not at all: processes side by side read the same cache."""
    torch = _torch()
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    torch.save(obj, part)
    os.replace(part, path)


def _batches(states: LowerStates, rows: Sequence[int], rng: np.random.Generator | None) -> list[list[int]]:
    """Batches of sequences of like length (little padding), in random order when ``rng`` is given."""
    order = sorted(rows, key=lambda i: (states.length(i), i))
    chunks = [order[lo:lo + BATCH] for lo in range(0, len(order), BATCH)]
    if rng is not None:
        rng.shuffle(chunks)  # type: ignore[arg-type]
    return chunks


def train(states: LowerStates, labels: np.ndarray, idx: Sequence[int], log: str = "",
          watch: Callable[[State, int], None] | None = None) -> State:
    """The top layers and head fitted on pairs ``idx`` (labels 0/1), each in both orders;
    ``watch(state, epoch)`` is called after every epoch (--select scores its holdout there)."""
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
    rows = states.rows(idx)
    y = torch.tensor(np.concatenate([labels] * LOWER_PARTS), dtype=torch.float32)
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
              f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
        if watch is not None:
            watch(_state(layers, head, states.frozen), epoch + 1)
    return _state(layers, head, states.frozen)


def _state(layers: Sequence[Any], head: Any, frozen: int) -> State:
    state: State = {f"encoder.layer.{frozen + n}.{k}": v.detach().clone()
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
    path = CACHE / f"model-{_key('model', settings(), pairs_key, list(idx))}.pt"
    if path.exists():
        loaded: State = torch.load(path, weights_only=True)
        return loaded
    state = train(states, labels, idx, log)
    _save_atomic(state, path)
    return state


def pairs_key(pairs: Sequence[tuple[str, str]], labels: np.ndarray) -> str:
    return _key("pairs", list(pairs), labels.tolist())


def oof_path(pairs: Sequence[tuple[str, str]], labels: np.ndarray, k: int) -> Path:
    """Where the out-of-fold logits of these pairs under k folds are kept (both orders averaged)."""
    return CACHE / f"oof-{_key('oof', settings(), pairs_key(pairs, labels), k, 'mean of both orders')}.npy"


def out_of_fold(pairs: Sequence[tuple[str, str]], labels: np.ndarray, k: int) -> np.ndarray:
    """Each pair's logit from the model trained on the other folds, the mean of its two reading
    orders as the product reads it (crossencoder.pair_logits); fold models and logits cached."""
    path = oof_path(pairs, labels, k)
    if path.exists():
        return np.load(path)
    states = LowerStates(pairs)
    key = pairs_key(pairs, labels)
    out = np.zeros(len(pairs), dtype=np.float32)
    for n, held in enumerate(train_claims.folds(len(pairs), k)):
        train_idx = sorted(set(range(len(pairs))) - set(held.tolist()))
        state = _cached_train(states, labels, train_idx, key, f"fold {n + 1}/{k} ")
        rows = [int(i) for i in held]  # sequence part * n + i is pair i in reading order ``part``
        out[held] = np.mean([logits(state, states, [part * len(pairs) + i for i in rows])
                             for part in range(LOWER_PARTS)], axis=0)
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


def select(pairs: Sequence[tuple[str, str]], labels: np.ndarray, k: int) -> dict[str, Any]:
    """Holdout accuracy after each epoch at the current learning rate: trained on fold 0's training
    part less ``HOLDOUT`` of it, scored on that held-out share (text order, as the product reads).
    Fold 0's own held pairs are never read; run once per rate in ``LEARNING_RATES`` (--lr)."""
    held0 = set(train_claims.folds(len(pairs), k)[0].tolist())
    part = [i for i in range(len(pairs)) if i not in held0]
    order = np.random.default_rng(SEED + 1).permutation(len(part))
    cut = int(HOLDOUT * len(part))
    holdout = sorted(part[i] for i in order[:cut])
    fit_on = sorted(part[i] for i in order[cut:])
    states = LowerStates(pairs)
    found: dict[str, Any] = {"lr": LEARNING_RATE, "top_layers": TOP_LAYERS, "fit_pairs": len(fit_on),
                             "holdout_pairs": len(holdout), "epochs": {}}

    def watch(state: State, epoch: int) -> None:
        z = logits(state, states, holdout)
        found["epochs"][epoch] = train_claims.scores((z >= 0).astype(int), labels[holdout])
        print(f"  lr {LEARNING_RATE:g} epoch {epoch}: holdout {found['epochs'][epoch]}", file=sys.stderr,
              flush=True)

    train(states, labels, fit_on, f"select lr {LEARNING_RATE:g} ", watch)
    return found


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
    elif what == "select":
        print(json.dumps(select(pairs, y, k)))
    else:
        raise SystemExit(f"--only {what}: expected lower0, lower1, fold0..fold{k - 1}, all "
                         "or select")


def _configure(lr: float, epochs: int, top: int) -> None:
    global LEARNING_RATE, EPOCHS, TOP_LAYERS
    LEARNING_RATE, EPOCHS, TOP_LAYERS = lr, epochs, top


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train", type=Path, help="MSRP-format training pairs")
    ap.add_argument("--out", type=Path, default=crossencoder.WEIGHTS_PATH)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--limit", type=int, help="first N pairs (a timing slice; writes nothing)")
    ap.add_argument("--no-final", action="store_true", help="cross-validate only")
    ap.add_argument("--only", help="lowerP (part P of the lower layers' output), foldK (the model without "
                    "fold K) or all (the model on every pair): compute it into the cache and exit")
    ap.add_argument("--lr", type=float, default=LEARNING_RATE, help="learning rate of the fine-tuned layers")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--top", type=int, default=TOP_LAYERS, help="top layers fine-tuned (the rest frozen)")
    args = ap.parse_args(argv)
    _configure(args.lr, args.epochs, args.top)
    started = time.perf_counter()
    read = train_claims.read_pairs(args.train, args.limit)
    pairs = [(p.a, p.b) for p in read]
    y = np.array([p.label for p in read])
    if args.only:
        _only(args.only, pairs, y, args.folds)
        print(json.dumps({"only": args.only, "seconds": round(time.perf_counter() - started, 1)}))
        return 0
    oof = out_of_fold(pairs, y, args.folds)
    result: dict[str, Any] = {"pairs": len(pairs), "folds": args.folds, "settings": list(settings()),
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

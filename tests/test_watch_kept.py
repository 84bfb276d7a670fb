"""The refresh process's caches sized in bytes and held to byte bounds (newsfuse/watch/kept.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from newsfuse import defaults
from newsfuse.watch.kept import Governor, Kept, deep_bytes, held_in_all, refresh_caches, spread


def test_deep_bytes_counts_array_buffers_and_shared_objects_once() -> None:
    vector = np.zeros(4096, dtype=np.float32)  # 16 KB
    seen: set[int] = set()
    first = deep_bytes([vector, vector[:10]], seen)  # the view's buffer is its base's
    assert 16_384 <= first < 20_000
    assert deep_bytes({"again": vector}, seen) < 1_000  # already counted: only the dict and key


def test_deep_bytes_leaves_skipped_types_to_another_cache() -> None:
    held = [b"w" * 50_000, "small"]
    assert deep_bytes(held, set()) > 50_000
    assert deep_bytes(held, set(), skip=(bytes,)) < 1_000


def test_spread_samples_old_and_new_entries() -> None:
    assert spread(list(range(10)), 20) == list(range(10))
    got = spread(list(range(100)), 4)
    assert got == [0, 25, 50, 75]


class _Cache:
    def __init__(self, n: int, each: int) -> None:
        self.items = ["x" * each for _ in range(n)]
        self.size = 1000


def _kept(cache: _Cache, bound: int, most: int = 1000) -> Kept:
    def resize(n: int) -> None:
        cache.size = n
    return Kept("test", bound, lambda: list(cache.items), resize, most)


def test_governor_sets_the_entry_bound_that_fits_the_byte_bound() -> None:
    cache = _Cache(50, 10_000)  # ~10 KB an entry
    got = Governor([_kept(cache, 200_000)], every=1, sample=8).check()
    assert 15 <= cache.size <= 20  # 200 KB of ~10 KB entries
    assert got["test"]["entries"] == 50
    assert got["test"]["allowed"] == cache.size


def test_governor_never_raises_a_cache_above_its_own_bound() -> None:
    cache = _Cache(5, 100)
    Governor([_kept(cache, 10**9, most=300)], every=1).check()
    assert cache.size == 300


def test_governor_sizes_only_when_not_applying_and_checks_every_n_refreshes() -> None:
    cache = _Cache(20, 10_000)
    governor = Governor([_kept(cache, 50_000)], every=3)
    governor.check(apply=False)
    assert cache.size == 1000
    governor.after_refresh()
    governor.after_refresh()
    assert cache.size == 1000
    governor.after_refresh()  # the third refresh checks
    assert cache.size < 10


def test_every_refresh_cache_has_a_byte_bound_in_defaults() -> None:
    kept = refresh_caches()
    assert {k.name for k in kept} == set(defaults.WATCH_KEPT_BYTES)
    for k in kept:
        assert k.bound == defaults.WATCH_KEPT_BYTES[k.name] > 0
        entries: list[Any] = k.entries()  # readable in a fresh process
        assert isinstance(entries, list)


def test_the_refresh_work_holds_its_caches_to_byte_bounds_unless_asked_not_to() -> None:
    from newsfuse.store import Store
    from newsfuse.watch.fuser import FusionWork

    with Store(":memory:") as store:
        governed = FusionWork(store)
        assert governed.governor is not None
        assert {k.name for k in governed.governor.kept} == set(defaults.WATCH_KEPT_BYTES)
        assert FusionWork(store, kept_bytes=False).governor is None


def test_deep_bytes_does_not_walk_into_another_library_s_objects() -> None:
    from fractions import Fraction

    class Holder:  # a newsfuse-like record would be walked; this test's class is not newsfuse's
        pass

    outside = Holder()
    outside.big = "w" * 50_000  # type: ignore[attr-defined]
    assert deep_bytes([outside], set()) < 1_000
    assert deep_bytes([Fraction(1, 3)], set()) < 1_000


def test_the_statement_memos_are_sized_and_their_entries_go_with_their_statements() -> None:
    import gc

    from newsfuse.fuse.claims import meaning

    class Told:  # stands for a statement: takes weak references
        pass

    told = Told()
    runs = (("memo-kept-levee", 0, 41), ("memo-kept-levee", 42, 90))
    try:
        meaning._runs.get(told, lambda: runs)
        memos = next(k for k in refresh_caches() if k.name == "statement_memos")
        assert runs in memos.entries() and memos.resize is None  # sized only
        del told
        gc.collect()
        assert runs not in memos.entries()
    finally:
        meaning.forget()


def test_caches_bounded_by_their_own_settings_are_held_to_the_budget_too() -> None:
    from newsfuse.fuse.claims import vectors

    held = {k.name: k for k in refresh_caches()}
    for name in ("sentence_vectors", "coref_vectors", "claim_rows", "timeline_merges", "boilerplate_edges"):
        assert held[name].resize is not None and held[name].most > 0
    keys = [(f"a_kept_budget{n}", 0, 30) for n in range(40)]
    try:
        for key in keys:
            vectors._remember(key, np.full(384, 0.5, dtype=np.float32))
        budget = held["sentence_vectors"]
        budget.bound = 20_000  # ~10 entries of ~2 KB: a budget scaled far down
        Governor([budget], every=1, sample=8).check()
        assert 2 <= len(vectors._MEMORY) <= 10
        assert keys[-1] in vectors._MEMORY and keys[0] not in vectors._MEMORY  # least recent dropped
    finally:
        vectors.keep_at_most(None)
        for key in keys:
            vectors._MEMORY.pop(key, None)


def test_a_refresh_that_grew_the_process_past_the_rise_checks_at_once() -> None:
    cache = _Cache(20, 10_000)
    resident = [500 * 2**20]
    governor = Governor([_kept(cache, 50_000)], every=25, rise=8 * 2**20, resident=lambda: resident[0])
    governor.after_refresh()
    assert cache.size == 1000 and governor.checks == 0  # grew by nothing: waits for the 25th
    resident[0] += 4 * 2**20
    governor.after_refresh()
    assert cache.size == 1000  # under the rise
    resident[0] += 6 * 2**20  # one big story's refresh: 10 MB over the last check
    governor.after_refresh()
    assert cache.size < 10 and (governor.checks, governor.early) == (1, 1)
    governor.after_refresh()  # measured from the check: nothing new
    assert governor.checks == 1


def test_no_resident_figure_leaves_the_checks_every_n_refreshes() -> None:
    cache = _Cache(20, 10_000)
    governor = Governor([_kept(cache, 50_000)], every=2, rise=1, resident=lambda: None)
    governor.after_refresh()
    assert governor.checks == 0
    governor.after_refresh()
    assert (governor.checks, governor.early) == (1, 0)


def test_units_size_an_entry_that_stands_for_many() -> None:
    cache = _Cache(4, 10_000)  # four 'memos' of ~10 KB, each holding 100 entries
    got = Kept("test", 20_000, lambda: list(cache.items), None, 0, units=lambda _: 100)
    out = Governor([got], every=1).check()
    assert out["test"]["entries"] == 400
    assert 90 < got.per_entry < 130  # bytes per entry, not per memo


def test_the_kept_states_of_other_modules_are_under_the_budget() -> None:
    held = {k.name: k for k in refresh_caches()}
    for name in ("relation_memos", "entity_states", "story_profiles"):
        assert held[name].resize is not None and held[name].most > 0
    assert held["relation_memos"].units is len
    names = [k.name for k in refresh_caches()]
    assert names.index("relation_memos") < names.index("alignments")  # charged before the rest of it


def test_what_all_caches_hold_together_counts_shared_and_skipped_objects_once() -> None:
    from newsfuse.watch.fuser import Placed  # a record of newsfuse's own (walked into)

    shared = Placed("kept-together-" + "h" * 200_000, [])
    first = Kept("first", 10**9, lambda: [shared])
    # the second skips Placed (charged to the first), and holds one the first has dropped
    dropped = Placed("kept-together-" + "d" * 300_000, [])
    second = Kept("second", 10**9, lambda: [[shared], [dropped]], skip=(Placed,))
    got = held_in_all([first, second], (Placed,))
    assert 0.45 < got["mb"] < 0.6  # both payloads once: the shared one not twice, the dropped one too
    assert got["Placed"] == 2
    sized = Governor([first, second], every=1).check(apply=False)
    assert sized["second"]["mb"] < 0.01  # what the sizing charges the second: not the dropped one


def test_the_kept_sentence_lists_are_under_the_budget_and_drop_their_oldest_articles() -> None:
    """The meaning pass's and chain join's kept sentence lists hold their statements (and analyses)
    after the statements cache dropped them: sized right after the statements and held to bytes."""
    from newsfuse.fuse.claims import meaning

    held = {k.name: k for k in refresh_caches()}
    names = list(held)
    assert names.index("statements") < names.index("sentence_lists") < names.index("alignments")
    lists = held["sentence_lists"]
    kept = meaning.MEANING_SENTENCES
    try:
        for n in range(30):  # ~10 KB an article: one pair whose 'statement' holds a buffer
            pairs: Any = [(0, np.full(1200, n, dtype=np.float64))]
            kept._kept[f"a_kept_lists{n}"] = (pairs, [])
            kept.pairs += 1
        lists.bound = 60_000  # ~6 articles over the two lists: a budget scaled far down
        Governor([lists], every=1, sample=8).check()
        left = [a for a in kept._kept if a.startswith("a_kept_lists")]
        assert 1 <= len(left) <= 6 and "a_kept_lists29" in left and "a_kept_lists0" not in left
        assert kept.pairs == len(kept._kept)
    finally:
        kept.keep_at_most(None)
        kept.clear()

"""The bounded memo fusion keeps between fuses (newsfuse/fuse/claims/lru.py)."""

from __future__ import annotations

from newsfuse.fuse.claims.lru import SlotLRU


def test_a_value_is_built_once_per_key_and_the_least_recently_used_goes_first() -> None:
    built: list[str] = []

    def build(word: str) -> str:
        built.append(word)
        return word.upper()

    memo: SlotLRU[str] = SlotLRU(2)
    assert [memo.get(w, lambda w=w: build(w)) for w in ("dam", "gate", "dam", "sluice", "dam")] == [
        "DAM", "GATE", "DAM", "SLUICE", "DAM"]
    assert built == ["dam", "gate", "sluice"]  # 'gate' was dropped, 'dam' kept by its last use
    assert (len(memo), memo.hits, memo.misses) == (2, 2, 3)
    memo.get("gate", lambda: build("gate"))
    assert built[-1] == "gate"


def test_a_new_key_for_a_slot_replaces_the_old_entry_and_size_zero_keeps_nothing() -> None:
    memo: SlotLRU[int] = SlotLRU(10)
    assert memo.get(("article-1", "v1"), lambda: 1, slot="article-1") == 1
    assert memo.get(("article-1", "v2"), lambda: 2, slot="article-1") == 2  # a re-analysis misses
    assert len(memo) == 1 and memo.get(("article-1", "v2"), lambda: 3, slot="article-1") == 2
    off: SlotLRU[int] = SlotLRU(0)
    assert [off.get("k", lambda n=n: n) for n in (1, 2)] == [1, 2] and len(off) == 0
    memo.clear()
    assert (len(memo), memo.hits, memo.misses) == (0, 0, 0)


def test_a_hit_keeps_the_key_it_was_asked_with_so_an_equal_old_key_is_freed() -> None:
    import gc
    import weakref

    class Reading(list[str]):  # an analysis re-read as an equal, new object (a list takes weak refs)
        __hash__ = None  # type: ignore[assignment]

    old, new = Reading(["sluice gate opened"]), Reading(["sluice gate opened"])
    gone = weakref.ref(old)
    memo: SlotLRU[int] = SlotLRU(4)
    assert memo.get(("lock-keeper-article", old), lambda: 7, slot="lock-keeper-article") == 7
    del old
    assert memo.get(("lock-keeper-article", new), lambda: 8, slot="lock-keeper-article") == 7  # a hit
    gc.collect()
    assert gone() is None  # the entry now holds the equal new object, not the old one
    assert (memo.hits, memo.misses) == (1, 1)


def test_a_value_is_kept_per_object_not_per_equal_value_and_the_bound_drops_all() -> None:
    from newsfuse.fuse.claims.lru import PerObject

    built: list[tuple[str, ...]] = []

    def build(words: tuple[str, ...]) -> int:
        built.append(words)
        return len(words)

    memo: PerObject[tuple[str, ...], int] = PerObject(2, build)
    dam, gate = ("the", "dam"), ("the", "gate", "opened")
    assert [memo(dam), memo(gate), memo(dam)] == [2, 3, 2] and built == [dam, gate]
    twin = tuple(["the", "dam"])  # equal to dam, another object: built for it (kept by identity)
    assert twin == dam and twin is not dam
    assert memo(twin) == 2 and len(built) == 3  # and the bound of 2 dropped everything before it
    assert memo(dam) == 2 and len(built) == 4
    off: PerObject[tuple[str, ...], int] = PerObject(0, build)
    assert [off(dam), off(dam)] == [2, 2] and len(built) == 6


def test_a_per_object_bound_may_follow_another_memos_bound() -> None:
    from newsfuse.fuse.claims.lru import PerObject

    bound = [0]
    memo: PerObject[tuple[str, ...], int] = PerObject(lambda: bound[0], len)
    levee = ("the", "levee")
    assert memo(levee) == 2 and len(memo._items) == 0  # bound 0: nothing kept
    bound[0] = 5
    assert memo(levee) == 2 and len(memo._items) == 1


def test_a_per_object_entry_goes_with_its_object_when_it_takes_weak_references() -> None:
    import gc

    from newsfuse.fuse.claims.lru import PerObject

    class Report:  # a plain object, as a statement is: it takes weak references
        def __init__(self, text: str) -> None:
            self.text = text

    memo: PerObject[Report, int] = PerObject(10, lambda r: len(r.text))
    flood, quake = Report("the river flooded the valley"), Report("the quake shook the port")
    assert memo(flood) == 28 and memo(quake) == 24 and len(memo) == 2
    del flood
    gc.collect()
    assert len(memo) == 1  # the memo kept no dropped report alive
    assert memo(quake) == 24 and len(memo) == 1
    kept = ("the", "dam", "held")  # a tuple takes no weak reference: kept with its value, as before
    words: PerObject[tuple[str, ...], int] = PerObject(10, len)
    assert words(kept) == 3 and len(words) == 1


def test_an_analysis_is_kept_weakly_and_its_entry_goes_with_it() -> None:
    import gc

    from newsfuse.fuse.claims.lru import PerObject
    from newsfuse.models import Analysis

    memo: PerObject[Analysis, int] = PerObject(10, lambda a: len(a.article_id))
    analysis = Analysis("a_lru_weak_analysis1")
    assert memo(analysis) == 20 and len(memo) == 1
    del analysis
    gc.collect()
    assert len(memo) == 0  # nothing kept it alive: the memo held it by a weak reference

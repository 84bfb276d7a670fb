"""The journal of a greedy state's writes (newsfuse/fuse/claims/undo.py): going back to a position
gives the state as it was there, dict order included; trimming forgets only what is before."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from newsfuse.fuse.claims.undo import Undo


@dataclass
class _Box:
    size: int


def _state() -> tuple[dict[str, int], list[int], set[str], _Box]:
    return {"x": 1, "y": 2}, [1, 2], {"p"}, _Box(1)


def _write(undo: Undo, d: dict[str, int], items: list[int], found: set[str], box: _Box, n: int) -> None:
    undo.put(d, f"k{n}", n)
    undo.put(d, "x", n)  # an existing key: its value comes back, its place in the order stays
    undo.append(items, n)
    undo.set_at(items, 0, -n)
    undo.add(found, f"s{n}")
    undo.add(found, "p")  # already there: nothing to undo
    undo.discard(found, "p")
    undo.attr(box, "size", box.size + n)
    if n == 2:
        undo.pop(d, "y")


def test_going_back_to_each_position_gives_the_state_there() -> None:
    d, items, found, box = _state()
    undo = Undo(start=5)
    seen = []
    for n in range(5, 9):
        seen.append(copy.deepcopy((d, items, found, box)))
        undo.mark()
        _write(undo, d, items, found, box, n - 4)
    for n in (8, 6):
        assert undo.covers(n)
        undo.back_to(n)
        assert (d, items, found, box) == seen[n - 5]
    assert not undo.covers(4) and not undo.covers(7)


def test_keys_put_after_a_position_leave_the_order_as_it_was() -> None:
    d = {"x": 1, "y": 2}
    undo = Undo(start=0)
    undo.mark()
    undo.put(d, "z", 3)
    undo.put(d, "x", 4)
    undo.mark()
    undo.put(d, "w", 5)
    undo.back_to(1)
    assert list(d.items()) == [("x", 4), ("y", 2), ("z", 3)]
    undo.back_to(0)
    assert list(d.items()) == [("x", 1), ("y", 2)]
    assert not undo.covers(4) and not undo.covers(7)


def test_going_back_to_the_end_undoes_nothing_and_trim_keeps_the_rest() -> None:
    d, items, found, box = _state()
    undo = Undo(start=0)
    seen = []
    for n in range(3):
        seen.append(copy.deepcopy((d, items, found, box)))
        undo.mark()
        _write(undo, d, items, found, box, n + 1)
    undo.back_to(3)
    assert items == [-3, 2, 1, 2, 3]
    undo.trim(1)
    assert undo.start == 1 and not undo.covers(0) and len(undo.marks) == 2
    undo.back_to(1)
    assert (d, items, found, box) == seen[1]
    undo.trim(5)  # past its end: nothing left to go back over
    assert undo.start == 5 and len(undo) == 0 and undo.covers(5)

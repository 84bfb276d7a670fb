"""The greedy alignment (newsfuse/fuse/claims/align.py): a group asked again about a signature answers
what comparing it with every agreeing member answers, after members came to agree too."""

from __future__ import annotations

from bergstory import berg_analysis

from newsfuse.fuse.claims.align import _first_relation, _Group, _relation_to_group, align
from newsfuse.fuse.claims.relations import Memo
from newsfuse.fuse.claims.statements import Statement, statements
from newsfuse.models import Article

SENTENCES = [
    "The ministry fired Tomas Berg on Monday after an audit of the dam.",
    "Tomas Berg was fired on Monday, a ministry spokesman said.",
    "Tomas Berg praised the dam inspectors on Monday evening.",
    "The ministry said on Monday it fired Tomas Berg over the audit.",
]


def _items() -> list[Statement]:
    out: list[Statement] = []
    for n in range(6):
        text = " ".join(SENTENCES[(n + k) % len(SENTENCES)] for k in range(2))
        a = Article(id=f"al{n}", text=text, outlet=f"Dam Outlet {n % 3}", published=f"2025-05-{n + 1:02d}")
        emap = {(a.id, "Tomas Berg"): "e_tberg"}
        out += statements(a, berg_analysis(a, SENTENCES), emap, set(), {"e_tberg": "Tomas Berg"})
    return out


def test_a_group_asked_again_answers_as_every_agreeing_member_does() -> None:
    items = _items()
    memo = Memo(items)
    group = _Group()
    group.add(items[0], items[0].stance, None, memo)
    asked = 0
    for s in items[1:] * 2:  # each signature asked again, after the group grew
        want = _first_relation(list(group.agreeing.values()), s, memo)
        assert _relation_to_group(group, s, memo) == want
        asked += want is not None
        if memo.sig(s) not in group.agreeing:
            group.add(s, s.stance, None, memo)
    assert asked > 0 and len(group.agreeing) > 1


def test_alignment_with_its_memo_equals_one_with_a_fresh_memo_per_group() -> None:
    items = _items()
    groups = align(items)
    again = align(items, Memo(items))
    assert [[m[0].id for m in g.members] for g in groups] == [[m[0].id for m in g.members] for g in again]
    for g in groups:
        for s in items:
            assert _relation_to_group(g, s) == _relation_to_group(g, s, Memo(items))

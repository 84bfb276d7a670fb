"""A story's analyses kept between fuses (fuse/analyses.py): what the store holds, read again only
when its digest (migration 24) changed, never trusted past a change or a rollback."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsfuse.fuse.analyses import KeptAnalyses
from newsfuse.fuse.entities.names import mention_groups
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Mention
from newsfuse.store import Store, queries


@pytest.fixture
def store(any_store: Store) -> Store:
    """Every test here on both backends (the digest is a column of migration 24)."""
    return any_store


def _article(store: Store, n: int, names: list[str]) -> Analysis:
    text = " and ".join(names) + " met in Dunmere."
    aid = f"a{n}"
    store.add_article(Article(id=aid, text=text, outlet=f"Outlet {n}", published="2025-09-14"))
    mentions = tuple(Mention(content_id(aid, i), aid, text.index(name), text.index(name) + len(name), name,
                             "PERSON", "name", name) for i, name in enumerate(names))
    analysis = Analysis(aid, mentions=mentions, version="v1")
    store.put_analysis(analysis)
    return analysis


@pytest.fixture
def three(store: Store) -> list[str]:
    for n, names in enumerate((["Mirela Kostan", "Ana Bors"], ["Kostan"], ["Ana Bors", "Ion Vlad"])):
        _article(store, n, names)
    store.add_article(Article(id="a_none", text="Not analysed yet."))
    return ["a0", "a1", "a2", "a_none"]


def test_kept_analyses_are_what_the_store_holds_read_once(store: Store, three: list[str]) -> None:
    kept = KeptAnalyses(10)
    first = kept.get(store, three)
    assert first == queries.get_analyses(store, three) and list(first) == three
    assert (kept.kept, kept.read) == (0, 4)
    again = kept.get(store, three)
    assert again == first and all(again[a] is first[a] for a in ("a0", "a1", "a2"))
    assert kept.kept == 3  # the unanalysed article has no digest: it is read every time
    assert again["a_none"].mentions == ()


def test_a_reanalysed_article_is_read_again(store: Store, three: list[str]) -> None:
    kept = KeptAnalyses(10)
    before = kept.get(store, three)
    changed = replace(before["a1"], mentions=before["a1"].mentions[:0])  # same second, same version
    store.put_analysis(changed)
    after = kept.get(store, three)
    assert after["a1"] == changed and after["a1"] != before["a1"]
    assert after["a0"] is before["a0"] and after["a2"] is before["a2"]


def test_a_rolled_back_reanalysis_is_not_trusted(store: Store, three: list[str]) -> None:
    kept = KeptAnalyses(10)
    before = kept.get(store, three)
    with pytest.raises(RuntimeError), store.transaction():
        store.put_analysis(replace(before["a0"], mentions=()))
        assert kept.get(store, three)["a0"].mentions == ()  # read inside: the new one, kept
        raise RuntimeError("fuse failed")
    assert kept.get(store, three)["a0"] == before["a0"]  # the digest went back with the rows


def test_an_analysis_from_before_the_digest_is_read_every_time(store: Store, three: list[str]) -> None:
    with store.transaction():
        store.db.execute("UPDATE analyses SET digest = NULL WHERE article_id = ?", ("a2",))
    kept = KeptAnalyses(10)
    kept.get(store, three)
    second = kept.get(store, three)
    assert second == queries.get_analyses(store, three)
    assert (kept.kept, kept.read) == (2, 6)


def test_kept_analyses_are_bounded_and_can_be_off(store: Store, three: list[str]) -> None:
    kept = KeptAnalyses(2)
    kept.get(store, three)
    assert len(kept) == 2
    off = KeptAnalyses(0)
    assert off.get(store, three) == queries.get_analyses(store, three) and len(off) == 0


def test_derived_values_live_beside_the_kept_analysis_only(store: Store, three: list[str]) -> None:
    kept = KeptAnalyses(10)
    analyses = kept.get(store, three)
    built: list[str] = []

    def build(aid: str) -> str:
        built.append(aid)
        return f"groups of {aid}"

    assert kept.derived(analyses["a0"], "x", lambda: build("a0")) == "groups of a0"
    assert kept.derived(analyses["a0"], "x", lambda: build("a0")) == "groups of a0"
    own = replace(analyses["a0"])  # equal, but not the object kept: built, never mixed up
    kept.derived(own, "x", lambda: build("own"))
    assert built == ["a0", "own"]
    store.put_analysis(replace(analyses["a0"], mentions=()))
    fresh = kept.get(store, three)["a0"]
    kept.derived(fresh, "x", lambda: build("fresh"))
    assert built == ["a0", "own", "fresh"]


def test_mention_groups_kept_per_analysis_are_the_story_groups(store: Store, three: list[str]) -> None:
    kept = KeptAnalyses(10)
    analyses = list(kept.get(store, three).values())
    plain = mention_groups(analyses)
    for _ in range(2):  # built, then kept
        groups = mention_groups(analyses, kept.derived)
        assert [(g.article_id, g.key, g.label, g.count, dict(g.names), g.positions) for g in groups] == \
            [(g.article_id, g.key, g.label, g.count, dict(g.names), g.positions) for g in plain]
    # a hand-made analysis holding another article's mentions is grouped with the rest, as before
    foreign = replace(analyses[1], mentions=analyses[0].mentions)
    mixed = [analyses[0], foreign]
    assert [(g.article_id, g.key, g.count) for g in mention_groups(mixed, kept.derived)] == \
        [(g.article_id, g.key, g.count) for g in mention_groups(mixed)]

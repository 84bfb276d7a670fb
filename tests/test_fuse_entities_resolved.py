"""A growing story's entity resolution kept between fuses (fuse/entities/resolved.py) writes and returns
exactly what a resolution from scratch does after every added article: on the sample corpus's dam
reports (copies and new texts arriving one at a time), on a report whose new full name bridges two
entities of the story, and after someone else wrote links (then nothing kept is trusted)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from damreports import analysed_dam

from newsfuse import defaults
from newsfuse.fuse.entities import grow, resolved
from newsfuse.fuse.entities.cache import EntityCache
from newsfuse.fuse.entities.resolve import entity_map, resolve_story_entities
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, EntityLink, Mention, Story
from newsfuse.store import Store, queries


@pytest.fixture(autouse=True)
def rules_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The learned scorer joins no rule clusters (as in a story past COREF_MAX_GROUPS, where the
    kept resolution applies; below it every fuse resolves from scratch), and a fresh kept state."""
    monkeypatch.setattr(defaults, "COREF_MAX_GROUPS", 0)
    monkeypatch.setattr(grow, "KEPT", grow.KeptClusters())
    monkeypatch.setattr(resolved, "COUNTS", resolved.Counts())
    yield


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, text=text, outlet="Outlet", published="2024-11-20", published_source="header")


def _mention(article: Article, text: str, label: str, key: str, titles: tuple[str, ...] = ()) -> Mention:
    start = article.text.index(text)
    return Mention(content_id(article.id, start, prefix="m_"), article.id, start, start + len(text), text,
                   label, "name", key, titles)


def _copy(analysis: Analysis, article_id: str) -> tuple[Article, Analysis]:
    mentions = tuple(replace(m, id=content_id(article_id, m.id, prefix="m_"), article_id=article_id)
                     for m in analysis.mentions)
    return _article(article_id, "x" * (max((m.end for m in mentions), default=0) + 1)), Analysis(
        article_id, mentions=mentions)


class _Grown:
    """One story in one store, resolved after each added article by :func:`resolved.resolve_and_put`
    (each analysis's groups kept beside it, as the fuse stage keeps them)."""

    def __init__(self, store: Store, story: str) -> None:
        self.store, self.story = store, story
        self.analyses: list[Analysis] = []
        self.kept: dict[tuple[int, str], Any] = {}
        store.put_story(Story(story, "t"))

    def derived(self, analysis: Analysis, what: str, build: Callable[[], Any]) -> Any:
        return self.kept.setdefault((id(analysis), what), build())

    def add(self, article: Article, analysis: Analysis) -> dict[tuple[str, str], str]:
        self.store.add_article(article)
        self.store.put_analysis(analysis)
        self.store.assign(article.id, self.story, 1.0)
        self.analyses.append(analysis)
        with self.store.transaction():
            return resolved.resolve_and_put(self.store, self.ids, self.analyses, EntityCache(), self.derived)

    @property
    def ids(self) -> list[str]:
        return [a.article_id for a in self.analyses]


def _from_scratch(store: Store, ids: list[str]) -> tuple[list[Any], list[EntityLink]]:
    """What resolution from scratch gives on the store as it is (nothing kept)."""
    kept = grow.KEPT
    grow.KEPT = grow.KeptClusters()
    try:
        return resolve_story_entities(store, ids)
    finally:
        grow.KEPT = kept


def _stored(store: Store, ids: list[str]) -> tuple[dict[tuple[str, str], tuple[str, int, str]], list[Any]]:
    links = queries.entity_link_rows(store, ids)
    return links, sorted(queries.get_entities(store, sorted({e for e, _, _ in links.values()})).values(),
                         key=lambda e: e.id)


def _same_as_from_scratch(grown: _Grown, emap: dict[tuple[str, str], str]) -> None:
    entities, links = _from_scratch(grown.store, grown.ids)
    assert emap == entity_map(links)
    stored, rows = _stored(grown.store, grown.ids)
    assert {k: (e, r) for k, (e, _, r) in stored.items()} == {
        (x.article_id, x.entity_key): (x.entity_id, x.reason) for x in links}
    by_id = {e.id: e for e in entities}
    assert [(e.name, e.label, e.aliases, e.roles, e.evidence) for e in rows] == [
        (by_id[e.id].name, by_id[e.id].label, by_id[e.id].aliases, by_id[e.id].roles, by_id[e.id].evidence)
        for e in rows]


@pytest.fixture(scope="module")
def dam() -> list[Analysis]:
    return analysed_dam("kept-dam")


def test_a_story_grown_one_report_at_a_time_writes_what_from_scratch_writes(
        tmp_path: Path, dam: list[Analysis]) -> None:
    kept = Store(str(tmp_path / "kept.db"))
    scratch = Store(str(tmp_path / "scratch.db"))  # main's way: every fuse resolves from scratch
    grown = _Grown(kept, "s_kept")
    scratch.put_story(Story("s_kept", "t"))
    rng = random.Random(43)
    for n in range(14):  # mostly copies of a seen report; the other reports' names arrive later
        article, analysis = _copy(dam[0] if n < 5 else rng.choice(dam), f"kept-dam-{n}")
        emap = grown.add(article, analysis)
        _same_as_from_scratch(grown, emap)
        scratch.add_article(article)
        scratch.put_analysis(analysis)
        scratch.assign(article.id, "s_kept", 1.0)
        cache = EntityCache()
        kept_grow, grow.KEPT = grow.KEPT, grow.KeptClusters()
        try:
            cache.put(scratch, *resolve_story_entities(scratch, grown.ids, cache=cache))
        finally:
            grow.KEPT = kept_grow
        assert _stored(kept, grown.ids) == _stored(scratch, grown.ids), f"differs after {n}"
    assert resolved.COUNTS.kept >= 10  # every add after the first resolved from what was kept
    assert resolved.COUNTS.full == sum(resolved.COUNTS.why.values()) == 14 - resolved.COUNTS.kept
    kept.close()
    scratch.close()


def test_a_new_full_name_bridging_two_entities_is_resolved_as_from_scratch(store: Store) -> None:
    # 'French President Emmanuel' and 'Macron' stay apart (no full name of the story holds either)
    # until a report names 'Emmanuel Macron': both join him, and one of their two IDs is kept.
    grown = _Grown(store, "s_bridge")
    first = _article("kept-br-0", "French President Emmanuel backed the plan. Macron left early.")
    an = Analysis(first.id, mentions=(
        _mention(first, "Emmanuel", "PERSON", "Emmanuel", ("French President",)),
        _mention(first, "Macron", "PERSON", "Macron")))
    grown.add(first, an)
    for n in (1, 2):  # copies: kept and grown
        emap = grown.add(*_copy(an, f"kept-br-{n}"))
        _same_as_from_scratch(grown, emap)
    assert emap[("kept-br-1", "Emmanuel")] != emap[("kept-br-1", "Macron")]
    bridge = _article("kept-br-3", "French President Emmanuel Macron spoke on Tuesday.")
    emap = grown.add(bridge, Analysis(bridge.id, mentions=(
        _mention(bridge, "Emmanuel Macron", "PERSON", "Emmanuel Macron", ("French President",)),)))
    _same_as_from_scratch(grown, emap)
    joined = {emap[("kept-br-1", "Emmanuel")], emap[("kept-br-1", "Macron")],
              emap[("kept-br-3", "Emmanuel Macron")]}
    assert len(joined) == 1
    assert grow.KEPT.why["new name"] == 1  # clustered from scratch, resolved from what was kept
    assert resolved.COUNTS.kept == 3 and resolved.COUNTS.full == 1


def _four_meetings(prefix: str) -> tuple[list[Article], list[Analysis]]:
    """Four reports of one meeting of two named people (one sentence each)."""
    text = "Ivo Kostan met Lena Varga in Brenna."
    arts = [_article(f"{prefix}-{n}", text) for n in range(4)]
    return arts, [Analysis(a.id, mentions=(_mention(a, "Ivo Kostan", "PERSON", "Ivo Kostan"),
                                           _mention(a, "Lena Varga", "PERSON", "Lena Varga"))) for a in arts]


def test_links_written_by_anyone_else_make_the_next_fuse_start_from_the_store(store: Store) -> None:
    grown = _Grown(store, "s_other")
    arts, ans = _four_meetings("kept-ot")
    grown.add(arts[0], ans[0])
    grown.add(arts[1], ans[1])
    # another writer moves one link elsewhere: what this process kept is not what is stored any more
    store.put_entity_links([EntityLink("kept-ot-0", "Ivo Kostan", "e_elsewhere", "by hand")])
    emap = grown.add(arts[2], ans[2])
    _same_as_from_scratch(grown, emap)
    assert resolved.COUNTS.why["links written elsewhere"] == 1
    emap = grown.add(arts[3], ans[3])  # and this fuse's own write is trusted again
    _same_as_from_scratch(grown, emap)
    assert resolved.COUNTS.kept == 2


def test_a_rolled_back_write_is_not_trusted(store: Store) -> None:
    grown = _Grown(store, "s_rolled")
    arts, ans = _four_meetings("kept-rb")
    grown.add(arts[0], ans[0])
    store.add_article(arts[1])
    store.put_analysis(ans[1])
    store.assign(arts[1].id, grown.story, 1.0)
    grown.analyses.append(ans[1])
    with pytest.raises(RuntimeError), store.transaction():  # a fuse that failed after its writes
        resolved.resolve_and_put(store, grown.ids, grown.analyses, EntityCache(), grown.derived)
        raise RuntimeError("failed")
    emap = grown.add(arts[2], ans[2])
    _same_as_from_scratch(grown, emap)
    assert resolved.COUNTS.why["links written elsewhere"] == 1

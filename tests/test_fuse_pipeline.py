"""The fuse stage on the bundled sample corpus, run through the real pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fusion_helpers import fuse_folder

from newsfuse.fuse.pipeline import fuse_story
from newsfuse.models import Analysis, Article, Claim
from newsfuse.store import Store, queries

SAMPLE = Path(__file__).resolve().parent.parent / "newsfuse" / "data" / "sample"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fused(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store, _ = fuse_folder(SAMPLE, tmp_path_factory.mktemp("sample") / "sample.db")
    yield store
    store.close()


def _by_outlet_title(store: Store, outlet: str | None, words: str) -> Article:
    return next(
        a for a in queries.list_articles(store) if a.outlet == outlet and words in (a.title or a.text)
    )


def _evacuation_claim(store: Store, story_id: str) -> Claim:
    return next(
        c
        for c in queries.story_claims(store, story_id)
        if c.kind == "amount"
        and any("residents were evacuated" in sp.text for s in c.sources for sp in s.evidence)
    )


def test_conflicting_evacuation_figure_shows_both_values(fused: Store) -> None:
    wire = _by_outlet_title(fused, "MARNEWS", "Rescue crews")
    sid = queries.story_of_article(fused, wire.id)
    assert sid is not None
    claim = _evacuation_claim(fused, sid)
    assert claim.status == "conflicting"
    # each side's figure in its outlet's own words, compared by its number
    sides = {s.outlet: (s.stance, s.value, s.figure) for s in claim.sources}
    assert sides["MARNEWS"] == ("supports", "about 1,800 residents", 1800.0)
    assert sides["The Lowland Herald"] == ("differs", "nearly 4,500 residents", 4500.0)


def test_syndicated_copies_count_once(fused: Store) -> None:
    wire = _by_outlet_title(fused, "MARNEWS", "Rescue crews")
    sid = queries.story_of_article(fused, wire.id)
    assert sid is not None
    claim = _evacuation_claim(fused, sid)
    copies = [s for s in claim.sources if s.independent_of == wire.id]
    assert {s.outlet for s in copies} == {"Dunmere Courier", "Kessel Valley Post"}
    assert claim.independent_sources == 2  # MARNEWS (carried three times) and the Herald
    assert "counted once" in claim.note


def test_rerunning_fuse_keeps_ids(fused: Store) -> None:
    wire = _by_outlet_title(fused, "MARNEWS", "Rescue crews")
    sid = queries.story_of_article(fused, wire.id)
    assert sid is not None
    claims = [c.id for c in queries.story_claims(fused, sid)]
    entities = sorted(e.id for e in queries.list_entities(fused))
    fuse_story(fused, sid)
    assert [c.id for c in queries.story_claims(fused, sid)] == claims
    assert sorted(e.id for e in queries.list_entities(fused)) == entities


def test_undated_feature_is_dated_four_days_after_the_breach(fused: Store) -> None:
    # Story membership is the story clusterer's call; given the feature in the dam story, its
    # 'Four days after the Orlen Dam gave way' anchors on the breach the other reports date.
    wire = _by_outlet_title(fused, "MARNEWS", "Rescue crews")
    feature = next(a for a in queries.list_articles(fused) if "evacuees" in (a.title or ""))
    sid = queries.story_of_article(fused, wire.id)
    assert sid is not None
    fused.assign(feature.id, sid, 1.0)
    fuse_story(fused, sid)
    dated = queries.get_article(fused, feature.id)
    assert (dated.published, dated.published_source) == ("2025-09-17", "estimated")
    # the story's header covers the estimated date, as its summary's 'published X to Y' does
    story = queries.get_story(fused, sid)
    members = queries.list_articles(fused, queries.story_article_ids(fused, sid))
    days = sorted(a.published[:10] for a in members if a.published)
    assert ((story.first_seen or "")[:10], (story.last_update or "")[:10]) == (days[0], days[-1])
    assert (story.first_seen or "")[:10] <= "2025-09-17" <= (story.last_update or "")[:10]


# -- a story of many articles: reads in bulk, blocked comparisons (no spaCy) ----------------------


def _words(n: int, seed: int) -> list[str]:
    """n distinct invented words that no spelling rule confuses (random letters)."""
    import random

    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(4)))
    return sorted(out)


def _named(article_id: str, text: str, names: list[tuple[str, str, str]]) -> tuple[Article, Analysis]:
    """An article whose mentions are the given (surface text, entity key, label), found in its text."""
    from newsfuse.ids import content_id
    from newsfuse.models import Mention

    article = Article(id=article_id, text=text, outlet=f"Outlet {article_id}", published="2025-09-14")
    mentions = tuple(
        Mention(content_id(article_id, n), article_id, text.index(t), text.index(t) + len(t), t, label,
                "name", key)
        for n, (t, key, label) in enumerate(names)
    )
    return article, Analysis(article_id, mentions=mentions)


def test_entities_of_a_big_story_link_across_many_unrelated_names() -> None:
    from newsfuse.fuse.entities.resolve import cluster_groups, mention_groups

    first, last = _words(150, 1), _words(150, 2)
    analyses = []
    for i in range(150):
        own = f"{first[i].capitalize()} {last[i].capitalize()}"  # one unrelated person per article
        kostan = "Mirela Kostanova" if i % 3 else "Mirela Kostanowa"  # spelling variants
        text = (f"{kostan} met {own} of the Dunmere Water Authority. Kostanova said Dunmere is safe. "
                "The Water Authority agreed.")
        _, analysis = _named(f"a{i:03d}", text, [
            (kostan, kostan, "PERSON"), (own, own, "PERSON"), ("Kostanova", "Kostanova", "PERSON"),
            ("Dunmere Water Authority", "Dunmere Water Authority", "ORG"), ("Dunmere", "Dunmere", "GPE"),
            ("Water Authority", "Water Authority", "ORG"),
        ])
        analyses.append(analysis)
    clusters = cluster_groups(mention_groups(analyses))
    keys = [{g.key for g in c.groups} for c in clusters]
    assert {"Mirela Kostanova", "Mirela Kostanowa", "Kostanova"} in keys  # variant + surname rules
    assert {"Dunmere Water Authority", "Water Authority"} in keys  # name containment
    assert {"Dunmere"} in keys  # the town is not the authority named after it
    people = [k for k in keys if len(k) == 1 and next(iter(k)).split()[0].casefold() in first]
    assert len(people) == 150  # each unrelated person stays apart
    assert len(clusters) == 153


def test_story_analyses_are_read_in_bulk_as_one_by_one(store: Store) -> None:
    from newsfuse.models import Amount, TimeExpr

    pairs = [_named(f"b{i}", f"Mirela Kostan spoke on {day}. About {i + 1},000 residents fled.",
                    [("Mirela Kostan", "Mirela Kostan", "PERSON")])
             for i, day in enumerate(("Monday", "Tuesday", "Friday"))]
    for article, analysis in pairs:
        store.add_article(article)
        at = article.text.index("day")
        times = (TimeExpr(f"t{article.id}", article.id, at - 3, at + 3, article.text[at - 3 : at + 3],
                          "2025-09-15", "2025-09-15", "day", relative=True),)
        amounts = (Amount(f"n{article.id}", article.id, 40, 45, "1,000", 1000.0, counted="residents"),)
        stored = Analysis(analysis.article_id, analysis.mentions, times=times, amounts=amounts, version="v1")
        store.put_analysis(stored)
    store.add_article(Article(id="b_none", text="Not analysed yet."))
    ids = [a.id for a, _ in pairs] + ["b_none"]
    bulk = queries.get_analyses(store, ids)
    assert list(bulk) == ids
    assert all(bulk[i] == queries.get_analysis(store, i) for i in ids)
    assert bulk[stored.article_id] == stored  # the records read back are the records written
    assert bulk["b0"].times[0].value_start == "2025-09-15" and bulk["b_none"].mentions == ()


def test_copy_links_of_a_story_follow_chains_only(store: Store) -> None:
    from newsfuse.models import CopyLink

    for aid in ("wire", "mid", "copy", "other", "other_copy"):
        store.add_article(Article(id=aid, text=f"Text of {aid}."))
    store.add_copy(CopyLink("mid", "wire", 1.0, "exact"))
    store.add_copy(CopyLink("copy", "mid", 0.9, "minhash"))
    store.add_copy(CopyLink("other_copy", "other", 1.0, "exact"))
    links = queries.copies_of(store, ["copy"])
    assert [(c.article_id, c.original_id) for c in links] == [("copy", "mid"), ("mid", "wire")]
    assert queries.copies_of(store, ["wire"]) == []


def test_timeline_of_many_articles_merges_by_date_and_claim() -> None:
    from newsfuse.fuse.timeline import build_timeline
    from newsfuse.models import TimeExpr

    days = ("2025-09-12", "2025-09-14", "2025-09-13")
    articles, analyses = [], {}
    for i in range(60):
        day = days[i % 3]
        text = f"The Orlen Dam gave way on {day}. Crews arrived later."
        article, _ = _named(f"c{i:02d}", text, [])
        at = text.index(day)
        analyses[article.id] = Analysis(article.id, times=(
            TimeExpr(f"t{i}", article.id, at, at + 10, day, day, day, "day"),))
        articles.append(article)
    entries = build_timeline("s_1", articles, analyses)
    assert [e.date_start for e in entries] == sorted(days)
    assert all(len(e.evidence) == 20 for e in entries)
    assert entries[0].first_reported == tuple(sorted((a.outlet or "", "2025-09-14") for a in articles[0::3]))


def test_a_fuse_defers_full_collections_and_restores_the_collector() -> None:
    import gc

    from newsfuse.fuse import pipeline

    before = gc.get_threshold()
    generations: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            generations.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        with pipeline._no_full_collections():
            with pipeline._no_full_collections():  # a second thread's fuse: the outer one restores
                pass
            assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] > before[2]
            kept = []
            for _ in range(200_000):  # records that survive young collections, as a fuse's do
                cycle: list[object] = []
                cycle.append(cycle)
                kept.append(cycle)  # (outside a fuse, these set off two full collections)
            assert 0 in generations and 2 not in generations
    finally:
        gc.callbacks.remove(seen)
    assert gc.get_threshold() == before


def test_estimates_build_the_dated_timeline_only_for_an_after_clue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Undated articles without an 'N days after' clue are estimated without building the dated
    articles' timeline (it is never read then); one with a clue still builds and reads it."""
    from newsfuse.fuse import pipeline
    from newsfuse.fuse import timeline as timeline_mod

    built: list[int] = []
    build = timeline_mod.build_timeline
    monkeypatch.setattr(timeline_mod, "build_timeline", lambda *a, **k: built.append(1) or build(*a, **k))
    dated = Article(id="a_est_d", text="The Tessel bridge closed on 5 March 2025.", outlet="One",
                    published="2025-03-06", published_source="header")
    plain = Article(id="a_est_p", text="Ferries ran again, the council said.", outlet="Two")
    clue = Article(id="a_est_c", text="Two days after the Tessel bridge closed, ferries ran.", outlet="Three")
    with Store(str(tmp_path / "est.db")) as store:
        with store.transaction():
            for a in (dated, plain, clue):
                store.add_article(a)
        analyses = {a.id: Analysis(article_id=a.id) for a in (dated, plain, clue)}
        entries, changed = pipeline._estimate_dates(store, "s_est", [dated, plain], analyses)
        assert built == [] and changed and len(entries) == 1
        assert queries.get_article(store, plain.id).published == "2025-03-06"  # the median
        pipeline._estimate_dates(store, "s_est", [dated, plain, clue], analyses)
        assert built == [1]

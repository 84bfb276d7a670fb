"""The per-article statement cache: a hit is exactly what building returns, and anything a statement
is read from (analysis, entity map, names) changing misses."""

from __future__ import annotations

from dataclasses import replace

from newsfuse.fuse.claims import cache as claimcache
from newsfuse.fuse.claims.build import build_claims
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Quote


def _story() -> tuple[list[Article], dict[str, Analysis], dict[tuple[str, str], str]]:
    arts, an, emap = [], {}, {}
    for aid, outlet in (("x", "Lowland Herald"), ("y", "Northgate Observer")):
        text = "Hallen said engineers had shored up the embankment and there was no risk of a breach."
        a = Article(id=aid, text=text, outlet=outlet, published="2025-09-14", published_source="header")
        start = text.index("engineers")
        q = Quote(content_id(aid, "q"), aid, "reported", text[start:-1], start, len(text) - 1,
                  speaker="Hallen", speaker_start=0, speaker_end=6, speaker_key="Hallen", cue="said")
        arts.append(a)
        an[aid] = Analysis(aid, quotes=(q,))
        emap[(aid, "Hallen")] = "e_hallen"
    return arts, an, emap


def test_a_second_fuse_reuses_statements_and_gives_the_same_claims() -> None:
    claimcache.CACHE.clear()
    arts, an, emap = _story()
    first = build_claims("s", arts, an, emap)
    assert (claimcache.CACHE.hits, claimcache.CACHE.misses) == (0, 2)
    again = build_claims("s", arts, an, emap)
    assert claimcache.CACHE.hits == 2
    assert again == first and [c.status for c in again] == ["corroborated"]


def test_a_changed_analysis_or_entity_map_builds_again() -> None:
    claimcache.CACHE.clear()
    arts, an, emap = _story()
    # Entity names as the resolver gives them: a quote given word for word by two entities of one
    # last name is one statement (relations.verbatim), so the other entity is another person.
    names = {"e_hallen": "Teodor Hallen", "e_other": "Ana Rusk"}
    build_claims("s", arts, an, emap, names=names)
    # Another entity for one speaker: that article's statements are rebuilt, and the claims split.
    split = build_claims("s", arts, an, {**emap, ("y", "Hallen"): "e_other"}, names=names)
    assert claimcache.CACHE.misses == 3
    assert sorted(c.status for c in split) == ["single-source", "single-source"]
    # A re-analysis (no quote any more) is a miss too, never the old statements.
    build_claims("s", arts, {**an, "y": replace(an["y"], quotes=())}, emap, names=names)
    assert claimcache.CACHE.misses == 4


def test_the_cache_drops_the_least_recently_used_article() -> None:
    cache = claimcache.ArticleCache(1)
    built = ([], [])
    assert cache.get("a", lambda: built) is built
    cache.get("b", lambda: built)
    cache.get("a", lambda: ([], []))
    assert cache.misses == 3 and cache.hits == 0


def test_a_new_version_of_an_article_replaces_the_old_one() -> None:
    """A growing story changes what an article's statements are read from (outlets, names): the
    cache keeps one entry per article, so re-fusing after every new article does not pile up copies."""
    claimcache.CACHE.clear()
    arts, an, emap = _story()
    build_claims("s", arts, an, emap)
    build_claims("s", arts, an, {**emap, ("y", "Hallen"): "e_other"})
    build_claims("s", arts, an, {**emap, ("y", "Hallen"): "e_third"})
    assert claimcache.CACHE.misses == 4 and len(claimcache.CACHE) == 2


def _according_to(aid: str, text: str, source: str) -> Quote:
    start = text.index(source)
    return Quote(content_id(aid, "acc"), aid, "according_to", text[: start - len("according to ") - 2], 0,
                 start - len("according to ") - 2, speaker=source, speaker_start=start,
                 speaker_end=start + len(source), cue="according to")


def test_a_new_outlet_in_the_story_misses_only_articles_that_name_it_as_their_source() -> None:
    claimcache.CACHE.clear()
    arts, an, emap = _story()
    text = "The embankment held through the night, according to Valley Radio."
    cite = Article(id="z", text=text, outlet="Lowland Herald", published="2025-09-14",
                   published_source="header")
    an["z"] = Analysis("z", quotes=(_according_to("z", text, "Valley Radio"),))
    build_claims("s", [*arts, cite], an, emap)
    assert claimcache.CACHE.misses == 3
    # An outlet no article names joins: every article's statements are reused.
    other = Article(id="w", text="Rain is expected again on Friday.", outlet="Dunmere Courier",
                    published="2025-09-15", published_source="header")
    an["w"] = Analysis("w")
    build_claims("s", [*arts, cite, other], an, emap)
    assert (claimcache.CACHE.hits, claimcache.CACHE.misses) == (3, 4)
    # Valley Radio joins as an outlet: 'according to Valley Radio' is now a citation of a story outlet,
    # so the citing article is built again (and only it, with the new article itself).
    radio = Article(id="v", text="Engineers watched the embankment.", outlet="Valley Radio",
                    published="2025-09-15", published_source="header")
    an["v"] = Analysis("v")
    claims = build_claims("s", [*arts, cite, other, radio], an, emap)
    assert (claimcache.CACHE.hits, claimcache.CACHE.misses) == (6, 6)
    # A hit is what building returns: the same claims as with an empty cache.
    claimcache.CACHE.clear()
    assert build_claims("s", [*arts, cite, other, radio], an, emap) == claims


def test_statements_read_the_story_outlets_only_through_the_outlets_an_article_names() -> None:
    from newsfuse.fuse.claims.statements import statements

    text = "The embankment held through the night, according to Valley Radio."
    article = Article(id="z", text=text, outlet="Lowland Herald")
    analysis = Analysis("z", quotes=(_according_to("z", text, "Valley Radio"),))
    for outlets in ({"valley radio", "dunmere courier"}, {"dunmere courier"}, set()):
        named = claimcache.named_outlets(analysis, frozenset(outlets))
        assert statements(article, analysis, {}, set(outlets)) == statements(
            article, analysis, {}, set(named))


def test_a_split_entity_map_gives_each_articles_part_and_is_a_copy() -> None:
    emap = {("cc-split-a", "Anna Lind"): "e_lind", ("cc-split-a", "Lind"): "e_lind",
            ("cc-split-b", "Tarvan Hydro"): "e_tarvan"}
    split = claimcache.SplitEmap(emap)
    assert split == emap and claimcache.emap_by_article(split) == claimcache.emap_by_article(emap)
    assert claimcache.emap_by_article(split) == {"cc-split-a": {"Anna Lind": "e_lind", "Lind": "e_lind"},
                                                 "cc-split-b": {"Tarvan Hydro": "e_tarvan"}}
    emap[("cc-split-b", "Tarvan Hydro")] = "e_other"  # the map it was made from changes after
    assert claimcache.emap_by_article(split)["cc-split-b"] == {"Tarvan Hydro": "e_tarvan"}

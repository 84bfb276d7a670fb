"""bench/replicate.py, which grows a store filled for real to 100k articles for bench/scale.py: the
replicas are whole stories (articles, analyses, copy links, placement) with names and dates of their
own at the same offsets, nothing is left pending, entity totals are those of the links, and a
replica story fuses to its seed's claims with the names changed. On a real PostgreSQL (tests/pg.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from newsfuse.context import RunContext
from newsfuse.fuse.pipeline import fuse_stage, fuse_story
from newsfuse.store import Store, queries

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import replicate

pytestmark = pytest.mark.postgres


def _claims(store: Store, story_id: str) -> list[tuple[str, str, int]]:
    return sorted((c.status, c.text, len(c.sources)) for c in queries.story_claims(store, story_id))


def test_replicated_stories_are_whole_and_fuse_like_their_seed(pg_server: Any) -> None:
    from newsroom import fill  # tests/ is on sys.path (rootdir conftest)

    url = pg_server.new_database()
    with Store(url) as store:
        fill(store)
        fuse_stage(store, RunContext())
        seed_articles = queries.count_articles(store)
    seeds = replicate.prepare(url)
    assert replicate.grow(url, seeds, 3 * seed_articles) > 1
    seed = next(iter(replicate._SEEDS.values()))
    var = replicate.Variation(seed, 2, "r2", replicate.seed_pattern(seed))
    assert seed.words and all(var.names[w] != w and len(var.names[w]) == len(w) for w in seed.words)
    with Store(url) as store:
        assert queries.count_articles(store) >= 3 * seed_articles
        assert queries.pending_fusion_ids(store) == [] and queries.articles_to_place(store) == []
        entities = [e.id for e in queries.list_entities(store)]
        totals = queries.entity_totals(store, entities)
        for eid, rows in queries.entity_supports(store, entities).items():
            assert totals[eid] == (len({a for a, _, _ in rows}), sum(n for _, _, n in rows))
        for sid in seeds:
            story, copy = queries.get_story(store, sid), queries.get_story(store, sid + "r2")
            assert len(copy.article_ids) == len(story.article_ids) and copy.title == var.text(story.title)
            replicas = list(copy.article_ids)
            analyses = queries.get_analyses(store, replicas)
            originals = queries.get_analyses(store, list(story.article_ids))
            assert sorted(len(a.mentions) for a in analyses.values()) == \
                sorted(len(a.mentions) for a in originals.values())
            texts = {a.id: a.text for a in queries.list_articles(store, replicas)}
            for a in analyses.values():  # offsets still point at the (renamed) words
                assert all(texts[a.article_id][m.start:m.end] == m.text for m in a.mentions)
                own = {t.id for t in a.times} | {x.id for x in a.amounts}  # events point at their own
                assert all(e.article_id == a.article_id for e in a.events)
                assert all(i in own for e in a.events for i in [*e.amount_ids, *filter(None, [e.time_id])])
            links = queries.copies_of(store, replicas)
            assert all(c.article_id in replicas and c.original_id in replicas for c in links)
            fuse_story(store, sid)
            fuse_story(store, copy.id)
            replica, seeded = _claims(store, copy.id), _claims(store, sid)
            assert [(st, n) for st, _, n in replica] == [(st, n) for st, _, n in seeded]
            # the same claims with the names changed (a claim written with its date moved with it)
            undated = {var.text(t) for _, t, _ in seeded if not re.search(r"\d", t)}
            assert undated <= {t for _, t, _ in replica}

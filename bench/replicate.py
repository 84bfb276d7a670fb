"""A big store built by replication, not by analysis: what ``bench/scale.py --replicate-to`` measures on.

End to end, newsfuse stores about one article a second on this machine, so a store of 100,000
articles would take more than a day to grow for real. This module grows a store that was filled
for real (ingest, analysis, fusion) to any size by replicating its stories through the Store API:
replica ``r`` of a seed story is a new story holding one replica of each of its articles, and a
replica article gets

- the template's text with a closing line of its own (so a new content ID), another outlet and a
  date ``r`` days later; its MinHash signature and LSH buckets computed from that text; the copy
  link of its template, pointing at the replica of the template's original in the same story;
- the template's stored analysis, every record given the replica's article ID and an ID of its own
  (the text only grows at its end, so offsets stay right);
- its template's term counts (``story_docs``, added to the document frequencies), entity links, and
  a place in the replica story, whose centroid and index terms are the seed story's.

Replica stories are recorded as fused, with no claims or timeline rows: a fusion of one of them
(when a new article joins it) rebuilds them from the replicated analyses, as for any story. So a
store grown this way has the seed's mix of story sizes at every size (more stories, not bigger
ones), which is what adding one article to a store of N articles should be measured against.
Nothing here runs spaCy or the sentence encoder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from newsfuse.ids import content_id
from newsfuse.ingest.dedup import band_keys, sketch
from newsfuse.models import Analysis, Article, CopyLink, EntityLink, Story
from newsfuse.store import Store, queries

OUTLETS = [f"Replica Outlet {n:02d}" for n in range(60)]


def seed_stories(store: Store) -> list[str]:
    """IDs of the live stories of the store as it is now (the templates), a page at a time."""
    out: list[str] = []
    while page := queries.list_stories(store, limit=500, offset=len(out)):
        out += [s.id for s in page]
    return sorted(out)


def grow(store: Store, seeds: list[str], target: int, start_round: int = 1) -> int:
    """Replicate the seed stories, round after round, until the store holds ``target`` articles
    (the last story of a round may overshoot by its size); returns the next round to run."""
    r = start_round
    while True:
        for story_id in seeds:
            if queries.count_articles(store) >= target:
                return r
            replicate_story(store, story_id, r)
        r += 1


def replicate_story(store: Store, story_id: str, r: int) -> str:
    """Write replica ``r`` of a seed story and its articles, in one transaction; returns its ID."""
    story = queries.get_story(store, story_id)
    ids = list(story.article_ids)
    articles = queries.list_articles(store, ids)
    analyses = queries.get_analyses(store, ids)
    originals = queries.copy_originals(store, ids)
    similarity = {c.article_id: c for c in queries.copies_of(store, ids)}
    terms = queries.story_doc_terms(store, ids)
    links = queries.entity_links(store, ids)
    size, centroid = queries.story_vectors(store, [story.id]).get(story.id, (len(ids), {}))
    new_ids = {a.id: _replica_id(a, r) for a in articles}
    sid = content_id(story.id, r, prefix="s_")
    with store.transaction():
        store.put_story(Story(id=sid, title=story.title, first_seen=_later(story.first_seen, r),
                              last_update=_later(story.last_update, r)))
        for a in articles:
            copy = _copy(a.id, originals, similarity, new_ids)
            replica = _article(a, r, new_ids[a.id])
            sk = sketch(replica.text)
            store.add_article(replica, copy=copy, signature=sk.to_bytes(), bands=band_keys(sk))
            store.assign(replica.id, sid, 1.0)
            store.put_analysis(_analysis(analyses[a.id], replica.id))
            counts = terms.get(a.id, {})
            store.add_story_docs([(replica.id, json.dumps(counts, separators=(",", ":"), sort_keys=True))],
                                 sorted((t, 1) for t in counts))
            store.put_entity_links([EntityLink(replica.id, key, eid, "replica")
                                    for (aid, key), eid in links.items() if aid == a.id])
        store.put_story_vector(sid, size, json.dumps(centroid, separators=(",", ":")),
                               queries.story_index_terms(store, story.id))
        store.fusion_done([sid])  # put_analysis queued it: a replica story is as fused as its seed
    return sid


def _replica_id(a: Article, r: int) -> str:
    outlet = OUTLETS[(int(a.id[2:10], 16) + r) % len(OUTLETS)]
    return content_id(outlet, _text(a, r, outlet), prefix="a_")


def _text(a: Article, r: int, outlet: str) -> str:
    return a.text + f"\n\nThis report was updated for edition {r} of the {outlet} digest."


def _article(a: Article, r: int, new_id: str) -> Article:
    outlet = OUTLETS[(int(a.id[2:10], 16) + r) % len(OUTLETS)]
    return replace(a, id=new_id, text=_text(a, r, outlet), outlet=outlet, raw_id=None, source="replica",
                   published=_later(a.published, r), metadata={})


def _copy(aid: str, originals: dict[str, str], links: dict[str, CopyLink],
          new_ids: dict[str, str]) -> CopyLink | None:
    original = originals.get(aid)
    if original is None or original not in new_ids:  # its original is in another story: no link
        return None
    return replace(links[aid], article_id=new_ids[aid], original_id=new_ids[original])


def _analysis(a: Analysis, rid: str) -> Analysis:
    """The template's analysis for the replica: every record with the replica's article ID and a
    new ID, the events' references to times and amounts re-pointed."""
    new: dict[str, str] = {}

    def own(record: Any) -> Any:
        new[record.id] = content_id(rid, record.id, prefix=record.id.split("_", 1)[0] + "_")
        return replace(record, id=new[record.id], article_id=rid)

    mentions, quotes, times, amounts = (tuple(own(x) for x in group)
                                        for group in (a.mentions, a.quotes, a.times, a.amounts))
    events = tuple(replace(own(e), time_id=new.get(e.time_id or "", e.time_id),
                           amount_ids=tuple(new.get(i, i) for i in e.amount_ids)) for e in a.events)
    return Analysis(article_id=rid, mentions=mentions, quotes=quotes, events=events, times=times,
                    amounts=amounts, version=a.version)


def _later(day: str | None, r: int) -> str | None:
    if not day:
        return day
    try:
        return (date.fromisoformat(day[:10]) + timedelta(days=r)).isoformat() + day[10:]
    except ValueError:
        return day


def rows_per_article(store: Store) -> Iterator[tuple[str, int]]:
    """Row counts of the main tables (what a bench reports beside the store size)."""
    for table in ("articles", "analyses", "mentions", "story_articles", "stories", "copy_bands",
                  "entity_links", "story_index", "claims"):
        yield table, int(store.fetchall(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"])

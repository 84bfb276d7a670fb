"""Candidate lookup reads the newest stories of each term (migration 20), on BOTH backends: the
postings carry their story's creation number, written with the posting and backfilled."""

from __future__ import annotations

import pytest

from newsfuse import defaults
from newsfuse.models import Story
from newsfuse.store import Store, queries
from newsfuse.store import store as store_mod


def _stories(store: Store, n: int) -> list[str]:
    """``n`` stories, oldest first, all indexed under 'e:varga' and the first also under 'e:reis'."""
    ids = [f"s_{k:02d}" for k in range(n)]
    for sid in ids:
        store.put_story(Story(sid, f"story {sid}"))
        store.put_story_vector(sid, 1, "{}", ["e:varga", *(["e:reis"] if sid == ids[0] else [])])
    return ids


def test_candidates_come_from_the_newest_stories_of_each_term(any_store: Store,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _stories(any_store, 6)
    assert set(queries.story_candidates(any_store, ["e:varga"], 10)) == set(ids)
    monkeypatch.setattr(defaults, "STORY_INDEX_POSTINGS", 2)
    assert sorted(queries.story_candidates(any_store, ["e:varga"], 10)) == ids[-2:]
    # the oldest story is still found through a term few stories share, and ranks first on two terms
    assert queries.story_candidates(any_store, ["e:varga", "e:reis"], 10)[0] == ids[0]
    # merged postings take the receiving story's number
    any_store.merge_story_vectors(ids[0], ids[1], 2, "{}")
    assert queries.story_candidates(any_store, ["e:reis"], 10) == [ids[1]]


def test_migration_20_numbers_postings_stored_before_it(
    any_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(any_url, migrate=False)
    try:
        monkeypatch.setattr(store_mod, "MIGRATIONS", [m for m in store_mod.MIGRATIONS if m[0] < 20])
        store.migrate()
        ids = [f"s_{k:02d}" for k in range(4)]
        with store.transaction():  # stories and postings as a store of schema 19 wrote them
            for k, sid in enumerate(ids):
                store.db.execute("INSERT INTO stories(id, title, created_seq) VALUES (?, ?, ?)",
                                 (sid, sid, k + 1))
                store.db.execute("INSERT INTO story_index(term, story_id) VALUES (?, ?)", ("e:varga", sid))
        monkeypatch.undo()
        assert store.migrate()[:1] == [20]
        monkeypatch.setattr(defaults, "STORY_INDEX_POSTINGS", 3)
        assert sorted(queries.story_candidates(store, ["e:varga"], 10)) == ids[1:]
    finally:
        store.close()

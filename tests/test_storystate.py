"""Argument profiles kept between placement calls (fuse/stories/state.py) on tiny texts of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse import defaults
from newsfuse.fuse.stories import assign as stories
from newsfuse.fuse.stories import state
from newsfuse.fuse.stories.args import Profile
from newsfuse.ids import content_id
from newsfuse.models import Article
from newsfuse.store import Store, queries

KESTREL_1 = ("A fire broke out at the Kestrel paper mill in Halden on Thursday night, fire chief Oskar "
             "Lund said; forty workers were evacuated and two were treated for smoke.")
KESTREL_2 = ("Investigators in Halden said on Friday the Kestrel mill fire started in a drying hall, "
             "according to chief Oskar Lund, who praised the night shift for a calm evacuation.")
KESTREL_3 = ("The Kestrel mill in Halden will stay shut for a week after Thursday's fire, its owner "
             "said, as Oskar Lund's crews checked the drying hall roof.")


def _add(store: Store, text: str, outlet: str, published: str) -> str:
    article = Article(id=content_id(outlet, text, prefix="a_st_"), text=text, outlet=outlet,
                      published=published)
    store.add_article(article)
    return article.id


def _fresh(store: Store, story_id: str) -> Profile:
    """The story's profile made from every member's stored terms, as before anything was kept."""
    members = queries.story_article_ids(store, story_id)
    terms = queries.story_doc_terms(store, members)
    profile = Profile()
    for member in members:
        profile.add_terms(terms.get(member, {}))
    return profile


def _same(a: Profile, b: Profile) -> bool:
    def terms(p: Profile) -> dict[str, dict[str, int]]:
        return {k: dict(v) for k, v in p.kinds.items()}

    return a.size == b.size and terms(a) == terms(b)


@pytest.fixture(autouse=True)
def _forget() -> None:
    state.forget()


def _placed_one_by_one(store: Store) -> tuple[str, list[str]]:
    ids = [_add(store, text, f"Outlet {n}", f"2024-03-0{n + 1}")
           for n, text in enumerate((KESTREL_1, KESTREL_2, KESTREL_3))]
    for article in ids:
        stories.assign_articles(store, [article])
    sid = queries.resolve_story_id(store, queries.story_of_article(store, ids[0]) or "")
    return sid, ids


def test_kept_story_profile_grows_by_new_members_and_equals_a_fresh_one(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "kept.db"))
    sid, _ = _placed_one_by_one(store)
    assert len(queries.story_article_ids(store, sid)) == 3  # one story, as without anything kept
    kept = state.story_profile(store, sid)
    assert _same(kept, _fresh(store, sid)) and kept.size == 3
    # the caller may change what it is given: the kept profile stays the story's own
    kept.add(Profile().add_terms(["p:someone_else"]))
    assert _same(state.story_profile(store, sid), _fresh(store, sid))
    store.close()


def test_story_that_lost_a_member_is_made_afresh(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "lost.db"))
    sid, ids = _placed_one_by_one(store)
    state.story_profile(store, sid)
    store.assign(ids[2], "s_elsewhere", 1.0)  # a move takes a member out
    again = state.story_profile(store, sid)
    assert again.size == 2 and _same(again, _fresh(store, sid))
    store.close()


def test_profiles_are_kept_per_store_and_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_PROFILES_KEPT", 1)
    one, two = Store(str(tmp_path / "one.db")), Store(str(tmp_path / "two.db"))
    sid, _ = _placed_one_by_one(one)
    ids = [_add(two, KESTREL_1, "Outlet 0", "2024-03-01")]
    stories.assign_articles(two, ids)
    # the same story ID in another store holds other members: never handed the first store's
    assert state.story_profile(one, sid).size == 3
    assert state.story_profile(two, sid).size == 1
    assert all(len(k.articles) <= 1 and len(k.stories) <= 1 for k in state._KEPT.values())
    one.close()
    two.close()


def test_a_byte_budget_keeps_fewer_profiles_and_placement_reads_the_rest(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "budget.db"))
    sid, ids = _placed_one_by_one(store)
    state.story_profile(store, sid)
    assert len(state.kept_profiles()) == 4  # three articles' and the story's
    try:
        state.keep_at_most(2)  # watch/kept.py: one of each kind fits
        held = state._kept(store)
        assert len(held.articles) == 1 and len(held.stories) == 1
        assert list(held.articles) == [ids[-1]]  # the least recently used dropped
        assert _same(state.story_profile(store, sid), _fresh(store, sid))
    finally:
        state.keep_at_most(None)
    store.close()

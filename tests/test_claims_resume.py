"""Chains and groups kept between fuses (newsfuse/fuse/claims/resume.py): a new article published
after the others resumes the kept alignment, one published before them (or a story that lost an
article) aligns from scratch, and either way the claims are those of a build from nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bergstory import berg_analysis

from newsfuse import defaults
from newsfuse.fuse.claims import cache as claimcache
from newsfuse.fuse.claims import resume as claimresume
from newsfuse.fuse.claims.build import build_claims
from newsfuse.models import Analysis, Article, Claim

SENTENCES = [
    "The agency fired Tomas Berg on Friday after a review of his messages.",
    "Tomas Berg was fired on Friday, his lawyer said.",
    "Tomas Berg praised the inspectors in a statement on Friday evening.",
    "The agency said it fired Tomas Berg over the messages.",
]


@pytest.fixture(autouse=True)
def word_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Events chained by the word rule (as in a story past COREF_MAX_GROUPS events), words only."""
    monkeypatch.setattr(defaults, "COREF_MAX_GROUPS", 0)
    monkeypatch.setattr(defaults, "CLAIM_MATCH_BY_MEANING", False)
    claimresume.ALIGNMENTS.clear()
    claimcache.CACHE.clear()
    yield
    claimresume.ALIGNMENTS.clear()


def _article(n: int, day: int) -> Article:
    text = " ".join(SENTENCES[(n + k) % len(SENTENCES)] for k in range(2))
    return Article(id=f"a{n:02d}", text=text, outlet=f"Outlet {n}", published=f"2025-03-{day:02d}",
                   published_source="header")


def _analysis(a: Article) -> Analysis:
    return berg_analysis(a, SENTENCES)


def _claims(articles: list[Article]) -> list[Claim]:
    emap = {(a.id, "Tomas Berg"): "e_berg" for a in articles}
    return build_claims("s_berg", articles, {a.id: _analysis(a) for a in articles}, emap)


def _cold(articles: list[Article]) -> list[Claim]:
    kept = claimresume.ALIGNMENTS
    claimresume.ALIGNMENTS = claimresume.Alignments(0)  # nothing kept: aligned from scratch
    try:
        return _claims(articles)
    finally:
        claimresume.ALIGNMENTS = kept


def test_a_later_article_resumes_and_an_earlier_one_aligns_again() -> None:
    story = [_article(n, 10 + n) for n in range(4)]
    _claims(story)
    assert (claimresume.ALIGNMENTS.resumed, claimresume.ALIGNMENTS.fresh) == (0, 1)
    later = [*story, _article(4, 20)]
    assert _claims(later) == _cold(later)
    assert claimresume.ALIGNMENTS.resumed == 1
    earlier = [*later, _article(5, 1)]  # published before every other: sorts first
    assert _claims(earlier) == _cold(earlier)
    assert claimresume.ALIGNMENTS.fresh == 2
    assert _claims(earlier) == _cold(earlier)  # nothing new: the kept groups as they are
    assert claimresume.ALIGNMENTS.resumed == 2


def test_a_story_that_lost_an_article_aligns_again() -> None:
    story = [_article(n, 10 + n) for n in range(5)]
    _claims(story)
    smaller = story[:2] + story[3:]
    assert _claims(smaller) == _cold(smaller)
    assert claimresume.ALIGNMENTS.fresh == 2 and claimresume.ALIGNMENTS.resumed == 0


def test_many_later_articles_one_at_a_time_equal_a_cold_build() -> None:
    story = [_article(0, 1)]
    for n in range(1, 12):
        story.append(_article(n, 1 + n))
        assert _claims(story) == _cold(story)
    assert claimresume.ALIGNMENTS.resumed == 10
    assert any(c.status == "corroborated" for c in _cold(story))


def test_an_alignment_from_scratch_keeps_the_story_memo() -> None:
    """A story aligned again (it lost an article) asks its kept memo: the relations it holds are of
    signatures, so they hold for the new statements too, and the claims are a cold build's."""
    story = [_article(n + 20, 10 + n) for n in range(5)]
    _claims(story)
    memo = claimresume.ALIGNMENTS._kept["s_berg"].aligner.memo
    smaller = story[:1] + story[2:]
    assert _claims(smaller) == _cold(smaller)
    assert claimresume.ALIGNMENTS.fresh == 2
    assert claimresume.ALIGNMENTS._kept["s_berg"].aligner.memo is memo


def test_a_memo_past_its_bound_starts_afresh_and_the_claims_do_not_change(
        monkeypatch: pytest.MonkeyPatch) -> None:
    story = [_article(n + 40, 10 + n) for n in range(5)]
    _claims(story)
    memo = claimresume.ALIGNMENTS._kept["s_berg"].aligner.memo
    assert len(memo) > 0
    monkeypatch.setattr(defaults, "CLAIM_RELATION_MEMO_KEPT", len(memo) - 1)
    smaller = story[:1] + story[2:]  # lost an article: aligned from scratch
    assert _claims(smaller) == _cold(smaller)
    assert claimresume.ALIGNMENTS._kept["s_berg"].aligner.memo is not memo


def test_the_kept_memos_held_to_a_budget_drop_the_least_recent_stories() -> None:
    for n, sid in enumerate(("s_berg_old", "s_berg_mid", "s_berg_new")):
        articles = [_article(n * 5 + k + 60, 10 + k) for k in range(4)]
        emap = {(a.id, "Tomas Berg"): "e_berg" for a in articles}
        build_claims(sid, articles, {a.id: _analysis(a) for a in articles}, emap)
    kept = claimresume.ALIGNMENTS
    sizes = [len(m) for m in kept.memos()]
    assert len(sizes) == 3 and all(sizes)
    try:
        kept.keep_memo_entries(sizes[-1] + sizes[-2])  # the two most recent fit
        assert list(kept._kept) == ["s_berg_mid", "s_berg_new"]
        kept.keep_memo_entries(1)  # nothing fits: the last story is kept all the same
        assert list(kept._kept) == ["s_berg_new"]
    finally:
        kept.keep_memo_entries(None)


def test_the_context_scorers_decide_small_stories_chains_so_they_do_not_resume(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(defaults, "COREF_MAX_GROUPS", 600)  # this module's fixture sets it to 0
    monkeypatch.setattr(defaults, "COREF_CONTEXT", False)
    assert claimresume._by_word(10)
    monkeypatch.setattr(defaults, "COREF_CONTEXT", True)  # the shipped weights: chains in context
    assert not claimresume._by_word(10)
    assert claimresume._by_word(defaults.COREF_MAX_GROUPS + 1)  # too big to compare: the word rule

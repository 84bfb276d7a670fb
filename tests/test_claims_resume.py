"""Chains and groups kept between fuses (newsfuse/fuse/claims/resume.py): a new article published
after the others resumes the kept alignment, one published before them (or a story that lost an
article) aligns from scratch, and either way the claims are those of a build from nothing."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

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


def _estimated(a: Article, day: int) -> Article:
    """``a`` undated, its date estimated (as the fuse stores it: a new Article, its statements anew)."""
    return replace(a, published=f"2025-03-{day:02d}", published_source="estimated")


def test_a_re_dated_article_near_the_end_resumes_from_where_it_was() -> None:
    """An undated article whose estimate moves with an add re-sorts after the new article: the kept
    state goes back to where it was (its journal) and aligns the rest, as a cold build does."""
    story = [_article(n + 100, 10 + n) for n in range(6)]
    story[4] = _estimated(story[4], 14)
    _claims(story)
    kept = claimresume.ALIGNMENTS._kept["s_berg"]
    assert kept.aligner.undo is not None and 0 < kept.aligner.undo.start < len(kept.items)
    later = [*story[:4], _estimated(story[4], 22), story[5], _article(106, 21)]  # after the new one
    assert _claims(later) == _cold(later)
    assert (claimresume.ALIGNMENTS.resumed, claimresume.ALIGNMENTS.fresh) == (1, 1)
    again = [*later[:4], _estimated(story[4], 24), *later[5:], _article(107, 23)]  # past the next one
    assert _claims(again) == _cold(again)
    assert (claimresume.ALIGNMENTS.resumed, claimresume.ALIGNMENTS.fresh) == (2, 1)
    assert claimresume.ALIGNMENTS.gone_back == 2
    # back before an article the journal does not cover (it begins at the undated one): afresh
    back = [*again[:4], _estimated(story[4], 16), *again[5:], _article(108, 25)]
    assert _claims(back) == _cold(back)
    assert (claimresume.ALIGNMENTS.resumed, claimresume.ALIGNMENTS.fresh) == (2, 2)


def test_a_re_dated_article_past_the_journal_bound_aligns_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "CLAIM_ALIGNMENT_UNDO_STATEMENTS", 0)
    story = [_article(n + 110, 10 + n) for n in range(5)]
    story[3] = _estimated(story[3], 13)
    _claims(story)
    later = [*story[:3], _estimated(story[3], 22), story[4], _article(115, 21)]
    assert _claims(later) == _cold(later)
    assert (claimresume.ALIGNMENTS.resumed, claimresume.ALIGNMENTS.fresh) == (0, 2)


def test_adds_and_re_dated_articles_in_any_order_equal_a_cold_build() -> None:
    """Seeded steps: a new article (later, earlier, or undated) or an undated one re-dated; after each,
    the claims are a cold build's, whether the state resumed, went back, or started afresh."""
    rng = random.Random(14)
    story = [_article(n + 120, 10 + n) for n in range(4)]
    story[2] = _estimated(story[2], 12)
    for step in range(16):
        undated = [n for n, a in enumerate(story) if a.published_source == "estimated"]
        if undated and rng.random() < 0.5:
            n = rng.choice(undated)
            story[n] = _estimated(story[n], rng.randint(10, 28))
        else:
            day = rng.choice([28, 28, 28, rng.randint(1, 28)])  # mostly the newest, at times earlier
            new = _article(130 + step, day)
            story.append(_estimated(new, day) if rng.random() < 0.3 else new)
        assert _claims(story) == _cold(story), step
    assert claimresume.ALIGNMENTS.gone_back > 0 and claimresume.ALIGNMENTS.fresh > 1
    assert claimresume.ALIGNMENTS.resumed > claimresume.ALIGNMENTS.gone_back


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

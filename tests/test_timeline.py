"""Timeline ordering, first-reported dates and publication-date estimates."""

from __future__ import annotations

from newsfuse.fuse.timeline import build_timeline, dated_clause, estimate_entry, estimate_published
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Event, Quote, TimeExpr, TimelineEntry


def art(aid: str, outlet: str, text: str, published: str | None) -> Article:
    return Article(
        id=aid,
        text=text,
        outlet=outlet,
        published=published,
        published_source="header" if published else None,
    )


def time(a: Article, text: str, start: str, end: str | None = None, precision: str = "day") -> TimeExpr:
    at = a.text.index(text)
    return TimeExpr(content_id(a.id, at), a.id, at, at + len(text), text, start, end or start, precision)


def test_entries_are_ordered_by_date_with_first_report_per_outlet() -> None:
    a = art("a", "One", "The dam broke on Saturday. The inauguration is on January 20.", "2025-09-14")
    b = art("b", "Two", "The dam broke on Saturday, officials said.", "2025-09-15")
    ta, tb = time(a, "on Saturday", "2025-09-13"), time(b, "on Saturday", "2025-09-13")
    inaug = time(a, "on January 20", "2026-01-20")
    ev = Event(
        "e1", "a", "break", a.text.index("broke"), a.text.index("broke") + 5, 0, 26, "ASSAULT", time_id=ta.id
    )
    an = {"a": Analysis("a", events=(ev,), times=(ta, inaug)), "b": Analysis("b", times=(tb,))}
    entries = build_timeline("s", [a, b], an)
    assert [e.date_start for e in entries] == ["2025-09-13", "2026-01-20"]
    dam = entries[0]
    assert dict(dam.first_reported) == {"One": "2025-09-14", "Two": "2025-09-15"}
    assert len(dam.evidence) == 2 and not dam.estimated


def test_weekday_clue_places_an_undated_article_after_that_day() -> None:
    dated = art("a", "One", "Text.", "2024-11-20")
    undated = art("b", "Two", "The president said on Sunday that talks were over.", None)
    est = estimate_published(undated, [dated, undated])
    assert est is not None
    assert est.published == "2024-11-18"  # Sunday 17 November + one day
    assert est.low == "2024-11-17" and est.high == "2024-11-23"


def test_days_after_clue_uses_the_dated_event() -> None:
    dated = art("a", "One", "x", "2025-09-14")
    later = art("c", "Two", "y", "2025-09-19")
    undated = art("b", "Three", "Four days after the Orlen Dam gave way, families returned.", None)
    timeline = [
        TimelineEntry("s", "2025-09-13", "2025-09-13", "day", "Part of the Orlen Dam gave way on Saturday.")
    ]
    est = estimate_published(undated, [dated, later, undated], timeline)
    assert est is not None and est.published == "2025-09-17"


def test_no_clue_falls_back_to_the_story_median_and_no_dates_means_no_estimate() -> None:
    undated = art("b", "Two", "Nothing dated here.", None)
    dates = [art(str(n), "O", "x", d) for n, d in enumerate(["2025-09-13", "2025-09-15", "2025-09-19"])]
    est = estimate_published(undated, [*dates, undated])
    assert est is not None and est.published == "2025-09-15"
    assert estimate_published(undated, [undated]) is None


def test_copies_of_a_dated_sentence_are_one_entry_with_every_outlet() -> None:
    text = "The dam broke on Saturday."
    arts = [art(f"a{k}", f"Outlet {k}", text, f"2025-09-{14 + k % 3}") for k in range(6)]
    other = art("z", "Other", "Voters in Brask elected a new mayor on Saturday.", "2025-09-14")
    an = {a.id: Analysis(a.id, times=(time(a, "on Saturday", "2025-09-13"),)) for a in [*arts, other]}
    entries = build_timeline("s", [*arts, other], an)
    assert len(entries) == 2  # one date, two unlike sentences: two entries
    dam = next(e for e in entries if "dam" in e.text)
    assert len(dam.evidence) == 6 and len(dam.first_reported) == 6


def _row(text: str, date_text: str, value: str, quotes: tuple[Quote, ...] = ()) -> str:
    a = art("a", "One", text, "2025-09-18")
    t = time(a, date_text, value, precision="year")
    [entry] = build_timeline("s", [a], {"a": Analysis("a", times=(t,), quotes=quotes)})
    return entry.text


def test_a_date_in_an_aside_dates_the_aside_not_the_sentence() -> None:
    row = _row("Ines Halvard, who founded the firm in 2025, told the Ledger the review changes nothing.",
               "2025", "2025-01-01")
    assert row == "Ines Halvard, who founded the firm in 2025"  # she did not speak in January
    dam = "The dam, completed in 1968, holds back the river."
    assert dated_clause(dam, 0, len(dam), 22, 26) == (0, dam.index(", holds"))
    closing = _row("The authority will review the purchase, the deal announced earlier this week.",
                   "earlier this week", "2025-09-15")
    assert closing == "…the deal announced earlier this week"


def test_a_date_in_a_subordinate_clause_dates_that_clause() -> None:
    row = _row("The minister said France might follow the U.S. lead after Macron indicated in May that "
               "France could act.", "in May", "2025-05-01")
    assert row == "…Macron indicated in May"
    assert _row("The embankment failed after heavy rain that began on Friday pushed the level up.",
                "on Friday", "2025-09-12") == "…heavy rain that began on Friday"


def test_a_dated_attribution_and_a_main_clause_date_keep_the_whole_sentence() -> None:
    text = "Solvik has agreed to buy Quillpay, the two companies said on Monday."
    said = text.index("said")
    q = Quote("q", "a", "reported", "Solvik has agreed to buy Quillpay", 0, 33, speaker="the two companies",
              cue="said", cue_start=said, cue_end=said + 4)
    assert _row(text, "on Monday", "2025-09-15", (q,)) == text
    plain = "Speaking in Dunmere on Monday, Kostan said the boats had arrived."
    assert _row(plain, "on Monday", "2025-09-15") == plain
    assert dated_clause(plain, 0, len(plain), 20, 29) == (0, len(plain))


def test_a_since_phrase_and_a_long_look_back_date_no_row() -> None:
    text = ("The level had fallen by four metres since Saturday, the ministry said. "
            "He said every report from the past ten years would be published. "
            "The past two days brought rain. Crews arrived on Sunday.")
    a = art("a", "One", text, "2025-09-16")
    since = time(a, "Saturday", "2025-09-13")
    decade = time(a, "the past ten years", "2015-09-16", "2025-09-15", "range")
    days = time(a, "The past two days", "2025-09-14", "2025-09-15", "range")
    sunday = time(a, "on Sunday", "2025-09-14")
    said = text.index("said")
    ev = Event("e", "a", "say", said, said + 4, 0, text.index(" He"), "STATEMENT", time_id=since.id,
               date_start="2025-09-13")
    an = Analysis("a", events=(ev,), times=(since, decade, days, sunday))
    entries = build_timeline("s", [a], {"a": an})
    assert [(e.date_start, e.text) for e in entries] == [
        ("2025-09-14", "Crews arrived on Sunday."), ("2025-09-14", "The past two days brought rain.")]


def _rows(text: str, dated: list[tuple[str, str, str]], published: str = "2025-09-18") -> list[str]:
    """Timeline rows of one article, each (phrase, value_start, value_end) a resolved time."""
    a = art("a", "One", text, published)
    times = tuple(time(a, phrase, lo, hi, "range") for phrase, lo, hi in dated)
    return [e.text for e in build_timeline("s", [a], {"a": Analysis("a", times=times)})]


def test_an_aside_about_an_entitys_past_long_before_the_story_is_no_row() -> None:
    text = ("The Orlen Dam, completed in 1968, gave way on Saturday. Ines Halvard, who founded the firm "
            "in 2019, told the Ledger the deal was done.")
    assert _rows(text, [("1968", "1968-01-01", "1968-12-31"), ("in 2019", "2019-01-01", "2019-12-31"),
                        ("on Saturday", "2025-09-13", "2025-09-13")]) == [
        "The Orlen Dam, completed in 1968, gave way on Saturday."]


def test_a_plan_aside_a_main_clause_and_a_recent_aside_stay_on_the_timeline() -> None:
    plan = "The official said that the work, first scheduled for 2023, had been pushed back."
    assert _rows(plan, [("2023", "2023-01-01", "2023-12-31")]) == [plan]  # what became of the plan
    built = "The dam was completed in 1968."
    assert _rows(built, [("1968", "1968-01-01", "1968-12-31")]) == [built]  # the sentence's own point
    recent = "The deal, announced in May, closed on Monday."
    assert _rows(recent, [("in May", "2025-05-01", "2025-05-31")]) == ["The deal, announced in May"]


def test_a_date_in_one_coordinated_that_clause_dates_that_clause() -> None:
    text = ("The ministry said that the level had fallen by four metres and that it expected to finish "
            "the assessment by the end of September.")
    assert _rows(text, [("the end of September", "2025-09-21", "2025-09-30")]) == [
        "…that it expected to finish the assessment by the end of September"]
    first = "Farmers said the fields were due to be harvested this month, and that few had insurance."
    assert _rows(first, [("this month", "2025-09-01", "2025-09-30")]) == [
        "Farmers said the fields were due to be harvested this month"]
    said = "Speaking on Monday, the minister said that boats had arrived and that rain had slowed them."
    assert _rows(said, [("on Monday", "2025-09-15", "2025-09-15")]) == [said]  # the saying's date


def test_a_documents_own_date_dates_what_it_says() -> None:
    text = "The memo, dated 22 July, recommended lowering the reservoir."
    assert _rows(text, [("22 July", "2025-07-22", "2025-07-22")]) == [text]


def test_an_estimated_publication_reads_as_a_sentence_with_or_without_its_outlet() -> None:
    dated = art("a", "One", "Talks ended.", "2024-11-20")
    for outlet, start in ((None, "An article of unknown outlet was published"), ("Two", "Two published")):
        undated = art("b", outlet, "The president said on Sunday that talks were over.", None)  # type: ignore[arg-type]
        est = estimate_published(undated, [dated, undated])
        assert est is not None
        text = estimate_entry("s", undated, est).text
        assert text.startswith(start) and "(no date given; estimated " in text, text


def test_items_kept_beside_each_analysis_give_the_timeline_read_anew() -> None:
    """With each article's dated items kept between fuses (``derived``), a story's timeline is the one
    built from scratch: as it grows, as an older article moves its first date, and as claims come."""
    from dataclasses import replace

    from newsfuse.models import Claim, ClaimSource, Span

    kept: dict[tuple[int, str], object] = {}
    built: list[str] = []

    def derived(analysis: Analysis, what: str, build: object) -> object:
        if (id(analysis), what) not in kept:
            built.append(analysis.article_id)
            kept[(id(analysis), what)] = build()  # type: ignore[operator]
        return kept[(id(analysis), what)]

    a = art("a", "One", "The dam broke on Saturday. The mayor spoke on Sunday.", "2025-09-14")
    b = art("b", "Two", "The dam broke on Saturday, officials said.", "2025-09-15")
    old = art("c", "Three", "The Orlen Dam, completed in 1968, broke on Saturday.", "1999-01-01")
    ta = time(a, "on Saturday", "2025-09-13")
    ev = Event("e1", "a", "break", a.text.index("broke"), a.text.index("broke") + 5, 0, 26, "ASSAULT",
               time_id=ta.id)
    an = {"a": Analysis("a", events=(ev,), times=(ta, time(a, "on Sunday", "2025-09-14"))),
          "b": Analysis("b", times=(time(b, "on Saturday", "2025-09-13"),)),
          "c": Analysis("c", times=(time(old, "in 1968", "1968-01-01", "1968-12-31", "year"),
                                    time(old, "on Saturday", "2025-09-13")))}
    claim = Claim("c_1", "s", "event", "The dam broke.", "single-source", 1,
                  (ClaimSource("a", "One", evidence=(Span("a", 0, 26, a.text[:26]),)),))
    for articles, claims in (([a], ()), ([a, b], ()), ([a, b], (claim,)), ([a, b, old], (claim,)),
                             ([replace(a, published="2025-09-16"), b], (claim,))):
        assert build_timeline("s", articles, an, claims, derived) == build_timeline("s", articles, an, claims)
    assert any(e.claim_id == "c_1" for e in build_timeline("s", [a, b], an, (claim,), derived))
    assert built == ["a", "b", "c"]  # each article's items read once, then kept


def test_only_an_after_clue_reads_the_story_timeline() -> None:
    """An undated article's estimate reads the timeline only through an 'N days after' clue: without
    one it is the same with or without the timeline (so a fuse need not build it)."""
    from newsfuse.fuse.timeline import reads_timeline

    dated = art("a_rt1", "One", "x", "2025-03-04")
    later = art("a_rt2", "Two", "y", "2025-03-09")
    clue = art("a_rt3", "Three", "Two days after the Tessel bridge closed, ferries ran again.", None)
    plain = art("a_rt4", "Four", "Ferries ran again on Friday, the council said.", None)
    closed = "The Tessel bridge closed on Wednesday."
    timeline = [TimelineEntry("s", "2025-03-05", "2025-03-05", "day", closed)]
    assert reads_timeline(clue) and not reads_timeline(plain)
    assert estimate_published(plain, [dated, later, plain], timeline) == \
        estimate_published(plain, [dated, later, plain])
    with_clue = estimate_published(clue, [dated, later, clue], timeline)
    assert with_clue is not None and with_clue.published == "2025-03-07"
    assert with_clue != estimate_published(clue, [dated, later, clue])


def test_a_grown_story_merges_only_the_new_articles_items() -> None:
    """A story re-fused after one new article (last in arrival order) goes on from its kept merge and
    gets the entries of a merge from scratch; a changed claim of an older item merges anew."""
    from newsfuse.fuse import timeline as timeline_mod
    from newsfuse.models import Claim, ClaimSource, Span

    kept: dict[tuple[int, str], object] = {}

    def derived(analysis: Analysis, what: str, build: object) -> object:
        return kept.setdefault((id(analysis), what), build())  # type: ignore[operator]

    texts = ["The Harl ferry sank on Saturday.", "The Harl ferry sank on Saturday, its owner said.",
             "Divers reached the Harl ferry on Monday.", "Ferry services resumed on Tuesday."]
    days = ["2025-05-10", "2025-05-10", "2025-05-12", "2025-05-13"]
    articles = [art(f"a_grow_tl{n}", f"Outlet {n}", t, "2025-05-14") for n, t in enumerate(texts)]
    an = {}
    for a, day, t in zip(articles, days, texts, strict=True):
        words = t[t.index(" on ") + 1:-1]
        tx = time(a, words, day)
        at = t.index("sank") if "sank" in t else t.index(" ") + 1
        an[a.id] = Analysis(a.id, times=(tx,), events=(
            Event(f"e_grow_tl_{a.id}", a.id, "sink", at, at + 4, 0, len(t), "ASSAULT", time_id=tx.id),))

    def claim(n: int) -> Claim:
        a = articles[n]
        return Claim(f"c_grow_tl{n}", "s_grow_tl", "event", a.text, "single-source", 1,
                     (ClaimSource(a.id, a.outlet or "", evidence=(Span(a.id, 0, len(a.text), a.text),)),))

    story, claims = "s_grow_tl", (claim(3),)
    before = timeline_mod._MERGES.resumed
    for n in range(1, len(articles) + 1):
        grown = build_timeline(story, articles[:n], an, claims, derived)
        assert grown == build_timeline(story, articles[:n], an, claims)
    assert timeline_mod._MERGES.resumed - before == len(articles) - 1
    assert [len(e.evidence) for e in grown] == [2, 1, 1]  # the two reports of the sinking are one entry
    fresh, claims = timeline_mod._MERGES.fresh, (claim(0), claim(3))  # the first item's claim changes
    assert build_timeline(story, articles, an, claims, derived) == build_timeline(story, articles, an, claims)
    assert timeline_mod._MERGES.fresh == fresh + 1


def test_the_kept_merges_can_be_held_below_their_story_bound() -> None:
    from newsfuse.fuse import timeline as timeline_mod

    memo = timeline_mod._MergeMemo()
    memo.size = 1
    for story in ("s_merge_most1", "s_merge_most2"):
        assert memo.entries(story, True, [], []) == []
    assert [key[0] for key in memo._kept] == ["s_merge_most2"]

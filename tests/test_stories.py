"""Online story grouping (fuse/stories/assign.py, fuse/stories/textsim.py) on tiny texts of our own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import benchmods
import pytest

from newsfuse import defaults
from newsfuse.errors import NotFoundError
from newsfuse.fuse.stories import assign as stories
from newsfuse.fuse.stories import textsim
from newsfuse.fuse.stories.basics import close_in_time
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, CopyLink, Mention
from newsfuse.store import Store, queries

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATA = ROOT.parent / "shared" / "bench"

MARSDEN_1 = (
    "Two people were wounded when a gunman opened fire outside the Blue Heron bar in Marsden late "
    "on Saturday, police chief Alma Reyes said. The victims were taken to Marsden General Hospital."
)
MARSDEN_2 = (
    "Officers in Marsden arrested a 24-year-old man on Monday over the weekend shooting at the Blue "
    "Heron, Chief Alma Reyes told reporters. Both victims remain at Marsden General Hospital."
)
CORLISS = (
    "A man was killed in a shooting at a petrol station in Corliss early on Sunday, Sheriff Tomas "
    "Webb said. Deputies are looking for a shooter who fled in a grey pickup truck."
)
DAM = (
    "Engineers at the Orlen dam opened two spillways on Tuesday as the reservoir rose after a week "
    "of heavy rain over the Kessel Valley, the regional water board said."
)
FERRY = (
    "The Dunmere ferry service was suspended on Tuesday after storm winds damaged the harbour pier, "
    "the port authority said, leaving island commuters stranded overnight."
)


def add(store: Store, text: str, outlet: str, published: str | None = None, title: str | None = None) -> str:
    article = Article(id=content_id(outlet, text, prefix="a_"), text=text, outlet=outlet,
                      published=published, title=title)
    store.add_article(article)
    return article.id


def story_of(store: Store, article_id: str) -> str:
    sid = queries.story_of_article(store, article_id)
    assert sid is not None
    return queries.resolve_story_id(store, sid)


def test_same_kind_different_place_and_people_stay_apart(store: Store) -> None:
    a = add(store, MARSDEN_1, "Marsden Echo", "2024-05-04")
    b = add(store, CORLISS, "Corliss Daily", "2024-05-05")
    stories.assign_articles(store, [a, b])
    assert story_of(store, a) != story_of(store, b)


def test_follow_up_with_new_wording_joins(store: Store) -> None:
    a = add(store, MARSDEN_1, "Marsden Echo", "2024-05-04")
    c = add(store, CORLISS, "Corliss Daily", "2024-05-05")
    b = add(store, MARSDEN_2, "Valley Radio", "2024-05-06")
    touched = stories.assign_articles(store, [a, c, b])
    assert story_of(store, b) == story_of(store, a) != story_of(store, c)
    assert set(touched) == {story_of(store, a), story_of(store, c)}
    story = queries.get_story(store, story_of(store, a))
    assert story.first_seen == "2024-05-04" and story.last_update == "2024-05-06"
    assert story.article_ids == (a, b)


def test_copy_joins_its_originals_story_whatever_its_text(store: Store) -> None:
    a = add(store, MARSDEN_1, "Marsden Echo", "2024-05-04")
    d = add(store, DAM, "Kessel Post", "2024-05-04")
    # Ingest decided this is a copy; the text (a trimmed reprint) says little on its own.
    copy = add(store, "Reprinted: gunfire in a town bar, two hurt.", "Reprint Weekly", "2024-05-05")
    store.add_copy(CopyLink(article_id=copy, original_id=a, similarity=0.8, method="minhash"))
    stories.assign_articles(store, [a, d, copy])
    assert story_of(store, copy) == story_of(store, a) != story_of(store, d)


def test_ids_are_deterministic_and_stable_as_articles_arrive(store: Store) -> None:
    a = add(store, MARSDEN_1, "Marsden Echo", "2024-05-04")
    [sid] = stories.assign_articles(store, [a])
    assert sid == stories.story_id_for(a) and sid.startswith("s_")
    for text, outlet in ((CORLISS, "Corliss Daily"), (MARSDEN_2, "Valley Radio"), (DAM, "Kessel Post")):
        stories.assign_articles(store, [add(store, text, outlet, "2024-05-06")])
        assert story_of(store, a) == sid
    assert queries.get_story(store, sid).title.startswith("Two people were wounded")


def test_article_linking_two_stories_merges_younger_into_older(store: Store) -> None:
    dam = add(store, DAM, "Kessel Post", "2024-03-12")
    ferry = add(store, FERRY, "Dunmere Courier", "2024-03-12")
    stories.assign_articles(store, [dam, ferry])
    older, younger = story_of(store, dam), story_of(store, ferry)
    assert older != younger
    roundup = add(store, f"{DAM}\n\n{FERRY}", "Regional Roundup", "2024-03-13")
    touched = stories.assign_articles(store, [roundup])
    assert set(touched) == {older, younger}
    assert queries.resolve_story_id(store, younger) == older  # the old ID still leads somewhere
    assert queries.get_story(store, younger).article_ids == (dam, ferry, roundup)
    [merge] = store.fetchall("SELECT from_id, into_id, reason, similarity FROM story_merges")
    assert (merge["from_id"], merge["into_id"]) == (younger, older)
    assert roundup in merge["reason"] and merge["similarity"] >= defaults.STORY_MERGE_THRESHOLD
    assert [s.id for s in queries.list_stories(store)] == [older]


def test_rerun_changes_nothing(store: Store) -> None:
    ids = [add(store, t, o, "2024-05-05") for t, o in
           ((MARSDEN_1, "Marsden Echo"), (CORLISS, "Corliss Daily"), (MARSDEN_2, "Valley Radio"))]
    stories.assign_articles(store, ids)
    before = [store.fetchall(f"SELECT * FROM {t} ORDER BY 1") for t in
              ("story_articles", "stories", "story_df", "story_docs", "story_vectors", "story_index")]
    assert stories.assign_articles(store, ids) == []
    after = [store.fetchall(f"SELECT * FROM {t} ORDER BY 1") for t in
             ("story_articles", "stories", "story_df", "story_docs", "story_vectors", "story_index")]
    assert before == after


def test_one_call_groups_the_same_in_any_order(tmp_path: Path) -> None:
    texts = ((MARSDEN_1, "Marsden Echo"), (CORLISS, "Corliss Daily"), (MARSDEN_2, "Valley Radio"),
             (DAM, "Kessel Post"), (FERRY, "Dunmere Courier"))
    groupings = []
    for n, order in enumerate(([0, 1, 2, 3, 4], [2, 4, 1, 3, 0], [3, 2, 0, 4, 1])):
        with Store(str(tmp_path / f"s{n}.db")) as store:
            ids = [add(store, *texts[i], "2024-05-05") for i in order]
            stories.assign_articles(store, ids)
            by_text = {texts[i][0]: story_of(store, aid) for i, aid in zip(order, ids, strict=True)}
        groupings.append({frozenset(t for t in by_text if by_text[t] == s) for s in by_text.values()})
    assert groupings[0] == groupings[1] == groupings[2]
    assert frozenset({MARSDEN_1, MARSDEN_2}) in groupings[0]


@pytest.mark.parametrize("one_call", [True, False])
def test_story_title_does_not_depend_on_arrival_order(tmp_path: Path, one_call: bool) -> None:
    """Same day, no headlines: whichever report arrives first, the story gets one title; once a
    member brings a headline of its own, that headline names the story."""
    titles = []
    for n, order in enumerate(([0, 1], [1, 0])):
        with Store(str(tmp_path / f"t{n}.db")) as store:
            texts = ((MARSDEN_1, "Marsden Echo"), (MARSDEN_2, "Valley Radio"))
            ids = [add(store, *texts[i], "2024-05-05") for i in order]
            for chunk in ([ids] if one_call else [[i] for i in ids]):
                stories.assign_articles(store, chunk)
            sid = story_of(store, ids[0])
            titles.append(queries.get_story(store, sid).title)
            headed = add(store, MARSDEN_2 + " More to follow.", "Marsden Post", "2024-05-06",
                         title="Arrest over Blue Heron bar shooting")
            stories.assign_articles(store, [headed])
            named = queries.get_story(store, story_of(store, headed)).title
            assert named == "Arrest over Blue Heron bar shooting"
    assert titles[0] == titles[1]
    assert any(t.startswith(titles[0].rstrip("…")) for t in (MARSDEN_1, MARSDEN_2))


def test_headline_from_a_long_lead_is_cut_where_a_reader_expects() -> None:
    from newsfuse.fuse.stories.basics import headline

    assert headline("Ready for Trump vs. Harris? Voters line up early.") == "Ready for Trump vs. Harris?"
    lead = ("Engineers from the regional water board, which runs the Orlen dam and four reservoirs in the "
            "Kessel Valley, said on Tuesday that two more spillways would open before the weekend.")
    title = headline(lead)
    assert title == "Engineers from the regional water board, which runs the Orlen dam and four reservoirs…"
    no_break = ("President Anna Lind has backed the reported decision of the Marovia government to allow "
                "Tarva to use long-range weapons for strikes on territory across the border.")
    title = headline(no_break)
    assert len(title) <= defaults.STORY_TITLE_MAX_CHARS + 1 and title.endswith("…")
    last = title[:-1].split()[-1]
    assert last.casefold() not in {"to", "the", "of", "for", "a"} and no_break.startswith(title[:-1])
    names = ("Officials from the European Union and the United Nations Development Programme met with "
             "Prime Minister Denys Shmyhal in Kyiv on Monday to discuss how to rebuild the power grid.")
    assert not headline(names).endswith("Development…")  # never cuts a name in two


def test_batch_group_joins_an_existing_story_and_keeps_its_id(store: Store) -> None:
    a = add(store, MARSDEN_1, "Marsden Echo", "2024-05-04")
    [sid] = stories.assign_articles(store, [a])
    b = add(store, MARSDEN_2, "Valley Radio", "2024-05-06")
    d = add(store, DAM, "Kessel Post", "2024-05-06")
    stories.assign_articles(store, [b, d])
    assert story_of(store, b) == sid != story_of(store, d)
    assert queries.get_story(store, sid).article_ids == (a, b)


def test_dates_far_apart_lower_the_score_unknown_is_neutral() -> None:
    assert stories.time_factor("2024-05-05", "2024-05-01", "2024-05-03") == 1.0
    assert stories.time_factor(None, "2024-05-01", "2024-05-03") == 1.0
    assert stories.time_factor("2024-05-05", None, None) == 1.0
    late = stories.time_factor("2024-06-30", "2024-05-01", "2024-05-03")  # 58 days after the range
    early = stories.time_factor("2024-03-01", "2024-05-01", "2024-05-03")  # 61 days before it
    window, half_life = defaults.STORY_TIME_WINDOW_DAYS, defaults.STORY_TIME_HALF_LIFE_DAYS
    assert late == pytest.approx(0.5 ** ((58 - window) / half_life))
    assert early == pytest.approx(0.5 ** ((61 - window) / half_life))
    assert 0 < early < late < 0.5


def test_only_known_dates_a_few_days_apart_are_close(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_ARG_LIFT_MAX_DAYS", 3)
    assert close_in_time("2024-05-06", "2024-05-06", "2024-04-20", "2024-05-03")  # 3 days after its last
    assert not close_in_time("2024-05-07", "2024-05-07", "2024-04-20", "2024-05-03")
    assert close_in_time("2024-04-17", "2024-04-30", "2024-05-01", "2024-05-02")  # ranges 1 day apart
    assert not close_in_time(None, None, "2024-05-01", "2024-05-01")  # unknown is no agreement
    assert not close_in_time("2024-05-01", "2024-05-01", None, None)
    monkeypatch.setattr(defaults, "STORY_ARG_LIFT_MAX_DAYS", 0)
    assert close_in_time("2024-05-02", None, "2024-05-01", "2024-05-03")  # inside the range
    assert not close_in_time("2024-05-04", None, "2024-05-01", "2024-05-03")


def test_same_text_months_apart_is_a_new_story(store: Store) -> None:
    a = add(store, DAM, "Kessel Post", "2024-03-12")
    b = add(store, DAM.replace("two spillways", "three spillways"), "Lowland Herald", "2024-09-20")
    stories.assign_articles(store, [a, b])
    assert story_of(store, a) != story_of(store, b)


def test_unknown_article_is_a_clear_error(store: Store) -> None:
    with pytest.raises(NotFoundError, match="ingest it"):
        stories.assign_articles(store, ["a_missing"])


def test_terms_use_names_from_analysis_when_present() -> None:
    text = "Chief Alma Reyes spoke in Marsden."
    proxy = textsim.count_terms(text)
    assert {"e:alma", "e:reye", "e:marsden"} <= set(proxy)  # capitalised words inside a sentence
    mention = Mention(id="m1", article_id="a", start=6, end=16, text="Alma Reyes", label="PERSON",
                      kind="name", entity_key="Alma Reyes")
    named = textsim.count_terms(text, [mention])
    assert {t for t in named if t.startswith("e:")} == {"e:alma", "e:reye"}
    assert named["marsden"] == 1 and "the" not in named


def test_singleton_gets_a_second_chance_after_the_batch(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nobody may join during the pass, so every article founds a story; the rescue then merges a
    # lone story into its clearly best one (recorded, old ID resolvable) and leaves the other alone.
    # (The re-clustering, under the same impossible bar, would split them again: it is off here.)
    monkeypatch.setattr(defaults, "STORY_THRESHOLD", 0.99)
    monkeypatch.setattr(defaults, "STORY_RECLUSTER", False)
    a = add(store, MARSDEN_1, "Marsden Echo", "2024-05-04")
    c = add(store, CORLISS, "Corliss Daily", "2024-05-05")
    b = add(store, MARSDEN_2, "Valley Radio", "2024-05-06")
    stories.assign_articles(store, [a, c, b])
    assert story_of(store, a) == story_of(store, b) == stories.story_id_for(b) != story_of(store, c)
    assert queries.resolve_story_id(store, stories.story_id_for(a)) == stories.story_id_for(b)
    [merge] = store.fetchall("SELECT from_id, into_id FROM story_merges")
    assert (merge["from_id"], merge["into_id"]) == (stories.story_id_for(a), stories.story_id_for(b))
    story = queries.get_story(store, stories.story_id_for(b))
    assert story.first_seen == "2024-05-04" and story.title.startswith("Two people were wounded")


@pytest.mark.parametrize(("most", "day", "max_days", "joined"), [
    (3, "2024-05-06", 3, True),  # a group of two, the same town and chief, two days on: rescued
    (1, "2024-05-06", 3, False),  # lone reports only
    (3, "2024-05-20", 3, False),  # two weeks on, groups 3 days apart at most (sessions 17-18)
    (3, "2024-05-20", 60, True),  # two weeks on, groups 60 days apart at most: a late group joins
    (3, "2024-09-20", 60, False),  # four months on: no late report of one incident
    (3, None, 60, False),  # undated: unknown is no agreement
])
def test_a_small_group_nobody_joined_gets_the_second_chance_too(
    store: Store, monkeypatch: pytest.MonkeyPatch, most: int, day: str | None, max_days: int, joined: bool
) -> None:
    # Only near-identical texts may group, so the batch cut leaves two groups of two Marsden
    # reports and a lone Corliss one. With groups of up to 3 rescued (STORY_RESCUE_MAX_MEMBERS), the
    # first Marsden group founded joins its clearly best story when the two name a person or place
    # in common and are dated at most STORY_RESCUE_GROUP_MAX_DAYS apart (recorded; its articles keep
    # the rescue's score). Corliss stays alone either way.
    monkeypatch.setattr(defaults, "STORY_THRESHOLD", 0.8)
    monkeypatch.setattr(defaults, "STORY_RECLUSTER", False)
    monkeypatch.setattr(defaults, "STORY_RESCUE_MAX_MEMBERS", most)
    monkeypatch.setattr(defaults, "STORY_RESCUE_GROUP_MAX_DAYS", max_days)
    names = {"Marsden": "GPE", "Alma Reyes": "PERSON", "Corliss": "GPE", "Tomas Webb": "PERSON"}
    tail = " Neighbours said they heard several shots."
    a1 = _analysed(store, MARSDEN_1, "Marsden Echo", day and "2024-05-04", names)
    a2 = _analysed(store, MARSDEN_1 + tail, "Marsden Post", day and "2024-05-04", names)
    c = _analysed(store, CORLISS, "Corliss Daily", day and "2024-05-05", names)
    b1 = _analysed(store, MARSDEN_2, "Valley Radio", day, names)
    b2 = _analysed(store, MARSDEN_2 + tail, "Valley Times", day, names)
    stories.assign_articles(store, [a1, a2, c, b1, b2])
    assert story_of(store, a1) == story_of(store, a2) and story_of(store, b1) == story_of(store, b2)
    assert (story_of(store, a1) == story_of(store, b1)) is joined
    assert story_of(store, c) not in {story_of(store, a1), story_of(store, b1)}
    if not joined:
        return
    [merge] = store.fetchall("SELECT reason, similarity FROM story_merges")
    assert "story of 2 articles" in merge["reason"]
    marsden = (a1, a2, b1, b2)
    rows = store.fetchall("SELECT score FROM story_articles WHERE article_id IN (?, ?, ?, ?)", marsden)
    assert sorted(r["score"] == merge["similarity"] for r in rows) == [False, False, True, True]


@pytest.mark.parametrize(("rival_link", "runner_up_words", "rescued"), [
    (0.08, ("harbour", "pier"), True),  # the runner-up is the best story's other piece: no rival
    (0.08, ("spillway", "reservoir"), False),  # a story of its own close behind: too close to call
    (float("inf"), ("harbour", "pier"), False),  # every runner-up counts (sessions 9-17)
])
def test_the_rescue_margin_skips_a_runner_up_that_is_part_of_the_best_story(
    monkeypatch: pytest.MonkeyPatch, rival_link: float, runner_up_words: tuple[str, str], rescued: bool
) -> None:
    # A lone report scores 0.12 with its best story and 0.10 with the runner-up (under the margin
    # of 1.5). When the runner-up's members are worded like the best story's (two pieces of one
    # story the cut left apart), the margin is taken against the next candidate (0.02): rescued.
    from newsfuse.fuse.stories import place as storyplace
    from newsfuse.fuse.stories.args import Profile
    from newsfuse.fuse.stories.state import Cache, Unit

    monkeypatch.setattr(defaults, "STORY_RESCUE_RIVAL_LINK", rival_link)
    monkeypatch.setattr(defaults, "STORY_RESCUE_MARGIN", 1.5)
    monkeypatch.setattr(defaults, "STORY_RESCUE_THRESHOLD", 0.08)
    pier = textsim.normalize({"harbour": 1.0, "pier": 1.0})
    cache = Cache()
    cache.vectors = {"s_best": (2, {t: 2 * w for t, w in pier.items()}),
                     "s_next": (1, textsim.normalize(dict.fromkeys(runner_up_words, 1.0))),
                     "s_far": (1, textsim.normalize({"ballot": 1.0}))}
    article = Article(id="a_rival_lone", text=FERRY, outlet="Dunmere Radio", published="2024-05-07")
    unit = Unit([article], [textsim.normalize({"ferry": 1.0})], Profile())
    scored = [(0.12, "s_best"), (0.10, "s_next"), (0.02, "s_far")]
    found = storyplace.rescue_target(None, cache, unit, scored)  # type: ignore[arg-type]
    assert found == ((0.12, "s_best") if rescued else None)


@pytest.mark.parametrize(("near_bar", "story_day", "kinds", "rescued"), [
    (0.06, "2024-05-07", frozenset(), True),  # the same day: the lower bar holds
    (0.06, "2024-05-12", frozenset(), False),  # five days on: the usual bar (0.08)
    (0.08, "2024-05-07", frozenset(), False),  # the near bar off (sessions 9-18)
    (0.06, "2024-05-07", frozenset({"place"}), False),  # no place in common
])
def test_a_small_story_dated_near_its_best_story_is_rescued_at_the_near_bar(
    monkeypatch: pytest.MonkeyPatch, near_bar: float, story_day: str, kinds: frozenset[str], rescued: bool
) -> None:
    # A lone report scores 0.07 with its best story (under the bar of 0.08) and 0.02 with the next:
    # a clear margin. Dated the same day as that story (STORY_RESCUE_NEAR_DAYS 0) it is rescued at
    # STORY_RESCUE_NEAR_THRESHOLD; with STORY_RESCUE_NEAR_KINDS the two must also name such a term.
    from newsfuse.fuse.stories import place as storyplace
    from newsfuse.fuse.stories.args import Profile
    from newsfuse.fuse.stories.state import Cache, Unit

    monkeypatch.setattr(defaults, "STORY_RESCUE_THRESHOLD", 0.08)
    monkeypatch.setattr(defaults, "STORY_RESCUE_MARGIN", 1.5)
    monkeypatch.setattr(defaults, "STORY_RESCUE_NEAR_THRESHOLD", near_bar)
    monkeypatch.setattr(defaults, "STORY_RESCUE_NEAR_DAYS", 0)
    monkeypatch.setattr(defaults, "STORY_RESCUE_NEAR_KINDS", kinds)
    monkeypatch.setattr(defaults, "STORY_RESCUE_DAY_THRESHOLD", 0.08)  # the day bar off: the near bar alone
    cache = Cache()
    cache.vectors = {"s_near_best": (2, textsim.normalize({"lock": 2.0})),
                     "s_near_next": (1, textsim.normalize({"ballot": 1.0}))}
    cache.headers = {"s_near_best": {"first_seen": story_day, "last_update": story_day, "merged_into": None}}
    cache.profiles = {"s_near_best": Profile().add_terms(["g:harlow"])}
    article = Article(id="a_near_lone", text=FERRY, outlet="Dunmere Radio", published="2024-05-07")
    unit = Unit([article], [textsim.normalize({"ferry": 1.0})], Profile().add_terms(["g:dunmere"]))
    scored = [(0.07, "s_near_best"), (0.02, "s_near_next")]
    found = storyplace.rescue_target(None, cache, unit, scored)  # type: ignore[arg-type]
    assert found == ((0.07, "s_near_best") if rescued else None)


@pytest.mark.parametrize(("day_bar", "rival_day", "rival_score", "story_day", "people", "rescued"), [
    (0.05, "2024-05-09", 0.03, "2024-05-07", (), True),  # alone on its day: the day bar, no name in common
    (0.05, "2024-05-07", 0.03, "2024-05-07", (), False),  # another story that day: no day rescue
    (0.05, "2024-05-07", 0.01, "2024-05-07", (), True),  # ... scoring under the rival score: no rival
    (0.05, "2024-05-09", 0.03, "2024-05-08", (), False),  # the next day: the usual bar (0.08)
    (0.08, "2024-05-09", 0.03, "2024-05-07", (), False),  # the day bar off (sessions 9-19)
    # different people named: the arguments score_unit left out take 0.06 under the day bar (x 0.6)
    (0.05, "2024-05-09", 0.03, "2024-05-07", ("p:okafor", "p:reyes"), False),
])
def test_a_small_story_alone_on_its_day_with_its_best_story_is_rescued_at_the_day_bar(
    monkeypatch: pytest.MonkeyPatch, day_bar: float, rival_day: str, rival_score: float, story_day: str,
    people: tuple[str, ...], rescued: bool,
) -> None:
    # A lone report scores 0.06 with its best story: under the near bar (0.07), and they name nothing
    # in common. Dated the same day as that story (STORY_RESCUE_NEAR_DAYS 0) with no other candidate
    # dated that day scoring STORY_RESCUE_DAY_RIVAL_SCORE (0.02) or more, it is rescued at
    # STORY_RESCUE_DAY_THRESHOLD; the margin over the runner-up still holds (0.06 >= 1.5 x 0.03).
    from newsfuse.fuse.stories import place as storyplace
    from newsfuse.fuse.stories.args import Profile
    from newsfuse.fuse.stories.state import Cache, Unit

    monkeypatch.setattr(defaults, "STORY_RESCUE_THRESHOLD", 0.08)
    monkeypatch.setattr(defaults, "STORY_RESCUE_MARGIN", 1.5)
    monkeypatch.setattr(defaults, "STORY_RESCUE_NEAR_THRESHOLD", 0.07)
    monkeypatch.setattr(defaults, "STORY_RESCUE_NEAR_DAYS", 0)
    monkeypatch.setattr(defaults, "STORY_RESCUE_DAY_THRESHOLD", day_bar)
    monkeypatch.setattr(defaults, "STORY_RESCUE_DAY_RIVAL_SCORE", 0.02)
    monkeypatch.setattr(defaults, "STORY_RESCUE_DAY_KINDS", frozenset())
    cache = Cache()
    cache.vectors = {"s_day_best": (2, textsim.normalize({"lock": 2.0})),
                     "s_day_other": (1, textsim.normalize({"ballot": 1.0}))}
    cache.headers = {"s_day_best": {"first_seen": story_day, "last_update": story_day, "merged_into": None},
                     "s_day_other": {"first_seen": rival_day, "last_update": rival_day, "merged_into": None}}
    monkeypatch.setattr(defaults, "STORY_ARG_PERSON_PENALTY", 0.6)
    cache.profiles = {"s_day_best": Profile().add_terms(["g:harlow", *people[1:]])}
    article = Article(id="a_day_lone", text=FERRY, outlet="Dunmere Radio", published="2024-05-07")
    lone = Profile().add_terms(["g:dunmere", *people[:1]])
    unit = Unit([article], [textsim.normalize({"ferry": 1.0})], lone)
    scored = [(0.06, "s_day_best"), (min(rival_score, 0.03), "s_day_other")]
    found = storyplace.rescue_target(None, cache, unit, scored)  # type: ignore[arg-type]
    assert found == ((0.06, "s_day_best") if rescued else None)


@pytest.mark.parametrize("again", [True, False])
def test_stories_a_call_founded_get_the_rescue_again_at_its_end(
    store: Store, monkeypatch: pytest.MonkeyPatch, again: bool
) -> None:
    # Nobody may join, and step 5's rescue is left out (as when the re-clustering moves a report out
    # after it: the piece it founds had no rescue). At the call's end the stories it founded get the
    # late rescue (STORY_RESCUE_AGAIN): the two Marsden reports merge; off, nothing looks at them again.
    from newsfuse.fuse.stories import place as storyplace

    for name in ("STORY_THRESHOLD", "STORY_CONSOLIDATE_THRESHOLD"):
        monkeypatch.setattr(defaults, name, 0.99)
    monkeypatch.setattr(defaults, "STORY_RECLUSTER", False)
    monkeypatch.setattr(defaults, "STORY_RESCUE_AGAIN", again)
    monkeypatch.setattr(storyplace, "rescue", lambda *args: [])
    a = add(store, MARSDEN_1, "Marsden Gazette", "2024-05-04")
    c = add(store, CORLISS, "Corliss Herald", "2024-05-05")
    b = add(store, MARSDEN_2, "Valley Courier", "2024-05-06")
    stories.assign_articles(store, [a, c, b])
    assert (story_of(store, a) == story_of(store, b)) is again
    assert story_of(store, c) not in {story_of(store, a), story_of(store, b)}


@pytest.mark.parametrize("neighbours", [5, 0])
def test_lone_story_is_rescued_once_its_story_arrives_one_by_one(
    store: Store, monkeypatch: pytest.MonkeyPatch, neighbours: int
) -> None:
    # One article per call, and nobody may join (nor may stories consolidate): the first Marsden
    # report is alone when it arrives. When the second comes, the first is a lone story near it and
    # gets its rescue then: the younger story merges into the older (recorded; both IDs resolve).
    # Off, they stay apart.
    for name in ("STORY_THRESHOLD", "STORY_CONSOLIDATE_THRESHOLD"):
        monkeypatch.setattr(defaults, name, 0.99)
    monkeypatch.setattr(defaults, "STORY_RECLUSTER", False)
    monkeypatch.setattr(defaults, "STORY_LONE_NEIGHBOURS", neighbours)
    a = add(store, MARSDEN_1, "Marsden Echo", "2024-05-04")
    c = add(store, CORLISS, "Corliss Daily", "2024-05-05")
    b = add(store, MARSDEN_2, "Valley Radio", "2024-05-06")
    for article in (a, c, b):
        stories.assign_articles(store, [article])
    if not neighbours:
        assert len({story_of(store, a), story_of(store, b), story_of(store, c)}) == 3
        return
    assert story_of(store, a) == story_of(store, b) == stories.story_id_for(a) != story_of(store, c)
    assert queries.resolve_story_id(store, stories.story_id_for(b)) == stories.story_id_for(a)
    [merge] = store.fetchall("SELECT from_id, into_id, reason FROM story_merges")
    assert (merge["from_id"], merge["into_id"]) == (stories.story_id_for(b), stories.story_id_for(a))
    assert "one article" in merge["reason"]
    assert queries.get_story(store, stories.story_id_for(a)).last_update == "2024-05-06"
    # The rescued article's placement score is the rescue's score, no longer the 1.0 of a founder.
    [row] = store.fetchall("SELECT score FROM story_articles WHERE article_id = ?", (b,))
    [similarity] = store.fetchall("SELECT similarity FROM story_merges")
    assert row["score"] == similarity["similarity"] < 1.0


def test_headline_names_count_where_the_text_does_not_name_them() -> None:
    text = "Two men were hurt when shots were fired outside a bar late on Saturday, Chief Ana Ruiz said."
    start = text.index("Ana")
    mention = Mention(id="m1", article_id="a", start=start, end=start + 8, text="Ana Ruiz", label="PERSON",
                      kind="name", entity_key="Ana Ruiz")
    plain = textsim.count_terms(text, [mention])
    title = "Shots Fired Outside Bar In Kessel Falls"
    headed = textsim.count_terms(f"{title}\n{text}", [mention], headline=f"{title} - Valley Radio News")
    assert {t for t in plain if t.startswith(("e:", "g:"))} == {"e:ana", "e:ruiz"}
    # The town is a name (the text never writes it in lower case) after 'In': a place; 'Shots',
    # 'Fired', 'Outside' and 'Bar' are words the text writes in lower case; the outlet's tail is no
    # name. The place is an argument (WHERE), not an entity term: the headline's words count as words.
    assert {t for t in headed if t.startswith(("e:", "g:"))} == {"e:ana", "e:ruiz", "g:kessel_fall"}
    assert headed["kessel"] == 1


def test_headline_core_drops_the_outlet_a_feed_appends() -> None:
    from newsfuse.fuse.stories.headline import core

    for feed, headline in (
        ("Family in Lisk identified - Channel 8 News - Lisk, CA News Station", "Family in Lisk identified"),
        ("Woman held in Orlen shooting | Orlen Daily | Local News", "Woman held in Orlen shooting"),
        ("Teen hurt during deer hunt: Kessel Times Online", "Teen hurt during deer hunt"),
    ):
        assert core(feed) == headline
    for whole in ("Murder - Suicide Suspect Claimed to Be a Medium", "Police: man shot in Lisk"):
        assert core(whole) == whole
    assert core("Boy shoots self while taking selfie –") == "Boy shoots self while taking selfie"


def _titled_story(store: Store) -> tuple[str, list[str]]:
    """One Marsden story from three reports arriving one by one, each headline with its outlet's
    name appended by the feed; returns the story ID and the titles it had after each report."""
    heads = ("Two hurt in weekend shooting - Marsden Echo",
             "Man arrested over Blue Heron bar shooting in Marsden | Valley Radio | Local News",
             "Blue Heron bar shooting: Marsden man arrested, victims in hospital: Marsden Post Online")
    texts = (MARSDEN_1, MARSDEN_2, MARSDEN_2 + " The bar stays shut.")
    titles = []
    for n, (head, text) in enumerate(zip(heads, texts, strict=True)):
        aid = add(store, text, f"Outlet {n}", f"2024-05-0{4 + n}", title=head)
        stories.assign_articles(store, [aid])
        titles.append(queries.get_story(store, story_of(store, aid)).title)
    return story_of(store, aid), titles


def test_story_title_is_the_headline_that_sums_it_up_and_holds(store: Store) -> None:
    from newsfuse.fuse.stories.basics import headline_weight

    sid, titles = _titled_story(store)
    # The vague first headline names the story until one naming its place and bar comes; the
    # third, barely better, does not take over (STORY_TITLE_KEEP_RATIO). Outlet tails are gone.
    held, better = ARREST_HEADLINE, "Blue Heron bar shooting: Marsden man arrested, victims in hospital"
    assert titles == ["Two hurt in weekend shooting", held, held]
    centroid = queries.story_vectors(store, [sid])[sid][1]
    weights = [headline_weight(t, centroid) for t in (held, better)]
    assert defaults.STORY_TITLE_KEEP_RATIO * weights[1] <= weights[0] < weights[1]  # held, not best


ARREST_HEADLINE = "Man arrested over Blue Heron bar shooting in Marsden"


def test_story_title_always_the_most_central_without_hysteresis(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "STORY_TITLE_KEEP_RATIO", 1.0)
    _, titles = _titled_story(store)
    assert titles[-1] == "Blue Heron bar shooting: Marsden man arrested, victims in hospital"


@pytest.mark.browser
def test_story_title_on_the_pages_in_chromium(store: Store) -> None:
    from liveapp import chromium, serve

    from newsfuse.api import create_app
    from newsfuse.fuse.report import render_markdown, story_data

    sid, _ = _titled_story(store)
    title = ARREST_HEADLINE
    data = story_data(store, sid)
    assert data["story"]["title"] == title and render_markdown(data).startswith(f"# {title}\n")
    with serve(create_app(store.url)) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{base}/stories/{sid}")
        assert page.locator("h1").first.inner_text() == title and page.title().startswith(title)
        page.goto(f"{base}/")
        row = page.locator(f"table.stories tbody tr[data-story='{sid}'] a").first
        assert row.inner_text() == title and "Valley Radio" not in page.locator("table.stories").inner_text()
        page.close()


def test_average_link_is_the_mean_cosine_with_the_members() -> None:
    x, y = {"dam": 1.0}, {"dam": 0.6, "flood": 0.8}
    centroid = textsim.add(x, y, 10)
    assert textsim.mean_cosine(x, centroid, 2) == pytest.approx((1.0 + 0.6) / 2)
    assert textsim.mean_cosine(x, {}, 0) == 0.0


def test_idf_prior_keeps_a_small_stores_names_weighty(monkeypatch: pytest.MonkeyPatch) -> None:
    # 12 of 15 articles name the dam: without the prior the name weighs almost nothing.
    with_prior = textsim.idf(12, 15) / textsim.idf(1, 15)
    monkeypatch.setattr(defaults, "STORY_IDF_PRIOR_DOCS", 0)
    assert with_prior > 1.5 * textsim.idf(12, 15) / textsim.idf(1, 15)


def test_weekdays_and_months_are_words_not_names() -> None:
    terms = textsim.count_terms("Police said on Tuesday in Marsden that the trial starts in March.")
    assert {"tuesday", "march", "e:marsden"} <= set(terms)
    assert "e:tuesday" not in terms and "e:march" not in terms


def _sizes(store: Store) -> list[int]:
    return sorted(len(s.article_ids) for s in queries.list_stories(store))


@pytest.mark.slow
def test_sample_corpus_through_the_pipeline_gives_its_two_stories(store: Store, sample: Path) -> None:
    from newsfuse.pipeline import RunContext, run

    ctx = run(store, RunContext(paths=[sample]))
    assert len(ctx.stored) == 15
    assert _sizes(store) == [3, 12]
    deal = {a.id for a in queries.list_articles(store, list(ctx.stored)) if "Quillpay" in a.text}
    assert len(deal) == 3
    assert {set(s.article_ids) == deal for s in queries.list_stories(store)} == {True, False}


@pytest.mark.slow
def test_seed_articles_are_one_story(store: Store, seeds: Path) -> None:
    from newsfuse.pipeline import RunContext, run

    ctx = run(store, RunContext(paths=[seeds]))
    assert len(ctx.stored) == 2
    assert _sizes(store) == [2]


@pytest.mark.slow
def test_sample_corpus_one_article_per_call_gives_its_two_stories(store: Store, sample: Path) -> None:
    from newsfuse.pipeline import RunContext, run

    ctx = run(store, RunContext(paths=[sample]), stages=["ingest", "analyze"])
    arrivals = [a.id for a in queries.list_articles(store)]
    assert len(arrivals) == 15
    for aid in arrivals:  # news arriving one at a time: the online path and the consolidation
        stories.assign_articles(store, [aid])
    assert _sizes(store) == [3, 12]
    deal = {a.id for a in queries.list_articles(store, list(ctx.stored)) if "Quillpay" in a.text}
    assert {set(s.article_ids) == deal for s in queries.list_stories(store)} == {True, False}
    # Every story ever founded (merged away or not) still leads to one of the two.
    founded = {r["id"] for r in store.fetchall("SELECT id FROM stories")}
    live = {s.id for s in queries.list_stories(store)}
    assert {queries.resolve_story_id(store, sid) for sid in founded} == live


@pytest.mark.slow
def test_a_big_call_reads_its_articles_in_pages_and_groups_them_the_same(
    tmp_path: Path, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfuse.pipeline import RunContext, run

    monkeypatch.setattr(defaults, "STORY_BATCH_BLOCK", 5)  # 15 articles: 3 blocks

    def grouped(page: int, name: str) -> tuple[list[list[str]], int]:
        monkeypatch.setattr(defaults, "STORY_PAGE_ARTICLES", page)
        widest = [0]
        real = queries.list_articles, queries.get_analyses

        def list_articles(store: Store, ids: list[str] | None = None) -> list[Article]:
            widest[0] = max(widest[0], len(ids) if ids is not None else 10**9)
            return real[0](store, ids)

        def get_analyses(store: Store, ids: list[str]) -> Any:
            widest[0] = max(widest[0], len(ids))
            return real[1](store, ids)

        with Store(str(tmp_path / f"{name}.db")) as store:
            run(store, RunContext(paths=[sample]), stages=["ingest", "analyze"])
            todo = [a.id for a in real[0](store)]
            with monkeypatch.context() as m:
                m.setattr(queries, "list_articles", list_articles)
                m.setattr(queries, "get_analyses", get_analyses)
                stories.assign_articles(store, todo)
            return sorted(sorted(s.article_ids) for s in queries.list_stories(store)), widest[0]

    whole, _ = grouped(250, "whole")
    paged, widest = grouped(2, "paged")
    assert paged == whole and sorted(map(len, paged)) == [3, 12]
    assert widest == 5  # a block at most: never the call's 15 articles at once


def test_consolidation_merges_stories_one_batch_would_cluster(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Joining is switched off, so each article founds a story; the consolidation at the end of
    # the call that brings the follow-up merges the two Marsden stories (the younger into the
    # older, recorded, old ID resolvable) and leaves Corliss alone.
    # The re-clustering, under the impossible join bar, would split them again: it is off here.
    monkeypatch.setattr(defaults, "STORY_THRESHOLD", 0.99)
    monkeypatch.setattr(defaults, "STORY_CONSOLIDATE_THRESHOLD", 0.1)
    monkeypatch.setattr(defaults, "STORY_RECLUSTER", False)
    a = add(store, MARSDEN_1, "Marsden Echo", "2024-05-04")
    c = add(store, CORLISS, "Corliss Daily", "2024-05-05")
    b = add(store, MARSDEN_2, "Valley Radio", "2024-05-06")
    stories.assign_articles(store, [a])
    stories.assign_articles(store, [c])
    assert store.fetchall("SELECT from_id FROM story_merges") == []
    touched = stories.assign_articles(store, [b])
    older, younger = stories.story_id_for(a), stories.story_id_for(b)
    assert set(touched) == {older, younger}
    [merge] = store.fetchall("SELECT from_id, into_id, reason, similarity FROM story_merges")
    assert (merge["from_id"], merge["into_id"]) == (younger, older)
    assert merge["similarity"] >= 0.1 and "average link" in merge["reason"]
    assert queries.resolve_story_id(store, younger) == older
    assert queries.get_story(store, younger).article_ids == (a, b)
    assert story_of(store, c) == stories.story_id_for(c)


def test_consolidation_never_splits_a_story(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # A loose story (a low join bar lets the ferry report into the dam story) stays whole when a
    # strict consolidation re-checks it: consolidation only merges.
    monkeypatch.setattr(defaults, "STORY_THRESHOLD", 0.01)
    monkeypatch.setattr(defaults, "STORY_CONSOLIDATE_THRESHOLD", 0.99)
    dam = add(store, DAM, "Kessel Post", "2024-03-12")
    ferry = add(store, FERRY, "Dunmere Courier", "2024-03-12")
    stories.assign_articles(store, [dam])
    stories.assign_articles(store, [ferry])
    assert story_of(store, dam) == story_of(store, ferry) == stories.story_id_for(dam)
    stories.assign_articles(store, [add(store, MARSDEN_1, "Marsden Echo", "2024-03-13")])
    assert queries.get_story(store, stories.story_id_for(dam)).article_ids[:2] == (dam, ferry)


def test_consolidation_leaves_a_batchs_own_clusters_apart(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The batch clustering decided these two are apart; a lax consolidation must not undo that
    # within the same call (it only pairs stories from different calls or blocks).
    monkeypatch.setattr(defaults, "STORY_CONSOLIDATE_THRESHOLD", 0.0001)
    a = add(store, MARSDEN_1, "Marsden Echo", "2024-05-04")
    b = add(store, CORLISS, "Corliss Daily", "2024-05-05")
    stories.assign_articles(store, [a, b])
    assert story_of(store, a) != story_of(store, b)
    assert store.fetchall("SELECT from_id FROM story_merges") == []


# Two jewellery heists in one city, days apart. The first report of the second names its shop but
# talks mostly like the first heist, so placed alone it joins the first story; the reports that
# follow name the second heist's people and form its story.
HEIST_1 = (
    "Thieves smashed the windows of Velmont Jewellers on Harbour Street in Lindmoor on Monday night "
    "and escaped with diamond rings and watches, police said. Inspector Clara Voss said three men on "
    "motorbikes carried out the jewellery heist in under two minutes."
)
HEIST_1_VIDEO = (
    "Police in Lindmoor released video of the Velmont Jewellers heist on Wednesday. Inspector Clara "
    "Voss said the three men on motorbikes took watches and diamond rings worth about two million euros."
)
HEIST_2_FIRST = (
    "Armed men robbed Arcady Gems, a jewellery shop in Lindmoor, police said, the second jewellery "
    "heist in the city this week. The thieves escaped on foot."
)
HEIST_2 = (
    "Two armed men held up Arcady Gems in the Lindmoor old town on Thursday afternoon and fled on foot "
    "with a tray of emeralds, Detective Paul Hollis said. The owner, Mira Santos, was tied up but unhurt."
)
HEIST_2_APPEAL = (
    "Detective Paul Hollis asked witnesses of Thursday's armed robbery at Arcady Gems in the old town "
    "to come forward. Owner Mira Santos said the two men took emeralds from a tray in the window."
)


def _heists(store: Store) -> list[str]:
    """The two heists' reports, one call each; returns their IDs in arrival order."""
    reports = ((HEIST_1, "Lindmoor Post", "2024-06-03"), (HEIST_1_VIDEO, "City Radio", "2024-06-05"),
               (HEIST_2_FIRST, "Wire", "2024-06-06"), (HEIST_2, "Lindmoor Post", "2024-06-06"),
               (HEIST_2_APPEAL, "City Radio", "2024-06-07"))
    ids = [add(store, *report) for report in reports]
    for aid in ids:
        stories.assign_articles(store, [aid])
    return ids


def test_wrongly_joined_article_moves_when_its_sibling_story_forms(store: Store) -> None:
    h1, h1_video, h2_first, h2, h2_appeal = _heists(store)
    first = stories.story_id_for(h1)
    assert story_of(store, h1) == story_of(store, h1_video) == first
    second = story_of(store, h2_first)
    assert second != first and story_of(store, h2) == story_of(store, h2_appeal) == second
    assert queries.get_story(store, first).article_ids == (h1, h1_video)
    # Every move is recorded, readable from both stories, and the first story keeps its ID.
    moves = queries.story_moves(store, [first])
    assert h2_first in [m.article_id for m in moves]
    assert all(m.from_id == first and m.into_id == second for m in moves)
    assert all(m.similarity >= defaults.STORY_THRESHOLD and "mean link" in m.reason for m in moves)
    assert all(m.moved_at for m in moves)
    assert queries.story_moves(store, [second]) == moves
    founded = {r["id"] for r in store.fetchall("SELECT id FROM stories")}
    assert {queries.resolve_story_id(store, sid) for sid in founded} == {first, second}


def test_without_reclustering_the_wrong_join_stays(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_RECLUSTER", False)
    h1, _, h2_first, _, _ = _heists(store)
    assert story_of(store, h2_first) == story_of(store, h1)
    assert store.fetchall("SELECT article_id FROM story_moves") == []


def test_story_report_lists_the_moves(store: Store) -> None:
    from newsfuse.fuse.report import story_data

    h1, _, h2_first, _, _ = _heists(store)
    moved = story_data(store, stories.story_id_for(h1))["story"]["moves"]
    assert h2_first in [m["article_id"] for m in moved]
    assert story_data(store, story_of(store, h2_first))["story"]["moves"] == moved


def test_reclustering_holds_still_once_converged(store: Store) -> None:
    ids = _heists(store)
    before = {a: story_of(store, a) for a in ids}
    moves = len(store.fetchall("SELECT article_id FROM story_moves"))
    stories.assign_articles(store, [add(store, CORLISS, "Corliss Daily", "2024-06-07")])
    assert {a: story_of(store, a) for a in ids} == before
    assert len(store.fetchall("SELECT article_id FROM story_moves")) == moves


def _bench() -> object:
    module = benchmods.load(ROOT / "bench" / "stories.py", "bench_stories")
    return module


@pytest.mark.slow
def test_quality_gate_on_ecbplus_dev_slice(tmp_path: Path) -> None:
    corpus = BENCH_DATA / "ecbplus" / "ECB_Dev_corpus.txt"
    if not corpus.exists():
        pytest.skip("../shared/bench/ecbplus is not beside the project")
    bench = _bench()
    docs = bench.read_ecb(corpus, topics=3)  # type: ignore[attr-defined]
    ids, _ = bench.build_store(docs, tmp_path / "base.db", False)  # type: ignore[attr-defined]
    labels = bench.ours_labels(tmp_path / "base.db", ids, range(len(docs)), tmp_path)  # type: ignore[attr-defined]
    f1 = bench.pairwise(labels, [d.story for d in docs])["f1"]  # type: ignore[attr-defined]
    assert f1 >= GATE_FLOOR


# Measured: pairwise F1 0.715 on the first 3 ECB+ dev topics (74 docs), without the analysis
# stage (so no person / place arguments: batch average link with figure and weekday conflicts;
# 0.73 with the online pass before, 0.66 with the centroid cosine; the TF-IDF average-link baseline
# gets 0.73 there). The full dev split with analysis went from 0.81 to 0.85 (bench/stories.py).
# With the cohesion check of the batch cut (storybatch._cut) the same slice measures 0.929 (P 0.94
# R 0.92); the full dev split with analysis 0.946.
# The floor sits below so a small change of wording rules does not fail CI, and a real regression does.
GATE_FLOOR = 0.85


def _gvc_gate_scores(tmp_path: Path, variant: str, limit: int) -> tuple[float, float]:
    """Pairwise F1 of the product's stories, batch and one by one, on GVC val's first ``limit``
    reports made into bench/stories.py's ``variant`` copy (late_followups, halves)."""
    corpus = BENCH_DATA / "gvc" / "val" / "dataset.conll"
    if not corpus.exists():
        pytest.skip("../shared/bench/gvc is not beside the project")
    bench: Any = _bench()
    docs = getattr(bench, variant)(bench.read_gvc(corpus, limit=limit))
    ids, _ = bench.build_store(docs, tmp_path / "base.db", True)
    gold = [d.story for d in docs]
    batch = bench.ours_labels(tmp_path / "base.db", ids, range(len(docs)), tmp_path)
    streamed = bench.ours_labels(tmp_path / "base.db", ids, range(len(docs)), tmp_path, stream=True)
    return bench.pairwise(batch, gold)["f1"], bench.pairwise(streamed, gold)["f1"]


@pytest.mark.slow
def test_quality_gate_on_long_running_gvc_slice(tmp_path: Path) -> None:
    """GVC val's first 40 reports, each follow-up published 20-120 days after its incident's first:
    the time factor alone splits every such pair; a shared person or place keeps them one story."""
    batch, streamed = _gvc_gate_scores(tmp_path, "late_followups", 40)
    assert batch >= LONG_RUNNING_FLOOR
    assert streamed >= LONG_RUNNING_FLOOR


# Measured on this slice (40 reports, 19 incidents): batch and one by one pairwise F1 1.000 (a shared
# place alone: 0.980 and 0.939); without the long-running relief (STORY_LONG_RUNNING_KINDS empty)
# 0.41 and 0.32.
LONG_RUNNING_FLOOR = 0.9


@pytest.mark.slow
def test_quality_gate_on_gvc_reports_cut_in_halves(tmp_path: Path) -> None:
    """GVC val's first 16 reports, each cut in two at its middle sentence (bench/stories.py --hard):
    the halves of one report share the incident's names but little wording, the recall the held-out
    GVC test lost. Batch and one by one."""
    batch, streamed = _gvc_gate_scores(tmp_path, "halves", 16)
    assert batch >= HALVES_FLOOR
    assert streamed >= HALVES_FLOOR


# Measured on this slice (32 halves, 8 incidents): batch pairwise F1 0.917 (P 1.0), one by one 0.844;
# with the session-7 settings (14-day half-life, bare-figure penalty 0.8) 0.882 / 0.844; the TF-IDF
# peer 0.882. Session 9, with the late rescue of lone stories (fuse/stories/lone.py): one by one
# 0.917 as well (0.844 with STORY_LONE_NEIGHBOURS 0, same run). Session 20: 1.000 / 1.000 (the first
# 24 reports: 0.994 / 0.994), also with the day bar off (the slice holds none of its cases). The floor
# sits below both.
HALVES_FLOOR = 0.95


def test_title_from_first_sentence_keeps_abbreviations_whole() -> None:
    text = "Gen. Ana Ruiz met U.S. envoys in Lisk on Monday. Talks went on late."
    title = stories.title_of(Article(id="a_t", text=text))
    assert title == "Gen. Ana Ruiz met U.S. envoys in Lisk on Monday."
    assert stories.title_of(Article(id="a_u", text="Water rose? Yes, fast.")) == "Water rose?"


def _count_reclusters(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from newsfuse.fuse.stories import recluster as storyrecluster

    calls: list[int] = []
    plan = storyrecluster.plan

    def counted(*args: object, **kwargs: object) -> storyrecluster.Plan:
        calls.append(1)
        return plan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(storyrecluster, "plan", counted)
    return calls


def test_a_clear_single_join_skips_the_reclustering(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    a, c = add(store, MARSDEN_1, "Marsden Echo", "2024-05-04"), add(store, DAM, "Kessel News", "2024-05-04")
    stories.assign_articles(store, [a, c])
    calls = _count_reclusters(monkeypatch)
    b = add(store, MARSDEN_2, "Valley Radio", "2024-05-06")
    stories.assign_articles(store, [b])
    assert story_of(store, b) == story_of(store, a) and calls == []
    # Without the skip the same call re-clusters the neighbourhood, and lands where it stood.
    monkeypatch.setattr(defaults, "STORY_RECLUSTER_SKIP_MARGIN", float("inf"))
    d = add(store, MARSDEN_2 + " The bar stays closed.", "Marsden Echo", "2024-05-07")
    stories.assign_articles(store, [d])
    assert story_of(store, d) == story_of(store, a) != story_of(store, c) and calls == [1]


def test_a_story_split_off_never_takes_the_id_of_a_merged_story(store: Store) -> None:
    from newsfuse.fuse.stories import write as storywrite
    from newsfuse.fuse.stories.state import Cache
    from newsfuse.models import Story, StoryMerge

    aid = add(store, MARSDEN_1, "Marsden Echo", "2024-05-04")
    home, old = stories.story_id_for(aid), content_id(aid, "s_from", prefix="s_")
    for sid in (home, old, "s_from"):
        store.put_story(Story(id=sid, title="T"))
    store.merge_stories(StoryMerge(from_id=old, into_id="s_from", reason="r", similarity=0.5))
    cache = Cache()
    new = storywrite.found_empty(store, cache, aid, "s_from")
    assert new not in (home, old, "s_from")
    assert queries.resolve_story_id(store, old) == "s_from"  # the merged story stays merged


# One shooting told in two reports that share little wording but the victim and the town (the
# shooting itself; the vigil), and a robbery elsewhere the same day.
OKAFOR_SHOT = (
    "Gunfire broke out on Harlan Street in Brenton late on Friday and Marcus Okafor, 19, was struck "
    "twice in the chest, police said. Officers found shell casings near a parked van, and detectives "
    "asked drivers with dashboard cameras to come forward. A witness described a dark sedan speeding "
    "toward the interstate ramp moments later. Paramedics rushed the wounded teenager to a trauma unit "
    "where surgeons operated overnight; investigators sealed the block until dawn."
)
OKAFOR_VIGIL = (
    "Hundreds gathered at a church in Brenton the next evening to remember Okafor. His mother thanked "
    "neighbours for candles, flowers and prayers, and asked for calm. Classmates from the technical "
    "college sang hymns; a pastor read letters from cousins abroad, and volunteers collected donations "
    "for funeral costs. Choir members wore purple scarves, his favourite colour. Teachers recalled a "
    "quiet student who repaired bicycles for younger pupils and dreamed of opening a workshop downtown."
)
CORLISS_MALL = (
    "A security guard was wounded when a robber fired inside a mall in Corliss on Friday, Sheriff "
    "Lena Lindqvist said. The robber fled with cash from a jewellery counter."
)
OKAFOR_NAMES = {"Marcus Okafor": "PERSON", "Okafor": "PERSON", "Brenton": "GPE", "Corliss": "GPE",
                "Lena Lindqvist": "PERSON"}


def _analysed(store: Store, text: str, outlet: str, published: str | None,
              names: dict[str, str] | None = None) -> str:
    """An article with an analysis naming the first occurrence of each of ``names`` (name -> label;
    OKAFOR_NAMES unless given) it holds."""
    aid = add(store, text, outlet, published)
    labels = names or OKAFOR_NAMES
    found = [(text.find(name), name, label) for name, label in labels.items() if name in text]
    mentions = tuple(Mention(id=f"{aid}-{n}", article_id=aid, start=at, end=at + len(name), text=name,
                             label=label, kind="name", entity_key=name)
                     for n, (at, name, label) in enumerate(found))
    store.put_analysis(Analysis(article_id=aid, mentions=mentions, version="test"))
    return aid


@pytest.mark.parametrize(("cap", "day", "joined"), [
    (2.0, "2021-05-07", True),  # the same victim and town, the same days: lifted
    (2.0, None, False),  # undated: unknown is no agreement (ECB+'s two incidents share names too)
    (1.0, "2021-05-07", False),  # the lift off
])
def test_one_by_one_the_lift_joins_a_dated_victim_and_town(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap: float, day: str | None, joined: bool
) -> None:
    # The pair's text score (about 0.14) sits under the bars: only the lift (x1.5 here) crosses them.
    for name in ("STORY_THRESHOLD", "STORY_RESCUE_THRESHOLD", "STORY_RESCUE_NEAR_THRESHOLD",
                 "STORY_RESCUE_DAY_THRESHOLD", "STORY_CONSOLIDATE_THRESHOLD"):
        monkeypatch.setattr(defaults, name, 0.18)
    monkeypatch.setattr(defaults, "STORY_ARG_AGREE_CAP", cap)
    monkeypatch.setattr(defaults, "STORY_ARG_LIFT_KINDS", frozenset({"person", "place"}))
    with Store(str(tmp_path / "lift.db")) as store:
        ids = [_analysed(store, text, outlet, day) for text, outlet in (
            (CORLISS_MALL, "Corliss Daily"), (OKAFOR_SHOT, "Brenton Echo"), (OKAFOR_VIGIL, "Valley Radio"))]
        for aid in ids:
            stories.assign_articles(store, [aid])
        mall, shot, vigil = (story_of(store, aid) for aid in ids)
        assert (shot == vigil) == joined and mall not in (shot, vigil)

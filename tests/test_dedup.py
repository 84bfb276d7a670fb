from __future__ import annotations

from pathlib import Path

from newsfuse.ingest.articles import article_from_text
from newsfuse.ingest.dedup import CopyIndex, Sketch, is_copy, link, shingle_hashes, sketch, words

STORY = (
    "Storm surges flooded the harbour district of Velmar overnight, forcing the evacuation of about "
    "600 people from low-lying streets near the old fish market. The port authority said two cargo "
    "ships had broken their moorings and drifted into the channel, where tugs secured them before dawn. "
    "Mayor Ilse Brandt said the sea wall built in 1952 had held along most of its length but had been "
    'overtopped near the ferry terminal. "We were lucky that the tide turned when it did," she said. '
    "Electricity was cut to 4,000 homes as a precaution and schools in the district will stay closed on "
    "Tuesday. Forecasters expect a second, weaker storm on Thursday. The regional government said it "
    "would release emergency funds for shop owners whose stock was ruined, and engineers began "
    "inspecting the sea wall for cracks. Residents criticised the late warning, saying the sirens "
    "sounded only after water had reached their doors. The port authority promised a review of its "
    "alert system and said ferries would resume once the channel had been surveyed."
)


def test_words_and_shingles() -> None:
    assert words("The mayor’s plan, the Mayor's PLAN") == ["the", "mayor's", "plan", "the", "mayor's", "plan"]
    assert len(shingle_hashes("a b c d e f g", size=5)) == 3
    assert len(shingle_hashes("a b c a b c", size=3)) == 3  # 'a b c' twice counts once
    assert len(shingle_hashes("too short", size=5)) == 1 and len(shingle_hashes("", size=5)) == 0


def test_signature_roundtrip_keeps_lsh_working() -> None:
    s = sketch(STORY)
    back = Sketch.from_bytes(s.to_bytes())
    assert back.same_as(s) and back.size == s.size
    index = CopyIndex()
    index.add("a", back)  # loaded from bytes, queried with a fresh sketch: band hashes must agree
    assert index.matches(sketch(STORY.replace("overnight", "late on Sunday"))) == ["a"]


def test_edited_copy_and_trimmed_copy_are_copies() -> None:
    original = sketch(STORY)
    edited = STORY.replace("Storm surges", "High waves").replace("about 600", "some 600")
    edited += " A shelter opened in the sports hall."
    assert is_copy(sketch(edited), original)
    trimmed = STORY[: STORY.index("Forecasters")]  # top half only: Jaccard low, containment high
    assert sketch(trimmed).jaccard(original) < 0.8
    assert is_copy(sketch(trimmed), original)


def test_shared_quote_is_not_a_copy() -> None:
    other = (
        "In Velmar, shopkeepers spent Monday shovelling sand and seaweed out of their premises. "
        '"We were lucky that the tide turned when it did," the mayor said, but traders on the quay '
        "said luck had nothing to do with the damage they faced. Insurance assessors are expected on "
        "Wednesday, and the chamber of commerce asked the city to waive market fees for the season. "
        "Several cafés said they would reopen within the week if the power stays on."
    )
    assert not is_copy(sketch(other), sketch(STORY))


def test_exact_link_for_same_normalised_text() -> None:
    a, b = sketch(STORY), sketch(STORY.upper().replace(". ", ".\n\n"))
    assert link("b", "a", b, a).method == "exact" and link("b", "a", b, a).similarity == 1.0
    near = sketch(STORY.replace("Velmar", "Velmar city"))
    assert link("c", "a", near, a).method == "minhash"


def test_seed_articles_are_not_copies_but_a_trimmed_seed_is(seeds: Path) -> None:
    one, two = (article_from_text(p.read_text("utf-8")) for p in sorted(seeds.glob("*.txt")))
    assert not is_copy(sketch(one.text), sketch(two.text))  # same story, two outlets
    paragraphs = two.text.split("\n\n")
    trimmed = "\n\n".join(paragraphs[: len(paragraphs) * 2 // 3])
    assert is_copy(sketch(trimmed), sketch(two.text))

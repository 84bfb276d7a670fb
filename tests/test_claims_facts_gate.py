"""Quality gate on facts/ (real BASIL story triplets, facts marked by hand): two triplets through the
product path (ingest -> analyse -> fuse), scored as ``bench/claims.py --sections facts`` scores all
twelve. Two triplets keep it fast; the floors are today's figures on them (session 9): a shared fact
two outlets quote in their own house styles ('Mr. Schiff' / 'Schiff'), and one event worded apart
whose coreference chain and matcher agree, are found; no single fact is called corroborated."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import BENCH_DATA, ROOT

TRIPLETS = (1, 8)  # Weiner's photograph; the Senate and House subpoenas of Michael Flynn
SHARED_FOUND_FLOOR = 2
SINGLES_RIGHT_FLOOR = 4
JOINING_TWO_FACTS_CEILING = 3


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = BENCH_DATA / "facts"
    if not folder.is_dir():
        pytest.skip("../shared/bench/facts is not beside the project")
    sys.path.insert(0, str(ROOT / "bench"))
    import claims as bench_claims

    every = json.loads((folder / "facts_dev.json").read_text(encoding="utf-8"))["triplets"]
    triplets = [every[n] for n in TRIPLETS]
    stories = {t["triplet_uuid"] for t in triplets}
    lines = [x for x in (folder / "articles_dev.jsonl").read_text(encoding="utf-8").splitlines()
             if x.strip() and json.loads(x)["story"] in stories]
    tmp = tmp_path_factory.mktemp("facts")
    jsonl = Path(tmp) / "articles.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = bench_claims._fuse_articles(jsonl, Path(tmp) / "facts.db")
    try:
        found: dict[str, Any] = bench_claims.facts_scores(store, triplets)
        found["why"] = bench_claims.facts_why(store, triplets)
    finally:
        store.close()
    return found


@pytest.mark.slow
def test_shared_facts_found_stay_at_their_floor(scores: dict[str, Any]) -> None:
    assert scores["cues_not_found"] == 0
    assert scores["shared_found"] >= SHARED_FOUND_FLOOR, scores


@pytest.mark.slow
def test_no_single_fact_is_corroborated_and_joins_stay_few(scores: dict[str, Any]) -> None:
    assert scores["singles_right"] >= SINGLES_RIGHT_FLOOR, scores
    assert scores["claims_joining_two_facts"] <= JOINING_TWO_FACTS_CEILING, scores


@pytest.mark.slow
def test_each_missed_shared_fact_has_one_cause(scores: dict[str, Any]) -> None:
    why = scores["why"]
    assert len(why["missed"]) == scores["shared"] - scores["shared_found"] == sum(why["causes"].values())
    known = ("no statement from one outlet's sentence", "one claim, ", "split over claims: ",
             "outlets in different stories")
    assert all(row["cause"].startswith(known) for row in why["missed"]), why["causes"]


def test_the_variants_score_lower_evidence_bars_beside_the_gate_without_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/claims.py --evidence-bars: each P/T pair is a variant of its own, the shipped bars are one
    when they are lower than the matcher's point, and every other variant keeps the matcher's point."""
    sys.path.insert(0, str(ROOT / "bench"))
    import claims as bench_claims

    from newsfuse import defaults

    monkeypatch.setattr(defaults, "CLAIM_SAME_PLACE_PROBABILITY", 0.2)
    monkeypatch.setattr(defaults, "CLAIM_SAME_TARGET_PROBABILITY", 0.5)
    found = dict(bench_claims.fact_variants(False, None, (), [(0.5, 0.3), (0.2, 0.5), (0.5, 0.5)]))
    bars = {name: (v["CLAIM_SAME_PLACE_PROBABILITY"], v["CLAIM_SAME_TARGET_PROBABILITY"])
            for name, v in found.items()}
    assert bars["first_stage_evidence_0.2_0.5"] == (0.2, 0.5)
    assert bars["first_stage_evidence_0.5_0.3"] == (0.5, 0.3)
    assert "first_stage_evidence_0.5_0.5" not in bars  # no lower bar: the joint assignment's line
    assert bars["first_stage_joint_assignment"] == (0.5, 0.5)
    assert found["first_stage_evidence_0.2_0.5"]["CLAIM_JOINT_ASSIGN"]


def test_the_variants_score_the_act_bars_under_their_own_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """P/T/A/Q: one act in one place and one act of the same two parties are variants too; with both
    at the matcher's point the session-15 name is kept."""
    sys.path.insert(0, str(ROOT / "bench"))
    import claims as bench_claims

    from newsfuse import defaults

    monkeypatch.setattr(defaults, "CLAIM_SAME_PLACE_PROBABILITY", 0.2)
    monkeypatch.setattr(defaults, "CLAIM_SAME_TARGET_PROBABILITY", 0.5)
    monkeypatch.setattr(defaults, "CLAIM_SAME_PLACE_ACT_PROBABILITY", 0.5)
    monkeypatch.setattr(defaults, "CLAIM_SAME_PARTIES_ACT_PROBABILITY", 0.5)
    found = dict(bench_claims.fact_variants(False, None, (), [(0.5, 0.5, 0.1, 0.5), (0.2, 0.5, 0.5, 0.3)]))
    assert found["first_stage_evidence_0.5_0.5_0.1_0.5"]["CLAIM_SAME_PLACE_ACT_PROBABILITY"] == 0.1
    assert found["first_stage_evidence_0.2_0.5_0.5_0.3"]["CLAIM_SAME_PARTIES_ACT_PROBABILITY"] == 0.3
    shipped = found["first_stage_evidence_0.2_0.5"]
    assert shipped["CLAIM_SAME_PLACE_ACT_PROBABILITY"] == shipped["CLAIM_SAME_PARTIES_ACT_PROBABILITY"] == 0.5
    # every other variant keeps the matcher's point for both
    assert found["first_stage_joint_assignment"]["CLAIM_SAME_PARTIES_ACT_PROBABILITY"] == 0.5


def test_actors_resolved_apart_are_counted_by_how_their_names_relate() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import claims as bench_claims

    from newsfuse.models import Entity

    def ent(name: str, label: str, *roles: str) -> Entity:
        return Entity(id=f"kind-{name}", name=name, label=label, roles=roles)

    kind = bench_claims._actor_pair_kind
    assert kind(ent("Ivo Kostan", "PERSON"), ent("Ivan Kostan", "PERSON")) == "forms of one name"
    assert kind(ent("he", "PERSON"), ent("Ivo Kostan", "PERSON")) == "pronoun"
    minister = ent("Ivo Kostan", "PERSON", "Finance Minister")
    assert kind(ent("the minister", "PERSON"), minister) == "role vs name"
    assert kind(ent("the ministry", "ORG"), ent("Ivo Kostan", "PERSON")) == "description vs name"
    assert kind(ent("Lena Varga", "PERSON"), ent("Ivo Kostan", "PERSON")) == "two people"
    assert kind(ent("Harbour Board", "ORG"), ent("Ivo Kostan", "PERSON")) == "a person and a body or place"
    assert kind(ent("Veloria", "GPE"), ent("Harbour Board", "ORG")) == "a place and a body"

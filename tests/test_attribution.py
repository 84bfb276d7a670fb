"""Relayed attributions and the acceptance model's features (newsfuse.analyze.quotes.attribution and the
steps that fill its record: quotelinks.cite_sources, learnedcues.attribution_features)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import benchmods

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.models import Quote

BENCH = Path(__file__).resolve().parent.parent / "bench" / "quotes.py"


def parse(text: str) -> ParsedDoc:
    from newsfuse.analyze.nlp import parse as nlp_parse

    return nlp_parse(text)


def quotes_of(text: str) -> list[Quote]:
    from newsfuse.analyze.quotes.extract import find_quotes

    return find_quotes(parse(text), "a1", [])


def bench_module() -> Any:
    mod = benchmods.load(BENCH, "bench_quotes_d")
    return mod


RELAYED = "The ferry company said the crossing would resume on Friday, Harbour Radio reported."


# ---------------------------------------------------------------------------------------------
# relays: the outlet carried it, the cited source said it
# ---------------------------------------------------------------------------------------------


def test_relay_stays_on_the_quote_it_carried() -> None:
    quotes = quotes_of(RELAYED)
    assert [q.speaker for q in quotes] == ["The ferry company"]  # the relay is no quote of its own
    q = quotes[0]
    assert q.relay_source == "Harbour Radio" and q.relay_cue == "reported"
    assert q.relay_cue_start is not None and RELAYED[q.relay_cue_start : q.relay_cue_end] == "reported"
    assert q.relay_source_start is not None
    assert RELAYED[q.relay_source_start : q.relay_source_end] == "Harbour Radio"
    assert q.relay_start is not None and RELAYED[q.relay_start : q.relay_end] == (
        "The ferry company said the crossing would resume on Friday"
    )


def test_relay_after_a_partial_quote_names_the_outlet() -> None:
    text = 'Councillor Mara Lind called the tunnel "a hole for our money", reports the Evening Star.'
    q = next(q for q in quotes_of(text) if q.speaker == "Councillor Mara Lind")
    assert q.relay_source == "the Evening Star" and q.relay_cue == "reports"


def test_a_relay_never_costs_the_speaker_their_quote() -> None:
    # The acceptance model learns from a corpus that annotates the relay and seldom the words it
    # carries; the product still owes the reader who said them, however low the model rates them.
    from types import SimpleNamespace

    from newsfuse.analyze.quotes import cuemodel
    from newsfuse.analyze.quotes.extract import accepted, proposals
    from newsfuse.analyze.quotes.marks import find_quote_spans

    text = "The mayor said the bridge would reopen in the spring, the Valley Post reported."
    doc = parse(text)
    found, probs = proposals(doc, find_quote_spans(text), cuemodel.load())
    assert probs is not None
    doubtful = SimpleNamespace(accept=SimpleNamespace(prob=lambda features: 0.0))
    kept = accepted(doc, found, probs, doubtful)  # type: ignore[arg-type]
    assert sorted(a.lemma for a in kept) == ["report", "say"]


def test_quote_without_relay_has_no_relay_fields() -> None:
    q = quotes_of("The ferry company said the crossing would resume on Friday.")[0]
    assert q.relay_cue is None and q.relay_source is None and q.relay_start is None


def test_bench_reports_the_relay_as_its_own_attribution() -> None:
    bq = bench_module()
    attrs = bq.ours_parsed(parse(RELAYED), RELAYED)
    found = {RELAYED[a.source[0][0] : a.source[0][1]]: a for a in attrs if a.source}
    assert set(found) == {"The ferry company", "Harbour Radio"}  # both kept, as PolNeAR annotates
    relay = found["Harbour Radio"]
    assert [RELAYED[s:e] for s, e in relay.cue] == ["reported"]
    carried = "The ferry company said the crossing would resume on Friday"
    assert [RELAYED[s:e] for s, e in relay.content] == [carried]


# ---------------------------------------------------------------------------------------------
# acceptance features
# ---------------------------------------------------------------------------------------------


def _features(text: str) -> dict[str, list[str]]:
    """Acceptance features of every proposal, by cue lemma."""
    from newsfuse.analyze.quotes import cuemodel
    from newsfuse.analyze.quotes.extract import attribution_features, proposals
    from newsfuse.analyze.quotes.marks import find_quote_spans

    doc = parse(text)
    found, probs = proposals(doc, find_quote_spans(text), cuemodel.load())
    assert probs is not None
    return {a.lemma: attribution_features(doc, a, probs, found) for a in found}


def test_features_tell_a_nested_cue_from_its_outer_one() -> None:
    feats = _features("The mayor said that the inspectors believe the bridge is unsafe.")
    assert "nest=in" in feats["believe"] and "nestl=speech" in feats["believe"]
    assert "nest=no" in feats["say"] and "holds=True" in feats["say"]


def test_features_give_the_cue_class_and_its_place() -> None:
    feats = _features("Rain fell all night.\nThe bridge is unsafe, the mayor said.")
    assert "lc=speech" in feats["say"] and "lck=speech|reported" in feats["say"]
    assert "spos=2" in feats["say"]  # a closing cue, '..., the mayor said'
    assert "line=1" in feats["say"]


def test_lemma_class_of_unknown_lemma_is_other() -> None:
    from newsfuse.analyze.quotes.learnedcues import _lemma_class

    assert _lemma_class("say") == "speech"
    assert _lemma_class("zigzag") == "other"

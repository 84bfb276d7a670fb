"""The same-claim matcher (newsfuse/fuse/claims/match.py): features on tiny texts, and the packaged
weights deciding on pairs worded apart."""

from __future__ import annotations

import pytest

from newsfuse.fuse.claims import encoder
from newsfuse.fuse.claims import match as claimmatch


def _feature(a: str, b: str, name: str, cosine: float = 0.8) -> float:
    return claimmatch.features(a, b, cosine)[claimmatch.FEATURES.index(name)]


def test_rounded_figure_agrees_with_the_exact_one() -> None:
    a = "Around 11,000 soldiers were sent to the region."
    b = "The ministry said 10,978 soldiers were sent to the region."
    assert _feature(a, b, "figures_agree") == 1.0
    assert _feature(a, b, "figures_unmatched") == 0.0


def test_another_figure_does_not_agree() -> None:
    a = "Around 11,000 soldiers were sent to the region."
    b = "The ministry said 12,500 soldiers were sent to the region."
    assert _feature(a, b, "figures_agree") == 0.0
    assert _feature(a, b, "figures_unmatched") == 2.0


def test_scaled_figures_agree() -> None:
    a = "The plant cost $2.5 billion."
    b = "The plant cost 2,500 million dollars."
    assert _feature(a, b, "figures_agree") == 1.0


def test_a_year_is_a_date_not_a_figure() -> None:
    a = "The dam was finished in 1968."
    b = "The dam was finished in 1971."
    assert _feature(a, b, "figures_both") == 0.0
    assert _feature(a, b, "dates_conflict") == 1.0


def test_negation_on_one_side_only_is_seen() -> None:
    signed = "The mayor signed the order."
    assert _feature(signed, "The mayor did not sign the order.", "polarity_differs") == 1.0
    assert _feature(signed, "The order was signed by the mayor.", "polarity_differs") == 0.0


def test_word_endings_are_cut_before_overlap() -> None:
    a = "The governor authorized the release."
    b = "The release was authorizes by the governor."
    assert _feature(a, b, "word_cover_min") == 1.0


def test_word_ngrams_are_counted_both_ways() -> None:
    # The short sentence is all inside the long one: its side shares every word and pair of words,
    # the long side only some; a reworded sentence shares words but few runs of four.
    short = "The mayor signed the order."
    long = "On Monday the mayor signed the order to close the bridge."
    assert _feature(short, long, "ngram1_max") == 1.0
    assert _feature(short, long, "ngram2_max") == 1.0
    assert _feature(short, long, "ngram1_min") < 0.6
    reworded = "The order was signed by the mayor."
    assert _feature(short, reworded, "ngram1_max") == 1.0
    assert _feature(short, reworded, "ngram4_max") == 0.0


def test_character_ngrams_meet_spelling_variants() -> None:
    a = "The ceasefire held in Kharkiv."
    b = "The cease-fire held in Kharkov."
    assert _feature(a, b, "chars3_jaccard") > 0.5
    assert _feature(a, b, "word_jaccard") < 0.5


def test_features_are_symmetric() -> None:
    a = "Officials evacuated 1,800 residents from Dunmere on Sunday."
    b = "About 1,800 people had to leave Dunmere, officials said."
    assert claimmatch.features(a, b, 0.7) == claimmatch.features(b, a, 0.7)


def test_packaged_weights_read_the_same_features() -> None:
    m = claimmatch.packaged().first
    assert len(m.weights) == len(claimmatch.FEATURES) == len(m.means) == len(m.scales)
    # A higher cosine never lowers the probability: the encoder's weight is positive.
    assert m.weights[claimmatch.FEATURES.index("cosine")] > 0


def test_second_stage_reads_the_cross_encoder_logit() -> None:
    m = claimmatch.packaged()
    assert m.second is not None
    assert len(m.second.weights) == len(claimmatch.SECOND_FEATURES)
    # A higher cross-encoder logit never lowers the probability.
    assert m.second.weights[-1] > 0
    lo, hi = m.band
    assert 0.0 <= lo < claimmatch.defaults.CLAIM_MATCH_PROBABILITY < hi <= 1.0


def test_clear_pairs_never_ask_the_cross_encoder() -> None:
    m = claimmatch.packaged()
    values = claimmatch.features("The dam was finished in 1968.", "The dam was finished in 1968.", 1.0)
    assert not m.uncertain(m.first.probability_of(values))

    def never() -> float:
        raise AssertionError("the cross-encoder was asked about a clear pair")

    assert m.probability_of(values, never) >= claimmatch.defaults.CLAIM_MATCH_PROBABILITY


def test_uncertain_pairs_follow_the_cross_encoder() -> None:
    m = claimmatch.packaged()
    assert m.second is not None
    first = claimmatch.Matcher((0.0,) * 15, (1.0,) * 15, (0.0,) * 15, 0.0)  # p = 0.5: uncertain
    two = claimmatch.TwoStage(first, m.second, (0.1, 0.9))
    values = [0.5] * len(claimmatch.FEATURES)
    assert two.probability_of(values, lambda: 8.0) > two.probability_of(values, lambda: -8.0)


@pytest.mark.slow
def test_cross_encoder_is_symmetric_and_offline() -> None:
    from newsfuse.fuse.claims import crossencoder

    a = "Biden allowed Ukraine to strike targets inside Russia with US missiles."
    b = "Ukraine may now use American missiles against targets in Russia, Biden decided."
    model = crossencoder.packaged()
    forward, backward = model.logits([(a, b), (b, a)])
    assert forward == pytest.approx(backward, abs=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # active / passive
        ("The city council approved the new flood defence budget on Monday.",
         "On Monday the new flood defence budget was approved by the city council.", True),
        # a rounded figure
        ("Around 11,000 soldiers were sent to the border region, the ministry said.",
         "The ministry said 10,978 soldiers had been sent to the border region.", True),
        # two different facts of one story
        ("The city council approved the new flood defence budget on Monday.",
         "Residents of the valley were told to leave their homes before the storm.", False),
        # the same words, another figure
        ("Officials said 40 people were killed in the collapse.",
         "Officials said 4 people were hurt when the roof fell.", False),
    ],
)
def test_matcher_decides_pairs_worded_apart(a: str, b: str, same: bool) -> None:
    va, vb = encoder.encode([a, b])
    assert claimmatch.packaged().same(a, b, encoder.cosine(va, vb)) is same

"""The same-claim matcher (newsfuse/fuse/claims/match.py): features on tiny texts, and the packaged
weights deciding on pairs worded apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsfuse.fuse.claims import encoder
from newsfuse.fuse.claims import match as claimmatch
from newsfuse.store import Store


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


def test_features_are_symmetric() -> None:
    a = "Officials evacuated 1,800 residents from Dunmere on Sunday."
    b = "About 1,800 people had to leave Dunmere, officials said."
    assert claimmatch.features(a, b, 0.7) == claimmatch.features(b, a, 0.7)


def _extra(a: str, b: str, name: str) -> float:
    return claimmatch.extra_features(a, b)[claimmatch.EXTRA_FEATURES.index(name)]


def test_string_features_are_symmetric_and_in_order() -> None:
    a = "Crews pulled 14 sailors from the capsized ferry near Port Arval."
    b = "Near Port Arval, rescuers saved 14 sailors after their ferry capsized."
    values = claimmatch.first_features(a, b, 0.7)
    assert len(values) == len(claimmatch.FIRST_FEATURES)
    assert values[:len(claimmatch.FEATURES)] == claimmatch.features(a, b, 0.7)
    assert claimmatch.extra_features(a, b) == claimmatch.extra_features(b, a)


def test_ngram_precision_reads_both_directions() -> None:
    short = "The bridge reopened on Friday."
    long = "The bridge reopened on Friday after two years of repairs by the county."
    assert _extra(short, long, "ngram2_max") == 1.0  # every bigram of the short one is in the long one
    assert _extra(short, long, "ngram2_min") < 0.5
    assert _extra(short, long, "lcs_min") == 1.0
    assert _extra(short, long, "lcs_max") < 0.5


def test_word_order_lowers_the_subsequence_not_the_words() -> None:
    a = "Police arrested the driver after the crash in Velmont."
    b = "After the crash in Velmont, the driver was arrested by police."
    assert _extra(a, b, "ngram1_min") > 0.7
    assert _extra(a, b, "lcs_max") < _extra(a, b, "ngram1_min")


def test_figure_on_one_side_only() -> None:
    a = "The storm cut power to 30,000 homes in Keswick."
    assert _extra(a, "The storm cut power to homes in Keswick.", "figures_one_side") == 1.0
    assert _extra(a, "The storm cut power to 30,000 houses in Keswick.", "figures_one_side") == 0.0


def test_a_first_stage_over_string_features_round_trips_and_scores() -> None:
    n = len(claimmatch.FIRST_FEATURES)
    weights = tuple(1.0 if name == "ngram1_max" else 0.0 for name in claimmatch.FIRST_FEATURES)
    first = claimmatch.Matcher((0.0,) * n, (1.0,) * n, weights, -0.5, claimmatch.FIRST_FEATURES)
    two = claimmatch.TwoStage(first, _second_stage(), (0.2, 0.8))
    back = claimmatch.TwoStage.from_json(two.to_json())
    assert back == two and back.first.names == claimmatch.FIRST_FEATURES
    a, b = "The mill closed in March.", "The mill closed in March, the owners said."
    assert first.probability(a, b, 0.9) == pytest.approx(1 / (1 + np.exp(-0.5)))  # ngram1_max = 1
    # The second stage reads the FEATURES among the first stage's values, then the logit.
    values = claimmatch.first_features(a, b, 0.9)
    assert back.second is not None
    assert back.second.probability_of([*values[:len(claimmatch.FEATURES)], 2.0]) == pytest.approx(
        1 / (1 + np.exp(-2.0)))


def test_packaged_weights_read_the_same_features() -> None:
    m = claimmatch.packaged().first
    assert len(m.weights) == len(m.names) == len(m.means) == len(m.scales)
    assert m.names in (claimmatch.FEATURES, claimmatch.FIRST_FEATURES)
    # A higher cosine never lowers the probability: the encoder's weight is positive.
    assert m.weights[m.names.index("cosine")] > 0


def _second_stage() -> claimmatch.Matcher:
    """A second stage reading the first's features (weight 0) and the cross-encoder's logit (weight 1)."""
    n = len(claimmatch.SECOND_FEATURES)
    weights = (0.0,) * (n - 1) + (1.0,)
    return claimmatch.Matcher((0.0,) * n, (1.0,) * n, weights, 0.0, claimmatch.SECOND_FEATURES)


def test_shipped_matcher_json_round_trips() -> None:
    m = claimmatch.packaged()
    assert claimmatch.TwoStage.from_json(m.to_json()) == m
    two = claimmatch.TwoStage(m.first, _second_stage(), (0.2, 0.8))
    assert claimmatch.TwoStage.from_json(two.to_json()) == two


def test_clear_pairs_never_ask_the_cross_encoder() -> None:
    two = claimmatch.TwoStage(claimmatch.packaged().first, _second_stage(), (0.2, 0.8))
    values = claimmatch.features("The dam was finished in 1968.", "The dam was finished in 1968.", 1.0)
    assert not two.uncertain(two.first.probability_of(values))

    def never() -> list[float]:
        raise AssertionError("the cross-encoder was asked about a clear pair")

    assert two.probability_of(values, never) >= claimmatch.defaults.CLAIM_MATCH_PROBABILITY


def test_uncertain_pairs_follow_the_cross_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claimmatch.defaults, "CLAIM_MATCH_CROSS_ENCODER", True)
    n = len(claimmatch.FEATURES)
    first = claimmatch.Matcher((0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0)  # p = 0.5: uncertain
    two = claimmatch.TwoStage(first, _second_stage(), (0.2, 0.8))
    values = [0.5] * n
    assert two.uncertain(0.5)
    assert two.probability_of(values, lambda: [4.0]) > 0.9
    assert two.probability_of(values, lambda: [-4.0]) < 0.1


def test_switched_off_second_stage_leaves_every_pair_to_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claimmatch.defaults, "CLAIM_MATCH_CROSS_ENCODER", False)
    n = len(claimmatch.FEATURES)
    first = claimmatch.Matcher((0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0)
    two = claimmatch.TwoStage(first, _second_stage(), (0.2, 0.8))

    def never() -> list[float]:
        raise AssertionError("the cross-encoder was asked while switched off")

    assert not two.uncertain(0.5)
    assert two.probability_of([0.5] * n, never) == 0.5


def test_without_a_second_stage_the_first_decides() -> None:
    first = claimmatch.packaged().first
    values = claimmatch.features("Officials said 40 people died.", "Officials said 4 people were hurt.", 0.8)
    alone = claimmatch.TwoStage(first).probability_of(values, lambda: [99.0])
    assert alone == first.probability_of(values)


@pytest.mark.slow
def test_cross_encoder_reads_a_pair_the_same_in_either_order() -> None:
    import torch

    from newsfuse.fuse.claims import crossencoder

    _, bert = crossencoder.load_transformer()
    top = {f"encoder.layer.{n}.{k}": v.to(torch.float16)
           for n in (4, 5) for k, v in bert.encoder.layer[n].state_dict().items()}
    head = torch.Generator().manual_seed(1)
    model = crossencoder.CrossEncoder({
        "layers": top, "head_weight": torch.randn(1, 384, generator=head).to(torch.float16),
        "head_bias": torch.zeros(1, dtype=torch.float16), "max_tokens": 128, "version": "test"})
    a = "Biden allowed Ukraine to strike targets inside Russia with US missiles."
    b = "Ukraine may now use American missiles against targets in Russia, Biden decided."
    forward, backward, other = model.logits([(a, b), (b, a), (a, a)])
    assert forward == pytest.approx(backward, abs=1e-5)
    assert forward != pytest.approx(other, abs=1e-3)
    # What the matcher reads: the mean of both reading orders, the same whichever sentence comes first.
    first, second = crossencoder.ordered_pair(a, b)
    one, swapped = model.head_logits(model._read([(first, second), (second, first)]))
    assert one != pytest.approx(swapped, abs=1e-3)  # the two readings differ: the mean is not one of them
    mean_ab, mean_ba = model.mean_logits([(a, b), (b, a)])
    assert mean_ab == pytest.approx((one + swapped) / 2, abs=1e-4)
    assert mean_ba == pytest.approx(mean_ab, abs=1e-5)


def test_uncertain_pairs_are_read_by_the_cross_encoder_in_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfuse.fuse.claims import crossencoder

    monkeypatch.setattr(claimmatch.defaults, "CLAIM_MATCH_CROSS_ENCODER", True)
    asked: list[list[tuple[str, str]]] = []

    def read(pairs: list[tuple[str, str]]) -> np.ndarray:
        asked.append(list(pairs))
        return np.array([[6.0 if "council" in a else -6.0] for a, _ in pairs])

    monkeypatch.setattr(crossencoder, "pair_logits", read)
    n = len(claimmatch.FEATURES)
    first = claimmatch.Matcher((0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0)  # p = 0.5 for every pair
    two = claimmatch.TwoStage(first, _second_stage(), (0.2, 0.8))
    pairs = [("The council approved it.", "It was approved by the council.", 0.9),
             ("Rain fell on Monday.", "The council met on Monday.", 0.6)]
    yes, no = two.probabilities(pairs)
    assert asked == [[(a, b) for a, b, _ in pairs]]
    assert yes > 0.99 and no < 0.01


class _CountingModel:
    """A stand-in cross-encoder: a logit per pair from its words, every call recorded."""

    def __init__(self) -> None:
        self.calls: list[list[tuple[str, str]]] = []

    def mean_logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        self.calls.append(list(pairs))
        return np.array([len(set(a.split()) & set(b.split())) - 2.5 for a, b in pairs], dtype=np.float32)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> _CountingModel:
    from newsfuse.fuse.claims import crossencoder

    model = _CountingModel()
    monkeypatch.setattr(crossencoder, "packaged", lambda: model)
    monkeypatch.setattr(crossencoder, "_version", lambda: "xe-counting")
    monkeypatch.setattr(crossencoder, "LOGITS", crossencoder.LogitMemo(100))
    return model


def test_a_pair_is_read_once_in_either_order_and_found_in_the_store(
        counting: _CountingModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfuse.fuse.claims import crossencoder

    a, b = "The ferry to Arlo sank at dawn.", "At dawn the Arlo ferry sank."
    c, d = "Gravel trucks blocked the pass.", "The pass was closed by snow."
    with Store(str(tmp_path / "logits.db")) as store:
        first = crossencoder.pair_logits([(a, b), (b, a), (c, d)], store)
        assert counting.calls == [[(a, b), (c, d)]]  # the same pair in two orders read once
        assert first[0, 0] == first[1, 0] == counting.mean_logits([(a, b)])[0]
        counting.calls.clear()
        again = crossencoder.pair_logits([(d, c), (a, b)])
        assert counting.calls == [] and again[0, 0] == first[2, 0]  # kept in this process
        monkeypatch.setattr(crossencoder, "LOGITS", crossencoder.LogitMemo(100))  # a new process
        assert crossencoder.pair_logits([(c, d)], store)[0, 0] == first[2, 0]
        assert counting.calls == []  # kept in the store
        monkeypatch.setattr(crossencoder.defaults, "CLAIM_CROSS_ENCODER_INT8", True)
        crossencoder.pair_logits([(c, d)], store)
        assert counting.calls == [[(c, d)]]  # another model's logits are not these
    monkeypatch.setattr(crossencoder, "LOGITS", crossencoder.LogitMemo(0))  # nothing kept
    crossencoder.pair_logits([(a, b)])
    crossencoder.pair_logits([(a, b)])
    assert len(counting.calls) == 3


def test_cross_encoder_batches_hold_pairs_of_like_length_within_the_token_budget(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfuse.fuse.claims import crossencoder

    monkeypatch.setattr(crossencoder.defaults, "CLAIM_CROSS_ENCODER_BATCH_TOKENS", 100)
    lengths = [30, 12, 50, 12, 31, 200, 11]
    found = crossencoder.batches(lengths)
    assert sorted(i for rows in found for i in rows) == list(range(len(lengths)))
    assert found[0] == [5]  # longer than the budget: a batch of its own
    for rows in found:
        assert len(rows) == 1 or len(rows) * max(lengths[i] for i in rows) <= 100
    flat = [lengths[i] for rows in found for i in rows]
    assert flat == sorted(flat, reverse=True)


@pytest.mark.slow
def test_cross_encoder_reads_a_pair_alike_alone_or_batched_with_others() -> None:
    from newsfuse.fuse.claims import crossencoder

    model = crossencoder.packaged()
    pairs = [("The ferry to Arlo sank at dawn, the coast guard said.", "At dawn the Arlo ferry sank."),
             ("Gravel trucks blocked the pass.", "The pass was closed by snow for two days in a row."),
             ("Rain.", "It rained on the town of Oskar for the third day as rivers rose past their banks.")]
    together = model.mean_logits(pairs)
    alone = np.array([model.mean_logits([p])[0] for p in pairs])
    assert together == pytest.approx(alone, abs=1e-4)  # padding is masked: only the cost changes


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


def test_samefact_head_round_trips_and_scores_standardised_states() -> None:
    from newsfuse.fuse.claims import crossencoder

    head = crossencoder.SameFactHead((1.0, 0.0), (2.0, 1.0), (1.0, -1.0), 0.5, "body-x")
    assert crossencoder.SameFactHead.from_json(head.to_json()) == head
    states = np.array([[3.0, 0.0], [1.0, 2.0]], dtype=np.float32)
    # (3 - 1) / 2 * 1 + 0.5 = 1.5; (1 - 1) / 2 - 2 + 0.5 = -1.5
    assert head.logits(states).tolist() == pytest.approx([1.5, -1.5])


def test_shipped_samefact_head_was_fitted_on_the_shipped_body() -> None:
    import json

    import torch

    from newsfuse.fuse.claims import crossencoder

    shipped = json.loads(crossencoder.SAMEFACT_PATH.read_text(encoding="utf-8"))
    body = torch.load(crossencoder.WEIGHTS_PATH, weights_only=True)
    assert shipped["body"] == body["version"]
    assert len(shipped["weights"]) == len(shipped["means"]) == len(shipped["scales"]) == 384


def test_told_within_reads_the_shorter_inside_the_longer() -> None:
    short = "Rescuers pulled 12 miners from the flooded shaft."
    longer = "On Tuesday rescuers pulled 12 miners alive from the flooded shaft near the border."
    assert claimmatch.told_within(short, longer) == claimmatch.told_within(longer, short) == 1.0
    reworded = "Twelve trapped workers were brought out of the mine by emergency crews."
    assert claimmatch.told_within(short, reworded) < 0.3


def test_told_within_is_nothing_when_figures_polarity_or_dates_disagree() -> None:
    short = "Rescuers pulled 12 miners from the flooded shaft."
    assert claimmatch.told_within(short, "Rescuers pulled 15 miners from the flooded shaft on Monday.") == 0.0
    assert claimmatch.told_within(short, "Rescuers have not pulled 12 miners from the flooded shaft.") == 0.0
    dated = "In March rescuers pulled 12 miners from the flooded shaft."
    assert claimmatch.told_within(dated, "In June rescuers pulled 12 miners from the flooded shaft.") == 0.0


def test_rare_words_of_a_story_decide_what_is_told_within() -> None:
    """Two strikes of one story share the act and the parties; weighed by rarity in the story, the town
    (the rare word) decides, where counting each word once calls the one told within the other."""
    story = ["Russian missiles struck Kharkiv overnight.", "Russian missiles struck Odesa overnight.",
             "Russian missiles struck Lviv overnight, officials said.", "Russian missiles struck Dnipro."]
    short = "Russian missiles struck Kharkiv overnight."
    longer = "Russian missiles struck Odesa overnight, officials said."
    rarity = claimmatch.rarity(story)
    assert rarity[claimmatch.stem("Kharkiv")] > rarity[claimmatch.stem("missiles")]
    assert claimmatch.told_within(short, longer) >= 0.7
    assert claimmatch.told_within(short, longer, weights=rarity) < 0.3
    assert claimmatch.told_within(short, "Russian missiles struck Kharkiv overnight, killing three.",
                                  weights=rarity) == 1.0


def test_names_may_be_left_out_of_the_share() -> None:
    short, longer = "Putin warned Biden again.", "Putin warned the West, not Biden."
    assert claimmatch.told_within(short, "Putin warned Macron again.", names=False) == 1.0
    assert claimmatch.told_within(short, "Putin warned Macron again.") < 1.0
    assert claimmatch.told_within(short, longer) == 0.0  # one polarity only


def _length(a: str, b: str, name: str, cosine: float = 0.6) -> float:
    return claimmatch.length_features(a, b, cosine)[claimmatch.LENGTH_FEATURES.index(name)]


def test_length_features_read_the_shorter_inside_the_longer() -> None:
    short = "Ferry crews rescued 14 sailors near Port Arval."
    long = ("Ferry crews rescued 14 sailors near Port Arval on Tuesday night after their trawler struck "
            "rocks in a storm, the coast guard said.")
    assert claimmatch.length_features(short, long, 0.6) == claimmatch.length_features(long, short, 0.6)
    assert _length(short, long, "short_unmatched") == 0.0  # every content word of the short one is there
    assert _length(short, long, "short_long_cover") == 1.0
    assert _length(short, long, "short_names_cover") == 1.0
    assert _length(short, long, "short_figures_missing") == 0.0
    assert _length(short, long, "length_gap") > 0.5
    assert _length(short, long, "gap_cosine") == pytest.approx(0.6 * _length(short, long, "length_gap"))
    # the symmetric overlap reads the longer's extra detail as difference
    assert _feature(short, long, "word_jaccard") < 0.5


def test_length_features_see_what_the_longer_lacks() -> None:
    short = "Ferry crews rescued 16 sailors near Kell Bay."
    long = ("Ferry crews rescued 14 sailors near Port Arval on Tuesday night after their trawler struck "
            "rocks in a storm, the coast guard said.")
    assert _length(short, long, "short_figures_missing") == 1.0
    assert _length(short, long, "short_names_cover") == 0.0
    assert _length(short, long, "short_unmatched") > 0.0


def test_a_first_stage_over_length_features_round_trips_and_scores() -> None:
    n = len(claimmatch.NEWS_FEATURES)
    weights = tuple(1.0 if name == "short_long_cover" else 0.0 for name in claimmatch.NEWS_FEATURES)
    first = claimmatch.Matcher((0.0,) * n, (1.0,) * n, weights, -0.5, claimmatch.NEWS_FEATURES)
    back = claimmatch.TwoStage.from_json(claimmatch.TwoStage(first).to_json())
    assert back.first == first and back.first.names == claimmatch.NEWS_FEATURES
    a, b = "The mill closed in March.", "The mill closed in March, the owners said on Friday."
    assert first.probability(a, b, 0.9) == pytest.approx(1 / (1 + np.exp(-0.5)))  # short_long_cover = 1
    values = claimmatch.news_features(a, b, 0.9)
    assert values[:len(claimmatch.FEATURES)] == claimmatch.features(a, b, 0.9)

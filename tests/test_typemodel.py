"""The learned event-type model: features over the parse, the sureness gate, the packaged file."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import benchmods
import pytest

from newsfuse.analyze.events import extract as events
from newsfuse.analyze.events import typemodel
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.errors import AnalysisError


def _parse(text: str) -> ParsedDoc:
    from newsfuse.analyze.nlp import parse

    return parse(text)


def test_features_read_the_trigger_its_frame_and_its_arguments() -> None:
    doc = _parse("Rebels threatened to attack the capital.")
    feats = {i: f for i, _, f in events.trigger_features(doc)}
    attack = next(i for i, t in enumerate(doc.tokens) if t.lemma == "attack")
    f = set(feats[attack])
    assert {"t=ASSAULT", "l=attack", "k=verb"} <= f
    assert "u0=xcomp<threaten" in f  # the frame governing the trigger
    assert "c=THREATEN" in f  # what the rules code: a threatened attack
    assert "st=THREATEN" in f  # the other trigger of the sentence


def test_a_sure_model_overrides_the_lexicon_and_an_unsure_one_does_not() -> None:
    model = typemodel.TypeModel({"ASSAULT": 0.0, "PROTEST": 0.0}, {"l=strike": {"PROTEST": 5.0}}, 0.9)
    assert model.choose(["l=strike"], "ASSAULT") == "PROTEST"
    unsure = typemodel.TypeModel(model.biases, {"l=strike": {"PROTEST": 0.5}}, 0.9)
    assert unsure.choose(["l=strike"], "ASSAULT") == "ASSAULT"


def test_find_events_types_with_the_given_model_and_the_lexicon_without() -> None:
    doc = _parse("Dockworkers began a strike at the port on Monday.")
    always_protest = typemodel.TypeModel({"ASSAULT": 0.0, "PROTEST": 1.0}, {}, 0.0)
    learned = events.find_events(doc, "a1", [], [], [], type_model=always_protest)
    lexicon = events.find_events(doc, "a1", [], [], [], lexicon_only=True)
    assert [e.type for e in learned if e.trigger == "strike"] == ["PROTEST"]
    assert [e.type for e in lexicon if e.trigger == "strike"] == ["ASSAULT"]
    assert learned[0].id != lexicon[0].id  # the ID names the type: a retyped event is another record


def test_model_round_trips_through_json() -> None:
    model = typemodel.TypeModel({"AID": 0.1, "AGREE": -0.1}, {"l=give": {"AID": 1.2}}, 0.6)
    back = typemodel.TypeModel.from_json(json.loads(json.dumps(model.to_json())))
    assert back == model


def test_a_model_naming_unknown_categories_is_refused() -> None:
    with pytest.raises(AnalysisError, match="retrain"):
        typemodel.TypeModel.from_json({"biases": {"PARTY": 0.0}, "weights": {}})


def test_packaged_model_is_small_and_names_its_training_file() -> None:
    path: Path = typemodel.MODEL_PATH
    assert path.is_file() and path.stat().st_size < 400_000
    meta = json.loads(path.read_text(encoding="utf-8"))
    assert meta["trained_on"] == "plover_gsr_dev.json" and len(meta["sha1"]) == 40
    model = typemodel.packaged()
    assert model is not None and set(model.biases) <= set(events.plover.TYPES)
    assert 0.0 < model.min_probability <= 1.01


def _trainer() -> object:
    return benchmods.load("train_events", "bench_train_events")


def test_a_category_naming_feature_shares_one_weight_across_categories() -> None:
    trainer: typing.Any = _trainer()
    assert trainer.shared_name("cbh=THREATEN") == ("cbh=@", "THREATEN")
    assert trainer.shared_name("mt=planned|AGREE") == ("mt=planned|@", "AGREE")
    assert trainer.shared_name("l=attack") is None
    # 'pr1=C' says C in every example it is in: what is learned on ASSAULT and PROTEST carries to
    # AID, whose only example never had it
    def ex(feats: list[str], label: str) -> tuple[list[str], str, str, bool, str]:
        return feats, label, "asserted", False, label

    train = [ex(["l=bomb", "pr1=ASSAULT"], "ASSAULT"), ex(["l=shoot", "pr1=ASSAULT"], "ASSAULT"),
             ex(["l=march", "pr1=PROTEST"], "PROTEST"), ex(["l=rally", "pr1=PROTEST"], "PROTEST"),
             ex(["l=donate"], "AID")]
    model = trainer.fit(train, 10.0, 1)
    assert model.predict(["l=unseen", "pr1=AID"])[0] == "AID"
    assert model.predict(["l=unseen", "pr1=PROTEST"])[0] == "PROTEST"

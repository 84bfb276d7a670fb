"""The trigger in its sentence (fuse/claims/context.py): MiniLM states pooled over the trigger."""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse import defaults
from newsfuse.fuse.claims import context
from newsfuse.fuse.claims.statements import Statement
from newsfuse.models import Article, Span


def _event(article: str, text: str, word: str, whole: str | None = None) -> Statement:
    start = text.index(whole or word)
    return Statement(id=f"{article}:{word}", kind="event", article=Article(id=article, text=text), text=text,
                     span=Span(article, 0, len(text), text), trigger=word, at=text.index(word),
                     trigger_span=(start, start + len(whole or word)))


def test_the_cut_model_gives_the_full_models_states_at_the_layer() -> None:
    import torch

    from newsfuse.fuse.claims.crossencoder import load_transformer

    text = "Police said the gunman opened fire on shoppers at the Dunmore mall."
    s = _event("ctx-cut-1", text, "fire", "opened fire")
    head, whole = context.trigger_vectors([s])
    tokenizer, bert = load_transformer()
    enc = tokenizer(text, return_offsets_mapping=True, return_tensors="pt")
    spans = enc.pop("offset_mapping")[0].tolist()
    with torch.inference_mode():
        states = bert(**enc, output_hidden_states=True).hidden_states[defaults.COREF_CONTEXT_LAYER][0].numpy()
    at = text.index("opened")
    rows = [i for i, (b, e) in enumerate(spans) if b < at + len("opened fire") and e > at and e > b]
    want = states[rows].mean(axis=0)
    assert np.dot(whole[0], want / np.linalg.norm(want)) > 0.999
    assert np.dot(head[0], whole[0]) < 0.999  # the head alone is not the whole trigger


def test_a_word_leaves_trailing_punctuation_out_and_keeps_its_hyphen() -> None:
    text = "They killed, then a cease-fire."
    states = np.eye(12)
    spans = np.asarray([[0, 0], [0, 4], [5, 11], [11, 12], [13, 17], [18, 19], [20, 25], [25, 26],
                        [26, 30], [30, 31], [0, 0], [0, 0]])
    assert np.argmax(context._pool(states, spans, text, 5, None)) == 2  # 'killed' without ','
    cease = context._pool(states, spans, text, 20, None)
    assert np.count_nonzero(cease) == 3  # 'cease', '-', 'fire', not the final '.'


def test_one_word_in_two_senses_differs_more_than_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    gun = _event("ctx-sense-1", "The soldier fired his rifle at the crowd on Sunday.", "fired")
    gun2 = _event("ctx-sense-2", "A police officer fired his pistol twice at the car.", "fired")
    job = _event("ctx-sense-3", "The company fired its chief executive over the accounts.", "fired")
    head, _ = context.trigger_vectors([gun, gun2, job])
    assert head[0] @ head[1] > head[0] @ head[2]
    # kept: asking again encodes nothing
    monkeypatch.setattr(context, "_encode", lambda named: pytest.fail("encoded again"))
    again, _ = context.trigger_vectors([job, gun])
    assert np.allclose(again, head[[2, 0]])

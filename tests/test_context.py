"""The trigger in its sentence (fuse/claims/context.py): MiniLM states pooled over the trigger."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from newsfuse import defaults
from newsfuse.fuse.claims import context
from newsfuse.fuse.claims.statements import Statement
from newsfuse.models import Article, Span
from newsfuse.store import Store


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


def test_vectors_kept_in_a_store_are_read_back_not_encoded(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Encoded once per store (migration 37): another process, or a wire copy of the sentence in
    another article, reads them."""
    text = "Rebels shelled the port of Varnesk overnight, officials said."
    s = _event("ctx-store-1", text, "shelled")
    head, whole = context.trigger_vectors([s], store)
    monkeypatch.setattr(context, "_KEPT", type(context._KEPT)())  # a fresh process
    monkeypatch.setattr(context, "_encode", lambda named: pytest.fail("encoded again"))
    copy = _event("ctx-store-2", "Wire: " + text, "shelled")
    copy = dataclasses.replace(copy, span=Span("ctx-store-2", 6, 6 + len(text), text))
    again, whole_again = context.trigger_vectors([copy, s], store)
    assert np.allclose(again, head[[0, 0]], atol=1e-3) and np.allclose(whole_again[1], whole[0], atol=1e-3)


def test_one_pass_gives_the_sentence_vector_and_the_cut_models_trigger_vectors() -> None:
    """encode_ahead runs the whole encoder once: its last layer gives the sentence's own vector (as the
    claim encoder gives it), its layer ``COREF_CONTEXT_LAYER`` the trigger vectors (as the cut model)."""
    from newsfuse.fuse.claims import encoder
    from newsfuse.fuse.claims.eventpairs import event_sentences

    events = [_event("ctx-ahead-1", "Two  ministers resigned on Friday after the vote.", "resigned"),
              _event("ctx-ahead-2", "Storms flooded the valley and cut power to thousands.", "flooded"),
              _event("ctx-ahead-2", "Storms flooded the valley and cut power to thousands.", "cut")]
    sentences, triggers = context.encode_ahead(events)
    texts = [next(iter(event_sentences(s).values())) for s in events[:2]]
    assert sorted(sentences) == sorted(texts)  # whitespace collapsed: the same word pieces
    assert np.allclose(np.stack([sentences[t] for t in texts]), encoder.encode(texts), atol=1e-5)
    cut = context._encode([(context.key_of(s), s) for s in events])
    assert set(triggers) == set(cut) and len(cut) == 3
    for key, v in cut.items():
        assert np.allclose(triggers[key].astype(np.float32), v.astype(np.float32), atol=2e-3)

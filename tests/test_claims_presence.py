"""Forces of a country in a place, stated or presupposed (newsfuse/fuse/claims/presence.py)."""

from __future__ import annotations

from newsfuse.fuse.claims.presence import presences
from newsfuse.models import Analysis, Article, Mention


def _found(text: str, names: list[tuple[str, str]]) -> list[tuple[str | None, str, str | None]]:
    a = Article(id="a", text=text)
    at = [text.index(name) for name, _ in names]
    mentions = tuple(Mention(f"m{n}", "a", at[n], at[n] + len(name), name, label, "name", name)
                     for n, (name, label) in enumerate(names))
    return [(e.source, e.trigger, e.target) for e in presences(a, Analysis("a", mentions=mentions))]


def test_stated_and_presupposed_presence_are_read_alike() -> None:
    stated = _found("Officials said about 300 Freedonian soldiers were present in the Marsh province.",
                    [("Freedonian", "NORP"), ("Marsh province", "LOC")])
    presupposed = _found("The shells were fired at Sylvanian and Freedonian troops in support of rebels "
                         "in the Marsh province.", [("Sylvanian", "NORP"), ("Freedonian", "NORP"),
                                                     ("Marsh province", "LOC")])
    assert stated == [("Freedonian", "soldiers", "Marsh province")]
    assert ("Freedonian", "troops", "Marsh province") in presupposed
    assert ("Sylvanian", "troops", "Marsh province") in presupposed


def test_no_force_noun_or_no_place_is_no_presence() -> None:
    assert _found("Freedonian officials arrived in the Marsh province.",
                  [("Freedonian", "NORP"), ("Marsh province", "LOC")]) == []
    assert _found("Freedonian troops were on alert. The Marsh province was calm.",
                  [("Freedonian", "NORP"), ("Marsh province", "LOC")]) == []

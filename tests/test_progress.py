"""Progress lines when stderr is not a terminal (a log file, CI): a long stage never looks hung."""

from __future__ import annotations

import pytest

from newsfuse import progress


def test_plain_lines_give_n_of_total(capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "PLAIN_EVERY_S", 0.0)  # a line per step, so the test needs no clock
    with progress.steps(True, "fusing stories", 3) as advance:
        for story in ("s_a", "s_b", "s_c"):
            advance(story)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "fusing stories: 0/3"
    assert lines[1:3] == ["fusing stories: 1/3", "fusing stories: 2/3"]
    assert lines[-1].startswith("fusing stories: 3/3 in ")


def test_nothing_when_not_asked(capsys: pytest.CaptureFixture[str]) -> None:
    with progress.steps(False, "analysing articles", 5) as advance:
        advance()
    progress.note(False, "placing 5 articles into stories")
    assert capsys.readouterr().err == ""

from __future__ import annotations

import argparse
import json
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from newsroom import Newsroom, fill

from newsfuse.cli import EXIT_NOT_FOUND, EXIT_OK, EXIT_PIPE, EXIT_USAGE, build_parser, main
from newsfuse.store import Store

ROOT = Path(__file__).resolve().parent.parent
SLOW_EXAMPLES = {"ingest", "demo"}  # they run the whole pipeline (spaCy) on the sample corpus
DEMO_CONTENT = {"entity", "search"}  # their examples name what the demo corpus holds: run on the demo db
DEMO_STORY = "s_6786dc2f26756702"  # the sample corpus's dam story (IDs are content hashes)


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _example(name: str) -> list[str]:
    help_text = _subcommands()[name].format_help()
    assert "example:" in help_text, f"'{name} --help' has no example"
    line = help_text.split("example:", 1)[1].strip().splitlines()[0]
    argv = shlex.split(line)
    assert argv[:2] == ["newsfuse", name]
    return argv[1:]


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, Newsroom]:
    db = tmp_path / "news.db"
    with Store(str(db)) as s:
        room = fill(s)
    return db, room


def _localise(argv: list[str], db: Path, room: Newsroom) -> list[str]:
    """The example's arguments pointed at the test database, story and sample corpus."""
    swap = {"news.db": str(db), "out/demo.db": str(db), DEMO_STORY: room.story_id,
            "newsfuse/data/sample": str(ROOT / "newsfuse" / "data" / "sample")}
    return [swap.get(a, a) for a in argv]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_every_command_has_an_example() -> None:
    assert set(_subcommands()) >= {"ingest", "stories", "story", "entity", "search", "export", "serve", "db"}
    for name in _subcommands():
        _example(name)


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.slow) if n in SLOW_EXAMPLES else n
    for n in sorted(_subcommands()) if n not in DEMO_CONTENT
])
def test_help_example_runs(name: str, filled: tuple[Path, Newsroom], tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    db, room = filled
    monkeypatch.chdir(tmp_path)
    argv = _localise(_example(name), db, room)
    if name == "serve":
        _check_serve(argv)
        return
    if name == "watch":
        _check_watch(argv, tmp_path)
        return
    assert main(argv) == EXIT_OK, capsys.readouterr().err


def _check_watch(argv: list[str], folder: Path) -> None:
    """The example against a local site (no outside network), polled once instead of forever."""
    from livesite import article_html, rss, running_site, story_text

    with running_site() as site:
        title, paras = story_text(1)
        site.route("/a/1", article_html(title, paras, "Valley Times", "2025-03-04"))
        site.route("/rss", rss("Valley Times", [(site.url("/a/1"), title, "Tue, 04 Mar 2025 10:00:00 GMT")]),
                   content_type="application/rss+xml")
        (folder / argv[1]).write_text(site.url("/rss") + "\n")
        assert main([*argv, "--once", "--no-analyze", "-q"]) == EXIT_OK


def _check_serve(argv: list[str]) -> None:
    port = _free_port()
    argv = [str(port) if a == "8000" else a for a in argv]
    proc = subprocess.Popen([sys.executable, "-m", "newsfuse.cli", *argv], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "server did not answer within 30 s"
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["total"] == 2
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_stories_json_is_the_script_interface(filled: tuple[Path, Newsroom],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    db, room = filled
    assert main(["stories", "--db", str(db), "--json"]) == EXIT_OK
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [room.story_id, room.hostile_story_id]
    assert rows[0]["articles"] == 3 and rows[0]["independent_outlets"] == 2
    argv = ["stories", "--db", str(db), "--json", "--outlet", "Valley Times", "--since", "2025-03-01"]
    assert main(argv) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [room.story_id]


def test_story_format_json(filled: tuple[Path, Newsroom], capsys: pytest.CaptureFixture[str]) -> None:
    db, room = filled
    assert main(["story", room.story_id, "--db", str(db), "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["story"]["id"] == room.story_id


def test_entity_and_search(filled: tuple[Path, Newsroom], capsys: pytest.CaptureFixture[str]) -> None:
    db, room = filled
    assert main(["entity", "ilse", "--db", str(db), "--json"]) == EXIT_OK
    found = json.loads(capsys.readouterr().out)
    assert found[0]["entity"]["id"] == room.person_id and found[0]["stories"][0]["id"] == room.story_id
    assert main(["search", "council drivers", "--db", str(db)]) == EXIT_OK
    out = capsys.readouterr().out
    assert room.own.id in out and "Valley Times" in out


def test_export_writes_the_file(filled: tuple[Path, Newsroom], tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = filled
    out = tmp_path / "claims.csv"
    argv = ["export", "--what", "claims", "--format", "csv", "--out", str(out), "--db", str(db), "--json"]
    assert main(argv) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["records"] == 3
    assert out.read_text().splitlines()[0].startswith("id,story_id,kind,status")


@pytest.mark.parametrize(("argv", "code", "says"), [
    (["story", "s_missing"], EXIT_NOT_FOUND, "no story"),
    (["entity", "Nobody Atall"], EXIT_NOT_FOUND, "no entity"),
    (["export", "--what", "claims", "--format", "gdelt"], EXIT_USAGE, "events only"),
    (["export", "--what", "claims", "--out", "/nonexistent-dir/x.jsonl"], EXIT_USAGE, "cannot write"),
    (["stories", "--limit", "0"], EXIT_USAGE, "positive"),
])
def test_meaningful_exit_codes(filled: tuple[Path, Newsroom], capsys: pytest.CaptureFixture[str],
                               argv: list[str], code: int, says: str) -> None:
    db, _ = filled
    assert main([*argv, "--db", str(db)]) == code
    assert says in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stories", "--db", str(tmp_path / "typo.db")]) == EXIT_USAGE
    assert "no database" in capsys.readouterr().err and not (tmp_path / "typo.db").exists()
    assert main(["stories", "--db", "mysql://x@y/z"]) == EXIT_USAGE
    for argv in (["stories", "--since", "yesterday"], ["stories", "--offset", "-3"], ["nope"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == EXIT_USAGE


def test_a_reader_that_leaves_early_gets_no_traceback(filled: tuple[Path, Newsroom]) -> None:
    """'newsfuse story ID | head': the pipe closes before newsfuse writes; it stops quietly."""
    db, room = filled
    proc = subprocess.Popen([sys.executable, "-m", "newsfuse.cli", "story", room.story_id, "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader leaves before the interpreter has even started
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == EXIT_PIPE
    assert "Traceback" not in err and "BrokenPipe" not in err, err


# -- on the demo database, as a new user runs the help examples after 'make demo' ----------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    db = root / "demo.db"
    assert main(["demo", "--db", str(db), "--out", str(root / "out")]) == EXIT_OK
    return db


@pytest.mark.slow
@pytest.mark.parametrize("name", ["stories", "story", "entity", "search", "outlets", "export"])
def test_help_example_runs_on_the_demo_database(name: str, demo_db: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    argv = [str(demo_db) if a == "out/demo.db" else a for a in _example(name)]
    assert main(argv) == EXIT_OK, capsys.readouterr().err
    out = capsys.readouterr().out
    assert out.strip() or (tmp_path / "events.tsv").stat().st_size > 0
    if name in DEMO_CONTENT:
        assert DEMO_STORY in out  # the example finds the demo's dam story


# -- bugs a new user met -------------------------------------------------------------------------


def test_version_and_plain_listing(filled: tuple[Path, Newsroom], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.startswith("newsfuse ")
    db, _ = filled
    assert main(["stories", "--db", str(db)]) == EXIT_OK
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].split()[:3] == ["STORY", "ARTICLES", "INDEPENDENT"] and len(lines) == 3
    assert "2 stories" in captured.err and " articles " not in captured.out


def test_outlets_command_and_outlet_matching(filled: tuple[Path, Newsroom],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db, room = filled
    assert main(["outlets", "--db", str(db), "--json"]) == EXIT_OK
    outlets = {r["outlet"]: r for r in json.loads(capsys.readouterr().out)}
    assert {"Wire One", "Hill Courier", "Valley Times"} <= set(outlets)
    assert outlets["Valley Times"]["articles"] == 1 and outlets["Valley Times"]["stories"] == 1
    assert main(["stories", "--db", str(db), "--json", "--outlet", "valley"]) == EXIT_OK
    captured = capsys.readouterr()
    assert [r["id"] for r in json.loads(captured.out)] == [room.story_id] and "Valley Times" in captured.err
    assert main(["stories", "--db", str(db), "--outlet", "e"]) == EXIT_USAGE  # several outlets
    assert "give more of the name" in capsys.readouterr().err
    assert main(["stories", "--db", str(db), "--outlet", "Nowhere Gazette"]) == EXIT_NOT_FOUND
    assert "newsfuse outlets" in capsys.readouterr().err


def test_empty_results_say_so(filled: tuple[Path, Newsroom], tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = filled
    assert main(["search", "zeppelin", "--db", str(db)]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.out == "" and "no article contains all of these words: zeppelin" in captured.err
    assert main(["stories", "--db", str(db), "--since", "2030-01-01"]) == EXIT_OK
    assert "no stories match" in capsys.readouterr().err
    empty = tmp_path / "empty.db"
    Store(str(empty)).close()
    assert main(["stories", "--db", str(empty)]) == EXIT_OK
    assert "ingest articles first" in capsys.readouterr().err


def test_a_bad_published_date_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["ingest", str(tmp_path), "--published", "2024-13-01", "--db", str(tmp_path / "x.db")])
    assert exc.value.code == EXIT_USAGE and "'2024-13-01' is not a date" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


def test_a_failed_export_leaves_no_file(filled: tuple[Path, Newsroom], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import newsfuse.export

    db, _ = filled
    out = tmp_path / "claims.jsonl"
    argv = ["export", "--what", "claims", "--out", str(out), "--db", str(db)]

    def broken(store: Store, what: str, fmt: str, fh: object, claim_status: bool = False) -> int:
        fh.write("{\"half\": ")  # type: ignore[attr-defined]
        raise RuntimeError("disk vanished")

    monkeypatch.setattr(newsfuse.export, "export", broken)
    with pytest.raises(RuntimeError):
        main(argv)
    assert not out.exists() and list(tmp_path.iterdir()) == [db]
    out.write_text("earlier export\n")
    with pytest.raises(RuntimeError):
        main(argv)
    assert out.read_text() == "earlier export\n"  # an earlier file stays as it was


def test_serve_refuses_a_typo_database_and_a_busy_port(filled: tuple[Path, Newsroom], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--db", str(tmp_path / "typo.db")]) == EXIT_USAGE
    assert "no database" in capsys.readouterr().err and not (tmp_path / "typo.db").exists()
    db, _ = filled
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert main(["serve", "--db", str(db), "--port", str(port)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"port {port} on 127.0.0.1 is in use" in err and "serving" not in err


def test_serve_on_port_0_prints_the_port_it_got(filled: tuple[Path, Newsroom]) -> None:
    db, _ = filled
    proc = subprocess.Popen([sys.executable, "-m", "newsfuse.cli", "serve", "--db", str(db), "--port", "0"],
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        port = int(line.split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
        assert port > 0
        deadline = time.monotonic() + 30
        while True:
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)

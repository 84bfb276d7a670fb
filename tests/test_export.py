from __future__ import annotations

import csv
import io
import json

import pytest
from newsroom import Newsroom, fill

from newsfuse.errors import ConfigError
from newsfuse.export import CSV_COLUMNS, GDELT_COLUMNS, WHATS, cameo_root, export
from newsfuse.store import Store


@pytest.fixture
def room(store: Store) -> Newsroom:
    return fill(store)


def _run(store: Store, what: str, fmt: str) -> tuple[int, str]:
    out = io.StringIO()
    n = export(store, what, fmt, out)
    return n, out.getvalue()


@pytest.mark.parametrize("what", WHATS)
def test_jsonl_and_csv_hold_the_same_records(store: Store, room: Newsroom, what: str) -> None:
    n_json, text = _run(store, what, "jsonl")
    rows = [json.loads(line) for line in text.splitlines()]
    n_csv, table = _run(store, what, "csv")
    records = list(csv.DictReader(io.StringIO(table)))
    assert n_json == n_csv == len(rows) == len(records) > 0
    assert tuple(records[0]) == CSV_COLUMNS[what]
    assert [r["id"] for r in rows] == [r["id"] for r in records]


def test_story_export_counts_a_copy_once(store: Store, room: Newsroom) -> None:
    _, text = _run(store, "stories", "jsonl")
    bridge = next(json.loads(x) for x in text.splitlines() if room.story_id in x)
    assert (bridge["articles"], bridge["outlets"], bridge["independent_outlets"]) == (3, 3, 2)


def test_claims_keep_status_sources_and_evidence(store: Store, room: Newsroom) -> None:
    _, text = _run(store, "claims", "jsonl")
    claims = {c["id"]: c for c in map(json.loads, text.splitlines())}
    assert claims["c_drivers"]["status"] == "conflicting"
    assert {s["value"] for s in claims["c_drivers"]["sources"]} == {"12,000", "15,000"}
    ev = claims["c_closed"]["sources"][0]["evidence"][0]
    assert room.wire.text[ev["start"]:ev["end"]] == ev["text"]


def test_quotes_carry_outlet_and_speaker_entity(store: Store, room: Newsroom) -> None:
    _, table = _run(store, "quotes", "csv")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert {r["outlet"] for r in rows} == {"Wire One", "Hill Courier"}
    assert {r["speaker_entity_id"] for r in rows} == {room.person_id}
    assert rows[0]["anonymous"] == "false"


def test_csv_escapes_hostile_text_as_data(store: Store, room: Newsroom) -> None:
    _, table = _run(store, "stories", "csv")
    titles = {r["title"] for r in csv.DictReader(io.StringIO(table))}
    assert room.hostile.title in titles  # quotes and commas survive the round trip


def test_gdelt_rows_have_61_columns_plus_claim_status(store: Store, room: Newsroom) -> None:
    n, text = _run(store, "events", "gdelt")
    lines = text.splitlines()
    assert n == len(lines) == 2
    col = {name: i for i, name in enumerate(GDELT_COLUMNS)}
    assert len(GDELT_COLUMNS) == 61 and GDELT_COLUMNS[0] == "GlobalEventID"
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    for line in lines:
        cells = line.split("\t")
        assert len(cells) == 62
        assert cells[col["GlobalEventID"]].isdigit()
        assert cells[col["SQLDATE"]] == "20250303" and cells[col["MonthYear"]] == "202503"
        assert cells[col["Actor1Name"]] == "POLICE" and cells[col["Actor2Name"]] == "TWO MEN"
        assert cells[col["EventRootCode"]] == "17" and cells[col["QuadClass"]] == "4"
        assert cells[col["IsRootEvent"]] == "0"  # second paragraph, not the lead
        assert cells[col["ActionGeo_FullName"]] == "Tarn bridge"
        assert len(cells[col["DATEADDED"]]) == 14
        assert cells[61] == "single-source"
    urls = {line.split("\t")[col["SOURCEURL"]] for line in lines}
    assert urls == {room.wire.url, room.copy.url}


def test_cameo_roots_are_two_digit_codes() -> None:
    assert cameo_root("ASSAULT") == "18"
    assert cameo_root("CONSULT") == "04"
    assert cameo_root("NOT_A_TYPE") is None and cameo_root(None) is None


@pytest.mark.parametrize(("what", "fmt"), [("claims", "gdelt"), ("people", "jsonl"), ("events", "xml")])
def test_bad_choices_say_what_to_do(store: Store, what: str, fmt: str) -> None:
    with pytest.raises(ConfigError, match=r"choose|use --what events"):
        export(store, what, fmt, io.StringIO())


def test_empty_store_exports_nothing(store: Store) -> None:
    assert _run(store, "events", "gdelt") == (0, "")
    assert _run(store, "stories", "csv")[1].strip() == ",".join(CSV_COLUMNS["stories"])


def test_csv_cells_that_would_run_as_formulas_are_neutralised() -> None:
    from newsfuse.export import _write_csv

    rows = iter([{"title": "=HYPERLINK(\"http://evil\")", "outlet": "+cmd", "note": "-2+3", "who": "@SUM(A1)",
                  "n": -3, "x": "\tTAB", "y": "plain - text"}])
    out = io.StringIO()
    _write_csv(out, rows, ("title", "outlet", "note", "who", "n", "x", "y"))
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row == {"title": "'=HYPERLINK(\"http://evil\")", "outlet": "'+cmd", "note": "'-2+3",
                   "who": "'@SUM(A1)", "n": "-3", "x": "'\tTAB", "y": "plain - text"}

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from newsroom import Newsroom, fill

from newsfuse.errors import ConfigError
from newsfuse.export import CSV_COLUMNS, GDELT_COLUMNS, GDELT_MENTION_COLUMNS, cameo_root, export
from newsfuse.store import Store


@pytest.fixture
def room(store: Store) -> Newsroom:
    return fill(store)


def _run(store: Store, what: str, fmt: str) -> tuple[int, str]:
    out = io.StringIO()
    n = export(store, what, fmt, out)
    return n, out.getvalue()


@pytest.mark.parametrize("what", ["stories", "claims", "quotes", "events", "entities"])
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


def test_a_claims_single_source_detail_is_exported_as_its_own_field(store: Store, room: Newsroom) -> None:
    from dataclasses import replace

    from newsfuse.models import ClaimDetail, Span
    from newsfuse.store import queries

    closed = next(c for c in queries.story_claims(store, room.story_id) if c.id == "c_closed")
    ev = closed.sources[0].evidence[0]
    detail = ClaimDetail("Divers checked every pier", ev.article_id, closed.sources[0].outlet,
                         attribution="the port said",
                         evidence=(Span(ev.article_id, ev.start, ev.end, ev.text),))
    with store.transaction():
        store.put_claims(room.story_id, [replace(c, details=(detail,)) if c.id == "c_closed" else c
                                         for c in queries.story_claims(store, room.story_id)])
    _, text = _run(store, "claims", "jsonl")
    [row] = [c for c in map(json.loads, text.splitlines()) if c["id"] == "c_closed"]
    assert row["details"][0]["text"] == "Divers checked every pier" and row["details"][0]["evidence"]
    _, table = _run(store, "claims", "csv")
    [cells] = [r for r in csv.DictReader(io.StringIO(table)) if r["id"] == "c_closed"]
    # a spreadsheet reads the detail as words, apart from how the sources were counted
    assert cells["details"] == f"only {detail.outlet} gives it: Divers checked every pier (the port said)"
    assert "Divers" not in cells["note"]


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


def _gdelt(store: Store, what: str = "events", claim_status: bool = False) -> list[list[str]]:
    out = io.StringIO()
    n = export(store, what, "gdelt", out, claim_status=claim_status)
    rows = [line.split("\t") for line in out.getvalue().splitlines()]
    assert n == len(rows)
    return rows


def test_gdelt_event_is_one_per_claim_with_its_mentions(store: Store, room: Newsroom) -> None:
    rows = _gdelt(store)
    col = {name: i for i, name in enumerate(GDELT_COLUMNS)}
    assert len(GDELT_COLUMNS) == 61 and GDELT_COLUMNS[0] == "GlobalEventID"
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    # the wire report and its copy both tell of the detention: one event, mentioned twice
    assert len(rows) == 1 and len(rows[0]) == 61
    cells = dict(zip(GDELT_COLUMNS, rows[0], strict=True))
    assert cells["GlobalEventID"].isdigit()
    assert cells["SQLDATE"] == "20250303" and cells["MonthYear"] == "202503" and cells["Year"] == "2025"
    assert (cells["Actor1Name"], cells["Actor1Code"], cells["Actor1Type1Code"]) == ("POLICE", "COP", "COP")
    assert (cells["Actor2Name"], cells["Actor2Code"]) == ("TWO MEN", "CVL")
    assert (cells["EventCode"], cells["EventBaseCode"], cells["EventRootCode"]) == ("173", "173", "17")
    assert cells["QuadClass"] == "4" and cells["GoldsteinScale"] == "-5.0"
    assert (cells["NumMentions"], cells["NumArticles"], cells["NumSources"]) == ("2", "2", "1")
    assert cells["IsRootEvent"] == "0"  # second paragraph, not the lead
    assert cells["ActionGeo_FullName"] == "Tarn bridge"  # named, but in no gazetteer: no coordinates
    assert cells["ActionGeo_Lat"] == "" and len(cells["DATEADDED"]) == 14
    assert cells["SOURCEURL"] == room.wire.url  # the earliest report's web address
    assert rows[0][col["SOURCEURL"]] == room.wire.url
    assert _gdelt(store, claim_status=True)[0][61] == "single-source"  # a 62nd column only on request
    mentions = _gdelt(store, "mentions")
    assert len(mentions) == 2 and all(len(m) == len(GDELT_MENTION_COLUMNS) == 16 for m in mentions)
    assert {m[0] for m in mentions} == {cells["GlobalEventID"]}
    by_id = {m[5]: m for m in mentions}
    assert set(by_id) == {room.wire.url, room.copy.url}
    wire = by_id[room.wire.url]
    assert wire[4] == "Wire One" and room.wire.text[int(wire[7]):].startswith("Police")
    assert room.wire.text[int(wire[8]):].startswith("two men") and int(wire[9]) > int(wire[7])


def test_gdelt_actors_are_never_pronouns_or_things() -> None:
    from newsfuse.analyze.events.cameo import actor

    for text in ("he", "HE", "It", "they", "cubic metres of water", "the plan", ""):
        assert actor(text) is None, text
    assert actor("he", "Emmanuel Macron") == actor("Emmanuel Macron")  # a resolved pronoun is its name
    french = actor("French President Emmanuel Macron")
    assert french is not None and (french.code, french.country, french.role) == ("FRAGOV", "FRA", "GOV")
    assert actor("Russian forces").code == "RUSMIL" and actor("U.S. officials").code == "USAGOV"
    assert actor("Ukraine").code == "UKR"


def test_gdelt_geography_comes_from_the_gazetteer() -> None:
    from newsfuse.analyze.events import gazetteer

    kursk = gazetteer.place("the Kursk region")
    assert kursk is not None and kursk.type == gazetteer.WORLD_CITY and kursk.country == "RS"  # FIPS
    assert kursk.full_name == "Kursk, Russia" and abs(kursk.lat - 51.7) < 0.1 and kursk.feature_id
    france = gazetteer.place("France")
    assert france is not None and france.type == gazetteer.COUNTRY and france.country == "FR"
    assert gazetteer.place("Lower Dunmere") is None


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


# -- the whole GDELT export of a real corpus, read as GDELT readers read it -------------------------


def _gdelt_reference(name: str) -> Path:
    """A reference file the 'gdelt' package (dev dependency) installs: GDELT 2.0's own column list
    ('events2.csv', 'mentions.csv') and the CAMEO codebook ('cameoCodes.json')."""
    path = Path(sys.prefix) / "data" / name
    if not path.exists():
        pytest.skip(f"{path} missing: install the dev dependencies (make setup)")
    return path


@pytest.mark.slow
def test_gdelt_export_loads_with_the_61_column_schema_and_cameo_codes(
        tmp_path: Path, sample: Path) -> None:
    import pandas as pd

    from newsfuse.pipeline import RunContext, run

    with Store(str(tmp_path / "sample.db")) as s:
        run(s, RunContext(paths=[sample]))
        events_out, mentions_out = io.StringIO(), io.StringIO()
        n = export(s, "events", "gdelt", events_out)
        export(s, "mentions", "gdelt", mentions_out)
    schema = list(csv.DictReader(_gdelt_reference("events2.csv").open(encoding="utf-8")))
    assert len(schema) == 61
    dtypes = {"INTEGER": "Int64", "FLOAT": "float64", "STRING": "string"}
    names = [c["name"] for c in schema]
    table = pd.read_csv(io.StringIO(events_out.getvalue()), sep="\t", header=None, names=names,
                        dtype={c["name"]: dtypes[c["type"]] for c in schema}, keep_default_na=False,
                        na_values={c["name"]: [""] for c in schema if c["type"] != "STRING"})
    assert len(table) == n > 10 and table.shape[1] == 61
    assert events_out.getvalue().count("\n") == n and all(
        line.count("\t") == 60 for line in events_out.getvalue().splitlines())
    cameo = json.loads(_gdelt_reference("cameoCodes.json").read_text(encoding="utf-8"))
    codes, goldstein = set(cameo["cameoCode"]), cameo["GoldsteinScale"]
    coded = table[table["EventCode"] != ""]
    assert len(coded) == len(table)  # every event of the sample has a PLOVER type, so a CAMEO code
    for _, row in coded.iterrows():
        assert row["EventCode"] in codes and row["EventBaseCode"] in codes and row["EventRootCode"] in codes
        assert row["EventCode"].startswith(row["EventBaseCode"]) and row["EventBaseCode"].startswith(
            row["EventRootCode"]) and len(row["EventBaseCode"]) == 3
        assert row["GoldsteinScale"] == float(goldstein[row["EventCode"]])
    assert (table["SQLDATE"].notna()).all() and (table["Year"] >= 2000).all()
    actors = {*table["Actor1Name"], *table["Actor2Name"]} - {""}
    assert actors and not actors & {"HE", "SHE", "IT", "THEY", "WE", "I", "YOU", "THIS", "WHO"}
    countries = {*table["Actor1CountryCode"], *table["Actor2CountryCode"]} - {""}
    assert all(len(c) == 3 and c.isupper() for c in countries)
    assert not any(u.startswith(("/", "file:")) for u in table["SOURCEURL"])
    reference = _gdelt_reference("mentions.csv").open(encoding="utf-8")
    mention_names = [c["name"] for c in csv.DictReader(reference)]
    mentions = pd.read_csv(io.StringIO(mentions_out.getvalue()), sep="\t", header=None, names=mention_names,
                           dtype=str, keep_default_na=False)
    assert len(mentions) >= n and set(mentions["GLOBALEVENTID"]) == {str(i) for i in table["GLOBALEVENTID"]}
    assert (mentions["ActionCharOffset"].astype(int) >= 0).all()

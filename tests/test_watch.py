"""The watch against a local site: feeds that change, a news sitemap, robots.txt, ETag/304, redirects,
canonical links, tracking parameters, slow pages, 500s and 429s, a malformed feed, a huge page and
a PDF. Every article is stored once, the disallowed path is never fetched, back-off is seen, and
the watch survives every fault."""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from livesite import Route, Site, article_html, news_sitemap, rss, running_site, story_text

from newsfuse import defaults
from newsfuse.ingest.fetch import Fetcher
from newsfuse.ingest.fetch.sourcesfile import Source, read_sources
from newsfuse.serving.sources import source_rows
from newsfuse.store import Store, queries
from newsfuse.watch import Watcher, WatchOptions

DATE = "Tue, 04 Mar 2025 10:00:00 GMT"


def page(n: int, outlet: str = "Valley Times", variant: int = 0, canonical: str | None = None) -> str:
    title, paras = story_text(n, variant)
    return article_html(title, paras, outlet, "2025-03-04", canonical=canonical)


def flaky(site: Site, path: str, failures: list[Route], then: Route) -> None:
    """``path`` answers each of ``failures`` once, in order, then ``then`` for good."""
    answers = iter(failures)

    def make() -> Route:
        return next(answers, then)

    site.routes[path] = Route(make=make)


@pytest.fixture
def site() -> Iterator[Site]:
    with running_site() as s:
        s.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        yield s


def fetcher() -> Fetcher:
    return Fetcher(host_delay=0.0, backoff_base=0.2, read_timeout=0.5, max_bytes=200_000)


def watch(store: Store, sources: list[Source], events: list[dict[str, Any]] | None = None,
          **options: Any) -> Watcher:
    settings: dict[str, Any] = {"interval": 0.2, "once": True, "analyze": False, "retry_base": 0.2,
                                "max_attempts": 3, "workers": 4}
    opts = WatchOptions(**(settings | options))
    listeners = [events.append] if events is not None else []
    with fetcher() as f:
        w = Watcher(store, sources, f, opts, listeners)
        w.run()
    return w


def articles_by_url(store: Store) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in queries.list_articles(store):
        counts[a.url or ""] = counts.get(a.url or "", 0) + 1
    return counts


def test_every_fault_survived_every_article_once(site: Site, store: Store) -> None:
    u = site.url
    items = [
        (u("/a/1?utm_source=rss"), "one", DATE),        # tracking parameter: stored under /a/1
        (u("/a/2"), "two", DATE),
        (u("/old/3"), "three", DATE),                   # redirects to /a/3
        (u("/amp/4"), "four", DATE),                    # canonical link to /a/4
        (u("/private/5"), "five", DATE),                # robots.txt: never fetched
        (u("/a/6"), "six", DATE),                       # 500, then fine
        (u("/a/7"), "seven", DATE),                     # 429 with Retry-After, then fine
        (u("/a/8"), "eight", DATE),                     # slower than the read timeout: given up
        (u("/huge"), "huge", DATE),                     # over the size cap
        (u("/doc.pdf"), "pdf", DATE),                   # not HTML
    ]
    site.route("/feed.xml", rss("Valley Times", items), content_type="application/rss+xml")
    site.route("/broken.xml", "<rss><channel><item><title>unclosed", content_type="application/rss+xml")
    site.route("/news-sitemap.xml", news_sitemap([(u("/a/1"), "one", "2025-03-04"),
                                                  (u("/a/9#top"), "nine", "2025-03-04")]),
               content_type="application/xml")
    for n in (1, 2, 9):
        site.route(f"/a/{n}", page(n))
    site.route("/old/3", "", status=301, headers={"Location": "/a/3"}, etag=False)
    site.route("/a/3", page(3))
    site.route("/amp/4", page(4, canonical="/a/4"))
    site.route("/a/4", page(4))
    site.route("/private/5", page(5))
    flaky(site, "/a/6", [Route(b"down", status=500, content_type="text/plain")], Route(page(6).encode()))
    flaky(site, "/a/7", [Route(b"slow down", status=429, headers={"Retry-After": "1"},
                               content_type="text/plain")], Route(page(7).encode()))
    site.route("/a/8", page(8), delay=1.0)
    site.route("/huge", "<html><body>" + "<p>word </p>" * 40_000 + "</body></html>")
    site.route("/doc.pdf", b"%PDF-1.4 not a page", content_type="application/pdf")

    sources = [Source(u("/feed.xml"), "Valley Times"), Source(u("/broken.xml")),
               Source(u("/news-sitemap.xml"), "Valley Times", kind="sitemap")]
    events: list[dict[str, Any]] = []
    started = time.monotonic()
    watch(store, sources, events)
    assert time.monotonic() - started < 20

    stored = articles_by_url(store)
    assert stored == {u(f"/a/{n}"): 1 for n in (1, 2, 3, 4, 6, 7, 9)}
    assert site.hits("/private/5") == 0
    assert site.hits("/a/1") == 1 and site.hits("/a/4") == 0  # listed twice / seen via canonical
    # back-off: the 429 was retried no sooner than its Retry-After, the 500 after a pause
    hits7 = [e for e in events if e.get("url") == u("/a/7") and e["event"] in ("retry", "stored")]
    assert [e["event"] for e in hits7] == ["retry", "stored"] and hits7[0]["retry_in"] >= 1.0
    assert any(e["event"] == "retry" and e["url"] == u("/a/6") for e in events)
    states = {r["url"]: r for r in store.fetchall("SELECT url, state, attempts, error FROM watch_urls")}
    assert states[u("/private/5")]["state"] == "denied"
    assert states[u("/a/8")]["state"] == "failed" and states[u("/a/8")]["attempts"] == 3
    assert states[u("/huge")]["state"] == "failed" and "limit" in states[u("/huge")]["error"]
    pdf = states[u("/doc.pdf")]
    assert pdf["state"] == "rejected" and "not an HTML page" in pdf["error"]
    rows = {r["url"]: r for r in source_rows(store)}
    broken = rows[u("/broken.xml")]
    assert broken["errors"] == 1 and broken["articles"] == 0 and broken["last_error"]
    # /a/1 is listed by both: it counts for whichever source listed it first
    feed, sitemap = rows[u("/feed.xml")], rows[u("/news-sitemap.xml")]
    assert feed["articles"] + sitemap["articles"] == 7 and feed["errors"] == 0 and sitemap["articles"] >= 1


def test_feed_changes_over_time_conditional_get_and_restart(site: Site, store: Store) -> None:
    u = site.url
    feed = [(u(f"/a/{n}"), f"n{n}", DATE) for n in (1, 2)]
    site.route("/feed.xml", rss("Valley Times", feed), content_type="application/rss+xml")
    for n in range(1, 5):
        site.route(f"/a/{n}", page(n))
    sources = [Source(u("/feed.xml"), "Valley Times")]
    watch(store, sources)
    assert len(articles_by_url(store)) == 2

    time.sleep(0.25)  # the source is due again
    events: list[dict[str, Any]] = []
    watch(store, sources, events)  # a restart: same feed, so 304 and nothing fetched
    assert any(e["event"] == "not_modified" for e in events)
    assert site.requests[-1][1].get("if-none-match")

    site.route("/feed.xml", rss("Valley Times", [*feed, (u("/a/3"), "n3", DATE)]),
               content_type="application/rss+xml")
    time.sleep(0.25)
    watch(store, sources)
    assert articles_by_url(store) == {u(f"/a/{n}"): 1 for n in (1, 2, 3)}
    assert [site.hits(f"/a/{n}") for n in (1, 2, 3)] == [1, 1, 1]


def test_running_watch_polls_until_stopped_and_slows_a_failing_source(site: Site, store: Store) -> None:
    import math

    u = site.url
    site.route("/feed.xml", rss("Valley Times", []), content_type="application/rss+xml")
    site.route("/down.xml", "no", status=503, content_type="text/plain")
    for n in range(1, 4):
        site.route(f"/a/{n}", page(n))
    sources = [Source(u("/feed.xml"), "Valley Times"), Source(u("/down.xml"))]
    failures = 0

    def publish(status: Any) -> None:
        """Items appear while the watch runs, each once the one before is stored (whatever the host's
        load, not on a clock); the watch is stopped once all three are in and the failing source has
        failed twice in a row (or after a minute, so a broken watch fails the test, not hangs it)."""
        nonlocal failures
        stored = len(articles_by_url(store))
        n = min(3, stored + 1)
        site.route("/feed.xml", rss("Valley Times", [(u(f"/a/{i}"), f"n{i}", DATE) for i in range(1, n + 1)]),
                   content_type="application/rss+xml")
        failures = int({r["url"]: r for r in source_rows(store)}[u("/down.xml")]["failures_in_a_row"] or 0)
        if (stored == 3 and failures >= 2) or time.monotonic() - begun > 60:
            w.stop()

    begun = time.monotonic()
    opts = WatchOptions(interval=0.1, analyze=False, status_every=0.1, retry_base=0.2)
    with fetcher() as f:
        w = Watcher(store, sources, f, opts, on_status=publish)
        status = w.run()
    elapsed = time.monotonic() - begun
    assert articles_by_url(store) == {u(f"/a/{n}"): 1 for n in (1, 2, 3)}
    assert failures >= 2 and elapsed < 60
    # the feed polled until its three items showed (each appears once the one before is stored, so at
    # least three polls; how many more is the host's timing), the failing source's polls as errors
    assert status.counts["polls"] >= 3 and status.counts["source_errors"] >= 2
    # the failing source waited twice as long after each failure, not the 0.1 s interval: k polls
    # need 0.1 x (2^(k-1) - 1) s at least (one more for the poll in flight, one for jitter)
    assert 2 <= site.hits("/down.xml") <= 3 + math.log2(elapsed / 0.1 + 1)


def test_sources_file_formats(tmp_path: Path) -> None:
    plain = tmp_path / "sources.txt"
    plain.write_text("# my outlets\nhttps://a.example/rss  every=120  Alpha News\n"
                     "https://b.example/sitemap.xml kind=sitemap\n\nhttps://a.example/rss\n")
    got = read_sources(plain)
    assert [(s.url, s.name, s.interval, s.kind) for s in got] == [
        ("https://a.example/rss", "Alpha News", 120.0, "auto"),
        ("https://b.example/sitemap.xml", None, 600.0, "sitemap")]
    toml = tmp_path / "sources.toml"
    toml.write_text('[[source]]\nurl = "https://c.example/feed"\nname = "Gamma"\ninterval = 60\n')
    assert read_sources(toml)[0].name == "Gamma" and read_sources(toml)[0].interval == 60.0
    opml = tmp_path / "feeds.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body><outline text="News">'
                    '<outline text="Delta Daily" type="rss" xmlUrl="https://d.example/rss"/></outline>'
                    "</body></opml>")
    assert [(s.url, s.name) for s in read_sources(opml)] == [("https://d.example/rss", "Delta Daily")]
    bad = tmp_path / "bad.txt"
    bad.write_text("https://ok.example/rss\nftp://nope.example/x\n")
    with pytest.raises(Exception, match=r"bad.txt:2"):
        read_sources(bad)


def test_watch_and_sources_commands(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsfuse.cli import main

    site.route("/feed.xml", rss("Valley Times", [(site.url("/a/1"), "one", DATE)]),
               content_type="application/rss+xml")
    site.route("/a/1", page(1))
    (tmp_path / "sources.txt").write_text(f"{site.url('/feed.xml')} Valley Times\n")
    db = str(tmp_path / "w.db")
    log = tmp_path / "watch.log"
    argv = ["watch", str(tmp_path / "sources.txt"), "--db", db, "--once", "--no-analyze", "-q",
            "--log", str(log), "--json"]
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["stored"] == 1 and summary["errors"] == 0
    events = [json.loads(line)["event"] for line in log.read_text().splitlines()]
    assert events[0] == "started" and "stored" in events and events[-1] == "stopped"
    assert main(["sources", "--db", db, "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["name"] == "Valley Times" and row["articles"] == 1 and row["state"] == "ok"
    assert main(["sources", "--db", db]) == 0
    assert "1 articles" in capsys.readouterr().out


def test_kill_9_in_the_middle_loses_nothing_and_doubles_nothing(site: Site, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    u = site.url
    count = 24
    site.route("/feed.xml", rss("Valley Times", [(u(f"/a/{n}"), f"n{n}", DATE) for n in range(count)]),
               content_type="application/rss+xml")
    for n in range(count):
        site.route(f"/a/{n}", page(n), delay=0.05)
    (tmp_path / "sources.txt").write_text(u("/feed.xml") + " Valley Times\n")
    db, log = str(tmp_path / "k.db"), tmp_path / "k.log"
    argv = [sys.executable, "-m", "newsfuse.cli", "watch", str(tmp_path / "sources.txt"), "--db", db,
            "--no-analyze", "-q", "--host-delay", "0.05", "--workers", "2", "--interval", "60"]
    proc = subprocess.Popen([*argv, "--log", str(log)], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300  # a cap only: the wait ends when 5 are stored (a loaded host
        while time.monotonic() < deadline:  # took over 30 s to start the watch and store them)
            stored = log.read_text().count('"event": "stored"') if log.exists() else 0
            if stored >= 5:
                break
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    with Store(db) as s:
        before = len(queries.list_articles(s))
    assert 5 <= before < count  # killed in the middle
    done = subprocess.run([*argv, "--once"], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    with Store(db) as s:
        assert articles_by_url(s) == {u(f"/a/{n}"): 1 for n in range(count)}
        assert queries.watch_counts(s) == {"done": count}
    # pages done before the kill were not fetched again (only those in flight at the kill may be)
    refetched = sum(site.hits(f"/a/{n}") - 1 for n in range(count))
    assert refetched <= 2


def _claims_by_story(store: Store) -> set[tuple[frozenset[str], tuple[Any, ...]]]:
    """Each story as its members' URLs and its claims (text, status, sources' URLs): what a reader
    is shown, whatever the IDs."""
    url = {a.id: a.url or "" for a in queries.list_articles(store)}
    out = set()
    for sid in {queries.story_of_article(store, a) for a in url} - {None}:
        members = frozenset(url[a] for a in queries.story_article_ids(store, str(sid)))
        claims = tuple(sorted((c.text, c.status, tuple(sorted(url[x.article_id] for x in c.sources)))
                              for c in queries.story_claims(store, str(sid))))
        out.add((members, claims))
    return out


@pytest.mark.slow
def test_a_refresh_process_recycled_in_the_middle_loses_and_doubles_nothing(
        site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfuse.cli import main
    from newsfuse.serving.sources import watch_totals

    u = site.url
    reports = [(n, outlet, variant) for n in (3, 4, 5) for variant, outlet in enumerate(("vt", "hp"))]
    for n, outlet, variant in reports:
        site.route(f"/{outlet}/{n}", page(n, {"vt": "Valley Times", "hp": "Harbor Post"}[outlet], variant))
    for outlet, name in (("vt", "Valley Times"), ("hp", "Harbor Post")):
        site.route(f"/{outlet}.xml", rss(name, [(u(f"/{o}/{n}"), f"{o}{n}", DATE) for n, o, _ in reports
                                                if o == outlet]), content_type="application/rss+xml")
    sources = [Source(u("/vt.xml"), "Valley Times"), Source(u("/hp.xml"), "Harbor Post")]

    def watched(db: str, limit_mb: int) -> tuple[list[dict[str, Any]], Any, dict[str, Any]]:
        monkeypatch.setattr(defaults, "WATCH_REFRESH_RSS_LIMIT_MB", limit_mb)  # read by the watch process
        monkeypatch.setattr(defaults, "WATCH_REFRESH_RECYCLE_MIN", 1)
        events: list[dict[str, Any]] = []
        opts = WatchOptions(interval=0.2, once=True, retry_base=0.2, workers=4, analysis_workers=1,
                            fusion_process=True)
        with Store(db) as store, fetcher() as f:
            Watcher(store, sources, f, opts, [events.append]).run()
            assert articles_by_url(store) == {u(f"/{o}/{n}"): 1 for n, o, _ in reports}
            assert not queries.unplaced_article_ids(store) and not queries.pending_fusion_ids(store)
            return events, _claims_by_story(store), watch_totals(store)

    # 1 MB: past the bound after every refresh, so each story after the first is refreshed by a
    # process started in the middle of the watch
    events, recycled, totals = watched(str(tmp_path / "recycled.db"), 1)
    restarts = [e for e in events if e["event"] == "refresh_restarted"]
    fused = [e for e in events if e["event"] == "fused"]
    assert len(restarts) == len(fused) >= 2  # one after each refresh, each a new process
    assert [r["restarts"] for r in restarts] == list(range(1, len(restarts) + 1))
    assert len({tuple(r["pids"]) for r in restarts}) == len(restarts) and restarts[-1]["rss_mb"] > 1
    # every article's claims refreshed once by the watch: nothing lost to a restart, nothing twice
    covered = [a for e in fused for a in e["articles"]]
    assert len(covered) == len(set(covered)) == len(reports)
    [stopped] = [e for e in events if e["event"] == "stopped"]
    assert stopped["refresh_restarts"] == len(restarts) and stopped["pipeline_errors"] == 0
    assert totals["refresh_restarts"] == len(restarts)  # kept in the store: /api/sources, `sources`
    assert main(["sources", "--db", str(tmp_path / "recycled.db")]) == 0

    events, kept, totals = watched(str(tmp_path / "kept.db"), 0)  # never recycled: the same output
    assert not [e for e in events if e["event"] == "refresh_restarted"] and totals["refresh_restarts"] == 0
    assert kept and recycled == kept  # (the made-up reports share one template: they may make one story)


@pytest.mark.slow
def test_stories_update_as_articles_arrive_and_alerts_fire(site: Site, store: Store, tmp_path: Path) -> None:
    from newsfuse.watch.alerts import alert_listener

    u = site.url
    for n in (0, 1):
        site.route(f"/vt/{n}", page(n, "Valley Times", 0))
        site.route(f"/hp/{n}", page(n, "Harbor Post", 1))
    site.route("/vt.xml", rss("Valley Times", [(u("/vt/0"), "n0", DATE)]), content_type="application/rss+xml")
    site.route("/hp.xml", rss("Harbor Post", []), content_type="application/rss+xml")
    sources = [Source(u("/vt.xml"), "Valley Times"), Source(u("/hp.xml"), "Harbor Post")]
    watch(store, sources)  # stored, not fused: the next watch catches it up
    assert queries.unplaced_article_ids(store)

    alerts = tmp_path / "alerts.jsonl"
    listener = alert_listener(store, ["growth:2", "entity:Ellen Marsh"], str(alerts))
    site.route("/hp.xml", rss("Harbor Post", [(u("/hp/0"), "n0", DATE), (u("/hp/1"), "n1", DATE)]),
               content_type="application/rss+xml")
    site.route("/vt.xml", rss("Valley Times", [(u("/vt/0"), "n0", DATE), (u("/vt/1"), "n1", DATE)]),
               content_type="application/rss+xml")
    time.sleep(0.25)
    events: list[dict[str, Any]] = []
    opts = WatchOptions(interval=0.2, once=True, retry_base=0.2, workers=4, analysis_workers=2,
                        fusion_process=True)
    with fetcher() as f:
        Watcher(store, sources, f, opts, [events.append, listener]).run()

    assert not queries.unplaced_article_ids(store)
    assert any(e["event"] == "catch_up" for e in events) and any(e["event"] == "fused" for e in events)
    # the refreshes compute on a thread that only gets idle CPU and commit on one that does not
    [ready] = [e for e in events if e["event"] == "pipeline_ready"]
    idle = "SCHED_IDLE" if sys.platform.startswith("linux") else "nice 19"
    base = os.getpriority(os.PRIO_PROCESS, 0)  # the watch's own (pytest may run under `nice`)
    compute = idle if defaults.WATCH_REFRESH_IDLE else f"nice {min(19, base + defaults.WATCH_REFRESH_NICE)}"
    assert ready["refresh_priority"] == {"compute": compute, "commit": f"nice {base}"}
    by_url = {a.url: a.id for a in queries.list_articles(store)}
    story = {url: queries.story_of_article(store, aid) for url, aid in by_url.items()}
    # each report is grouped with the other outlet's report of it (both made-up stories share one
    # template, so whether the two stories merge is not asked here)
    assert story[u("/vt/0")] == story[u("/hp/0")] and story[u("/vt/1")] == story[u("/hp/1")]
    assert queries.story_claims(store, str(story[u("/vt/0")]))  # fused: claims built
    notices = [json.loads(line) for line in alerts.read_text().splitlines()]
    assert {n["rule"] for n in notices} >= {"growth:2", "entity:Ellen Marsh"}


def test_growth_alerts_forget_the_stories_quiet_for_a_window(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the growth rule keeps per story is dropped once the story has had no arrival for a
    window: a watch running for weeks sees ever new stories and would otherwise keep them all."""
    import types

    from newsfuse import defaults
    from newsfuse.watch import alerts as alerts_mod

    clock = [1.7e9]
    monkeypatch.setattr(alerts_mod, "time", types.SimpleNamespace(time=lambda: clock[0]))
    monkeypatch.setattr(alerts_mod.queries, "story_of_article", lambda s, a: "s_" + a.split("/")[0])
    notices: list[dict[str, Any]] = []
    alerts = alerts_mod.Alerts(store, [alerts_mod.parse_rule("growth:2")], notices.append)
    for n in range(50):  # fifty stories, two arrivals each: each alerted once
        alerts({"event": "placed", "articles": [f"x{n}/1", f"x{n}/2"], "stories": [f"s_x{n}"]})
    assert len(notices) == 50 and len(alerts.arrivals) == 50
    clock[0] += defaults.ALERT_GROWTH_WINDOW_SECONDS + 1
    alerts({"event": "placed", "articles": ["y/1"], "stories": ["s_y"]})
    assert set(alerts.arrivals) == {"s_y"} and not alerts.alerted_growth


def test_growth_alert_fires_whatever_the_clock_reads_and_once_per_window(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A story growing fast is reported the first time, also when the clock reads less than one
    window (a clock counting from the start, not from 1970), then not again within that window."""
    import types

    from newsfuse import defaults
    from newsfuse.watch import alerts as alerts_mod

    window = defaults.ALERT_GROWTH_WINDOW_SECONDS
    clock = [5.0]
    monkeypatch.setattr(alerts_mod, "time", types.SimpleNamespace(time=lambda: clock[0]))
    monkeypatch.setattr(alerts_mod.queries, "story_of_article", lambda s, a: "s_" + a.split("/")[0])
    notices: list[dict[str, Any]] = []
    alerts = alerts_mod.Alerts(store, [alerts_mod.parse_rule("growth:2")], notices.append)
    alerts({"event": "placed", "articles": ["x/1"], "stories": ["s_x"]})
    alerts({"event": "fused", "articles": ["x/1"], "stories": ["s_x"]})  # its claims: not an arrival
    assert notices == []  # one arrival: not yet growing
    alerts({"event": "placed", "articles": ["x/2"], "stories": ["s_x"]})
    assert [(n["story_id"], n["articles_in_window"]) for n in notices] == [("s_x", 2)]
    clock[0] += window / 2
    alerts({"event": "placed", "articles": ["x/3"], "stories": ["s_x"]})
    assert len(notices) == 1  # still the window of the first alert
    clock[0] += window / 2 + 1
    alerts({"event": "placed", "articles": ["x/4", "x/5"], "stories": ["s_x"]})
    assert len(notices) == 2 and notices[-1]["articles_in_window"] >= 2


def test_alert_rules_and_status_line() -> None:
    import io

    from newsfuse.errors import ConfigError
    from newsfuse.watch.alerts import parse_rule
    from newsfuse.watch.status import JsonLog, Status, StatusLine

    assert parse_rule("entity:Ellen Marsh").value == "Ellen Marsh"
    assert parse_rule("growth").count >= 1 and parse_rule("growth:7").count == 7
    for bad in ("entity:", "growth:0", "conflict:x", "weather"):
        with pytest.raises(ConfigError, match="--alert"):
            parse_rule(bad)
    out = io.StringIO()
    status = Status(sources=3, listeners=[JsonLog(out)])
    status.event("poll", source="s")
    status.event("stored", url="u")
    status.event("source_error", source="s", error="HTTP 500")
    status.queue, status.failing = 4, 1
    line = io.StringIO()
    StatusLine(line).show(status)
    assert line.getvalue() == ("watch: 3 sources, 1 poll · 1 new article · 1 error · queue 4 "
                               "(+0 fetching) · 1 failing\n")
    records = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["event"] for r in records] == ["poll", "stored", "source_error"]
    assert records[2]["error"] == "HTTP 500"


def test_sitemap_index_with_a_gzipped_child(site: Site, store: Store) -> None:
    import gzip

    u = site.url
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{u('/s1.xml.gz')}</loc><lastmod>2025-03-04</lastmod></sitemap></sitemapindex>")
    child = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<url><loc>{u('/a/1')}</loc></url><url><loc>{u('/a/2')}</loc></url></urlset>")
    site.route("/sitemap_index.xml", index, content_type="application/xml")
    site.route("/s1.xml.gz", gzip.compress(child.encode()), content_type="application/gzip")
    for n in (1, 2):
        site.route(f"/a/{n}", page(n))
    watch(store, [Source(u("/sitemap_index.xml"), "Valley Times", kind="sitemap")])
    assert articles_by_url(store) == {u("/a/1"): 1, u("/a/2"): 1}
    assert queries.known_urls(store, [u("/s1.xml.gz")]) == set()  # a child sitemap is no article


def test_a_failing_pipeline_is_reported_and_the_watch_goes_on(site: Site, store: Store,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfuse.watch import fusing
    from newsfuse.watch.fuser import FusionWork

    def broken(*args: Any, **kw: Any) -> None:
        raise RuntimeError("placement blew up")

    monkeypatch.setattr(FusionWork, "place", broken)
    monkeypatch.setattr(fusing, "place_waiting", broken)  # placement runs right after analysis
    u = site.url
    site.route("/feed.xml", rss("Valley Times", [(u(f"/a/{n}"), f"n{n}", DATE) for n in (1, 2)]),
               content_type="application/rss+xml")
    for n in (1, 2):
        site.route(f"/a/{n}", page(n))
    events: list[dict[str, Any]] = []
    w = watch(store, [Source(u("/feed.xml"), "Valley Times")], events, analyze=True)
    errors = [e for e in events if e["event"] == "pipeline_error"]
    assert errors and "placement blew up" in errors[0]["error"] and w.status.counts["pipeline_errors"] >= 1
    assert len(articles_by_url(store)) == 2  # stored all the same; fused when the watch next starts
    assert len(queries.unplaced_article_ids(store)) == 2


def test_a_store_held_busy_is_ridden_out(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer holds the store's write lock longer than the busy timeout just as the first
    polls come back (as a big story's fuse transaction does): the watch reports it, polls again and
    stores every article once."""
    import sqlite3
    import threading

    from newsfuse import defaults

    monkeypatch.setattr(defaults, "SQLITE_BUSY_TIMEOUT_S", 0.1)
    u = site.url
    site.route("/feed.xml", rss("Valley Times", [(u(f"/a/{n}"), f"n{n}", DATE) for n in (1, 2)]),
               content_type="application/rss+xml")
    for n in (1, 2):
        site.route(f"/a/{n}", page(n))
    db = tmp_path / "busy.db"
    other = sqlite3.connect(db, check_same_thread=False, isolation_level=None)

    def hold(record: dict[str, Any]) -> None:
        if record["event"] == "started":  # after the sources are registered, before the first poll
            other.execute("BEGIN IMMEDIATE")
            threading.Timer(1.0, lambda: other.execute("COMMIT")).start()

    events: list[dict[str, Any]] = []
    with Store(str(db)) as store:
        opts = WatchOptions(interval=0.2, once=True, analyze=False, workers=2)
        with fetcher() as f:
            Watcher(store, [Source(u("/feed.xml"), "Valley Times")], f, opts, [hold, events.append]).run()
        assert any(e["event"] == "store_busy" for e in events)
        assert articles_by_url(store) == {u("/a/1"): 1, u("/a/2"): 1}
    other.close()


def test_webhook_alerts_are_posted_without_holding_up_the_watch(site: Site) -> None:
    from newsfuse.watch.alerts import Webhook

    hook = Webhook(site.url("/hook"))
    started = time.monotonic()
    for n in range(3):
        hook({"rule": "conflict", "claim_id": f"c_{n}"})
    assert time.monotonic() - started < 0.1  # handed to the sender thread, not posted inline
    hook.close()
    assert [json.loads(body)["claim_id"] for path, body in site.posts] == ["c_0", "c_1", "c_2"]
    assert {path for path, _ in site.posts} == {"/hook"}


def test_problems_get_a_line_of_their_own() -> None:
    import io

    from newsfuse.watch.status import StatusLine

    out = io.StringIO()
    line = StatusLine(out)
    line({"event": "stored", "url": "https://a.example/1"})  # news, not a problem: no line
    line({"event": "source_error", "source": "https://a.example/rss", "error": "HTTP 503", "retry_in": 20.0})
    line({"event": "failed", "url": "https://a.example/2", "error": "timed out"})
    assert out.getvalue().splitlines() == [
        "source failed: https://a.example/rss: HTTP 503 (next try in 20 s)",
        "gave up: https://a.example/2: timed out"]


def test_pipeline_batches_analysis_up_to_the_cap_and_fuses_each_story_once_per_round(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import newsfuse.watch.fusing as fusing
    from newsfuse.watch.fuser import Placed, Refreshed

    analysed: list[list[str]] = []
    placed: list[list[str]] = []
    fused: list[str] = []
    waiting: dict[str, list[str]] = {}  # two stories: even and odd articles

    def analyse(store: Any, ids: list[str], pool: Any = None, encode: bool = False,
                each: Any = None, more: Any = None) -> dict[str, Any]:
        time.sleep(0.02)  # while one batch is parsed, more articles arrive (no pool: none join it)
        analysed.append(list(ids))
        each({"event": "analysed", "articles": ids, "analyze_s": 0.02})  # the batch as one chunk
        return {"event": "analysed", "articles": [], "analyze_s": 0.02}

    def place(store: Any, ids: list[str], known: list[str]) -> tuple[list[Placed], dict[str, str]]:
        placed.append(list(ids))
        for a in ids:
            waiting.setdefault(f"s{int(a.split('_')[1]) % 2}", []).append(a)
        out = [Placed(s, [s], [a for a in ids if a in arts], len(arts)) for s, arts in waiting.items()]
        return [p for p in out if p.articles], {k: k for k in known}

    class Work:
        def __init__(self, store: Any, deferred: bool = True) -> None:
            return None

        def place(self, ids: list[str], known: list[str],
                  sweep: bool = False) -> tuple[list[Placed], dict[str, str]]:
            return [], {}  # nothing left by an earlier run

        def fuse(self, story_id: str, queued: list[str], new_round: bool = False) -> Refreshed:
            time.sleep(0.1)  # fusion is slower: analysed batches wait and join their stories' turn
            fused.append(story_id)
            return Refreshed(time.time(), True, tuple(waiting[story_id]))

        def close(self) -> None:
            return None

    monkeypatch.setattr(fusing, "analyse_batch", analyse)
    monkeypatch.setattr(fusing, "place_waiting", place)
    monkeypatch.setattr(fusing, "FusionWork", Work)
    monkeypatch.setattr(fusing.defaults, "WATCH_CLAIMS_REFRESH_S", 0.0)  # refreshes back to back
    class NoStore:
        def close(self) -> None:
            return None

    f = fusing.Fusing(lambda: NoStore(), batch=4).start()  # type: ignore[arg-type, return-value]
    for n in range(10):
        f.submit([f"a_{n}"])
    deadline = time.monotonic() + 10
    while f.pending and time.monotonic() < deadline:
        time.sleep(0.01)
    f.close()
    every = [f"a_{n}" for n in range(10)]
    assert [a for b in analysed for a in b] == every  # each once, in order
    assert max(len(b) for b in analysed) == 4 and len(analysed) >= 3
    assert [a for b in placed for a in b] == every  # each placed once, right after its analysis
    results = f.results()
    assert [r["articles"] for r in results if r["event"] == "placed"] == analysed
    reported = [r for r in results if r["event"] == "fused"]
    assert sorted(a for r in reported for a in r["articles"]) == sorted(every)  # each reported once
    assert all(len(r["stories"]) == 1 for r in reported)  # one record per story, as soon as it is stored
    assert len(fused) < len(every)  # a story that several articles joined meanwhile is fused once for them
    assert [r["articles"] for r in results if r["event"] == "analysed"] == analysed


def test_a_story_is_refreshed_at_most_once_per_interval_and_placement_does_not_wait_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Articles keep joining one story: each is placed (reported) as soon as it is analysed, while
    the story's claims are refreshed on the interval's beat, once for all that joined meanwhile."""
    import newsfuse.watch.fusing as fusing
    from newsfuse.watch.fuser import Placed, Refreshed

    members: list[str] = []
    refreshes: list[float] = []

    def analyse(store: Any, ids: list[str], pool: Any = None, encode: bool = False,
                each: Any = None, more: Any = None) -> dict[str, Any]:
        each({"event": "analysed", "articles": ids, "analyze_s": 0.0})
        return {"event": "analysed", "articles": [], "analyze_s": 0.0}

    def place(store: Any, ids: list[str], known: list[str]) -> tuple[list[Placed], dict[str, str]]:
        members.extend(ids)
        return [Placed("s", ["s"], list(ids), len(members))], {k: k for k in known}

    class Work:
        def __init__(self, store: Any, deferred: bool = True) -> None:
            return None

        def place(self, ids: list[str], known: list[str],
                  sweep: bool = False) -> tuple[list[Placed], dict[str, str]]:
            return [], {}

        def fuse(self, story_id: str, queued: list[str], new_round: bool = False) -> Refreshed:
            refreshes.append(time.monotonic())
            time.sleep(0.05)
            return Refreshed(time.time(), True, tuple(members))

        def close(self) -> None:
            return None

    monkeypatch.setattr(fusing, "analyse_batch", analyse)
    monkeypatch.setattr(fusing, "place_waiting", place)
    monkeypatch.setattr(fusing, "FusionWork", Work)
    monkeypatch.setattr(fusing.defaults, "WATCH_CLAIMS_REFRESH_S", 0.5)

    class NoStore:
        def close(self) -> None:
            return None

    f = fusing.Fusing(lambda: NoStore(), batch=1).start()  # type: ignore[arg-type, return-value]
    placed_after: list[float] = []
    started = time.monotonic()
    for n in range(12):  # one article every 0.1 s for 1.2 s
        f.submit([f"a_{n}"])
        time.sleep(0.1)
        placed_after += [time.monotonic() - started for r in f.results() if r["event"] == "placed"]
    deadline = time.monotonic() + 10
    while f.pending and time.monotonic() < deadline:
        time.sleep(0.01)
    f.close()
    assert len(placed_after) >= 10, "each article is placed without waiting for a refresh"
    assert 2 <= len(refreshes) <= 4, refreshes  # 1.2 s of arrivals: the first at once, then every 0.5 s
    gaps = [b - a for a, b in itertools.pairwise(refreshes)]
    assert min(gaps) >= 0.45, gaps
    assert not f.pending  # every article's claims were refreshed in the end


def test_the_analysis_stage_says_when_more_articles_wait_than_its_batch() -> None:
    """So it encodes claim sentences ahead only with time to spare (watch/fusing.py, _Stage)."""
    import newsfuse.watch.fusing as fusing

    seen: list[tuple[list[str], bool]] = []

    def work(store: Any, ids: list[str], behind: bool) -> dict[str, Any]:
        seen.append((ids, behind))
        return {"event": "analysed", "articles": ids}

    class NoStore:
        def close(self) -> None:
            return None

    stage = fusing._Stage("t", lambda: NoStore(), work, lambda r: None, cap=2)  # type: ignore[arg-type, return-value]
    for a in ("a", "b", "c"):  # all three wait before the stage starts
        stage.submit([a])
    stage.start()
    deadline = time.monotonic() + 10
    while len(seen) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    stage.close()
    assert seen == [(["a", "b"], True), (["c"], False)]


def test_a_small_story_goes_before_a_big_one_queued_earlier_and_the_big_one_is_not_starved() -> None:
    from newsfuse.watch.fuser import Placed
    from newsfuse.watch.schedule import StoryQueue

    q = StoryQueue()
    q.done("big", 20.0, 100)  # the big story's last fuse took 20 s
    q.done("small", 0.5, 2)
    q.add([Placed("big", ["big"], ["a1"], 101)], {}, now=0.0)
    q.add([Placed("small", ["small"], ["a2"], 3)], {}, now=1.0)
    assert q.take(now=1.0)[0] == "small"  # type: ignore[index]
    # small stories keep arriving; once the big one has waited about its own cost, it goes first
    q.add([Placed("new", ["new"], ["a3"], 2)], {}, now=30.0)
    taken = q.take(now=30.0)
    assert taken is not None and taken[0] == "big" and taken[1].articles == ["a1"]
    assert q.take(now=30.0)[0] == "new"  # type: ignore[index]
    assert q.take(now=30.0) is None


def test_a_waiting_story_merged_into_another_is_fused_once_with_both_articles() -> None:
    from newsfuse.watch.fuser import Placed
    from newsfuse.watch.schedule import StoryQueue

    q = StoryQueue()
    q.add([Placed("s1", ["s1"], ["a1"], 1), Placed("s2", ["s2"], ["a2"], 1)], {}, now=0.0)
    q.add([Placed("s2", ["s1", "s2"], ["a3"], 3)], {"s1": "s2", "s2": "s2"}, now=1.0)  # s1 merged into s2
    taken = q.take(now=1.0)
    assert taken is not None and taken[0] == "s2"
    assert sorted(taken[1].articles) == ["a1", "a2", "a3"] and sorted(taken[1].queued) == ["s1", "s2"]
    assert q.take(now=1.0) is None


def test_a_batch_analyses_its_own_articles_only(store: Store, tmp_path: Path) -> None:
    """Articles keep arriving while a batch is analysed: the batch takes its own, never a sweep of
    every stale article (which while the watch runs would never end and never reach fusion)."""
    from newsfuse.analyze.pipeline import ANALYSIS_VERSION
    from newsfuse.context import RunContext
    from newsfuse.pipeline import run
    from newsfuse.watch.fusing import analyse_batch, fuse_analysed

    for n in (1, 2, 3):
        title, paras = story_text(n)
        (tmp_path / f"r{n}.txt").write_text(title + "\n\n" + "\n\n".join(paras), encoding="utf-8")
    ids = list(run(store, RunContext(paths=[tmp_path]), stages=["ingest"]).stored)
    assert len(ids) == 3
    result = analyse_batch(store, ids[:1])
    assert result["event"] == "analysed" and result["articles"] == ids[:1] and not result["failed"]
    stale = queries.stale_analysis_page(store, ANALYSIS_VERSION, after=0, limit=10, owner="")
    assert [article for article, _ in stale] == ids[1:]
    fused = fuse_analysed(store, ids[:1])
    assert fused["event"] == "fused" and len(fused["stories"]) == 1
    assert queries.unplaced_article_ids(store) == ids[1:]  # the unanalysed wait for their own batch


def test_the_loops_writes_go_before_the_pipelines_next_transaction(tmp_path: Path) -> None:
    import threading

    from newsfuse.watch.turns import PipelineStore, WriteTurns

    turns = WriteTurns()
    order: list[str] = []
    Store(str(tmp_path / "turns.db")).close()  # migrated

    def pipeline() -> None:
        with PipelineStore(str(tmp_path / "turns.db"), turns) as store, store.transaction():
            order.append("pipeline")

    with turns.loop_writes():
        worker = threading.Thread(target=pipeline)
        worker.start()
        worker.join(0.5)
        order.append("loop")  # the pipeline's transaction has not begun while the loop writes
    worker.join(5)
    assert order == ["loop", "pipeline"]


def test_fusion_work_places_the_batch_then_fuses_each_story_on_its_own(store: Store, tmp_path: Path) -> None:
    from newsfuse.context import RunContext
    from newsfuse.pipeline import run
    from newsfuse.watch.fuser import FusionWork
    from newsfuse.watch.fusing import analyse_batch

    for n in (1, 2, 3):
        title, paras = story_text(n)
        (tmp_path / f"r{n}.txt").write_text(title + "\n\n" + "\n\n".join(paras), encoding="utf-8")
    ids = list(run(store, RunContext(paths=[tmp_path]), stages=["ingest"]).stored)
    assert analyse_batch(store, ids)["event"] == "analysed"
    work = FusionWork(store)
    placed, moved = work.place(ids, [])
    assert sorted(a for p in placed for a in p.articles) == sorted(ids)  # each article in one story
    assert all(p.size >= len(p.articles) >= 1 and p.story_id in p.queued for p in placed)
    assert not queries.unplaced_article_ids(store) and moved == {}
    for p in placed:
        done = work.fuse(p.story_id, p.queued)
        assert done.done_at <= time.time() and done.current and set(p.articles) <= set(done.read)
        assert queries.story_claims(store, p.story_id)  # fused: claims stored
        assert queries.claims_state(store, p.story_id)["articles"] == p.size
    assert not queries.pending_fusion_ids(store)  # every story unqueued, none fused twice


def test_cache_counts_name_every_memo_of_the_fusing_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from collections import OrderedDict

    import numpy as np

    from newsfuse.fuse.claims import meaning, vectors
    from newsfuse.watch.bounds import cache_counts

    kept: OrderedDict[Any, Any] = OrderedDict(((("a_1", 0, 5), np.zeros(3)), (("a_1", 6, 9), np.zeros(3))))
    monkeypatch.setattr(vectors, "_MEMORY", kept)
    meaning._units.cache_clear()
    meaning._units("a_1", "One clause, and another clause here.", 0, 36, 3)
    counts = cache_counts()
    assert counts["newsfuse.fuse.claims.vectors._MEMORY"] == 2
    assert counts["newsfuse.fuse.claims.meaning._units"] == 1
    assert "newsfuse.fuse.claims.cache.CACHE" in counts  # the statements LRU (SlotLRU) too
    assert "newsfuse.fuse.claims.meaning._runs" in counts  # and the per-statement memos (PerObject)
    assert all(isinstance(v, int) and v >= 0 for v in counts.values())


def test_the_fusion_process_bounds_its_caches_and_gives_freed_memory_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import platform

    from newsfuse import defaults
    from newsfuse.fuse.claims import cache, sources
    from newsfuse.watch.bounds import bound_caches, give_back

    monkeypatch.setattr(cache.CACHE, "size", cache.CACHE.size)  # put back after the test
    monkeypatch.setattr(sources._EDGES, "size", sources._EDGES.size)
    bound_caches()
    assert cache.CACHE.size == defaults.WATCH_CLAIM_CACHE_ARTICLES < defaults.CLAIM_CACHE_ARTICLES
    assert sources._EDGES.size == defaults.WATCH_CLAIM_CACHE_ARTICLES
    assert give_back() is (platform.libc_ver()[0] == "glibc")  # a no-op where there is no malloc_trim


def test_a_fusion_memo_cannot_grow_past_the_refresh_process_limit() -> None:
    """The fusion modules' memos are cleared once past ``WATCH_MEMOS_KEPT`` (each refresh of the watch
    trims them), so a long watch's refresh process does not keep filling them for hundreds of
    articles; the one-entry model loaders are never touched."""
    import platform

    from newsfuse.fuse.claims import encoder, meaning
    from newsfuse.watch.bounds import trim_memos

    trim_memos(0)  # what earlier tests left in the memos
    text = "One clause, and another clause here."
    for k in range(30):
        meaning._units(f"a_{k}", text, 0, 36, 3)
    assert meaning._units.cache_info().currsize == 30
    models = encoder._model.cache_info().currsize
    assert trim_memos(50) == 0 and meaning._units.cache_info().currsize == 30  # within the limit: kept
    assert trim_memos(20) >= 30 and meaning._units.cache_info().currsize == 0
    assert encoder._model.cache_info().currsize == models
    assert meaning._units("a_1", text, 0, 36, 3) == meaning._units.__wrapped__("a_1", text, 0, 36, 3)
    # mallopt where there is glibc (in a process of its own: it changes that process's allocator)
    import subprocess

    code = "from newsfuse.watch.bounds import one_heap; print(one_heap())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == str(platform.libc_ver()[0] == "glibc"), done.stderr


def test_trim_memos_finds_memos_of_modules_imported_after_a_scan() -> None:
    """The memos are found once per set of loaded modules (the scan ran after every refresh): a
    fusion module loaded later is scanned too, and its memo trimmed."""
    import functools
    import types

    from newsfuse.watch.bounds import trim_memos

    trim_memos(10**9)  # a scan of what is loaded now
    module = types.ModuleType("newsfuse.fuse._memo_probe_13c")

    @functools.lru_cache(maxsize=100)
    def words(text: str) -> tuple[str, ...]:
        return tuple(text.split())

    words.__module__ = module.__name__
    module.words = words  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    try:
        for k in range(5):
            words(f"probe text {k}")
        assert trim_memos(3) >= 5 and words.cache_info().currsize == 0
    finally:
        del sys.modules[module.__name__]
    assert trim_memos(10**9) == 0  # the probe's module gone: scanned again without it

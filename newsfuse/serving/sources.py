"""The watched sources as the CLI (`newsfuse sources`), the API (`/api/sources`) and the web page
(`/sources`) show them: one row per source with its poll record and what it gave."""

from __future__ import annotations

from typing import Any

from newsfuse import defaults
from newsfuse.store import Store, queries


def source_rows(store: Store) -> list[dict[str, Any]]:
    """Per source: name, kind, interval, last poll / last success / last new article, polls, error
    count and failures in a row, the last error, articles stored, URLs queued and given up, and a
    one-word state ('ok', 'failing', 'new')."""
    rows = []
    for r in queries.watch_sources(store):
        failing = r["failures"] >= defaults.WATCH_FAILING_AFTER
        state = "failing" if failing else ("new" if not r["polls"] else ("error" if r["failures"] else "ok"))
        rows.append({
            "url": r["url"], "name": r["name"], "kind": r["kind"], "interval": r["poll_interval"],
            "state": state, "last_poll": r["last_poll"], "last_ok": r["last_ok"], "last_new": r["last_new"],
            "polls": r["polls"], "errors": r["errors"], "failures_in_a_row": r["failures"],
            "last_error": r["last_error"] if r["failures"] else None, "listed": r["listed"],
            "articles": r["articles"], "queued": r["queued"], "given_up": r["failed"],
        })
    return rows


def watch_totals(store: Store) -> dict[str, Any]:
    """Totals over all sources: URLs per state and sources per state."""
    rows = source_rows(store)
    states: dict[str, int] = {}
    for r in rows:
        states[r["state"]] = states.get(r["state"], 0) + 1
    return {"sources": len(rows), "source_states": states, "urls": queries.watch_counts(store),
            "articles": sum(r["articles"] for r in rows),
            # the refresh process recycled past defaults.WATCH_REFRESH_RSS_LIMIT_MB, over every run
            "refresh_restarts": queries.store_count(store, "watch_refresh_restarts")}

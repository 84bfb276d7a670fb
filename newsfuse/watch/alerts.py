"""``watch --alert``: rules checked after each fused batch, notices sent to a webhook or a file.

Rules: ``entity:NAME`` (a new article names an entity called NAME, or with NAME as an alias, any
case), ``conflict`` (a story gains a conflicting claim it did not have), ``growth[:N]`` (a story
gains N articles within ``defaults.ALERT_GROWTH_WINDOW_SECONDS``; N defaults to
``defaults.ALERT_GROWTH_ARTICLES``). A notice is one JSON object; a webhook gets it as a POST body,
a file one line each. A failed delivery is logged, never fatal.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsfuse import defaults
from newsfuse.errors import ConfigError
from newsfuse.store import Store, queries


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str  # entity | conflict | growth
    value: str = ""
    count: int = 0


def parse_rule(text: str) -> Rule:
    kind, _, value = text.strip().partition(":")
    kind = kind.lower()
    if kind == "entity" and value.strip():
        return Rule("entity", value.strip())
    if kind == "conflict" and not value:
        return Rule("conflict")
    if kind == "growth":
        if not value:
            return Rule("growth", count=defaults.ALERT_GROWTH_ARTICLES)
        if value.isdigit() and int(value) > 0:
            return Rule("growth", count=int(value))
    raise ConfigError(f"--alert {text!r}: use entity:NAME, conflict, or growth[:N]")


class Alerts:
    """Checks the rules against each 'fused' event of the watch and delivers what they find."""

    def __init__(self, store: Store, rules: list[Rule], deliver: Callable[[dict[str, Any]], None]) -> None:
        self.store = store
        self.rules = rules
        self.deliver = deliver
        self.conflicts = {c.id for c in queries.all_claims(store) if c.status == "conflicting"} \
            if any(r.kind == "conflict" for r in rules) else set()
        self.arrivals: dict[str, deque[float]] = {}
        self.alerted_growth: dict[str, float] = {}
        self._forgotten_at = time.time()

    def close(self) -> None:
        """Deliver what is still waiting (a webhook sends from its own thread)."""
        close = getattr(self.deliver, "close", None)
        if close is not None:
            close()

    def __call__(self, record: dict[str, Any]) -> None:
        event = record.get("event")
        if event not in ("placed", "fused"):
            return
        articles, stories = list(record.get("articles") or []), list(record.get("stories") or [])
        for rule in self.rules:
            # a story grows when an article is placed in it; entities and claims are known once the
            # story's claims are refreshed (each article is reported once by each event)
            if (rule.kind == "growth") != (event == "placed"):
                continue
            check = {"entity": self._entity, "conflict": self._conflict, "growth": self._growth}[rule.kind]
            for notice in check(rule, articles, stories):
                self.deliver({"ts": datetime.now(UTC).isoformat(timespec="seconds"), **notice})

    def _entity(self, rule: Rule, articles: list[str], stories: list[str]) -> list[dict[str, Any]]:
        links = queries.entity_links(self.store, articles)
        entities = queries.get_entities(self.store, list(links.values()))
        wanted = rule.value.casefold()
        hits: dict[str, set[str]] = {}
        for (article_id, _), entity_id in links.items():
            e = entities.get(entity_id)
            if e is not None and wanted in {n.casefold() for n in (e.name, *e.aliases)}:
                hits.setdefault(entity_id, set()).add(article_id)
        return [{"rule": f"entity:{rule.value}", "entity_id": eid, "name": entities[eid].name,
                 "articles": sorted(ids), "stories": sorted({queries.story_of_article(self.store, a) or ""
                                                             for a in ids} - {""})}
                for eid, ids in hits.items()]

    def _conflict(self, rule: Rule, articles: list[str], stories: list[str]) -> list[dict[str, Any]]:
        out = []
        for sid in stories:
            for claim in queries.story_claims(self.store, sid):
                if claim.status == "conflicting" and claim.id not in self.conflicts:
                    self.conflicts.add(claim.id)
                    out.append({"rule": "conflict", "story_id": sid, "claim_id": claim.id,
                                "claim": claim.text})
        return out

    def _growth(self, rule: Rule, articles: list[str], stories: list[str]) -> list[dict[str, Any]]:
        now, window = time.time(), defaults.ALERT_GROWTH_WINDOW_SECONDS
        out = []
        for article_id in articles:
            sid = queries.story_of_article(self.store, article_id)
            if sid is None:
                continue
            seen = self.arrivals.setdefault(sid, deque())
            seen.append(now)
            while seen and seen[0] < now - window:
                seen.popleft()
            last = self.alerted_growth.get(sid)  # None: never alerted (not "alerted at time 0")
            if len(seen) >= rule.count and (last is None or last < now - window):
                self.alerted_growth[sid] = now  # once per window per story
                out.append({"rule": f"growth:{rule.count}", "story_id": sid, "articles_in_window": len(seen),
                            "window_seconds": window})
        self._forget_quiet(now, window)
        return out

    def _forget_quiet(self, now: float, window: float) -> None:
        """Drop the stories with no arrival in the window (once a window): a watch that runs for weeks
        sees ever new stories, and kept they would grow these two maps for as long."""
        if now - self._forgotten_at < window:
            return
        self._forgotten_at = now
        for sid in [k for k, seen in self.arrivals.items() if not seen or seen[-1] < now - window]:
            del self.arrivals[sid]
        for sid in [k for k, at in self.alerted_growth.items() if at < now - window]:
            del self.alerted_growth[sid]


class Webhook:
    """POSTs each notice as JSON from a thread of its own, so a slow or dead webhook never holds up
    the watch; a failed delivery is reported on stderr with the notice (nothing is retried)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.thread = threading.Thread(target=self._send, name="newsfuse-alerts", daemon=True)
        self.thread.start()

    def __call__(self, notice: dict[str, Any]) -> None:
        self.queue.put(notice)

    def close(self) -> None:
        """Deliver what is waiting, then stop."""
        self.queue.put(None)
        self.thread.join(timeout=defaults.FETCH_CONNECT_TIMEOUT_SECONDS * 2)

    def _send(self) -> None:
        import httpx

        with httpx.Client(timeout=defaults.FETCH_CONNECT_TIMEOUT_SECONDS,
                          headers={"User-Agent": defaults.FETCH_USER_AGENT}) as client:
            while (notice := self.queue.get()) is not None:
                try:
                    client.post(self.url, json=notice).raise_for_status()
                except httpx.HTTPError as exc:
                    print(f"newsfuse: alert webhook {self.url} failed ({exc}); the alert was "
                          f"{json.dumps(notice, ensure_ascii=False)}", file=sys.stderr)


def deliverer(to: str | None) -> Callable[[dict[str, Any]], None]:
    """Where notices go: a webhook (http/https URL: POST JSON), a file (JSON lines), else stderr."""
    if to and to.lower().startswith(("http://", "https://")):
        return Webhook(to)

    def write(notice: dict[str, Any]) -> None:
        line = json.dumps(notice, ensure_ascii=False) + "\n"
        if to:
            with open(to, "a", encoding="utf-8") as fh:
                fh.write(line)
        else:
            sys.stderr.write("alert: " + line)

    return write


def alert_listener(store: Store, rules: list[str], to: str | None) -> Alerts:
    return Alerts(store, [parse_rule(r) for r in rules], deliverer(to))

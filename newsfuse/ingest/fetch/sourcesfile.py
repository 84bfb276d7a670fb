"""The sources file of ``newsfuse watch``: OPML, TOML or a plain list of feed and sitemap URLs.

Plain list, one source a line (``#`` starts a comment)::

    https://example.com/rss.xml  every=300  Example Times
    https://example.org/news-sitemap.xml

TOML::

    [[source]]
    url = "https://example.com/rss.xml"
    name = "Example Times"      # optional: the outlet name of its articles
    interval = 300              # optional: seconds between polls
    kind = "feed"               # optional: feed | sitemap (found from the answer otherwise)

OPML: every ``<outline xmlUrl=...>`` (its ``title``/``text`` is the outlet name).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from newsfuse import defaults
from newsfuse.errors import ConfigError
from newsfuse.ingest.fetch.urls import is_http_url, normalize_url

KINDS = ("auto", "feed", "sitemap")


@dataclass(frozen=True, slots=True)
class Source:
    url: str  # normalised
    name: str | None = None
    interval: float = defaults.WATCH_POLL_SECONDS
    kind: str = "auto"


def read_sources(path: str | Path) -> list[Source]:
    """Every source in the file, each URL once (the first wins); a bad line is a ConfigError naming it."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read the sources file ({exc.strerror}); check the path") from exc
    head = text.lstrip()[:512].lower()
    if p.suffix.lower() in (".opml", ".xml") or head.startswith("<?xml") or "<opml" in head:
        found = _opml(text, str(p))
    elif p.suffix.lower() == ".toml" or "[[source]]" in text:
        found = _toml(text, str(p))
    else:
        found = _plain(text, str(p))
    unique: dict[str, Source] = {}
    for s in found:
        unique.setdefault(s.url, s)
    if not unique:
        raise ConfigError(f"{p}: no sources in it; list feed or sitemap URLs, one a line")
    return list(unique.values())


def _source(url: str, where: str, name: str | None = None, interval: object = None,
            kind: object = None) -> Source:
    url = url.strip()
    if not is_http_url(url):
        raise ConfigError(f"{where}: {url!r} is not an http(s) URL; give the full feed or sitemap address")
    every = defaults.WATCH_POLL_SECONDS if interval is None else _seconds(interval, where)
    kind = "auto" if kind is None else str(kind)
    if kind not in KINDS:
        raise ConfigError(f"{where}: kind {kind!r}; use one of {', '.join(KINDS)}")
    return Source(normalize_url(url), (name or "").strip() or None, every, kind)


def _seconds(value: object, where: str) -> float:
    try:
        seconds = float(str(value).rstrip("s"))
    except ValueError:
        raise ConfigError(f"{where}: interval {value!r} is not a number of seconds") from None
    if seconds < defaults.WATCH_MIN_POLL_SECONDS:
        raise ConfigError(f"{where}: interval {seconds:g}s is shorter than "
                          f"{defaults.WATCH_MIN_POLL_SECONDS:g}s (defaults.WATCH_MIN_POLL_SECONDS); "
                          "poll less often")
    return seconds


def _plain(text: str, where: str) -> list[Source]:
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split("#", 1)[0].split() if not line.lstrip().startswith("#") else []
        if not words:
            continue
        options = {w.split("=", 1)[0]: w.split("=", 1)[1] for w in words[1:] if "=" in w and
                   w.split("=", 1)[0] in ("every", "interval", "kind")}
        name = " ".join(w for w in words[1:] if w.split("=", 1)[0] not in options) or None
        out.append(_source(words[0], f"{where}:{number}", name,
                           options.get("every", options.get("interval")), options.get("kind")))
    return out


def _toml(text: str, where: str) -> list[Source]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc}); fix it") from exc
    entries = doc.get("source") or doc.get("sources") or []
    if not isinstance(entries, list):
        raise ConfigError(f"{where}: write each source as a [[source]] table")
    out = []
    for number, entry in enumerate(entries, 1):
        at = f"{where}: source #{number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise ConfigError(f"{at}: give it a url = \"https://...\"")
        out.append(_source(entry["url"], at, entry.get("name") or entry.get("outlet"),
                           entry.get("interval"), entry.get("kind")))
    return out


def _opml(text: str, where: str) -> list[Source]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise ConfigError(f"{where}: OPML that does not parse ({exc}); fix it") from exc
    out = []
    for node in root.iter("outline"):
        url = node.get("xmlUrl") or node.get("xmlurl")
        if url:
            name = node.get("title") or node.get("text")
            out.append(_source(url, f"{where}:{node.sourceline}", name, node.get("interval"),
                               "sitemap" if node.get("type") == "sitemap" else None))
    return out

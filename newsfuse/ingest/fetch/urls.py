"""One spelling per URL, so a page linked with tracking parameters, a fragment, an upper-case host
or a default port is recognised as one already fetched; and the page's own canonical link.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from newsfuse import defaults

_DEFAULT_PORTS = {"http": 80, "https": 443}
_CANONICAL = re.compile(rb"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(rb"""([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# The canonical link sits in <head>; searching only the start keeps a huge page cheap.
_HEAD_BYTES = 256 * 1024


def normalize_url(url: str, base: str | None = None) -> str:
    """``url`` (resolved against ``base``) with scheme and host lower-cased, default port, fragment
    and tracking parameters dropped, the remaining query sorted and percent-escapes made uniform.

    >>> normalize_url("HTTPS://Example.COM:443/a/b?utm_source=x&id=2&b=1#top")
    'https://example.com/a/b?b=1&id=2'
    """
    if base:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port if parts.port and parts.port != _DEFAULT_PORTS.get(scheme) else None
    netloc = f"{host}:{port}" if port else host
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~%") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def _tracking(name: str) -> bool:
    name = name.lower()
    for pattern in defaults.TRACKING_PARAMS:
        if (pattern.endswith("*") and name.startswith(pattern[:-1])) or name == pattern:
            return True
    return False


def canonical_link(page: bytes, base: str) -> str | None:
    """The normalised ``<link rel="canonical" href=...>`` of an HTML page, or None.

    A canonical link pointing to another host is ignored: a page may not claim another site's URL
    (a hijacked or mis-templated tag would make us skip a real article as already fetched).
    """
    for tag in _CANONICAL.finditer(page[:_HEAD_BYTES]):
        attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or b""
                 for m in _ATTR.finditer(tag.group(0))}
        if b"canonical" not in attrs.get(b"rel", b"").lower().split():
            continue
        href = attrs.get(b"href", b"").decode("utf-8", "replace").strip()
        if not href:
            return None
        found = normalize_url(href, base)
        if urlsplit(found).scheme in ("http", "https") and host_of(found) == host_of(base):
            return found
        return None
    return None


# URLs whose host is remembered (least recently asked dropped first): the watch asks for every
# source's host at each of its polls, hundreds a second, and parsing the URL again cost more CPU
# than the rest of the loop's turn
_HOSTS_KEPT = 4096


@functools.lru_cache(maxsize=_HOSTS_KEPT)
def host_of(url: str) -> str:
    """The host (and non-default port) a URL's requests go to: the unit of politeness."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme.lower()) else None
    return f"{host}:{port}" if port else host


@functools.lru_cache(maxsize=_HOSTS_KEPT)
def is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)

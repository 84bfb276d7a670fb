"""The exceptions newsfuse raises. Every message says what went wrong *and* what to do.

::

    NewsfuseError                  base: catch this to catch everything of ours
    ├── InputError                 one input cannot be read; the batch goes on without it
    │   ├── EmptyInputError        nothing but whitespace
    │   ├── BinaryInputError       not text (NUL bytes, an image, an archive we do not read)
    │   ├── EncodingInputError     bytes that decode as no known text encoding
    │   ├── MalformedInputError    a JSONL line, CSV row, feed or WARC record that does not parse
    │   ├── TooLargeInputError     larger than ``defaults.MAX_INPUT_BYTES``
    │   └── FetchError             an http(s) fetch failed (``transient``: worth retrying later)
    │       └── RobotsDeniedError  robots.txt forbids the URL; it is never requested
    ├── StoreError                 the database refused or is not what we expect
    │   ├── MigrationError         a migration failed; nothing of it was applied
    │   └── StoreBusyError         another writer held the database too long; try again
    ├── NotFoundError              an ID or name that is not in the store
    ├── ConfigError                a bad option, flag or URL
    └── AnalysisError              the language model is missing or failed

Input errors carry ``where`` (file, and line or item) so the CLI prints one line per bad input:
``path/to/file.jsonl:12: malformed JSON (Expecting ',' ...): fix or remove that line``.
"""

from __future__ import annotations

import re


class NewsfuseError(Exception):
    """Base class of every error newsfuse raises on purpose."""


class InputError(NewsfuseError):
    """An input that cannot become an article. ``where`` names the file and line or item."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class EncodingInputError(InputError):
    pass


class MalformedInputError(InputError):
    pass


class TooLargeInputError(InputError):
    pass


class FetchError(InputError):
    """A URL could not be fetched. ``transient`` says retrying later may work (timeouts, 429, 5xx);
    ``retry_after`` is the server's Retry-After in seconds when it sent one; ``status`` the HTTP code."""

    def __init__(
        self, where: str, reason: str, *, transient: bool, status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(where, reason)
        self.transient = transient
        self.status = status
        self.retry_after = retry_after


class RobotsDeniedError(FetchError):
    def __init__(self, where: str) -> None:
        super().__init__(where, "robots.txt of the site disallows this URL for newsfuse; not fetched",
                         transient=False)


class StoreError(NewsfuseError):
    pass


class MigrationError(StoreError):
    pass


class StoreBusyError(StoreError):
    """The database stayed locked by another writer past the busy timeout (HTTP 503)."""


class NotFoundError(NewsfuseError):
    pass


class ConfigError(NewsfuseError):
    pass


class AnalysisError(NewsfuseError):
    pass


# Characters that would break a one-line message or act on a terminal: C0/C1 controls (newline,
# escape), line and paragraph separators, bidirectional overrides, and lone surrogates (the bytes of
# a file name that is not valid UTF-8, as Python decodes it).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` safe to print on one line and to store: each control character escaped (``\\n``,
    ``\\x1b``), a file name's undecodable byte shown as ``\\xff``."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # os.fsdecode's stand-in for one byte of a non-UTF-8 name
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char.encode("unicode_escape", "backslashreplace").decode("ascii")


def one_line(text: str) -> str:
    """A message (possibly several lines from a library) as one printable line."""
    return printable(" ".join(text.split()))

"""The exceptions newsfuse raises. Every message says what went wrong *and* what to do.

::

    NewsfuseError                  base: catch this to catch everything of ours
    ├── InputError                 one input cannot be read; the batch goes on without it
    │   ├── EmptyInputError        nothing but whitespace
    │   ├── BinaryInputError       not text (NUL bytes, an image, an archive we do not read)
    │   ├── EncodingInputError     bytes that decode as no known text encoding
    │   ├── MalformedInputError    a JSONL line, CSV row, feed or WARC record that does not parse
    │   └── TooLargeInputError     larger than ``defaults.MAX_INPUT_BYTES``
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

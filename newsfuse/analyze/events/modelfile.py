"""Reading a shipped event model file (the type model, the trigger model).

A model file that is absent means "not shipped": the caller falls back to its rule. A file that is
present but unreadable is an error that names the file and the script that writes it, because a
silent fallback would change every event without a word.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from newsfuse.errors import AnalysisError

M = TypeVar("M")


def read_packaged(path: Path, parse: Callable[[dict[str, object]], M], what: str) -> M | None:
    """The model parsed from ``path``, or None when the file is absent."""
    if not path.exists():
        return None
    try:
        return parse(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise AnalysisError(f"{path}: unreadable {what} ({exc}); rerun bench/train_events.py") from exc

"""Story reports (STUB: being written)."""

from __future__ import annotations

import json
from typing import Any

from newsfuse.models import to_dict
from newsfuse.store import Store, queries


def story_data(store: Store, story_id: str) -> dict[str, Any]:
    story = queries.get_story(store, story_id)
    return {"story": to_dict(story)}


def render_story(store: Store, story_id: str, fmt: str = "md") -> str:
    return json.dumps(story_data(store, story_id), indent=2)

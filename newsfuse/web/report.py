"""The story report in every format the CLI writes: Markdown and JSON from
:mod:`newsfuse.fuse.report`, HTML as the web story page itself in one file (one rendering, escaped
by Jinja), so a report on disk and the served page never disagree.
"""

from __future__ import annotations

from newsfuse.errors import ConfigError
from newsfuse.fuse import report
from newsfuse.store import Store
from newsfuse.web.pages import standalone_story_page

FORMATS = (*report.FORMATS, "html")


def render_story(store: Store, story_id: str, fmt: str = "md") -> str:
    """The story report as 'md', 'json' or 'html'."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "html":
        return standalone_story_page(report.story_data(store, story_id))
    return report.render_story(store, story_id, fmt)

"""Request bodies of the API, validated by pydantic (and described in the OpenAPI document)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from newsfuse import defaults

_SHORT = 1000  # longest title/outlet/author/url accepted; real ones are far shorter


class ArticleIn(BaseModel):
    """One article to ingest. Only ``text`` is required; unknown fields are refused (typos).

    What the schema allows is accepted: a record whose text turns out to be no article once cleaned
    (blank, control characters) is listed under ``rejected`` in the answer, as a bad line of a file
    is, and NUL characters are dropped from every field (PostgreSQL cannot store them)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=defaults.MIN_ARTICLE_CHARS, max_length=defaults.MAX_ARTICLE_CHARS)
    title: str | None = Field(None, max_length=_SHORT)
    outlet: str | None = Field(None, max_length=_SHORT)
    url: str | None = Field(None, max_length=_SHORT)
    author: str | None = Field(None, max_length=_SHORT)
    published: str | None = Field(
        None, pattern=r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$",
        description="ISO date 'YYYY-MM-DD' or datetime",
    )


ArticleBatch = Annotated[list[ArticleIn], Field(min_length=1, max_length=defaults.MAX_POST_ARTICLES)]

"""HTTP API (FastAPI) and the web pages it serves: ``create_app(db_url, token=None)``."""

from newsfuse.api.app import create_app

__all__ = ["create_app"]

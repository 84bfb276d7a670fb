"""Server-rendered web pages (Jinja2, autoescaped) served by the API app under ``/``."""

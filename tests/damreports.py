"""The sample corpus's three dam reports (a wire, a copy of it, a breaking report), analysed: a small
real story the entity-growth tests add one article at a time."""
from __future__ import annotations

from pathlib import Path

from newsfuse.analyze import nlp
from newsfuse.analyze.pipeline import analyze_article
from newsfuse.models import Analysis, Article

SAMPLE = Path(__file__).resolve().parent.parent / "newsfuse" / "data" / "sample"
DAM = ("dunmere_courier_dam_copy.txt", "kessel_valley_post_dam_breaking.txt", "marnews_orlen_dam_wire.txt")


def analysed_dam(prefix: str) -> list[Analysis]:
    """The three reports analysed under article ids starting with ``prefix`` (unique per test module:
    the per-process vector caches are keyed by article id)."""
    out = []
    for name in DAM:
        text = (SAMPLE / name).read_text(encoding="utf-8").split("\n", 2)[2].strip()
        article = Article(id=f"{prefix}-{name[:12]}", text=text, outlet="Outlet", published="2025-09-14",
                          published_source="header")
        out.append(analyze_article(article, nlp.parse(text)))
    return out

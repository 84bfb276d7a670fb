"""The ingest stage: read every input, store each new article with its copy link, report the rest.

Per article, one transaction stores the raw input, the article, its MinHash signature, its copy link
and any re-pointed links (when the new article turns out to be the original an earlier one copied).
A crash half-way therefore loses at most the article being stored, never half of one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfuse import progress
from newsfuse.errors import ConfigError, StoreBusyError, StoreError, printable
from newsfuse.ingest.articles import article_from_html, article_from_record, article_from_text
from newsfuse.ingest.dates import normalize_published
from newsfuse.ingest.dedup import CopyIndex, Sketch, band_keys, link, sketch
from newsfuse.ingest.readers import Fallbacks, Item
from newsfuse.ingest.sources import folder_files, is_url, read_file, read_path, read_url
from newsfuse.models import Article, CopyLink, RawInput, Rejection
from newsfuse.store import Store, queries

if TYPE_CHECKING:
    from newsfuse.context import RunContext

__all__ = [
    "article_from_html",
    "article_from_record",
    "article_from_text",
    "copy_index",
    "ingest_items",
    "ingest_stage",
    "read_path",
]

Unit = tuple[str, Callable[[], Iterator[Item]]]  # (label for the progress bar, items of one input)

def ingest_stage(store: Store, ctx: RunContext) -> None:
    """Read ``ctx.paths`` into the store, filling ``ctx.read/stored/already/copies/rejected``."""
    fb = Fallbacks(ctx.outlet, flag_date(ctx.published))
    units = list(_units(ctx, fb))
    index = copy_index(store)
    with _progress(ctx.progress, len(units)) as advance:
        for label, items in units:
            ingest_items(store, items(), ctx, index)
            advance(Path(label).name)


def ingest_items(
    store: Store, items: Iterable[Item], ctx: RunContext, index: CopyIndex | None = None
) -> None:
    """Store already-read items (e.g. from :func:`read_path` or an API POST), counting into ``ctx``."""
    index = index if index is not None else copy_index(store)
    for item in items:
        ctx.read += 1
        if isinstance(item, Rejection):
            ctx.reject(item)
            continue
        try:
            store_article(store, index, item[1], item[0], ctx)
        except StoreBusyError:
            raise  # the next article would wait as long: the run stops, what it stored is kept
        except StoreError as exc:
            if store.in_transaction:  # a caller's transaction (a POST) is all or nothing: its call
                raise
            ctx.reject(Rejection(item[1].source or "input", f"the database refused it ({exc}); "
                                                             "the other articles are stored"))


def store_article(
    store: Store, index: CopyIndex, article: Article, raw: RawInput | None, ctx: RunContext
) -> None:
    """Store one article (if new) with its copy link, re-pointing the links of copies it originated."""
    if store.has_article(article.id):
        ctx.already += 1
        return
    sk = sketch(article.text)
    copy, relinks, became_copies = _copy_links(store, index, article, sk)
    with store.transaction():
        stored = store.add_article(article, raw=raw, copy=copy, signature=sk.to_bytes(), bands=band_keys(sk))
        for old in relinks:
            store.set_copy(old)
    if not stored:  # another writer stored it between our check and our transaction
        ctx.already += 1
        return
    ctx.stored.append(article.id)
    ctx.copies += became_copies


def copy_index(store: Store) -> CopyIndex:
    """The copy-detection index of ``store``: its LSH buckets are in the store and read per article,
    so it holds nothing and is always current (also after a rolled-back transaction, or articles
    another writer stored). Opening it fills the buckets of signatures stored without them."""
    return CopyIndex.load(store)


def flag_date(value: str | None) -> str | None:
    """The ``--published`` fallback as an ISO date; a value that is no date is a usage error."""
    if value is None or value == "":
        return None
    day, _ = normalize_published(value)
    if day is None:
        raise ConfigError(f"--published {value!r} is not a date; use YYYY-MM-DD")
    return day


# -- copies ------------------------------------------------------------------------------------


def _copy_links(
    store: Store, index: CopyIndex, article: Article, sk: Sketch
) -> tuple[CopyLink | None, list[CopyLink], int]:
    """(link of the new article, links to re-point, how many articles became copies now)."""
    matched = index.matches(sk)
    if not matched:
        return None, [], 0
    roots = sorted(set(index.roots(list(matched)).values()))
    known = queries.list_articles(store, roots)  # in arrival order
    rank = {a.id: _precedence(a, i) for i, a in enumerate(known)}
    rank[article.id] = _precedence(article, len(known))
    original = min(rank, key=rank.__getitem__)
    # Every other group (an original and its copies) is re-pointed at the one original.
    moved = [member for root in rank if root not in (article.id, original) for member in index.group(root)]
    unread = [m for m in [*moved, original] if m not in matched and m != article.id]
    sketches = matched | index.sketches(unread) | {article.id: sk}
    relinks = [_link(member, original, sketches) for member in moved]
    own = _link(article.id, original, sketches) if original != article.id else None
    became = (own is not None) + sum(1 for root in rank if root not in (article.id, original))
    return own, relinks, became


def _precedence(article: Article, arrival: int) -> tuple[bool, str, int]:
    """Which of a group is the original: a wire (it carries a wire ID), then the earliest date, then
    the first to arrive. Copies often keep the wire's date, so the date alone cannot decide."""
    return article.wire_id is None, article.published or "9999", arrival


def _link(copy_id: str, original_id: str, sketches: dict[str, Sketch]) -> CopyLink:
    a, b = sketches.get(copy_id), sketches.get(original_id)
    if a is None or b is None:  # linked by another writer that stored no signature
        return CopyLink(copy_id, original_id, 0.0, "minhash")
    return link(copy_id, original_id, a, b)


# -- inputs and progress -----------------------------------------------------------------------


def _units(ctx: RunContext, fb: Fallbacks) -> Iterator[Unit]:
    for entry in ctx.paths:
        name = printable(str(entry))
        path = Path(entry)
        if is_url(str(entry)):
            yield name, partial(read_url, str(entry), fb)
        elif path.is_dir():
            files, skipped, unreadable = folder_files(path)
            if skipped:
                ctx.notes.append(
                    f"{name}: skipped {len(skipped)} file(s) of no news format "
                    f"(e.g. {printable(skipped[0].name)})"
                )
            if unreadable:
                yield name, partial(iter, unreadable)
            for file in files:
                yield printable(str(file)), partial(read_file, file, fb)
        else:
            yield name, partial(read_path, entry, fb.outlet, fb.published)


def _progress(show: bool, total: int) -> Any:
    """Progress over the inputs (one step per file or URL), labelled with the file's name."""
    return progress.steps(show, "reading inputs", total)

"""The ``newsfuse`` command: a thin layer over the library.

Exit codes: 0 success; 1 some input was rejected (the rest was stored); 2 bad usage or
configuration; 3 not found; 4 store error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newsfuse import defaults
from newsfuse.errors import ConfigError, NewsfuseError, NotFoundError, StoreError
from newsfuse.pipeline import DEFAULT_PIPELINE, RunContext, run
from newsfuse.store import Store, queries

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_STORE = 0, 1, 2, 3, 4

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return register


def _store(args: argparse.Namespace) -> Store:
    return Store(args.db)


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# -- commands ----------------------------------------------------------------------------------


@command("ingest")
def cmd_ingest(args: argparse.Namespace) -> int:
    stages = ["ingest"] if args.no_analyze else list(DEFAULT_PIPELINE)
    ctx = RunContext(
        paths=args.paths, outlet=args.outlet, published=args.published,
        progress=not args.quiet and sys.stderr.isatty(), workers=args.workers,
    )
    with _store(args) as store:
        run(store, ctx, stages)
    for r in ctx.rejected:
        print(f"rejected {r.where}: {r.reason}", file=sys.stderr)
    if args.json:
        _print_json(ctx.summary())
    else:
        s = ctx.summary()
        print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in s.items()))
    return EXIT_REJECTED if ctx.rejected else EXIT_OK


@command("stories")
def cmd_stories(args: argparse.Namespace) -> int:
    with _store(args) as store:
        stories = queries.list_stories(store, limit=args.limit, offset=args.offset)
        rows = [
            {"id": s.id, "title": s.title, "articles": len(s.article_ids),
             "first_seen": s.first_seen, "last_update": s.last_update}
            for s in stories
        ]
    if args.json:
        _print_json(rows)
    else:
        for r in rows:
            print(f"{r['id']}  {r['articles']:>3} articles  {r['last_update'] or '':10}  {r['title']}")
    return EXIT_OK


@command("story")
def cmd_story(args: argparse.Namespace) -> int:
    from newsfuse.fuse.report import render_story

    with _store(args) as store:
        print(render_story(store, args.id, args.format))
    return EXIT_OK


@command("demo")
def cmd_demo(args: argparse.Namespace) -> int:
    sample = Path(__file__).parent / "data" / "sample"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    ctx = RunContext(paths=[sample], progress=sys.stderr.isatty())
    with _store(args) as store:
        run(store, ctx)
        from newsfuse.fuse.report import render_story

        print(f"sample corpus: {sample}")
        print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in ctx.summary().items()))
        for story in queries.list_stories(store, limit=defaults.MAX_PAGE_SIZE):
            path = out / f"story-{story.id}.html"
            path.write_text(render_story(store, story.id, "html"), encoding="utf-8")
            (out / f"story-{story.id}.json").write_text(render_story(store, story.id, "json"), "utf-8")
            print(f"story {story.id}: {len(story.article_ids)} articles, {story.title!r} -> {path}")
    print(f"database: {args.db}  (try: newsfuse stories --db {args.db})")
    return EXIT_OK


@command("db")
def cmd_db(args: argparse.Namespace) -> int:
    store = Store(args.db, migrate=False)
    with store:
        applied = store.migrate()
        version = store.schema_version()
    if args.json:
        _print_json({"applied": applied, "version": version})
    else:
        print(f"schema version {version}; applied {applied or 'nothing'}")
    return EXIT_OK


# -- parser ------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsfuse",
        description="Fuse many news reports of one story into one cross-checked picture.",
        epilog="example: newsfuse ingest news/ --db news.db && newsfuse stories --db news.db",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=defaults.DEFAULT_DB,
                        help="SQLite file or postgresql:// URL (default: %(default)s)")
    common.add_argument("--json", action="store_true", help="print JSON for scripts")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_: str, example: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help_, description=help_,
                              epilog=f"example:\n  {example}",
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    sp = add("ingest", "read articles from files, folders, feeds; analyse and fuse them",
             "newsfuse ingest newsfuse/data/sample --db news.db")
    sp.add_argument("paths", nargs="+", help="files, folders (recursive) or feed URLs")
    sp.add_argument("--outlet", help="outlet name for inputs that do not say")
    sp.add_argument("--published", help="publication date (YYYY-MM-DD) for inputs that do not say")
    sp.add_argument("--no-analyze", action="store_true", help="only store the articles")
    sp.add_argument("--workers", type=int, default=1, help="analysis processes (default 1)")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    sp = add("stories", "list stories, most recently updated first", "newsfuse stories --db news.db --json")
    sp.add_argument("--limit", type=int, default=defaults.PAGE_SIZE)
    sp.add_argument("--offset", type=int, default=0)

    sp = add("story", "report one story: claims, quotes, entities, timeline",
             "newsfuse story s_0123456789abcdef --db news.db --format md")
    sp.add_argument("id", help="story ID (an ID merged into another story still works)")
    sp.add_argument("--format", choices=["md", "json", "html"], default="md")

    sp = add("demo", "run the whole job on the bundled sample corpus", "newsfuse demo --db out/demo.db")
    sp.add_argument("--out", default="out", help="folder for the story reports (default: %(default)s)")

    sp = add("db", "database maintenance", "newsfuse db migrate --db news.db")
    sp.add_argument("action", choices=["migrate"])
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except NotFoundError as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except ConfigError as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return EXIT_STORE
    except NewsfuseError as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

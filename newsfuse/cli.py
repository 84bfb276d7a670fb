"""The ``newsfuse`` command: a thin layer over the library.

Exit codes: 0 success; 1 some input was rejected (the rest was stored); 2 bad usage or
configuration; 3 not found; 4 store error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newsfuse import defaults
from newsfuse.errors import ConfigError, NewsfuseError, NotFoundError, StoreError, one_line, printable
from newsfuse.models import Rejection
from newsfuse.pipeline import DEFAULT_PIPELINE, RunContext, run
from newsfuse.store import Store, queries

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_STORE = 0, 1, 2, 3, 4
EXIT_PIPE = 141  # what a shell reports for a writer whose reader left (128 + SIGPIPE)

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return register


def _store(args: argparse.Namespace) -> Store:
    return Store(args.db)


def _existing_store(args: argparse.Namespace) -> Store:
    """The store for a read command: a SQLite path that does not exist is a typo, not a new database."""
    url = str(args.db)
    path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
    if "://" not in path and path != ":memory:" and not Path(path).exists():
        raise ConfigError(f"no database at {path}; ingest articles first (newsfuse ingest ... --db {path})")
    return Store(url)


def _print_rejection(r: Rejection) -> None:
    """One line per bad input, printed as it happens, nothing in it able to act on the terminal."""
    print(f"rejected {printable(r.where)}: {one_line(r.reason)}", file=sys.stderr, flush=True)


def _count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 article', '3 articles', '1 story', '2 stories'."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _say(message: str) -> None:
    """A line for the person at the terminal (on stderr, so piped output stays data)."""
    print(message, file=sys.stderr)


def _outlet(store: Store, name: str | None) -> str | None:
    """The outlet a person meant by --outlet: the exact name in any case, or the one outlet whose name
    contains what they typed; several or none is an error that lists what there is."""
    if not name:
        return None
    found = queries.match_outlets(store, name)
    if not found:
        raise NotFoundError(f"no outlet named like {name!r}; list them with 'newsfuse outlets'")
    if len(found) > 1:
        raise ConfigError(f"--outlet {name!r} matches {len(found)} outlets ({', '.join(found[:5])}"
                          f"{', ...' if len(found) > 5 else ''}); give more of the name")
    if found[0] != name:
        _say(f"outlet: {found[0]}")
    return found[0]


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# -- commands ----------------------------------------------------------------------------------


@command("ingest")
def cmd_ingest(args: argparse.Namespace) -> int:
    stages = ["ingest"] if args.no_analyze else list(DEFAULT_PIPELINE)
    executor, address = _executor(args)
    ctx = RunContext(
        paths=args.paths, outlet=args.outlet, published=args.published,
        progress=not args.quiet, workers=args.workers, executor=executor,
        dask=address,
    )
    ctx.on_rejection = _print_rejection
    with _store(args) as store:
        run(store, ctx, stages)
    for note in ctx.notes:
        print(f"note: {one_line(note)}", file=sys.stderr)
    if args.json:
        _print_json(ctx.summary())
    else:
        s = ctx.summary()
        print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in s.items()))
    return EXIT_REJECTED if ctx.rejected else EXIT_OK


def _executor(args: argparse.Namespace) -> tuple[str, str | None]:
    """(executor, scheduler address): ``--dask`` (or $NEWSFUSE_DASK) means the dask executor on that
    cluster, which needs a PostgreSQL store; checked before anything is read."""
    from newsfuse.analyze.pipeline import cluster_store_message

    address = (args.dask or "").strip() or None
    if address is None or args.no_analyze:  # nothing to analyse: no cluster needed
        return args.executor or "pool", None
    if args.executor == "pool":
        raise ConfigError(f"--executor pool analyses on this machine, --dask {address} on a cluster: "
                          "drop one of them (or unset NEWSFUSE_DASK)")
    if not str(args.db).startswith(("postgresql://", "postgres://")):
        raise ConfigError(cluster_store_message(str(args.db)))
    return "dask", address


@command("stories")
def cmd_stories(args: argparse.Namespace) -> int:
    from newsfuse.serving.views import story_rows

    with _existing_store(args) as store:
        outlet = _outlet(store, args.outlet)
        filters = {"text": args.text, "since": args.since, "until": args.until, "outlet": outlet}
        stories = queries.find_stories(store, **filters, limit=_limit(args.limit), offset=args.offset)
        total = queries.count_stories(store, **filters)
        rows = story_rows(store, stories)
    if args.json:
        _print_json(rows)
    elif not rows:
        filtered = any(filters.values()) or args.offset
        _say("no stories match these filters" if filtered else
             f"no stories yet; ingest articles first (newsfuse ingest PATH --db {args.db})")
    else:
        print(f"{'STORY':18}  {'ARTICLES':>8}  {'INDEPENDENT':>11}  {'UPDATED':10}  TITLE")
        for r in rows:
            print(f"{r['id']:18}  {r['articles']:>8}  {r['independent_outlets']:>11}  "
                  f"{r['last_update'] or '':10}  {r['title']}")
        shown = f"{args.offset + 1}-{args.offset + len(rows)} of " if len(rows) < total else ""
        _say(f"{shown}{_count(total, 'story', 'stories')}")
    return EXIT_OK


@command("outlets")
def cmd_outlets(args: argparse.Namespace) -> int:
    with _existing_store(args) as store:
        rows = queries.list_outlets(store)
    if args.json:
        _print_json(rows)
    elif not rows:
        _say("no outlets yet: no stored article names its outlet (give one with 'ingest --outlet NAME')")
    else:
        width = max(len(r["outlet"]) for r in rows)
        print(f"{'OUTLET':{width}}  {'ARTICLES':>8}  {'STORIES':>7}  {'FIRST':10}  LAST")
        for r in rows:
            print(f"{r['outlet']:{width}}  {r['articles']:>8}  {r['stories']:>7}  "
                  f"{r['first_published'] or '':10}  {r['last_published'] or ''}")
    return EXIT_OK


@command("story")
def cmd_story(args: argparse.Namespace) -> int:
    from newsfuse.web.report import render_story

    with _existing_store(args) as store:
        print(render_story(store, args.id, "json" if args.json else args.format))
    return EXIT_OK


@command("entity")
def cmd_entity(args: argparse.Namespace) -> int:
    from newsfuse.serving.views import entity_view

    with _existing_store(args) as store:
        found = queries.search_entities(store, args.name, limit=_limit(args.limit))
        views = [entity_view(store, e.id) for e in found]
    if not views:
        raise NotFoundError(f"no entity named like {args.name!r}; try part of the name or 'newsfuse search'")
    if args.json:
        _print_json(views)
        return EXIT_OK
    for v in views:
        e = v["entity"]
        also = f" (also {', '.join(e['aliases'])})" if e["aliases"] else ""
        print(f"{e['id']}  {e['label'] or '':8} {e['name']}{also}: {_count(e['mention_count'], 'mention')}")
        for st in v["stories"]:
            print(f"    {st['id']}  {st['last_update'] or '':10}  {st['title']}")
    return EXIT_OK


@command("search")
def cmd_search(args: argparse.Namespace) -> int:
    from newsfuse.serving.views import search_hits

    with _existing_store(args) as store:
        hits = search_hits(store, args.text, _limit(args.limit), args.offset)
    if args.json:
        _print_json(hits)
    elif not hits:
        more = " past --offset" if args.offset else ""
        _say(f"no article contains all of these words{more}: {' '.join(queries.search_terms(args.text))}")
    else:
        for h in hits:
            snippet = " ".join(h["snippet"].split())
            print(f"{h['id']}  {h['published'] or '':10}  {h['outlet'] or '?'}: {h['title'] or '(untitled)'}")
            print(f"    story {h['story_id'] or '-'}  ... {snippet} ...")
    return EXIT_OK


@command("export")
def cmd_export(args: argparse.Namespace) -> int:
    from newsfuse.export import export

    with _existing_store(args) as store:
        if args.out == "-":
            n = export(store, args.what, args.format, sys.stdout, claim_status=args.claim_status)
        else:
            n = _export_file(store, args, export)
    summary = {"what": args.what, "format": args.format, "records": n, "out": args.out}
    if args.json:
        _print_json(summary)
    elif args.out != "-":
        _say(f"exported {_count(n, 'record')} ({args.what}) as {args.format} to {args.out}")
    return EXIT_OK


def _export_file(store: Store, args: argparse.Namespace, export: Callable[..., int]) -> int:
    """Write the export beside its target and move it into place when complete: a failed export
    leaves no empty or half-written file (and an earlier file of that name stays as it was)."""
    target = Path(args.out)
    part = target.with_name(f".{target.name}.part")
    try:
        with open(part, "w", encoding="utf-8", newline="") as fh:
            n = export(store, args.what, args.format, fh, claim_status=args.claim_status)
        part.replace(target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise ConfigError(f"cannot write {args.out}: {exc.strerror}; pick another --out") from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return n


@command("serve")
def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from newsfuse.api import create_app

    _existing_store(args).close()  # a mistyped --db is an error, not a new empty database
    sock = _listen(args.host, args.port)
    app = create_app(args.db, token=args.token, warm=True)  # a writable server loads its models first
    host, port = sock.getsockname()[:2]
    writes = "writes enabled (bearer token)" if app.state.token else "read-only (no token)"
    _say(f"newsfuse serving {args.db} on http://{_url_host(host)}:{port}/  [{writes}]  (Ctrl-C stops)")
    config = uvicorn.Config(app, log_level=args.log_level, access_log=args.access_log)
    uvicorn.Server(config).run(sockets=[sock])
    return EXIT_OK


@command("watch")
def cmd_watch(args: argparse.Namespace) -> int:
    import signal

    from newsfuse.ingest.fetch import Fetcher
    from newsfuse.ingest.fetch.sourcesfile import read_sources
    from newsfuse.watch import Watcher, WatchOptions
    from newsfuse.watch.alerts import alert_listener
    from newsfuse.watch.status import JsonLog, StatusLine

    sources = read_sources(args.sources)
    if args.interval is not None and args.interval < defaults.WATCH_MIN_POLL_SECONDS:
        raise ConfigError(f"--interval {args.interval:g}: poll at most every "
                          f"{defaults.WATCH_MIN_POLL_SECONDS:g} s (defaults.WATCH_MIN_POLL_SECONDS)")
    options = WatchOptions(interval=args.interval, workers=args.workers, once=args.once,
                           stop_after=args.stop_after, analyze=not args.no_analyze,
                           analysis_workers=args.analysis_workers,
                           fusion_process=args.fusion_process or (defaults.WATCH_FUSION_PROCESS
                                                                   and not args.fuse_here))
    line = None if args.quiet else StatusLine()
    listeners: list[Callable[[dict[str, Any]], None]] = [line] if line else []
    log_file = None
    if args.log:
        log_file = sys.stderr if args.log == "-" else open(args.log, "a", encoding="utf-8")  # noqa: SIM115
        listeners.append(JsonLog(log_file))
    with _store(args) as store, Fetcher(host_delay=args.host_delay) as fetcher:
        alerts = alert_listener(store, args.alert, args.alert_to) if args.alert else None
        if alerts is not None:
            listeners.append(alerts)
        watcher = Watcher(store, sources, fetcher, options, listeners,
                          on_status=line.show if line else None)

        def stop(*_: object) -> None:
            if watcher.stopping:  # asked twice: leave now (each article is stored whole or not at all)
                raise KeyboardInterrupt
            watcher.stop()

        before = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            status = watcher.run()
        finally:
            for sig, handler in before.items():  # a caller (tests, a library user) gets its own back
                signal.signal(sig, handler)
            if alerts is not None:
                alerts.close()
            if line:
                line.close()
            if log_file not in (None, sys.stderr):
                log_file.close()  # type: ignore[union-attr]
    if args.json:
        _print_json(status.summary())
    return EXIT_OK


@command("sources")
def cmd_sources(args: argparse.Namespace) -> int:
    from newsfuse.serving.sources import source_rows

    with _existing_store(args) as store:
        rows = source_rows(store)
        restarts = queries.store_count(store, "watch_refresh_restarts")
    if args.json:
        _print_json(rows)
        return EXIT_OK
    if not rows:
        print("no watched sources; start one with: newsfuse watch SOURCES --db ...", file=sys.stderr)
    for r in rows:
        print(f"{r['state']:7} {r['name'] or '-':20.20} {r['url']}")
        print(f"        last poll {r['last_poll'] or 'never'}, last new article {r['last_new'] or 'never'}, "
              f"{r['articles']} articles, {r['errors']} errors ({r['failures_in_a_row']} in a row), "
              f"{r['queued']} queued, {r['given_up']} given up")
        if r["last_error"]:
            print(f"        last error: {r['last_error']}")
    if restarts:  # the watch's claim refresh process, recycled past its memory bound (all runs)
        print(f"claim refresh process restarted {restarts} time{'s' if restarts != 1 else ''} "
              f"(past {defaults.WATCH_REFRESH_RSS_LIMIT_MB} MB resident)")
    return EXIT_OK


def _listen(host: str, port: int) -> Any:
    """A socket bound to host:port before anything is announced: a port in use is a clear error, and
    --port 0 gets a free port whose number is then printed."""
    import socket

    if not 0 <= port <= 65535:
        raise ConfigError(f"--port {port}: give 0 (any free port) to 65535")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise ConfigError(f"port {port} on {host} is in use; pick another with --port "
                              "(or --port 0 for any free one)") from exc
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}; check --host") from exc
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _limit(limit: int) -> int:
    if limit < 1:
        raise ConfigError(f"--limit {limit}: give a positive number (at most {defaults.MAX_PAGE_SIZE})")
    return min(limit, defaults.MAX_PAGE_SIZE)


@command("demo")
def cmd_demo(args: argparse.Namespace) -> int:
    sample = Path(__file__).parent / "data" / "sample"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    ctx = RunContext(paths=[sample], progress=True)
    with _store(args) as store:
        run(store, ctx)
        from newsfuse.web.report import render_story

        print(f"sample corpus: {sample}")
        print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in ctx.summary().items()))
        for story in queries.list_stories(store, limit=defaults.MAX_PAGE_SIZE):
            path = out / f"story-{story.id}.html"
            path.write_text(render_story(store, story.id, "html"), encoding="utf-8")
            (out / f"story-{story.id}.json").write_text(render_story(store, story.id, "json"), "utf-8")
            print(f"story {story.id}: {_count(len(story.article_ids), 'article')}, {story.title!r} -> {path}")
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
    p.add_argument("--version", action="version", version=f"newsfuse {_version()}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=os.environ.get("NEWSFUSE_DB", defaults.DEFAULT_DB),
                        help="SQLite file or postgresql:// URL (default: $NEWSFUSE_DB or %(default)s)")
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
    sp.add_argument("--published", type=_iso_date,
                    help="publication date (YYYY-MM-DD) for inputs that do not say")
    sp.add_argument("--no-analyze", action="store_true", help="only store the articles")
    sp.add_argument("--workers", type=int, default=1, help="analysis processes (default 1)")
    sp.add_argument("--executor", choices=["pool", "dask"], default=None,
                    help="how several workers run here: a local process pool (default), or a dask "
                         "LocalCluster of --workers processes")
    sp.add_argument("--dask", metavar="ADDRESS", default=os.environ.get("NEWSFUSE_DASK"),
                    help="analyse on the dask cluster whose scheduler is at ADDRESS (tcp://host:8786; "
                         "default: $NEWSFUSE_DASK); needs a postgresql:// --db; --workers is then the "
                         "cluster's own")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    sp = add("stories", "list stories, most recently updated first",
             "newsfuse stories --db out/demo.db --json")
    sp.add_argument("--text", help="only stories with an article containing these words")
    sp.add_argument("--outlet", help="only stories carried by this outlet (any case, or a unique part "
                                     "of its name; see 'newsfuse outlets')")
    sp.add_argument("--since", type=_iso_date, help="only stories updated on or after YYYY-MM-DD")
    sp.add_argument("--until", type=_iso_date, help="only stories begun on or before YYYY-MM-DD")
    _paging(sp)

    sp = add("story", "report one story: claims, quotes, entities, timeline",
             "newsfuse story s_6786dc2f26756702 --db out/demo.db --format md")
    sp.add_argument("id", help="story ID (an ID merged into another story still works)")
    sp.add_argument("--format", choices=["md", "json", "html"], default="md")

    sp = add("entity", "find an actor by name or alias and list the stories it appears in",
             "newsfuse entity Kostan --db out/demo.db")
    sp.add_argument("name", help="name, part of a name, or alias (any case)")
    sp.add_argument("--limit", type=int, default=defaults.PAGE_SIZE)

    sp = add("search", "full-text search over articles (all words must occur)",
             'newsfuse search "dam breach" --db out/demo.db')
    sp.add_argument("text", help="words to look for; punctuation and operators are ignored")
    _paging(sp)

    add("outlets", "list the outlets with their article and story counts",
        "newsfuse outlets --db out/demo.db")

    sp = add("export", "write stories, claims, quotes, events or entities to a file",
             "newsfuse export --what events --format gdelt --out events.tsv --db out/demo.db")
    sp.add_argument("--what", choices=["stories", "claims", "quotes", "events", "entities", "mentions"],
                    required=True, help="mentions: the GDELT Mentions table (with --format gdelt)")
    sp.add_argument("--format", choices=["jsonl", "csv", "gdelt"], default="jsonl",
                    help="gdelt: GDELT 2.0 Event table (61 columns, --what events) or Mentions table "
                         "(--what mentions), tab-separated, no header")
    sp.add_argument("--claim-status", action="store_true",
                    help="gdelt events: add newsfuse's claim status as a 62nd column")
    sp.add_argument("--out", default="-", help="output file, '-' for stdout (default)")

    sp = add("serve", "serve the HTTP API and web pages",
             "newsfuse serve --db out/demo.db --host 127.0.0.1 --port 8000")
    sp.add_argument("--host", default=defaults.SERVE_HOST, help="address to listen on (default: %(default)s)")
    sp.add_argument("--port", type=int, default=defaults.SERVE_PORT,
                    help="port (default: %(default)s; 0: any free port, printed at start)")
    sp.add_argument("--token", default=None,
                    help="bearer token enabling POST /api/articles (default: $NEWSFUSE_TOKEN, which "
                         "stays out of the process list; neither: read-only)")
    sp.add_argument("--log-level", default="warning",
                    choices=["critical", "error", "warning", "info", "debug"])
    sp.add_argument("--access-log", action="store_true", help="log every request")

    sp = add("watch", "poll live feeds and sitemaps until stopped; fetch, analyse and fuse each new article",
             "newsfuse watch sources.txt --db news.db")
    sp.add_argument("sources", help="sources file: OPML, TOML ([[source]] url/name/interval/kind) or one URL "
                                    "a line ('URL every=300 Outlet Name')")
    sp.add_argument("--interval", type=_positive_float, default=None,
                    help="poll every source this often (seconds, at least "
                         f"{defaults.WATCH_MIN_POLL_SECONDS:g}), whatever the file says")
    sp.add_argument("--workers", type=_positive_int, default=defaults.FETCH_WORKERS,
                    help="fetches at once over all hosts (default: %(default)s)")
    sp.add_argument("--host-delay", type=float, default=defaults.FETCH_HOST_DELAY_SECONDS,
                    help="seconds between requests to one host (default: %(default)s; robots.txt "
                         "Crawl-delay wins when longer)")
    sp.add_argument("--analysis-workers", type=_non_negative_int, default=defaults.WATCH_ANALYSIS_WORKERS,
                    help="analysis processes kept for the whole watch (default "
                         f"{defaults.WATCH_ANALYSIS_WORKERS}; 0: analyse in the watch process)")
    where = sp.add_mutually_exclusive_group()
    where.add_argument("--fuse-here", action="store_true",
                       help="refresh claims on a thread of the watch process (one process less)")
    where.add_argument("--fusion-process", action="store_true",
                       help="refresh claims on a kept process of its own, at a lower CPU priority "
                            "(loads the encoder there once; the default unless "
                            "defaults.WATCH_FUSION_PROCESS says otherwise)")
    sp.add_argument("--once", action="store_true",
                    help="poll each source that is due, fetch what is new, stop")
    sp.add_argument("--stop-after", type=_positive_float, default=None, help="stop after this many seconds")
    sp.add_argument("--no-analyze", action="store_true", help="only store the articles")
    sp.add_argument("--log", help="structured log (one JSON object a line) to this file, '-' for stderr")
    sp.add_argument("--alert", action="append", default=[],
                    help="alert rule: entity:NAME, conflict, or growth[:N] (repeatable)")
    sp.add_argument("--alert-to", help="where alerts go: an http(s) webhook URL or a file (JSON lines)")
    sp.add_argument("-q", "--quiet", action="store_true", help="no status line")

    add("sources", "watched sources: last poll, last new article, errors, articles",
        "newsfuse sources --db news.db")

    sp = add("demo", "run the whole job on the bundled sample corpus", "newsfuse demo --db out/demo.db")
    sp.add_argument("--out", default="out", help="folder for the story reports (default: %(default)s)")

    sp = add("db", "database maintenance", "newsfuse db migrate --db news.db")
    sp.add_argument("action", choices=["migrate"])
    return p


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsfuse")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


def _paging(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--limit", type=int, default=defaults.PAGE_SIZE,
                    help=f"rows per page (default %(default)s, at most {defaults.MAX_PAGE_SIZE})")
    sp.add_argument("--offset", type=_non_negative, default=0, help="rows to skip")


def _iso_date(value: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD") from None


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: give a whole number of 1 or more")
    return int(value)


def _non_negative_int(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r}: give a whole number of 0 or more")
    return int(value)


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"{value!r}: give a positive number of seconds")
    return number


def _non_negative(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r}: give 0 or a positive whole number")
    return int(value)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # inside the try: a reader that left ('| head') fails this write
        return code
    except BrokenPipeError:
        _drop_stdout()
        return EXIT_PIPE
    except NotFoundError as exc:
        print(f"newsfuse: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except ConfigError as exc:
        print(f"newsfuse: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"newsfuse: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_STORE
    except NewsfuseError as exc:
        print(f"newsfuse: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _drop_stdout() -> None:
    """The reader of our output is gone ('newsfuse story ID | head'): point stdout at the null
    device so the interpreter's last flush cannot fail again with a traceback."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())

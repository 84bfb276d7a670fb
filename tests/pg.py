"""A throwaway PostgreSQL server for tests: initdb + pg_ctl in a temp dir, trust auth on 127.0.0.1.

PostgreSQL refuses to run as root, and tests run as root in CI, so when we are root the server runs
as an unprivileged system user (``nobody``) that owns the data directory. Each test gets a fresh
database from :meth:`PgServer.new_database`; the server is stopped at the end of the session.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SERVER_USER = "nobody"  # unprivileged account that owns the data dir when tests run as root
START_TIMEOUT_S = 60


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl (newest Debian version first, then PATH)."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """One running server; ``url`` points at its ``postgres`` database as user ``postgres``."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="newsfuse-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._counter = 0

    @property
    def url(self) -> str:
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", SERVER_USER, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=START_TIMEOUT_S, cwd=self.root)

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, SERVER_USER)
        self.root.chmod(0o700)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        # fsync off: a test server's data is thrown away, durability only costs time here.
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -F "
                "-c max_connections=100 -c shared_buffers=32MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w",
                  "-t", str(START_TIMEOUT_S), "start")

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        self._counter += 1
        name = f"t{os.getpid()}_{self._counter}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")  # name is ours: letters, digits, underscore
        return self.database_url(name)

    def stop(self) -> None:
        # Already down is fine: the temp dir goes anyway.
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> tuple[PgServer | None, str]:
    """A started server, or None with the reason it could not start (for ``pytest.skip``)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        return None, "no PostgreSQL binaries (initdb, pg_ctl); run 'make system-deps' to install them"
    server = PgServer(bin_dir)
    try:
        server.start()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        log = server.log.read_text(errors="replace")[-500:] if server.log.exists() else ""
        server.stop()
        return None, f"PostgreSQL did not start: {exc} {detail.decode(errors='replace')[-300:]} {log}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:  # pg_ctl -w waits, but be sure TCP answers too
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                return server, ""
        except OSError:
            time.sleep(0.1)
    server.stop()
    return None, "PostgreSQL started but does not accept TCP connections"

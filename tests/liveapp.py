"""The app served for real and the system Chromium, for tests that look at pages as a person does.

``serve(app)`` runs uvicorn in a thread on a free 127.0.0.1 port and yields the base URL;
``chromium()`` launches /usr/bin/chromium through Playwright (skipping the test when it is not
installed: ``make system-deps`` installs it).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling out, and this machine refuses it.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def serve(app: Any, start_timeout: float = 30.0) -> Iterator[str]:
    """``app`` on a free local port for the block's life; yields 'http://127.0.0.1:PORT'."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def require_chromium() -> None:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed (run 'make system-deps'); browser tests need "
                    "/usr/bin/chromium")


@contextmanager
def chromium(args: list[str] | None = None) -> Iterator[Any]:
    """A launched headless Chromium (a Playwright Browser), closed after the block."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS if args is None else args)
        try:
            yield browser
        finally:
            browser.close()

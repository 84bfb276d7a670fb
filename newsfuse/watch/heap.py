"""Where a process's resident memory sits: the figures that tell a cache that grows from memory an
allocator holds after its owner freed it.

A watch's refresh process sat ~1 GB above its start after a long run while every cache it keeps
(:mod:`.kept`) held far less; sizes of Python objects cannot say where the rest is. The resident set
is the sum of what each allocator has mapped, and each can say how much of it is live:

* CPython's small-object allocator (pymalloc: objects of 512 bytes or less) maps 1 MB arenas of its
  own (not through ``malloc``) and returns one only when every object in it is freed, so one long-lived
  small object pins an arena (``sys._debugmallocstats``);
* glibc's ``malloc`` (``mallinfo2``): larger Python objects, numpy and torch buffers, SQLite's pages;
  ``free_held`` is freed memory still in its heaps (what ``malloc_trim`` may give back);
* SQLite's own count of what it allocated (``sqlite3_memory_used``: page caches, statements);
* file-backed pages (shared libraries, the model's weights when mapped).

Linux and glibc only; each figure is left out where the platform lacks it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

_MB = 2**20


def figures() -> dict[str, float]:
    """This process's resident memory and what each allocator holds of it, in MB (rounded to 0.1)."""
    out: dict[str, float] = {}
    out.update(resident())
    out.update({f"malloc_{k}": v for k, v in malloc().items()})
    out.update({f"pymalloc_{k}": v for k, v in pymalloc().items()})
    used = sqlite_used()
    if used is not None:
        out["sqlite_used"] = used
    return out


def resident() -> dict[str, float]:
    """Resident memory (``rss``), of it anonymous (``anon``: the heaps) and file-backed (``file``)."""
    fields = {"VmRSS": "rss", "RssAnon": "anon", "RssFile": "file"}
    out: dict[str, float] = {}
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        key = line.split(":", 1)[0]
        if key in fields:
            out[fields[key]] = round(int(line.split()[1]) / 1024, 1)
    return out


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                "fsmblks", "uordblks", "fordblks", "keepcost")]


def malloc() -> dict[str, float]:
    """glibc's heaps (``mallinfo2``, all arenas): ``heap`` bytes its arenas span, ``in_use`` live
    blocks (heap and mapped), ``free_held`` freed but kept in the heaps, ``mapped`` blocks mapped on
    their own; empty where the C library is not glibc (2.33 or later)."""
    libc = _libc()
    if libc is None or not hasattr(libc, "mallinfo2"):
        return {}
    fn = libc.mallinfo2
    fn.restype = _Mallinfo2
    got = fn()
    return {"heap": round(got.arena / _MB, 1), "in_use": round((got.uordblks + got.hblkhd) / _MB, 1),
            "free_held": round(got.fordblks / _MB, 1), "mapped": round(got.hblkhd / _MB, 1)}


_STAT = re.compile(r"^(?:# )?(.+?)\s+=\s+([\d,]+)\s*$")


def pymalloc() -> dict[str, float]:
    """CPython's small-object allocator: ``arenas`` MB it has mapped, ``live`` MB of blocks in use,
    ``idle`` the rest of those arenas (free blocks, empty pools: held because a live block pins its
    arena). Read from ``sys._debugmallocstats``, which writes to the C stderr (a few ms)."""
    text = _c_stderr_of(getattr(sys, "_debugmallocstats", None))
    got: dict[str, int] = {}
    for line in text.splitlines():
        m = _STAT.match(line.strip())
        if m:
            got.setdefault(m.group(1).strip(), int(m.group(2).replace(",", "")))
    arenas = next((v for k, v in got.items() if k.endswith("bytes/arena")), None)
    live = got.get("bytes in allocated blocks")
    if arenas is None or live is None:
        return {}
    return {"arenas": round(arenas / _MB, 1), "live": round(live / _MB, 1),
            "idle": round((arenas - live) / _MB, 1)}


def _c_stderr_of(fn: Any) -> str:
    """What ``fn()`` writes to file descriptor 2 (C code's stderr), captured through a temporary file."""
    if fn is None:
        return ""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with tempfile.TemporaryFile() as tmp:
            os.dup2(tmp.fileno(), 2)
            try:
                fn()
            finally:
                os.dup2(saved, 2)
            tmp.seek(0)
            return tmp.read().decode("utf-8", "replace")
    finally:
        os.close(saved)


def sqlite_used() -> float | None:
    """MB SQLite has allocated now in this process (all connections: page caches, statements); None
    where the library cannot be reached."""
    lib = _sqlite()
    if lib is None:
        return None
    fn = lib.sqlite3_memory_used
    fn.restype = ctypes.c_int64
    return round(fn() / _MB, 1)


@functools.lru_cache(maxsize=1)
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


@functools.lru_cache(maxsize=1)
def _sqlite() -> Any:
    """The SQLite library Python's ``sqlite3`` module is linked to (the same loaded copy), or None
    (built in statically, or not found)."""
    import sqlite3  # noqa: F401  (loads the library first, so the handle below is the same copy)

    name = ctypes.util.find_library("sqlite3")
    try:
        lib = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return lib if lib is not None and hasattr(lib, "sqlite3_memory_used") else None

"""Deterministic IDs: the same content always gets the same ID, so re-ingesting changes nothing."""

from __future__ import annotations

import hashlib

ID_LENGTH = 16  # hex characters; 64 bits keeps collisions negligible below billions of records


def content_id(*parts: object, prefix: str = "") -> str:
    """Hash of the parts (joined with a separator that cannot occur in text), e.g. ``a_3f2c...``."""
    h = hashlib.blake2b(digest_size=ID_LENGTH // 2)
    for part in parts:
        h.update(str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return f"{prefix}{h.hexdigest()}"


def bytes_id(data: bytes) -> str:
    """Hash of raw bytes, for :class:`newsfuse.models.RawInput`."""
    return "r_" + hashlib.blake2b(data, digest_size=ID_LENGTH // 2).hexdigest()

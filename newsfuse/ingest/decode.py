"""Bytes -> str: BOMs, UTF-8, legacy encodings, mixed files, and the refusal of binary data.

News files in the wild are mostly UTF-8, often cp1252 (Windows newsroom systems), and sometimes a mix
(a UTF-8 feed dump with a pasted cp1252 paragraph). We try the strict, likely answers first and only
then guess, so a clean UTF-8 file is never "repaired" into mojibake.
"""

from __future__ import annotations

import codecs
import re

from newsfuse import defaults
from newsfuse.errors import BinaryInputError, EmptyInputError, EncodingInputError

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of files that are certainly not text, so the message can say what they are.
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document (extract its text first)"),
    (b"PK\x03\x04", "a ZIP archive (unpack it first)"),
    (b"\x7fELF", "a program"),
    (b"RIFF", "a media file"),
)

# Single-byte Latin code pages that a detector cannot tell apart on short English text; cp1252 is
# the one newsrooms actually use, so among these we pick it.
_LATIN_FAMILY = {"cp1250", "cp1252", "latin_1", "iso8859_2", "iso8859_15", "mac_roman", "cp850"}
_FALLBACK = "cp1252"

# Control characters other than layout ones, and U+FFFD from an earlier lossy decode.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def decode_bytes(data: bytes, where: str) -> str:
    """Decode one input to text or raise an :class:`InputError` saying why it is not text."""
    if not data.strip():
        raise EmptyInputError(where, "empty input: nothing to read; remove the file or add the article")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_decode_strict(data[len(bom) :], encoding, where), where)
    _refuse_binary(data, where)
    try:
        return _checked(data.decode("utf-8"), where)
    except UnicodeDecodeError:
        pass
    return _checked(_decode_guessed(data, where), where)


def _decode_strict(data: bytes, encoding: str, where: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise EncodingInputError(
            where,
            f"starts with a {encoding} byte-order mark but is not {encoding} ({exc.reason}); "
            "re-save it as UTF-8",
        ) from exc


def looks_like_utf8_text(head: bytes, where: str) -> bool:
    """Whether ``head`` (the start of a file, possibly cut inside a character) is UTF-8 text that
    :func:`decode_bytes` would accept as such: no BOM but UTF-8's, no binary signature, no NUL, few
    control characters. A streamed reader checks this once and then decodes line by line."""
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    elif any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    whole_lines = head[: head.rfind(b"\n") + 1]  # the head may end inside a character
    try:
        _refuse_binary(head, where)
        _checked(whole_lines.decode("utf-8"), where)
    except (BinaryInputError, EmptyInputError, UnicodeDecodeError):
        return False
    return True


def _refuse_binary(data: bytes, where: str) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryInputError(where, f"binary file, looks like {what}: not a news text")
    if b"\x00" in data[:65536]:
        raise BinaryInputError(
            where, "binary file (NUL bytes): not a news text; pass text, HTML, feeds, JSONL, CSV or WARC"
        )


def _decode_guessed(data: bytes, where: str) -> str:
    lines = data.splitlines(keepends=True)
    if any(_is_multibyte_utf8(line) for line in lines):
        # Some lines are genuine UTF-8 and the whole is not: a mixed file, decode line by line.
        return "".join(decode_line(line) for line in lines)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise EncodingInputError(where, "bytes decode as no known text encoding; re-save the file as UTF-8")
    encoding = _FALLBACK if best.encoding in _LATIN_FAMILY else best.encoding
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return str(best)


def _is_multibyte_utf8(line: bytes) -> bool:
    if line.isascii():
        return False
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_line(line: bytes) -> str:
    """One line of a mixed or streamed file: UTF-8 when it is, else the newsroom code page."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return line.decode(_FALLBACK)
        except UnicodeDecodeError:
            return line.decode("latin-1")  # decodes every byte; cp1252 leaves five undefined


def _checked(text: str, where: str) -> str:
    """Refuse text that decoded but is mostly control or replacement characters (a binary in disguise)."""
    if not text.strip():
        raise EmptyInputError(
            where, "empty input: nothing but whitespace; remove the file or add the article"
        )
    sample = text[:65536]
    bad = len(_BAD_CHARS.findall(sample))
    if bad / len(sample) > defaults.MAX_BINARY_RATIO:
        raise BinaryInputError(
            where,
            f"{bad} control or undecodable characters in the first {len(sample)}: "
            "binary or corrupt; pass a text file",
        )
    return text

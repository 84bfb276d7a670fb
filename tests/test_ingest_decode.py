from __future__ import annotations

import codecs

import pytest

from newsfuse.errors import BinaryInputError, EmptyInputError
from newsfuse.ingest.decode import decode_bytes

TEXT = "The café’s owner, Zoë, said “never again” after the flood."


def test_utf8_and_boms() -> None:
    assert decode_bytes(TEXT.encode("utf-8"), "f") == TEXT
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "f") == TEXT
    assert decode_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "f") == TEXT


def test_cp1252_file() -> None:
    assert decode_bytes(TEXT.encode("cp1252"), "f") == TEXT


def test_mixed_encodings_decoded_line_by_line() -> None:
    data = TEXT.encode("utf-8") + b"\n" + "Second line, naïve “résumé”.".encode("cp1252")
    assert decode_bytes(data, "f") == TEXT + "\nSecond line, naïve “résumé”."


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"", EmptyInputError, "empty"),
        (b"  \n\t\n", EmptyInputError, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BinaryInputError, "PNG"),
        (b"abc\x00def\x00" * 20, BinaryInputError, "NUL"),
        (bytes(range(1, 32)) * 10, BinaryInputError, "control"),
    ],
)
def test_refusals_name_the_input(data: bytes, error: type[Exception], words: str) -> None:
    with pytest.raises(error) as info:
        decode_bytes(data, "news/bad.txt")
    assert str(info.value).startswith("news/bad.txt: ") and words in str(info.value)

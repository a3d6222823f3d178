"""A report whose bytes are cut off mid-character or slightly damaged is still read, and says so."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from parsers.api import parse_bytes
from parsers.decode import DecodeError, decode_text

SEED = Path(__file__).parent / "fixtures" / "faku-2020.txt"


def _values(rep):
    return {c.code: (c.value, c.kind) for c in rep.cells}


def test_cut_mid_character_reads_as_utf8_with_one_replacement():
    data = SEED.read_bytes() + "报告".encode()[:4]  # the download stopped inside 告
    d = decode_text(data)
    assert d.encoding == "utf-8" and d.replaced == 1 and d.text.endswith("报\ufffd")
    assert "1 byte sequence(s) not valid utf-8" in d.warning()


def test_truncated_seed_keeps_every_value_and_warns():
    whole = parse_bytes(SEED.read_bytes(), "faku.txt")
    cut = parse_bytes(SEED.read_bytes() + "报告".encode()[:5], "faku.txt")
    assert whole.status == "ok" and cut.status == "partial"  # every value, but the file was not whole
    assert cut.error == "1 byte sequence(s) not valid utf-8 replaced by U+FFFD (damaged or truncated file)"
    assert _values(cut) == _values(whole)
    assert cut.extra["reader_warnings"] == [
        "1 byte sequence(s) not valid utf-8 replaced by U+FFFD (damaged or truncated file)"]
    assert "reader_warnings" not in whole.extra


def test_damaged_gbk_page_is_read_as_gb18030_not_mojibake():
    text = SEED.read_text(encoding="utf-8")
    data = bytearray(f"<html><body><pre>{text}</pre></body></html>".encode("gb18030"))
    rng = random.Random(3)
    for _ in range(4):  # a few bytes past the header damaged
        data[rng.randrange(200, len(data))] = 0xFF
    d = decode_text(bytes(data))
    assert d.encoding == "gb18030" and 1 <= d.replaced <= 8  # a bad lead byte can take its pair along
    assert "法库县人民政府" in d.text


def test_damaged_utf8_declared_gbk_is_read_as_utf8():
    """A lying <meta charset=gbk> over UTF-8 bytes with one damaged byte: UTF-8 needs 1 replacement,
    GB18030 dozens, so UTF-8 wins."""
    body = SEED.read_text(encoding="utf-8")
    data = bytearray(f'<meta charset="gbk"><pre>{body}</pre>'.encode())
    data[len(data) // 2] = 0xFF
    d = decode_text(bytes(data))
    assert d.encoding == "utf-8" and 1 <= d.replaced <= 3  # the rest of a 3-byte character too


def test_utf8_text_that_really_prints_a_replacement_character_is_not_counted():
    data = ("法库县 \ufffd " * 50).encode() + "报".encode()[:2]
    d = decode_text(data)
    assert d.encoding == "utf-8" and d.replaced == 1


def test_random_bytes_are_still_rejected():
    rng = random.Random(5)
    for _ in range(20):
        with pytest.raises(DecodeError):
            decode_text(bytes(rng.randrange(256) for _ in range(4000)))

import io
import zipfile

import pytest

from parsers import sniff
from parsers.decode import DecodeError, check_text, decode

TEXT = "法库县人民政府2020年度政府信息公开工作报告 行政许可 186"


def test_gbk_without_declaration_is_not_latin1():
    text, enc = decode(TEXT.encode("gbk"))
    assert text == TEXT and enc == "gb18030"


def test_gb2312_declared_is_read_as_gb18030():
    data = ('<meta charset="gb2312"><p>' + TEXT + "䶮</p>").encode("gb18030")
    text, enc = decode(data)
    assert enc == "gb18030" and TEXT in text and "䶮" in text


def test_lying_http_charset_falls_back():
    text, _ = decode(TEXT.encode("utf-8"), http_charset="gbk")
    assert text == TEXT


def test_latin1_header_is_ignored():
    text, _ = decode(TEXT.encode("gbk"), http_charset="ISO-8859-1")
    assert text == TEXT


def test_bom():
    assert decode(b"\xef\xbb\xbf" + TEXT.encode())[0] == TEXT


def test_mojibake_rejected():
    with pytest.raises(DecodeError):
        check_text("\ufffd" * 50 + "abc")


def test_sniff_by_bytes_not_name():
    assert sniff.sniff(b"%PDF-1.7\n...", "x.html") == sniff.PDF
    assert sniff.sniff(b"<html><body><table><tr><td>1</td></tr></table>", "x.pdf") == sniff.HTML
    assert sniff.sniff(b"", "x.txt") == sniff.EMPTY
    assert sniff.sniff(b"   \n", "x.txt") == sniff.EMPTY
    assert sniff.sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.wps") == sniff.OLE
    assert sniff.sniff(TEXT.encode(), "a") == sniff.TEXT
    assert sniff.sniff(b"\x00\x01\x02garbage\x00", "a.txt") == sniff.BINARY
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert sniff.sniff(buf.getvalue(), "a.zip") == sniff.DOCX

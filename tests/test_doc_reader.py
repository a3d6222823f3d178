""".doc / .wps: LibreOffice conversion when installed, a clear one-line error when not."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from parsers import sniff
from parsers.api import parse_bytes
from parsers.readers import ReadError
from parsers.readers import doc as doc_reader
from parsers.readers.doc import read_doc

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "attachments"))
import make_attachments as mk  # noqa: E402

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _fake_ole(stream: str = "WordDocument") -> bytes:
    """Just enough of a compound file for the sniffer and the stream-name check."""
    return OLE_MAGIC + b"\0" * 504 + stream.encode("utf-16-le") + b"\0" * 512


def test_without_libreoffice_the_error_names_it_and_how_to_install(monkeypatch):
    monkeypatch.setenv("XXGK_SOFFICE", "")
    data = _fake_ole()
    assert sniff.sniff(data, "report.doc") == sniff.OLE
    with pytest.raises(ReadError) as e:
        read_doc(data, "report.doc")
    msg = str(e.value)
    assert "\n" not in msg and "LibreOffice" in msg and "apt-get install libreoffice-writer" in msg
    rec = parse_bytes(data, "report.wps").to_dict()
    assert rec["status"] == "error" and rec["error"] == msg


def test_a_broken_soffice_is_an_error_not_a_crash(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("XXGK_SOFFICE", str(fake))
    with pytest.raises(ReadError, match=r"^LibreOffice could not convert the file.*could not be loaded"):
        read_doc(_fake_ole(), "x.doc")


def test_a_hanging_conversion_is_stopped(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    with pytest.raises(ReadError, match=r"did not convert the file within 1 s"):
        doc_reader.convert_to_docx(_fake_ole(), str(fake), timeout=1)


def test_a_converter_that_writes_docx_is_read_as_docx(monkeypatch, tmp_path):
    """The conversion contract: soffice writes input.docx into --outdir; the result is read as DOCX."""
    docx_bytes = mk.render_docx(mk.build_report("gk2021", seed=31))
    src = tmp_path / "made.docx"
    src.write_bytes(docx_bytes)
    fake = tmp_path / "soffice"
    fake.write_text('#!/bin/sh\nwhile [ "$1" != "--outdir" ]; do shift; done\n'
                    f'cp "{src}" "$2/input.docx"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("XXGK_SOFFICE", str(fake))
    doc = read_doc(_fake_ole(), "r.wps")
    assert doc.layout == "doc" and doc.meta["converted_with"] == "LibreOffice"
    assert len(doc.tables) == 3 and doc.tables[1].rows[5][0].text == "三、本年度办理结果"


def test_excel_and_powerpoint_ole_files_are_named_not_converted(monkeypatch):
    monkeypatch.setenv("XXGK_SOFFICE", "")
    with pytest.raises(ReadError, match=r"Excel workbook \(\.xls\), not a Word document"):
        read_doc(_fake_ole("Workbook"), "a.xls")
    with pytest.raises(ReadError, match=r"PowerPoint"):
        read_doc(_fake_ole("PowerPoint Document"), "a.ppt")


SOFFICE = doc_reader.find_soffice() if os.environ.get("XXGK_SOFFICE") is None else None


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_real_doc_converted_by_libreoffice():
    """A .doc made by LibreOffice from a synthetic .docx reads back with the same tables."""
    rep = mk.build_report("gk2021", seed=32, blank_rate=0.3)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "r.docx"
        src.write_bytes(mk.render_docx(rep))
        profile = (Path(tmp) / "profile").as_uri()
        subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc",
                        "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=180)
        data = (Path(tmp) / "r.doc").read_bytes()
    assert sniff.sniff(data) == sniff.OLE
    doc = read_doc(data, "r.doc")
    specs = {b[1]: b[2] for b in rep.blocks if b[0] == "t"}
    assert [len(t.rows) for t in doc.tables] == [len(mk.expected_grid(specs[n])) for n in ("s2", "s3", "s4")]
    assert doc.tables[1].rows[5][0].text == "三、本年度办理结果"
    assert rep.synth.headings["overview"] in doc.text.splitlines()
    pytest.importorskip("parsers.stream", reason="the stream extractor (parsers/stream.py) is not on main yet")
    rec = parse_bytes(data, "r.wps").to_dict()
    assert rec["status"] == "ok" and rec["layout"] == "doc", rec["error"]
    got = {c["code"]: None if c["value"] is None else Decimal(str(c["value"])) for c in rec["cells"]}
    assert got == {k: None if v is None else Decimal(str(v)) for k, v in rep.values.items()}


def test_soffice_lookup_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("XXGK_SOFFICE", "")
    assert doc_reader.find_soffice() is None
    monkeypatch.setenv("XXGK_SOFFICE", str(tmp_path / "missing"))
    assert doc_reader.find_soffice() is None
    monkeypatch.setenv("XXGK_SOFFICE", sys.executable)
    assert doc_reader.find_soffice() == shutil.which(sys.executable)

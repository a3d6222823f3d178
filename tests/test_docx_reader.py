"""DOCX reader: merged cells (gridSpan, vMerge, gridBefore, legacy hMerge), body order, size caps."""

from __future__ import annotations

import re
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from parsers.api import parse_bytes
from parsers.layout import Paragraph, Table
from parsers.readers import ReadError
from parsers.readers import docx as docx_reader
from parsers.readers.docx import read_docx

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "attachments"))
import make_attachments as mk  # noqa: E402


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def assert_grid(table: Table, spec: mk.Spec) -> None:
    want = mk.expected_grid(spec)
    got = table.rows
    assert (len(got), len(got[0])) == (len(want), len(want[0])), table.texts()
    for gr, wr in zip(got, want, strict=True):
        for g, w in zip(gr, wr, strict=True):
            where = f"cell ({w.row},{w.col}) {w.text!r}"
            assert _norm(g.text) == _norm(w.text), where
            assert (g.anchor, g.origin) == (w.anchor, w.origin), where
            if w.anchor:
                assert (g.rowspan, g.colspan) == (w.rowspan, w.colspan), where


@pytest.mark.parametrize("version,s3_version,seed", [("gk2021", None, 21), ("gk2019", None, 22),
                                                    ("gk2021", "gk2019", 23)])
def test_merged_word_cells_come_back_as_the_official_grids(version, s3_version, seed):
    rep = mk.build_report(version, seed=seed, s3_version=s3_version, blank_rate=0.3)
    doc = read_docx(mk.render_docx(rep), "r.docx")
    specs = {b[1]: b[2] for b in rep.blocks if b[0] == "t"}
    assert [t.source for t in doc.tables] == ["docx"] * 3
    assert [t.index for t in doc.tables] == [0, 1, 2]
    for table, name in zip(doc.tables, ("s2", "s3", "s4"), strict=True):
        assert_grid(table, specs[name])
    s3 = doc.tables[1]
    assert s3.rows[5][0].text == "三、本年度办理结果" and s3.rows[5][0].rowspan == mk.synth.result_rowspan(rep.synth)
    assert doc.layout == "docx"


def test_paragraphs_and_tables_keep_body_order():
    rep = mk.build_report("gk2021", seed=24)
    doc = read_docx(mk.render_docx(rep), "r.docx")
    kinds = []
    for b in doc.blocks:
        kinds.append("t" if isinstance(b, Table) else b.text)
    want = [("t" if b[0] == "t" else b[1]) for b in rep.blocks]
    assert kinds == want
    lines = doc.text.splitlines()
    text = rep.synth.cell_text
    assert "\t".join(["四、结转下年度继续办理"] + [text(f"s3_carried_forward__{c}") for c in mk.synth.S3_COLUMNS]) in lines
    assert rep.synth.headings["problems_improvements"] in lines


def _document_xml(body: str) -> bytes:
    """A minimal .docx whose body is `body` (WordprocessingML), built by hand for edge cases."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                   '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                   'document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


def _tc(text: str, props: str = "") -> str:
    runs = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in text.split("|")) if text else "<w:p/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{runs}</w:tc>"


def test_grid_before_legacy_hmerge_and_multi_paragraph_cells():
    body = (
        "<w:p><w:r><w:t>四、政府信息公开行政复议、行政诉讼情况</w:t></w:r></w:p>"
        "<w:tbl>"
        "<w:tr>" + _tc("行政复议", '<w:gridSpan w:val="2"/>') + _tc("行政|诉讼", '<w:vMerge w:val="restart"/>') + "</w:tr>"
        "<w:tr>" + _tc("结果|维持") + _tc("总计") + _tc("", "<w:vMerge/>") + "</w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>" + _tc("7", '<w:hMerge w:val="restart"/>')
        + _tc("", '<w:hMerge w:val="continue"/>') + "</w:tr>"
        "</w:tbl>"
        "<w:p><w:r><w:t>五、存在的主要问题</w:t></w:r><w:r><w:br/><w:t>改进情况</w:t></w:r></w:p>"
    )
    doc = read_docx(_document_xml(body), "edge.docx")
    (t,) = doc.tables
    assert t.texts() == [["行政复议", "行政复议", "行政诉讼"], ["结果维持", "总计", "行政诉讼"], ["", "7", "7"]]
    a = t.rows[0][2]
    assert (a.anchor, a.rowspan, a.colspan) == (True, 2, 1) and t.rows[1][2].origin == (0, 2)
    assert (t.rows[2][1].anchor, t.rows[2][1].colspan, t.rows[2][2].anchor) == (True, 2, False)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == [
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题", "改进情况"]
    assert doc.text.splitlines()[1:4] == ["行政复议\t行政诉讼", "结果维持\t总计", "\t7"]


def test_deleted_text_and_field_codes_are_not_read():
    body = ("<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>"
            "<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:tab/><w:t>文字</w:t></w:r></w:p>")
    doc = read_docx(_document_xml(body), "d.docx")
    assert doc.text == "保留 文字"


# ---------------------------------------------------------------------------------------- bad files


def test_zip_bomb_is_refused_before_unpacking(monkeypatch):
    """A member that inflates far beyond its compressed size: refused with a one-line reason."""
    buf = BytesIO(_document_xml("<w:p><w:r><w:t>x</w:t></w:r></w:p>"))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/bomb.bin", b"\0" * (30 * 2**20))  # 30 MB of zeros, ~30 KB compressed
    data = buf.getvalue()
    assert len(data) < 200_000
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED", 20 * 2**20)
    with pytest.raises(ReadError, match=r"^DOCX refused: unpacks to .*zip bomb"):
        read_docx(data, "bomb.docx")
    rec = parse_bytes(data, "bomb.docx").to_dict()
    assert rec["status"] == "error" and "zip bomb" in rec["error"]


def test_a_lying_size_header_does_not_help():
    """The declared sizes say 1 byte; the cap counts what really comes out."""
    buf = BytesIO(_document_xml("<w:p/>"))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/big.bin", b"\0" * (3 * 2**20))
    data = bytearray(buf.getvalue())
    # patch the uncompressed-size fields of that member (local header and central directory)
    name = b"word/media/big.bin"
    for m in re.finditer(re.escape(name), bytes(data)):
        start = m.start()
        if data[start - 30:start - 26] == b"PK\x03\x04":
            data[start - 8:start - 4] = (1).to_bytes(4, "little")
        elif data[start - 46:start - 42] == b"PK\x01\x02":
            data[start - 22:start - 18] = (1).to_bytes(4, "little")
    with pytest.raises(ReadError):
        docx_reader.check_zip(bytes(data), 2 * 2**20)


def test_oversized_docx_is_refused(monkeypatch):
    data = mk.render_docx(mk.build_report("gk2021", seed=25))
    monkeypatch.setattr(docx_reader, "MAX_BYTES", len(data) - 1)
    with pytest.raises(ReadError, match=r"^DOCX too large"):
        read_docx(data, "big.docx")


def test_damaged_docx_is_a_clear_error():
    data = mk.render_docx(mk.build_report("gk2021", seed=26))
    with pytest.raises(ReadError, match=r"^damaged DOCX"):
        read_docx(data[: len(data) // 2], "cut.docx")
    with pytest.raises(ReadError, match=r"^damaged DOCX"):
        read_docx(b"PK\x03\x04" + b"\0" * 100, "junk.docx")
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<not-xml")
    rec = parse_bytes(buf.getvalue(), "broken.docx").to_dict()
    assert rec["status"] == "error" and rec["error"].startswith("damaged DOCX")


def test_word_list_numbering_is_put_back_in_front_of_headings():
    """Headings numbered by Word (numbering.xml) carry no "一、" in their text; the reader adds it,
    so the section splitter finds them. Also through a paragraph style (List Number)."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    root = d.part.numbering_part.element
    root.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        "</w:abstractNum>"))
    root.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, ilvl: int) -> None:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'))

    numbered("总体情况", 0)
    numbered("主动公开情况", 1)
    numbered("依申请公开情况", 1)
    d.add_paragraph("正文。")
    numbered("主动公开政府信息情况", 0)
    numbered("信息管理", 1)
    d.add_paragraph("第一项", style="List Number")
    d.add_paragraph("第二项", style="List Number")
    buf = BytesIO()
    d.save(buf)
    doc = read_docx(buf.getvalue(), "n.docx")
    assert doc.text.splitlines() == ["一、总体情况", "（一）主动公开情况", "（二）依申请公开情况", "正文。",
                                     "二、主动公开政府信息情况", "（一）信息管理", "1.第一项", "2.第二项"]

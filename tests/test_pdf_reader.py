"""PDF reader on PDFs rendered from synthetic reports: ruled grids, page breaks, footers, bad files."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from parsers.api import parse_bytes
from parsers.layout import Paragraph, Table
from parsers.readers import ReadError
from parsers.readers import pdf as pdf_reader
from parsers.readers.pdf import read_pdf

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "attachments"))
import make_attachments as mk  # noqa: E402

pytest.importorskip("reportlab")


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def assert_grid(table: Table, spec: mk.Spec) -> None:
    """The table read back is exactly the drawn grid: texts, anchors, copies and spans."""
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


def _tables(rep: mk.Report) -> dict[str, mk.Spec]:
    return {b[1]: b[2] for b in rep.blocks if b[0] == "t"}


@pytest.fixture(scope="module")
def gk2021():
    rep = mk.build_report("gk2021", seed=11)
    return rep, read_pdf(mk.render_pdf(rep), "r.pdf")


@pytest.mark.parametrize("version,s3_version,seed", [("gk2021", None, 3), ("gk2019", None, 4),
                                                    ("gk2021", "gk2019", 5)])
def test_ruled_tables_come_back_as_the_drawn_grids(version, s3_version, seed):
    rep = mk.build_report(version, seed=seed, s3_version=s3_version, blank_rate=0.3)
    doc = read_pdf(mk.render_pdf(rep), "r.pdf")
    specs = _tables(rep)
    assert len(doc.tables) == 3
    for table, name in zip(doc.tables, ("s2", "s3", "s4"), strict=True):
        assert table.source == "pdf"
        assert_grid(table, specs[name])
    assert [t.index for t in doc.tables] == [0, 1, 2]
    assert doc.media_type == "application/pdf" and doc.layout == "pdf"


def test_rules_drawn_as_thin_filled_bars_over_shaded_cells():
    """MS Word exports draw borders as thin filled rectangles and shade cells with filled areas:
    the bars are rules, the shading is not."""
    rep = mk.build_report("gk2021", seed=12, blank_rate=0.2)
    doc = read_pdf(mk.render_pdf(rep, ruled="bars"), "w.pdf")
    specs = _tables(rep)
    assert len(doc.tables) == 3
    for table, name in zip(doc.tables, ("s2", "s3", "s4"), strict=True):
        assert_grid(table, specs[name])


@pytest.mark.parametrize("break_row,repeat", [(5, 0), (9, 0), (17, 3), (24, 0), (27, 0)])
def test_table_broken_across_pages_is_joined(break_row, repeat):
    """Whatever row the page break falls before, section 三 is one grid again: the vertical label
    and the group labels cut by the break span their rows, a repeated header is dropped."""
    rep = mk.build_report("gk2021", seed=break_row)
    data = mk.render_pdf(rep, breaks={"s3": break_row}, repeat_header={"s3": repeat})
    doc = read_pdf(data, "r.pdf")
    assert doc.meta["pages"] >= 2
    assert len(doc.tables) == 3
    assert_grid(doc.tables[1], _tables(rep)["s3"])


def test_vertical_label_read_as_one_word(gk2021):
    rep, doc = gk2021
    s3 = doc.tables[1]
    label = s3.rows[5][0]
    assert label.text == "三、本年度办理结果" and label.rowspan == 22  # drawn one character per line
    assert rep.synth.s3_version == "gk2021"


def test_text_has_one_line_per_table_row_cells_tab_joined(gk2021):
    rep, doc = gk2021
    text = rep.synth.cell_text
    row = "\t".join(["一、本年新收政府信息公开申请数量"] + [text(f"s3_new_received__{c}") for c in mk.synth.S3_COLUMNS])
    lines = doc.text.splitlines()
    assert row in lines
    assert "\t".join(text(c) for c in mk.synth.s4_codes()) in lines
    assert rep.synth.title in (lines[0], lines[0] + lines[1])
    assert rep.synth.headings["review_litigation"] in lines


def test_page_numbers_are_dropped():
    footers = ["- {n} -", "— {n} —", "第 {n} 页", "{n}"]
    rep = mk.build_report("gk2021", seed=5, filler=30)
    doc = read_pdf(mk.render_pdf(rep, footer=footers), "r.pdf")
    assert doc.meta["pages"] >= 4
    for n in range(1, doc.meta["pages"] + 1):
        assert footers[(n - 1) % 4].format(n=n) not in doc.text.splitlines()
    assert not any(re.fullmatch(r"[-—\s\d第页]+", p.text) for p in doc.blocks if isinstance(p, Paragraph))


def test_wrapped_lines_become_paragraphs_even_across_pages():
    rep = mk.build_report("gk2021", seed=6, filler=4)
    doc = read_pdf(mk.render_pdf(rep), "r.pdf")
    assert doc.meta["pages"] >= 3
    paras = [p.text.replace(" ", "").lstrip("\u3000") for p in doc.blocks if isinstance(p, Paragraph)]
    for text in (b[1] for b in rep.blocks if b[0] == "p"):
        assert text.replace(" ", "") in paras, text[:20]
    for code in ("overview", "other_matters"):
        assert rep.synth.headings[code] in paras


def test_stacked_single_characters_outside_a_ruled_table_are_read_per_column():
    doc = read_pdf(mk.vertical_header_pdf(), "v.pdf")
    assert doc.tables == []
    lines = doc.text.splitlines()
    assert "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3) in lines
    assert any(ln.split() == ["3", "1", "0", "2", "6", "1", "0", "0", "0", "1", "0", "0", "1", "0", "1"]
               for ln in lines)


def test_unruled_report_has_no_grid_but_keeps_row_lines():
    rep = mk.build_report("gk2021", seed=7)
    doc = read_pdf(mk.render_pdf(rep, ruled=False), "r.pdf")
    assert doc.tables == []
    want = ["二、上年结转政府信息公开申请数量"] + [rep.synth.cell_text(f"s3_carried_over__{c}")
                                         for c in mk.synth.S3_COLUMNS]
    assert any(ln.split() == want for ln in doc.text.splitlines())


def test_blank_cells_of_an_unruled_table_keep_their_slots():
    """Without rules a blank cell is just missing space; where several rows show the value columns,
    each row gets one tab slot per column ('' for a blank), so no value slides left (D1, D2)."""
    rep = mk.build_report("gk2021", seed=13, blank_rate=0.4)
    doc = read_pdf(mk.render_pdf(rep, ruled=False), "plain.pdf")
    text = rep.synth.cell_text
    lines = doc.text.splitlines()
    blanks = 0
    for row, label in (("new_received", "一、本年新收政府信息公开申请数量"), ("carried_over", "二、上年结转政府信息公开申请数量"),
                       ("result_total", "（七）总计"), ("carried_forward", "四、结转下年度继续办理")):
        cells = [text(f"s3_{row}__{c}") for c in mk.synth.S3_COLUMNS]
        blanks += cells.count("")
        assert "\t".join([label, *cells]) in lines, row
    assert blanks >= 3  # the seed prints blanks in these rows


def test_paragraph_backgrounds_are_not_tables():
    """WPS paints a white filled rectangle behind every text line; that is not a one-column table."""
    from reportlab.pdfgen import canvas

    mk._register_font()
    from io import BytesIO

    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=(mk.PAGE_W, mk.PAGE_H))
    c.setFillColorRGB(1, 1, 1)
    for i in range(6):
        c.rect(72, 700 - i * 27, 450, 27, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    c.setFont(mk.FONT, 11)
    for i in range(6):
        c.drawString(76, 708 - i * 27, f"第{i + 1}行正文文字，本机关持续推进政务公开工作。")
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue(), "p.pdf")
    assert doc.tables == []
    assert "第1行正文文字" in doc.text


def test_a_frame_around_text_is_text_not_a_table():
    """A stroked box around the title or a note (one column of cells) is layout, as the HTML reader
    treats one-column tables: its text stays in the paragraphs the section splitter reads."""
    pdf = mk._Pdf()
    pdf.c.rect(mk.LEFT, mk.PAGE_H - 160, 451, 60)
    pdf.c.line(mk.LEFT, mk.PAGE_H - 130, mk.LEFT + 451, mk.PAGE_H - 130)
    pdf.y = 106
    pdf.paragraph("某某县某某局2024年政府信息公开工作年度报告", size=14, indent=False, center=True)
    pdf.y = 136
    pdf.paragraph("（2025年1月20日发布）", indent=False, center=True)
    pdf.y = 200
    pdf.paragraph("一、总体情况", indent=False)
    pdf.paragraph("本机关持续推进政务公开工作。")
    doc = read_pdf(pdf.save(), "boxed.pdf")
    assert doc.tables == []
    assert doc.text.splitlines()[:3] == ["某某县某某局2024年政府信息公开工作年度报告", "（2025年1月20日发布）", "一、总体情况"]


# ---------------------------------------------------------------------------------------- bad files


def test_encrypted_pdf_is_a_clear_error():
    from reportlab.lib.pdfencrypt import StandardEncryption

    rep = mk.build_report("gk2021", seed=8)
    data = mk.render_pdf(rep, encrypt=StandardEncryption("secret", "owner"))
    with pytest.raises(ReadError, match="^encrypted PDF: a password is needed"):
        read_pdf(data, "e.pdf")
    rec = parse_bytes(data, "e.pdf").to_dict()
    assert rec["status"] == "error" and rec["error"].startswith("encrypted PDF")


def test_pdf_with_only_an_owner_password_is_read():
    """Copy/print restrictions (an owner password, empty user password) do not stop reading."""
    from io import BytesIO

    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption("", "owner", canCopy=0, canModify=0))
    c.drawString(72, 760, "Annual report 2024")
    for i, row in enumerate([["item", "issued", "in force"], ["rules", "3", "12"]]):
        for j, text in enumerate(row):
            c.rect(72 + j * 100, 700 - i * 20, 100, 20)
            c.drawString(76 + j * 100, 706 - i * 20, text)
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue(), "o.pdf")
    assert doc.tables[0].texts() == [["item", "issued", "in force"], ["rules", "3", "12"]]
    assert doc.text.splitlines()[0] == "Annual report 2024"


def test_text_that_cannot_be_decoded_is_an_error_not_garbage():
    """Here the Chinese font's Unicode map is unreadable (reportlab encrypts the CID system info
    strings in a way pdfminer cannot decipher): characters come out as (cid:N)."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = mk.render_pdf(mk.build_report("gk2021", seed=9), encrypt=StandardEncryption("", "owner"))
    with pytest.raises(ReadError, match=r"^PDF text cannot be decoded"):
        read_pdf(data, "cid.pdf")


def test_a_few_undecodable_glyphs_stay_visible_never_a_shorter_number():
    """Two digits in a font whose Unicode map cannot be read: the cell is U+FFFD text, not '' or '1'."""
    from io import BytesIO

    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    mk._register_font()
    buf = BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption("", "owner"))
    c.setFont("Helvetica", 10)
    c.drawString(72, 760, "Statistics of the year, all figures as printed in the annual report")
    for i, row in enumerate([["item", "issued"], ["rules", None], ["documents", "7"]]):
        for j, text in enumerate(row):
            c.rect(72 + j * 100, 700 - i * 20, 100, 20)
            if text is None:
                c.setFont(mk.FONT, 10)
                c.drawString(76 + j * 100, 706 - i * 20, "12")
                c.setFont("Helvetica", 10)
            else:
                c.drawString(76 + j * 100, 706 - i * 20, text)
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue(), "cid.pdf")
    assert doc.tables[0].texts() == [["item", "issued"], ["rules", "\ufffd\ufffd"], ["documents", "7"]]


def test_truncated_pdf_is_a_clear_error(gk2021):
    data = mk.render_pdf(mk.build_report("gk2021", seed=10))
    for cut in (len(data) // 2, len(data) - 40, 300):
        with pytest.raises(ReadError, match="^truncated PDF"):
            read_pdf(data[:cut], "t.pdf")
    rec = parse_bytes(data[: len(data) // 2], "t.pdf").to_dict()
    assert rec["status"] == "error" and "truncated PDF" in rec["error"]


def test_damaged_pdf_is_a_clear_error():
    data = b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n"
    with pytest.raises(ReadError, match="^damaged PDF"):
        read_pdf(data, "d.pdf")


def test_not_a_pdf_and_too_large(monkeypatch):
    with pytest.raises(ReadError, match="not a PDF"):
        read_pdf(b"<html><body>hello</body></html>", "x.pdf")
    monkeypatch.setattr(pdf_reader, "MAX_BYTES", 1000)
    with pytest.raises(ReadError, match="PDF too large"):
        read_pdf(b"%PDF-1.4\n" + b"0" * 2000 + b"%%EOF", "big.pdf")


def test_scanned_pdf_says_so_and_invents_nothing():
    data = mk.scanned_pdf(pages=2)
    with pytest.raises(ReadError, match=r"^scanned, no text layer"):
        read_pdf(data, "s.pdf")
    rec = parse_bytes(data, "s.pdf").to_dict()
    assert rec["status"] == "error" and rec["error"].startswith("scanned, no text layer")
    assert rec["cells"] == [] and rec["checks"] == []


def test_pdf_with_some_scanned_pages_says_which():

    from PIL import Image
    from reportlab.lib.utils import ImageReader

    pdf = mk._Pdf()
    pdf.paragraph("一、总体情况", indent=False)
    pdf.paragraph("本机关持续推进政务公开工作。")
    pdf.new_page()
    pdf.c.drawImage(ImageReader(Image.new("L", (200, 200), 128)), 72, 300, 400, 400)
    data = pdf.save()
    doc = read_pdf(data, "mixed.pdf")
    assert doc.meta["warnings"] == ["scanned, no text layer on page(s) 2"]
    assert "本机关持续推进政务公开工作。" in doc.text


def test_report_whose_tables_are_scanned_is_partial_and_says_why():
    """Text pages read, the statistical tables pasted in as images: partial, nothing invented."""
    pytest.importorskip("parsers.stream", reason="the stream extractor (parsers/stream.py) is not on main yet")
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    pdf = mk._Pdf()
    pdf.paragraph("某某县某某局2024年政府信息公开工作年度报告", size=16, indent=False, center=True)
    for h in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"):
        pdf.paragraph(h, indent=False)
        pdf.paragraph("本机关持续推进政务公开工作，详见下表。")
    for _ in range(2):
        pdf.new_page()
        pdf.c.drawImage(ImageReader(Image.new("L", (300, 400), 200)), 72, 200, 450, 560)
    rec = parse_bytes(pdf.save(), "scan-tables.pdf").to_dict()
    assert rec["status"] == "partial"
    assert rec["error"] == "no statistical table found; scanned, no text layer on page(s) 2–3"
    assert rec["cells"] == [] and rec["reader_warnings"] == ["scanned, no text layer on page(s) 2–3"]
    assert rec["report_year"] == 2024


def test_a_pdf_named_file_that_is_html_is_read_as_html():
    html = ("<html><head><title>某某局2024年政府信息公开工作年度报告</title></head><body>"
            "<p>一、总体情况</p><p>本机关持续推进政务公开工作。</p></body></html>").encode()
    rec = parse_bytes(html, "report.pdf").to_dict()
    assert rec["media_type"] == "text/html"
    assert "PDF" not in (rec["error"] or "")

"""Plain text and markdown -> layout.Document.

Text reaches us in several shapes (templates.md §8, the corpus): one table cell per line (the seed,
PyMuPDF output), rows of numbers behind their label (pdfplumber), column layouts with runs of
spaces, markdown pipe tables from OCR, and cells glued together with no separator. The reader
keeps the text as it is (`Document.text`, the stream extractor's input), gives every line a
`Paragraph`, turns each run of pipe lines into a `Table` (source "pipe") for the grid extractor,
and names the layout it sees in `Document.layout`.
"""

from __future__ import annotations

import re

from ..decode import DecodeError, check_text, decode_text
from ..layout import Document, Paragraph, Table, expand_spans
from . import ReadError

PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
PAGE_MARK = re.compile(r"^\s*(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)\s*$")
_SINGLE_VALUE = re.compile(r"^\s*[+\-]?\d[\d,，]*(?:\.\d+)?\s*(?:万元|元)?\s*$")
_COLUMNS = re.compile(r"\S\s{3,}\d")
# A table label written straight against its numbers: `规章000`, `申请数量95000095`.
_GLUED = re.compile(r"(?:规章|规范性文件|行政许可|行政处罚|行政强制|行政事业性收费|政府集中采购|服务事项|申请数量|予以公开|"
                    r"属于国家秘密|重复申请|总计|继续办理)[+\-]?\d")


def read_text(data: bytes, name: str = "") -> Document:
    """Read plain text or markdown; raises ReadError for bytes that are not trustworthy text."""
    try:
        decoded = decode_text(data)
        text = decoded.text
        check_text(text)
    except DecodeError as e:
        raise ReadError(str(e)) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise ReadError("empty text document")
    lines = text.split("\n")
    warning = decoded.warning()
    return Document(blocks=_blocks(lines), text=text, media_type="text/plain", layout=detect_layout(lines),
                    meta={"warnings": [warning]} if warning else {})


# A table row printed without outer pipes, as some converters print tables: `一、本年新收… |  | 26 | 26`
# (four cells at least: a breadcrumb `首页 | 年报` is not one).
LOOSE_ROW = re.compile(r"^[^|\n]*[^|\s][^|\n]*(?: \|(?: [^|\n]*)?){3,}$")


def loose_pipes(lines: list[str]) -> bool:
    """Are this page's table rows printed without outer pipes? Then a row whose first and last cells
    are empty (` | （二）部分公开 | 0 |  | `) must keep them: its edge pipes are separators."""
    loose = sum(1 for ln in lines if LOOSE_ROW.match(ln.strip()))
    outer = sum(1 for ln in lines if PIPE_ROW.match(ln) and not PIPE_RULE.match(ln))
    return loose >= 3 and loose > outer


def pipe_cells(line: str, loose: bool) -> list[str] | None:
    """The cells of a table row (blanks kept), or None for a line that is not one."""
    if PIPE_RULE.match(line):
        return None
    if loose:
        s = line.strip()
        return [c.strip() for c in s.split("|")] if " |" in f" {s}" and "|" in s else None
    return split_pipe_row(line) if PIPE_ROW.match(line) else None


def split_pipe_row(line: str) -> list[str]:
    """`| a | b |  |` -> ["a", "b", ""]: the cells of one markdown table row, blanks kept."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def _blocks(lines: list[str]) -> list:
    """A Paragraph per non-empty line; a Table per run of pipe rows (rule rows dropped)."""
    blocks: list = []
    run: list[list[str]] = []
    n_tables = 0
    loose = loose_pipes(lines)

    def close() -> None:
        nonlocal run, n_tables
        if run:
            rows = [[(c, 1, 1) for c in cells] for cells in run]
            blocks.append(Table(expand_spans(rows), source="pipe", index=n_tables))
            n_tables += 1
            run = []

    for line in lines:
        if PIPE_RULE.match(line):
            continue
        cells = pipe_cells(line, loose)
        if cells is not None:
            run.append(cells)
            continue
        close()
        if line.strip():
            blocks.append(Paragraph(line.strip()))
    close()
    return blocks


def detect_layout(lines: list[str]) -> str:
    """pipe | glued | pdf-text | flattened | plain, from simple counts over the lines."""
    content = [ln for ln in lines if ln.strip()]
    if not content:
        return "plain"
    pipes = sum(1 for ln in content if PIPE_ROW.match(ln) and not PIPE_RULE.match(ln))
    if loose_pipes(content):
        pipes = sum(1 for ln in content if LOOSE_ROW.match(ln.strip()))
    if pipes >= 3:
        return "pipe"
    if len(_GLUED.findall("\n".join(content))) >= 3:
        return "glued"
    pages = sum(1 for ln in content if PAGE_MARK.match(ln))
    columns = sum(1 for ln in content if _COLUMNS.search(ln.strip()))
    singles = sum(1 for ln in content if _SINGLE_VALUE.match(ln))
    if pages >= 2 and singles < 20 or columns >= 5:
        return "pdf-text"
    if singles >= 20:
        return "flattened" if pages < 2 else "pdf-text"
    return "pdf-text" if pages >= 2 else "plain"

"""DOCX reader: Word tables with merged cells as span-aware grids, paragraphs as narrative.

A Word table stores a horizontal merge as `w:gridSpan` on one cell and a vertical merge as a
`w:vMerge="restart"` cell followed by `w:vMerge` (continue) cells in the rows below; rows may start
late (`w:gridBefore`). The reader turns that into the same dense grid with anchors and copies the
HTML reader produces, so the grid extractor reads both alike. Body order is kept: paragraphs and
tables interleave as in the document.

A DOCX is a zip: before python-docx unpacks it, every member is decompressed once with a running
cap, so a zip bomb (or a lying size header) is refused with a one-line reason instead of filling
memory.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from ..layout import Document, Paragraph, Table
from . import ReadError
from .pdf import Box, flatten, join_lines, to_cells

MAX_BYTES = 50 * 1024 * 1024  # the file as downloaded
MAX_UNPACKED = 200 * 1024 * 1024  # all members decompressed
MAX_MEMBERS = 5000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def read_docx(data: bytes, name: str = "") -> Document:
    """Read a .docx into blocks in body order and flattened text (table rows: cells joined by tab)."""
    if len(data) > MAX_BYTES:
        raise ReadError(f"DOCX too large ({len(data) / 2**20:.0f} MB, limit {MAX_BYTES // 2**20} MB)")
    check_zip(data, MAX_UNPACKED)
    import docx

    try:
        d = docx.Document(BytesIO(data))
    except Exception as e:
        raise ReadError(f"damaged DOCX: {_reason(e)}") from None
    blocks: list[Table | Paragraph] = []
    _walk(d.element.body, blocks, _Numbering(d))
    for i, t in enumerate(b for b in blocks if isinstance(b, Table)):
        t.index = i
    meta: dict = {}
    try:
        cp = d.core_properties
        info = {k: v for k, v in (("title", cp.title), ("author", cp.author),
                                  ("created", cp.created.isoformat() if cp.created else None),
                                  ("modified", cp.modified.isoformat() if cp.modified else None)) if v}
        if info:
            meta["docx_info"] = info
    except Exception:  # a broken docProps part does not make the document unreadable
        pass
    return Document(blocks=blocks, text=flatten(blocks), media_type=DOCX_TYPE, layout="docx", meta=meta)


def check_zip(data: bytes, cap: int) -> None:
    """Refuse archives that are not zips, have too many members, or unpack to more than `cap` bytes
    (counted while decompressing, so a false size header does not help)."""
    try:
        z = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as e:
        raise ReadError(f"damaged DOCX: not a valid zip archive ({_reason(e)})") from None
    with z:
        infos = z.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ReadError(f"DOCX refused: {len(infos)} zip members (limit {MAX_MEMBERS})")
        declared = sum(i.file_size for i in infos)
        if declared > cap:
            raise ReadError(f"DOCX refused: unpacks to {declared / 2**20:.0f} MB "
                            f"(limit {cap // 2**20} MB; zip bomb?)")
        total = 0
        for info in infos:
            try:
                with z.open(info) as f:
                    while chunk := f.read(1 << 20):
                        total += len(chunk)
                        if total > cap:
                            raise ReadError(f"DOCX refused: unpacks to more than {cap // 2**20} MB (zip bomb?)")
            except ReadError:
                raise
            except Exception as e:
                raise ReadError(f"damaged DOCX: member {info.filename} cannot be unpacked ({_reason(e)})") from None


def _reason(e: BaseException) -> str:
    msg = str(e).strip() or type(e).__name__
    return msg.splitlines()[0][:120]


# ---------------------------------------------------------------------------------------- body


def _walk(parent, blocks: list[Table | Paragraph], num: _Numbering) -> None:
    for el in parent.iterchildren():
        tag = el.tag
        if tag == W + "p":
            text = num.prefix(el) + paragraph_text(el)
            for line in text.split("\n"):
                if line.strip():
                    blocks.append(Paragraph(line.strip()))
        elif tag == W + "tbl":
            rows = _table(el, num)
            if rows:
                blocks.append(Table(rows, source="docx"))
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
            inner = el.find(W + "sdtContent") if tag == W + "sdt" else el
            if inner is not None:
                _walk(inner, blocks, num)


def paragraph_text(p) -> str:
    """Visible text of a paragraph: runs, tabs as spaces, breaks as newlines; deleted text, field
    codes and the fallback copy of alternate content are left out."""
    out: list[str] = []

    def visit(el) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag == MC + "Fallback" or tag in (W + "del", W + "instrText", W + "delText"):
                continue
            if tag == W + "t":
                out.append(child.text or "")
            elif tag == W + "tab":
                out.append(" ")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            elif tag == W + "p":  # a paragraph inside a text box: a line of its own
                if out and out[-1] != "\n":
                    out.append("\n")
                visit(child)
                out.append("\n")
            else:
                visit(child)

    visit(p)
    return "".join(out)


# ------------------------------------------------------------------------------ list numbering

_CN_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else "") + (_CN_DIGITS[ones] if ones else "")


def _roman(n: int) -> str:
    out = ""
    for v, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                   (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= v:
            out, n = out + sym, n - v
    return out


_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate({ord(c): 0xFF10 + int(c) for c in "0123456789"}),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "chineseCounting": _chinese, "chineseCountingThousand": _chinese, "ideographTraditional": _chinese,
    "japaneseCounting": _chinese, "taiwaneseCounting": _chinese, "chineseLegalSimplified": _chinese,
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26), "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
    "lowerRoman": _roman, "upperRoman": lambda n: _roman(n).upper(),
    "none": lambda n: "", "bullet": lambda n: "",
}


class _Numbering:
    """Word list numbering (numbering.xml): the "一、" / "（二）" / "1." Word draws in front of a
    numbered paragraph is not in its text; headings numbered this way would be lost to the section
    splitter. Counters run in body order, per list and level; bullets add nothing."""

    def __init__(self, d) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = d.part.numbering_part.element
        except Exception:  # no numbering part: nothing is numbered
            return
        abstract: dict[str | None, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(W + "abstractNum"):
            levels = {}
            for lvl in an.findall(W + "lvl"):
                levels[_int(lvl.get(W + "ilvl"), 0)] = (
                    _val(lvl, W + "numFmt") or "decimal", _val(lvl, W + "lvlText") or "", _int(_val(lvl, W + "start"), 1))
            abstract[an.get(W + "abstractNumId")] = levels
        for num in root.findall(W + "num"):
            levels = dict(abstract.get(_val(num, W + "abstractNumId"), {}))
            for ov in num.findall(W + "lvlOverride"):
                ilvl, start = _int(ov.get(W + "ilvl"), 0), _val(ov, W + "startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = (levels[ilvl][0], levels[ilvl][1], _int(start, 1))
            self.levels[num.get(W + "numId")] = levels
        try:
            for st in d.styles.element.findall(W + "style"):
                self.styles[st.get(W + "styleId")] = (
                    _val(st, f"{W}pPr/{W}numPr/{W}numId"), _val(st, f"{W}pPr/{W}numPr/{W}ilvl"), _val(st, W + "basedOn"))
        except Exception:
            pass

    def _num_pr(self, p) -> tuple[str | None, int]:
        num_id, ilvl = _val(p, f"{W}pPr/{W}numPr/{W}numId"), _val(p, f"{W}pPr/{W}numPr/{W}ilvl")
        style = _val(p, f"{W}pPr/{W}pStyle")
        for _ in range(6):  # the style chain (basedOn) may carry the numbering
            if num_id is not None or style is None or style not in self.styles:
                break
            s_num, s_lvl, style = self.styles[style]
            num_id, ilvl = num_id or s_num, ilvl if ilvl is not None else s_lvl
        return num_id, _int(ilvl, 0)

    def prefix(self, p) -> str:
        if not self.levels:
            return ""
        num_id, ilvl = self._num_pr(p)
        levels = self.levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        count = self.counters.setdefault(num_id, {})
        count[ilvl] = count.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in count if k > ilvl]:
            del count[deeper]
        fmt, text, _start = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""

        def level_text(m) -> str:
            k = int(m.group(1)) - 1
            f = levels.get(k, ("decimal", "", 1))[0]
            n = count.get(k, levels.get(k, ("", "", 1))[2])
            return _FORMATS.get(f, str)(n)

        return re.sub(r"%([1-9])", level_text, text)


def _cells_of(tr):
    """The w:tc of a row, including cells wrapped in content controls or custom XML."""
    for el in tr.iterchildren():
        if el.tag == W + "tc":
            yield el
        elif el.tag in (W + "sdt", W + "customXml"):
            inner = el.find(W + "sdtContent") if el.tag == W + "sdt" else el
            if inner is not None:
                yield from _cells_of(inner)


def _val(el, path: str, default: str | None = None) -> str | None:
    found = el.find(path)
    if found is None:
        return default
    return found.get(W + "val", "")


def _int(v: str | None, default: int = 1) -> int:
    try:
        return max(0, int(v)) if v not in (None, "") else default
    except ValueError:
        return default


def _table(tbl, num: _Numbering) -> list:
    """Grid of a w:tbl: gridSpan -> colspan, vMerge restart/continue -> rowspan, gridBefore -> offset."""
    owner: dict[tuple[int, int], Box] = {}
    trs = [el for el in tbl.iterchildren() if el.tag == W + "tr"]
    n_cols = 0
    for r, tr in enumerate(trs):
        c = _int(_val(tr, f"{W}trPr/{W}gridBefore"), 0)
        last: Box | None = None
        for tc in _cells_of(tr):
            span = max(1, _int(_val(tc, f"{W}tcPr/{W}gridSpan"), 1))
            vmerge = _val(tc, f"{W}tcPr/{W}vMerge")
            hmerge = _val(tc, f"{W}tcPr/{W}hMerge")
            above = owner.get((r - 1, c))
            if hmerge is not None and hmerge != "restart" and last is not None and last.r0 == r:
                box = last  # legacy horizontal merge: this cell widens the one on its left
                box.c1 = c + span
            elif vmerge is not None and vmerge != "restart" and above is not None and above.c0 == c:
                box = above  # vertical merge: the cell above grows one row
                box.r1 = r + 1
                box.c1 = max(box.c1, c + span)
            else:
                box = Box(r, c, r + 1, c + span, text=_cell_text(tc, num))
            for cc in range(c, c + span):
                owner[(r, cc)] = box
            last = box
            c += span
        n_cols = max(n_cols, c)
    if not trs or not n_cols:
        return []
    for r in range(len(trs)):
        for c in range(n_cols):
            if (r, c) not in owner:
                owner[(r, c)] = Box(r, c, r + 1, c + 1)
    return to_cells(owner, list(range(len(trs))), n_cols)


def _cell_text(tc, num: _Numbering) -> str:
    """All paragraphs of a cell (nested tables flattened), wrapped lines joined."""
    lines: list[str] = []
    for el in tc.iterchildren():
        if el.tag == W + "p":
            lines += (num.prefix(el) + paragraph_text(el)).split("\n")
        elif el.tag == W + "tbl":
            lines += [_cell_text(inner, num) for tr in el.iterchildren(W + "tr") for inner in _cells_of(tr)]
        elif el.tag in (W + "sdt", W + "customXml"):
            inner = el.find(W + "sdtContent") if el.tag == W + "sdt" else el
            if inner is not None:
                lines.append(_cell_text(inner, num))
    return join_lines(lines)

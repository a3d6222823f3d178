"""PDF reader: the ruled tables as span-aware grids, the rest as paragraphs, in reading order.

Reports published as PDF are mostly Word/WPS exports with ruled tables. Their text stream alone
scrambles the tables (wrapped labels interleave with number rows, narrow header cells come out as
vertical single characters, D13), so the reader rebuilds each ruled table from its cell rectangles
(pdfplumber's table finder) and places every character into the cell that contains it:

- a table that runs over a page break is joined into one grid (a header repeated on the new page is
  dropped, a span cut by the break is closed again);
- the filled band WPS paints behind each line of running text is not a rule, and a one-column box
  is a frame, not a table: paragraphs are never read as tables;
- page numbers and running headers/footers (`- 3 -`, `— 5 —`, `第 3 页`) are dropped;
- wrapped lines are joined into paragraphs. Outside ruled tables (tables drawn without rules),
  header words wrapped in narrow cells, stacks of single characters included (D13), are joined
  per column, and a blank cell keeps an empty tab slot where the value columns line up.

`Document.text` holds paragraphs one per line and each table row as one line with its cells joined
by "\t" (the convention of the HTML reader), so the stream extractor can fall back on it.
A PDF without any text layer is reported as "scanned, no text layer"; nothing is guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

from ..layout import Document, GridCell, Paragraph, Table
from . import ReadError

MAX_BYTES = 64 * 1024 * 1024  # larger than any annual report; beyond it the file is not one
MAX_PAGES = 150  # pages read (a report has 5–30); a longer file is read up to here and says so

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－―‒_~·•\s]*\d{1,4}[-—–－―‒_~·•\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$", re.I)
_NUMBERED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+\s*[.．、])")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")
_CID = re.compile(r"^\(cid:\d+\)$")
_NUMERIC = re.compile(r"^[\s\d.,，+\-－%％万元件个条]*$")


@dataclass
class _Part:
    """One ruled table as found on one page: cell rectangles plus the characters inside them."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    cells: list[tuple[float, float, float, float]]
    chars: list[dict] = field(default_factory=list)


@dataclass
class _Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str  # words separated by " ", columns (wide gaps) by "\t"
    gappy: bool = False  # has a column gap: a row of an unruled table, never joined to a paragraph
    chars: list[dict] = field(default_factory=list)
    segs: list[tuple[float, float, str]] = field(default_factory=list)  # the tab-separated parts, placed


# ---------------------------------------------------------------------------------------- entry


def read_pdf(data: bytes, name: str = "") -> Document:
    """Read a PDF into blocks (paragraphs and span-aware tables) and flattened text."""
    _precheck(data)
    import pdfplumber

    try:
        pdf = pdfplumber.open(BytesIO(data))
    except Exception as e:  # pdfplumber wraps every pdfminer failure
        raise ReadError(_open_error(e)) from None
    warnings: list[str] = []
    with pdf:
        try:
            pages = pdf.pages
        except Exception as e:
            raise ReadError(f"damaged PDF: cannot read its page tree ({_reason(e)})") from None
        if len(pages) > MAX_PAGES:
            warnings.append(f"only the first {MAX_PAGES} of {len(pages)} pages were read")
            pages = pages[:MAX_PAGES]
        items: list[list[_Part | _Line]] = []
        n_chars = n_cid = 0
        images: list[int] = []
        for i, page in enumerate(pages):
            try:
                page_items, chars, n_img, cid = _read_page(page, i)
            except Exception as e:
                raise ReadError(f"damaged PDF: page {i + 1} cannot be read ({_reason(e)})") from None
            items.append(page_items)
            images.append(n_img)
            n_chars += chars
            n_cid += cid
        meta = _info(pdf)
        sizes = [(p.height, p.width) for p in pages]
    if n_chars and n_cid > n_chars / 2:
        raise ReadError("PDF text cannot be decoded: its fonts have no Unicode map (characters come out as "
                        "(cid:N)); OCR needed, nothing was read")
    _drop_running_lines(items, sizes)
    # a page whose only text was its page number is an image page when it has images
    scanned = [i + 1 for i, (its, n) in enumerate(zip(items, images, strict=True)) if n and not its]
    if not any(items):
        if scanned:
            raise ReadError(f"scanned, no text layer: {len(scanned)} of {len(pages)} page(s) are images; "
                            "OCR is not done, nothing was read")
        raise ReadError("PDF has no text layer (no characters on any page)")
    if scanned:
        warnings.append(f"scanned, no text layer on page(s) {_ranges(scanned)}")
    blocks = _assemble(items)
    meta.update(pages=len(pages))
    if warnings:
        meta["warnings"] = warnings
    return Document(blocks=blocks, text=flatten(blocks), media_type="application/pdf", layout="pdf",
                    meta=meta)


def _precheck(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise ReadError(f"PDF too large ({len(data) / 2**20:.0f} MB, limit {MAX_BYTES // 2**20} MB)")
    if b"%PDF-" not in data[:1024]:
        raise ReadError("not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-8192:]:
        raise ReadError("truncated PDF: no %%EOF marker at the end (incomplete download?)")


def _reason(e: BaseException) -> str:
    inner = e.args[0] if getattr(e, "args", None) and isinstance(e.args[0], BaseException) else e
    msg = str(inner).strip() or type(inner).__name__
    return msg.splitlines()[0][:120]


def _open_error(e: BaseException) -> str:
    inner = e.args[0] if getattr(e, "args", None) and isinstance(e.args[0], BaseException) else e
    kind = type(inner).__name__
    if "Password" in kind or "Encryption" in kind:
        return "encrypted PDF: a password is needed to open it"
    return f"damaged PDF: {_reason(e)}"


def _info(pdf) -> dict:
    """PDF document-info strings (Title, Author, dates), decoded; kept as hints, never as the title."""
    out: dict = {}
    try:
        info = pdf.doc.info[0] if pdf.doc.info else {}
    except Exception:
        return out
    for key in ("Title", "Author", "Subject", "CreationDate", "ModDate"):
        v = info.get(key)
        try:
            v = v.resolve() if hasattr(v, "resolve") else v
        except Exception:
            continue
        if isinstance(v, bytes):
            v = _decode_pdf_string(v)
        if isinstance(v, str) and v.strip():
            out.setdefault("pdf_info", {})[key.lower()] = v.strip()
    return out


def _decode_pdf_string(b: bytes) -> str:
    if b.startswith((b"\xfe\xff", b"\xff\xfe")):
        return b.decode("utf-16", "replace")
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("latin-1")


def _ranges(nums: list[int]) -> str:
    out, start = [], None
    for i, n in enumerate(nums):
        if start is None:
            start = n
        if i + 1 == len(nums) or nums[i + 1] != n + 1:
            out.append(str(start) if start == n else f"{start}–{n}")
            start = None
    return ", ".join(out)


# ---------------------------------------------------------------------------------------- one page


def _not_a_band(page_width: float):
    """Drop the filled rectangles WPS paints behind every line of running text (wide, one line
    high, no stroke): as table edges they would turn paragraphs into one-column tables. Strokes,
    thin bars and cell-sized fills (some tables draw their borders with nothing else) stay."""
    def keep(obj: dict) -> bool:
        if obj.get("object_type") != "rect" or obj.get("stroke") or min(obj["width"], obj["height"]) <= 2.5:
            return True
        return not (obj["width"] >= 0.5 * page_width and obj["height"] <= 40)
    return keep


def _read_page(page, index: int) -> tuple[list[_Part | _Line], int, int, int]:
    """Ruled tables and text lines of one page, in top-to-bottom order; also the counts of
    characters, images and undecodable "(cid:N)" glyphs."""
    chars = [c for c in page.dedupe_chars().chars if c.get("text")]
    n_images = len(page.images)
    n_cid = 0
    for c in chars:  # a glyph without a Unicode value stays visible as U+FFFD: a cell holding one
        if _CID.match(c["text"]):  # is text, never a shorter number or a blank
            c["text"] = "\ufffd"
            n_cid += 1
    if not any(c["text"].strip() for c in chars):
        return [], 0, n_images, 0
    ruled = page.filter(_not_a_band(page.width))
    parts: list[_Part] = []
    for t in ruled.find_tables({"snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3}):
        cells = [c for c in t.cells if c[2] - c[0] > 1 and c[3] - c[1] > 1]
        if len(_cluster([v for c in cells for v in (c[0], c[2])], 4.0)) < 3:
            continue  # one column: a frame around text (a boxed title or note), read as text
        x0, top, x1, bottom = t.bbox
        parts.append(_Part(index, x0, top, x1, bottom, cells))
    free: list[dict] = []
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for p in parts:
            if p.x0 <= cx <= p.x1 and p.top <= cy <= p.bottom:
                p.chars.append(ch)
                break
        else:
            free.append(ch)
    parts = [p for p in parts if any(c["text"].strip() for c in p.chars)]
    lines = _lines(free, index)
    items: list[_Part | _Line] = [*parts, *lines]
    items.sort(key=lambda it: it.top)
    return items, sum(1 for c in chars if c["text"].strip()), n_images, n_cid


def _lines(chars: list[dict], page: int) -> list[_Line]:
    """Group loose characters into text lines (by vertical overlap), words and column gaps."""
    rows: list[list[dict]] = []
    for ch in sorted((c for c in chars if c.get("upright", True)), key=lambda c: (c["top"], c["x0"])):
        if rows:
            last = rows[-1]
            top = min(c["top"] for c in last)
            bottom = max(c["bottom"] for c in last)
            mid = (ch["top"] + ch["bottom"]) / 2
            if top - 0.5 <= mid <= bottom + 0.5:
                last.append(ch)
                continue
        rows.append([ch])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        text, gappy, segs = _line_text(row)
        if not text.strip():
            continue
        ink = [c for c in row if c["text"].strip()]
        out.append(_Line(page, ink[0]["x0"], ink[-1]["x1"], min(c["top"] for c in ink),
                         max(c["bottom"] for c in ink), _median([c["size"] for c in ink]), text.strip(),
                         gappy, ink, segs))
    return out


def _line_text(row: list[dict]) -> tuple[str, bool, list[tuple[float, float, str]]]:
    """Text of one line: words by spaces, columns by tabs; also the columns' (x0, x1, text)."""
    out: list[str] = []
    segs: list[list] = []
    prev = None
    gappy = False
    space = False
    for ch in row:
        t = ch["text"]
        if not t.strip():
            space = True
            continue
        if prev is None:
            segs.append([ch["x0"], ch["x1"], ""])
        else:
            gap = ch["x0"] - prev["x1"]
            size = max(prev["size"], ch["size"], 1.0)
            if gap > 1.5 * size or (not space and gap >= 0.6 * size and (_digit(t) or _digit(prev["text"]))):
                out.append("\t")  # a column gap: wide, or a padded cell border next to a number
                segs.append([ch["x0"], ch["x1"], ""])
                gappy = True
            elif space or gap > 0.25 * size:
                out.append(" ")
                segs[-1][2] += " "
        out.append(t)
        segs[-1][1] = ch["x1"]
        segs[-1][2] += t
        prev, space = ch, False
    return "".join(out), gappy, [(a, b, c) for a, b, c in segs]


def _digit(t: str) -> bool:
    return t.isascii() and t.isdigit()


def _median(xs: list[float]) -> float:
    s = sorted(xs)
    return s[len(s) // 2] if s else 0.0


# ---------------------------------------------------------------------------- headers and footers


def _drop_running_lines(items: list[list[_Part | _Line]], sizes: list[tuple[float, float]]) -> None:
    """Remove page numbers and running headers/footers from the margins of every page."""
    def margin(it: _Line, height: float) -> bool:
        return it.top > height * 0.85 or it.bottom < height * 0.10

    keys: Counter[str] = Counter()
    for page_items, (height, _w) in zip(items, sizes, strict=True):
        seen = set()
        for it in page_items:
            if isinstance(it, _Line) and margin(it, height):
                seen.add(re.sub(r"\d+", "#", re.sub(r"\s+", "", it.text)))
        keys.update(seen)
    repeated = {k for k, n in keys.items() if n >= 3 and n >= len(items) / 2}
    for page_items, (height, _w) in zip(items, sizes, strict=True):
        lines = [it for it in page_items if isinstance(it, _Line)]
        edge = {id(lines[0]), id(lines[-1])} if lines else set()
        keep = []
        for it in page_items:
            if isinstance(it, _Line):
                key = re.sub(r"\d+", "#", re.sub(r"\s+", "", it.text))
                if _PAGE_NUMBER.match(it.text) and (
                        (margin(it, height) and id(it) in edge) if it.text.strip().isdigit()  # a bare "3"
                        else (margin(it, height) or id(it) in edge)):  # "- 3 -", "第 3 页"
                    continue
                if key in repeated and margin(it, height):
                    continue
            keep.append(it)
        page_items[:] = keep


# ---------------------------------------------------------------------------------- assembling


def _assemble(items: list[list[_Part | _Line]]) -> list[Table | Paragraph]:
    """Reading order across pages: join tables cut by a page break, lines into paragraphs."""
    flow: list[list[_Part] | list[_Line]] = []  # groups: table parts or runs of lines
    for page_items in items:
        for k, it in enumerate(page_items):
            last = flow[-1] if flow else None
            if isinstance(it, _Part):
                if (k == 0 and last and isinstance(last[0], _Part) and last[-1].page == it.page - 1
                        and abs(last[-1].x0 - it.x0) < 8 and abs(last[-1].x1 - it.x1) < 8):
                    last.append(it)
                else:
                    flow.append([it])
            elif last and isinstance(last[0], _Line):
                last.append(it)
            else:
                flow.append([it])
    blocks: list[Table | Paragraph] = []
    n_tables = 0
    for group in flow:
        if isinstance(group[0], _Part):
            rows = _grid(group)  # type: ignore[arg-type]
            if rows:
                blocks.append(Table(rows, source="pdf", index=n_tables))
                n_tables += 1
        else:
            blocks += [Paragraph(t) for t in _paragraphs(group)]  # type: ignore[arg-type]
    return blocks


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Join wrapped lines: a line continues the previous one when that one ran to the right margin
    and this one is not indented. Table-like lines (column gaps) stay lines of their own; stacks of
    short vertical header fragments are read column by column (D13)."""
    lines = _fill_blank_columns(_read_vertical_stacks(lines))
    if not lines:
        return []
    xs0 = sorted(ln.x0 for ln in lines)
    left_margin = xs0[int(0.1 * (len(xs0) - 1))]  # continuation lines and headings start here
    right_margin = sorted(ln.x1 for ln in lines)[int(0.9 * (len(lines) - 1))]
    out: list[str] = []
    prev: _Line | None = None
    for ln in lines:
        size = ln.size or 10
        joins = (prev is not None and not prev.gappy and not ln.gappy and prev.page <= ln.page <= prev.page + 1
                 and prev.x1 >= right_margin - 1.5 * size and ln.x0 <= left_margin + 0.8 * size
                 and (ln.page != prev.page or ln.top - prev.bottom < 1.2 * size)
                 and not _HEADING.match(ln.text))
        if joins:
            out[-1] = join_lines([out[-1], ln.text])
        else:
            out.append(ln.text)
        prev = ln
    return out


def _tokens(chars: list[dict]) -> list[list[dict]]:
    """Characters of a line grouped into words: a new word after a space or a visible gap."""
    out: list[list[dict]] = []
    space = True
    for ch in chars:
        if not ch["text"].strip():
            space = True
            continue
        if out and not space and ch["x0"] - out[-1][-1]["x1"] <= 0.25 * max(ch["size"], 1):
            out[-1].append(ch)
        else:
            out.append([ch])
        space = False
    return out


def _read_vertical_stacks(lines: list[_Line]) -> list[_Line]:
    """Header cells wrapped inside narrow cells of a table without rules: a line of short
    fragments set tightly under a line of words, each fragment under one word, continues those
    words ("结果维 结果纠 …" / "持 正 …" -> "结果维持", "结果纠正"; stacks of single characters, D13,
    the same line after line). The merged line is a row of cells joined by tabs."""
    out: list[_Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        merged = _continue_words(prev, ln) if prev is not None else None
        if merged is not None:
            out[-1] = merged
        else:
            out.append(ln)
    return out


def _continue_words(a: _Line, b: _Line) -> _Line | None:
    if a.page != b.page or b.top - a.bottom >= 0.6 * (b.size or 10) or b.top < a.top:
        return None
    words_a, words_b = _tokens(a.chars), _tokens(b.chars)
    if len(words_a) < 3 or not words_b or len(words_b) > len(words_a):
        return None
    if any(len(w) > 3 or "".join(c["text"] for c in w).strip(".,0123456789+-%") == "" for w in words_b):
        return None
    size = b.size or 10
    target: dict[int, list[dict]] = {}
    for w in words_b:
        x0, x1 = w[0]["x0"], w[-1]["x1"]
        hits = [i for i, v in enumerate(words_a)
                if abs(v[0]["x0"] - x0) <= 0.5 * size or abs((v[0]["x0"] + v[-1]["x1"]) / 2 - (x0 + x1) / 2) <= 0.5 * size]
        if len(hits) != 1 or hits[0] in target:
            return None
        target[hits[0]] = w
    cells = ["".join(c["text"] for c in w) + "".join(c["text"] for c in target.get(i, [])) for i, w in enumerate(words_a)]
    segs = [(w[0]["x0"], max(c["x1"] for c in w + target.get(i, [])), t)
            for i, (w, t) in enumerate(zip(words_a, cells, strict=True))]
    return _Line(a.page, a.x0, max(a.x1, b.x1), a.top, b.bottom, a.size, "\t".join(cells), True,
                 [c for i, w in enumerate(words_a) for c in w + target.get(i, [])], segs)


_VALUE = re.compile(r"^(?:[+\-]?\d[\d,，.]*%?|[/／\-－—―]+|无)$")


def _fill_blank_columns(lines: list[_Line]) -> list[_Line]:
    """Rows of a table without rules lose their blank cells (D1) in plain text. Where the value
    columns can be seen - values of several rows lined up (left, centre or right) - each row is
    written with one tab-separated slot per column right of its label, "" where nothing is printed.
    All or nothing per table: if one value does not sit in a column, the rows stay as they are."""
    i = 0
    while i < len(lines):
        if not lines[i].gappy:
            i += 1
            continue
        j, last = i, i
        while j < len(lines) and j - last <= 3 and lines[j].page - lines[last].page <= 1:
            if lines[j].gappy:
                last = j
            elif _HEADING.match(lines[j].text) or len(lines[j].text) > 20:
                break  # a heading or prose between two tables
            j += 1
        _fill_block([ln for ln in lines[i:last + 1] if ln.gappy])
        i = last + 1
    return lines


def _fill_block(rows: list[_Line]) -> None:
    size = _median([ln.size for ln in rows]) or 10
    valued = [(ln, [s for s in ln.segs if _VALUE.match(s[2].replace(" ", ""))]) for ln in rows]
    valued = [(ln, vs) for ln, vs in valued if vs]
    if len(valued) < 3:
        return
    best: tuple[int, list[float], int] | None = None
    for mode in (0, 1, 2):  # the values' left edges, centres or right edges line up
        pos = [_seg_pos(s, mode) for _ln, vs in valued for s in vs]
        cols = _cluster(pos, 0.6 * size)
        support = [sum(1 for p in pos if abs(p - c) <= 0.6 * size) for c in cols]
        cols = [c for c, n in zip(cols, support, strict=True) if n >= 2]
        if len(cols) < 2 or any(b - a < 1.2 * size for a, b in zip(cols, cols[1:], strict=False)):
            continue
        if best is None or len(cols) < best[2]:
            best = (mode, cols, len(cols))
    if best is None:
        return
    mode, cols, _n = best
    plans = []
    for ln, vs in valued:
        first = ln.segs.index(vs[0])
        if any(not _VALUE.match(s[2].replace(" ", "")) for s in ln.segs[first:]):
            return  # text after the first value: not a plain row of values
        labels = ln.segs[:first]
        edge = labels[-1][1] if labels else -1e9
        slots = [c for c in cols if c > edge]
        placed: dict[float, str] = {}
        for s in vs:
            near = [c for c in slots if abs(_seg_pos(s, mode) - c) <= 0.6 * size]
            if len(near) != 1 or near[0] in placed:
                return
            placed[near[0]] = s[2]
        plans.append((ln, [s[2] for s in labels] + [placed.get(c, "") for c in slots]))
    for ln, cells in plans:
        ln.text = "\t".join(cells)


def _seg_pos(seg: tuple[float, float, str], mode: int) -> float:
    return (seg[0], (seg[0] + seg[1]) / 2, seg[1])[mode]


# ---------------------------------------------------------------------------------------- grids


def _cluster(values: list[float], tol: float) -> list[float]:
    """Sorted distinct positions, values closer than `tol` merged (their mean)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _nearest(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


@dataclass
class Box:
    """A cell of a grid being built: rows r0..r1-1, columns c0..c1-1 (shared with the DOCX reader)."""

    r0: int
    c0: int
    r1: int
    c1: int
    chars: list[dict] = field(default_factory=list)
    text: str = ""


def _grid(parts: list[_Part]) -> list[list[GridCell]]:
    """One dense span-aware grid from the parts of a table (one part per page it runs over)."""
    xs = _cluster([v for p in parts for c in p.cells for v in (c[0], c[2])], 4.0)
    if len(xs) < 2:
        return []
    boxes: list[Box] = []
    owner: dict[tuple[int, int], Box] = {}
    starts: list[int] = []  # first grid row of each part
    base = 0
    for p in parts:
        ys = _cluster([v for c in p.cells for v in (c[1], c[3])], 2.0)
        n_rows = len(ys) - 1
        if n_rows < 1:
            continue
        starts.append(base)
        for x0, top, x1, bottom in sorted(p.cells, key=lambda c: (c[1], c[0])):
            r0, r1 = _nearest(ys, top), _nearest(ys, bottom)
            c0, c1 = _nearest(xs, x0), _nearest(xs, x1)
            if r1 <= r0 or c1 <= c0:
                continue
            slots = [(base + r, c) for r in range(r0, r1) for c in range(c0, c1)]
            if any(s in owner for s in slots):
                continue
            box = Box(base + r0, c0, base + r1, c1)
            boxes.append(box)
            for s in slots:
                owner[s] = box
        for ch in p.chars:  # by the character's centre; a slot no rectangle covers becomes a cell
            cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
            r, c = bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1
            if not (0 <= r < n_rows and 0 <= c < len(xs) - 1):
                continue
            box = owner.get((base + r, c))
            if box is None:
                box = owner[(base + r, c)] = Box(base + r, c, base + r + 1, c + 1)
                boxes.append(box)
            box.chars.append(ch)
        base += n_rows
    if not boxes:
        return []
    for b in boxes:
        b.text = _cell_text(b.chars)
    n_rows, n_cols = base, len(xs) - 1
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) not in owner:
                owner[(r, c)] = Box(r, c, r + 1, c + 1)
    drop = _repeated_header(owner, starts, n_rows, n_cols)
    for start in starts[1:]:
        below = start
        while below in drop:
            below += 1
        if below < n_rows:
            _close_page_break(owner, start - 1, below, n_cols)
    return to_cells(owner, [r for r in range(n_rows) if r not in drop], n_cols)


def _close_page_break(owner: dict[tuple[int, int], Box], last: int, start: int, n_cols: int) -> None:
    """A cell cut by the page break continues in the first row of the next page; join the two.

    `last` is the last grid row before the break, `start` the first one after it (past a repeated
    header). Joined: an empty cell under a span or under a group label (a label with more labels
    to its right: "三、本年度办理结果", "（四）无法提供"); the unnumbered rest of a numbered label
    ("（四）无" / "法提供"); the rest of a header label ("结果维" / "持"). Never a value cell:
    a blank under a number stays blank."""
    header = not any(owner[(last, c)].text and _NUMERIC.match(owner[(last, c)].text) for c in range(n_cols))
    for c in range(n_cols):
        below, above = owner[(start, c)], owner.get((last, c))
        if above is None or below is above or below.r0 != start or c != below.c0:
            continue
        if (below.c0, below.c1) != (above.c0, above.c1):
            continue
        label_above = bool(above.text) and not _NUMERIC.match(above.text)
        group = label_above and any(
            owner[(last, cc)].text and not _NUMERIC.match(owner[(last, cc)].text) for cc in range(above.c1, n_cols))
        if not below.text:
            if not (above.r1 - above.r0 > 1 or group or (header and label_above)):
                continue
        elif not (label_above and not _NUMERIC.match(below.text) and not _NUMBERED.match(below.text)
                  and not _HEADING.match(below.text) and (_NUMBERED.match(above.text) or header)):
            continue
        above.text = join_lines([above.text, below.text]) if below.text else above.text
        for r in range(below.r0, below.r1):
            for cc in range(below.c0, below.c1):
                owner[(r, cc)] = above
        above.r1 = max(above.r1, below.r1)


def _repeated_header(owner: dict[tuple[int, int], Box], starts: list[int], n_rows: int,
                     n_cols: int) -> set[int]:
    """Grid rows to drop: the table's header rows repeated at the top of a continuation page."""
    def row_text(r: int) -> list[str]:
        return [re.sub(r"\s+", "", owner[(r, c)].text) for c in range(n_cols)]

    drop: set[int] = set()
    for start in starts[1:]:
        k = 0
        while k < 4 and start + k < n_rows and row_text(start + k) == row_text(k) and any(row_text(k)):
            k += 1
        if k and all(not _NUMERIC.match(t) or not t for r in range(k) for t in row_text(r)):
            drop.update(range(start, start + k))
    return drop


def to_cells(owner: dict[tuple[int, int], Box], keep: list[int], n_cols: int) -> list[list[GridCell]]:
    """Dense GridCell rows from a slot -> Box map (every slot of `keep` rows × n_cols present)."""
    new_index = {r: i for i, r in enumerate(keep)}
    out: list[list[GridCell]] = []
    for r in keep:
        row = []
        for c in range(n_cols):
            b = owner[(r, c)]
            rows_kept = [rr for rr in range(b.r0, b.r1) if rr in new_index]
            r0 = new_index[rows_kept[0]]
            row.append(GridCell(b.text, new_index[r], c, len(rows_kept), b.c1 - b.c0,
                                anchor=(new_index[r] == r0 and c == b.c0), origin=(r0, b.c0)))
        out.append(row)
    return out


def _cell_text(chars: list[dict]) -> str:
    """Text of one cell: its lines top to bottom, joined (a vertical label of single characters
    becomes one word: "三\\n、\\n本\\n年" -> "三、本年")."""
    lines = _lines(chars, 0)
    return join_lines([ln.text.replace("\t", " ") for ln in lines])


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines of one cell or paragraph: no space between CJK (or digits), a space
    between two Latin words."""
    out = ""
    for ln in (x.strip() for x in lines):
        if not ln:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and ln[0].isascii() and ln[0].isalpha():
            out += " "
        out += ln
    return out


# ---------------------------------------------------------------------------------------- text


def flatten(blocks: list[Table | Paragraph]) -> str:
    """Document.text: paragraphs one per line, each table row one line of its anchor cells joined
    by tab (the HTML reader's convention), rows without any text left out."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append(b.text)
        else:
            for row in b.rows:
                cells = [c.text for c in row if c.anchor]
                if any(cells):
                    out.append("\t".join(cells))
    return "\n".join(out)

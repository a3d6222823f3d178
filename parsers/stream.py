"""Read tables 二/三/四 from a document's TEXT when no usable grid exists.

Text loses the grid in many ways (templates.md §8, the corpus): one cell per line with blank cells
leaving no line at all, rows of numbers with labels wrapped above or below them, markdown tables
broken by OCR, page footers inside tables, cells glued together with no separator. What survives
is the reading order. So the text is read as a stream of *groups* (the numbers of one row, with the
label printed beside or above them, if any), the groups are aligned with the rows of the official
format (data: parsers/templates) by label and by order, and the numbers of each group are placed
into the row's columns. Where a placement or a split of glued digits is not unique, the consistency
rules R1/R2/R3/R5 (parsers/checks.py) choose among the candidates — they select an arrangement of
what was printed, they never change a value. A cell that still cannot be placed is reported with
`uncertain=True` and a note; a blank is never turned into 0.

Module map: lexing (lines -> tokens) · regions (where each table is) · groups · label matching ·
placement candidates and the rule solver · the three tables · `read_stream_tables`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import cache, lru_cache

from .checks import rules as check_rules
from .extract import TableRead, section_four_version
from .labels import normalize, strip_annotation
from .layout import Document
from .readers.text import PAGE_MARK, PIPE_ROW, PIPE_RULE, loose_pipes, pipe_cells
from .report import CellRecord
from .sections import heading_code
from .templates import VERSIONS, common, s3_rows, table_fields
from .values import Value, parse_value

LABEL_MIN_F1 = 0.75  # label text vs official label (typos, a lost line of a wrapped label)
LABEL_MARGIN = 0.05  # the best label must beat the best other row by this much
ORDER_LABEL_F1 = 0.8  # labels used to judge whether the labels of a table still follow the format's order
MIN_FUZZY_CHARS = 5  # a fuzzy label match must share at least this many characters
MAX_CANDIDATES = 20000  # per row; beyond this a row is reported uncertain rather than searched
# The rule solver's budget per table, in work units (~250k a CPU second here): a rule run costs a
# unit per row it reads and OPEN_WORK per row still open (sum-set bits built), a choice NODE_WORK.
MAX_WORK = 45000
OPEN_WORK = 4
NODE_WORK = 8
# Memos of texts seen (labels, cell values) are bounded: a crawl parses thousands of reports, and a
# large long-lived cache also makes every full garbage collection (which lands on some parse) slower.
CACHE_SIZE = 1 << 13

# ---------------------------------------------------------------------------------------------
# Lexing: one line of text -> cells (pipe / tab rows) or tokens (free text).

_NUM_RE = r"[+\-]?\d+(?:[,，]\d{3})*(?:\.\d+)?(?:万元|亿元|元)?"
_TOKEN = re.compile(
    r"(?P<annot>\([^()]*\))"
    r"|(?P<numbering>(?<![\d.])\d{1,2}[.、](?!\d))"
    rf"|(?P<num>(?<=\d)[+\-]\d+(?:\.\d+)?|(?<![\d.]){_NUM_RE})"  # `0+3326`: a sign starts a new number
    r"|(?P<na>(?<!\S)(?:—{1,2}|-{1,2}|/|无|不适用)(?!\S))"
    r"|(?P<ws>\s+)"
    r"|(?P<text>[^\s()\d]+|.)"
)
_CELL_NUM = re.compile(rf"^{_NUM_RE}$")
_ANNOT_ANY = re.compile(r"\([^()]*\)")
_NA_CELL = {"/", "-", "--", "—", "——", "无", "不适用", "N/A", "\\"}
_HEADING = re.compile(r"^#+\s*")
_CAPTION = re.compile(r"第二十条第?\(([一二三四五六七八九十]+)\)项")
_ANNOT_LINE = re.compile(r"^\([^()]{1,20}\)$")


@dataclass
class Tok:
    kind: str  # value | blank | label
    text: str  # as printed (NFKC); for values the number/NA text without annotation
    line: int
    glued: bool = False  # digits touching label text with no separator: may be several cells
    annot: str = ""  # an annotation printed with the value: `22（其中修订16件）`

    @property
    def raw(self) -> str:
        return self.text + (f"({self.annot})" if self.annot else "")


@dataclass
class Segment:
    """A label and the values printed after it on the same line (either may be empty)."""

    label: str
    values: list[Tok]
    line: int
    positional: bool  # values are explicit cells (pipe/tab): a blank is a cell
    prose: bool = False  # a line of narrative: its numbers are not table cells
    gap: int = 0  # empty lines right before this segment's line
    parts: list[str] = field(default_factory=list)  # label cells of a pipe/tab row, one by one


def _clean_line(line: str) -> str:
    t = unicodedata.normalize("NFKC", line).replace("−", "-").replace("\u3000", " ").replace("\xa0", " ")
    return t.rstrip("\r\n ")  # trailing tabs are the blank cells of a tab-separated row


def _classify_cell(cell: str, line: int) -> Tok:
    t = cell.strip()
    if not t:
        return Tok("blank", "", line)
    bare = _ANNOT_ANY.sub("", t).replace(" ", "")
    annot = "".join(a[1:-1] for a in _ANNOT_ANY.findall(t))
    if _CELL_NUM.match(bare) or bare in _NA_CELL:
        return Tok("value", bare, line, annot=annot)
    return Tok("label", t, line)


def lex_line(line: str, no: int, loose: bool = False) -> list[Segment]:
    """Segments of one line; [] for blank lines, page markers and markdown rules. `loose`: the page
    prints table rows without outer pipes (readers.text.loose_pipes)."""
    t = _clean_line(line)
    if not t.strip() or PAGE_MARK.match(t) or PIPE_RULE.match(t):
        return []
    if "\t" in t.strip(" ") and not PIPE_ROW.match(t.strip()):
        cells = t.strip(" ").split("\t")  # a table row as the HTML reader renders it: blanks are ""
    else:
        t = _HEADING.sub("", t.strip())
        cells = pipe_cells(t, loose) or []
    if cells:
        toks = [_classify_cell(c, no) for c in cells]
        labels = [x.text for x in toks if x.kind == "label"]
        last_label = max((i for i, x in enumerate(toks) if x.kind == "label"), default=-1)
        values = toks[last_label + 1:]
        if not labels and not any(x.kind == "value" for x in values):
            return []
        return [Segment("".join(labels), values, no, True, parts=labels)]
    if is_prose_line(t):
        return [Segment(t.strip(), [], no, False, prose=True)]
    return _lex_free(t, no)


_OPEN_TAIL = re.compile(r"\([^)]*$")
_CLOSE_HEAD = re.compile(r"^[^(]*\)")


def is_prose_line(t: str) -> bool:
    """A sentence of narrative, not a table row: sentence punctuation, or commas outside the
    parentheses of a label (`（二）部分公开（区分处理的，只计…）` keeps its commas inside)."""
    bare = _CLOSE_HEAD.sub("", _OPEN_TAIL.sub("", _ANNOT_ANY.sub("", normalize(t))))
    if re.search(r"[。;!?]", bare):
        return True
    commas = bare.count(",")
    if commas >= 2:
        return True
    if commas == 1 and len(bare) > 20:
        label = re.sub(r"[+\-]?\d[\d.,]*$", "", re.sub(r"(?:\s*[+\-]?\d+(?:\.\d+)?)+$", "", t.strip()))
        return match_s3_label(label)[0] is None
    return False


def _lex_free(t: str, no: int) -> list[Segment]:
    parts: list[tuple[str, str]] = [(m.lastgroup or "text", m.group()) for m in _TOKEN.finditer(t)]
    segs: list[Segment] = []
    label: list[str] = []
    values: list[Tok] = []
    for i, (kind, s) in enumerate(parts):
        if kind == "ws":
            continue
        if kind in ("num", "na"):
            prev = parts[i - 1][0] if i > 0 else "ws"
            nxt = parts[i + 1][0] if i + 1 < len(parts) else "ws"
            glued = kind == "num" and (prev in ("text", "numbering", "annot", "num")
                                       or nxt in ("text", "numbering", "num"))
            values.append(Tok("value", s, no, glued=glued))
        elif kind == "annot" and values:
            values[-1].annot += s[1:-1]
        else:
            if values:
                segs.append(Segment("".join(label), values, no, False))
                label, values = [], []
            label.append(s)
    if label or values:
        segs.append(Segment("".join(label), values, no, False))
    return segs


def lex(text: str) -> list[Segment]:
    """Segments of the whole text; each knows how many empty lines stood before it (page markers
    and markdown rules do not count), so one-cell-per-line text can show where a blank cell was."""
    out: list[Segment] = []
    empty = 0
    lines = text.split("\n")
    loose = loose_pipes(lines)
    for no, line in enumerate(lines, 1):
        segs = lex_line(line, no, loose)
        if not segs:
            if not line.strip():
                empty += 1
            continue
        segs[0].gap = empty
        empty = 0
        out.extend(segs)
    return out


def is_prose(label: str) -> bool:
    """Narrative text (a sentence), as opposed to a table label."""
    return is_prose_line(label)


# ---------------------------------------------------------------------------------------------
# Groups: the numbers of one row, with the label that names them (if the text kept one).


@dataclass
class Group:
    values: list[Tok]
    label: str  # printed on the same line as the numbers ("" if none)
    pre: list[str]  # label lines since the previous group (a one-cell-per-line row's label is here)
    positional: bool
    run: bool  # built from one-value lines (one cell per line)
    line: int
    empty: bool = False  # a row label with no numbers after it (every cell blank)
    gaps: list[int] = field(default_factory=list)  # one cell per line: empty lines before each value, and after
    parts: list[str] = field(default_factory=list)  # label cells of a pipe/tab row
    end_gap: int | None = None  # one cell per line: empty lines after the last value, as printed

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def numeric(self) -> bool:
        return any(v.kind == "value" for v in self.values)

    def source(self) -> str:
        return f"line {self.line}"


@dataclass
class Stream:
    groups: list[Group]
    labels: list[tuple[int, str]]  # every label text in order: (line, text) — for order checks
    floating: list[tuple[int, str]]  # label lines not attached to numbers
    # label-only segments with the label of the segment after them ("" at the end of the region):
    # a row label followed directly by the next row's label is a row whose cells are all blank
    bare: list[tuple[int, str, str]] = field(default_factory=list)
    # bare label line -> the label printed before the numbers just above it (`2.申请人逾期` / `0 0 249
    # 249` / `未按收费通知…`: a row label split around its numbers, not a row of its own)
    split_head: dict[int, str] = field(default_factory=dict)
    before_values: set[int] = field(default_factory=set)  # bare label lines right before numbers
    base_gap: int = 0  # usual number of empty lines between two lines of the table
    # the document prints a blank cell as an empty line (some run of one-cell lines shows one):
    # cells missing at a table's end are then blanks at its end, not blanks left out anywhere
    blank_lines: bool = False
    end_pad: int | None = None  # empty lines after the other tables of the page (their own spacing)


def build_groups(segs: Sequence[Segment]) -> Stream:
    groups: list[Group] = []
    labels: list[tuple[int, str]] = []
    floating: list[tuple[int, str]] = []
    pending: list[str] = []
    run: Group | None = None

    def close_run(after: int = 0, raw: int | None = None) -> None:
        nonlocal run
        if run is not None:
            run.gaps.append(after)
            run.end_gap = raw
            groups.append(run)
            run = None

    for s in segs:
        if run is not None and not (not s.positional and not s.label and len(s.values) == 1):
            # the empty lines before the next row count blank cells; before the narrative that
            # follows a table they are the page's own spacing
            close_run(BIG_GAP if s.prose or heading_code(s.label) else s.gap, s.gap)
        last = run if run is not None else (groups[-1] if groups else None)
        if not s.values and _ANNOT_LINE.match(s.label) and last is not None and last.values:
            last.values[-1].annot += s.label[1:-1]  # `22` / `（其中修订16件）`: the note of the cell above
            continue
        if s.label:
            labels.append((s.line, s.label))
        if not s.values:
            close_run()
            if s.label:
                pending.append(s.label)
                floating.append((s.line, s.label))
            continue
        single = not s.positional and not s.label and len(s.values) == 1
        if single:
            if run is None:
                run = Group([], "", pending, False, True, s.line)
                pending = []
            run.values.extend(s.values)
            run.gaps.append(s.gap)
            continue
        close_run()
        groups.append(Group(list(s.values), s.label, pending, s.positional, False, s.line, parts=list(s.parts)))
        pending = []
    close_run(BIG_GAP)
    bare = []
    split_head = {}
    before_values = set()
    for k, s in enumerate(segs):
        if not s.values and s.label and not s.prose:
            nxt = segs[k + 1].label if k + 1 < len(segs) else ""
            bare.append((s.line, s.label, nxt))
            if k + 1 < len(segs) and segs[k + 1].values:
                before_values.add(s.line)
            if (k >= 2 and segs[k - 1].values and not segs[k - 1].label and not segs[k - 1].positional
                    and not segs[k - 2].values and segs[k - 2].label and not segs[k - 2].prose):
                split_head[s.line] = segs[k - 2].label
    # the usual spacing, from the label lines (values may all stand apart by blank cells: 2182)
    gaps = Counter(s.gap for s in segs if s.label and not s.values and not s.prose) or Counter(s.gap for s in segs)
    base = min(gaps, key=lambda g: (-gaps[g], g)) if gaps else 0
    return Stream(groups, labels, floating, bare, split_head, before_values, base_gap=base)


BIG_GAP = 10**6  # after the last cell of a table: any number of blanks could follow


def blank_layout(g: Group, base: int) -> list[int] | None:
    """Blank cells before each value of a one-cell-per-line group and after the last, read from
    the empty lines (a blank cell is an empty line: `base` + 1 more of them per blank). None when
    the spacing does not fit that reading."""
    if not g.run or len(g.gaps) != g.n + 1:
        return None
    out = []
    for k, gap in enumerate(g.gaps):
        extra = gap - base
        if gap >= BIG_GAP or (k == len(g.gaps) - 1 and extra >= 0 and extra % (base + 1)):
            out.append(BIG_GAP)
            continue
        if extra < 0 or extra % (base + 1):
            return None
        out.append(extra // (base + 1))
    return out


def shows_blank_lines(g: Group, base: int) -> bool:
    """Does this one-cell-per-line group show a blank cell as an empty line?"""
    lay = blank_layout(g, base)
    return lay is not None and any(0 < x < BIG_GAP for x in lay)


def with_blanks(g: Group, n: int, base: int, blank_lines: bool = False, end_pad: int | None = None
                ) -> list[Tok] | None:
    """The group's cells with the blank cells its spacing shows, when that gives exactly n cells.
    Blanks after the last value at a table's end (no row follows to show them) are taken as the
    cells still missing only when this group or the document shows blanks as empty lines, or when
    the table ends with exactly one empty line per missing cell more than the page's other tables."""
    lay = blank_layout(g, base)
    if lay is None:
        return None
    inner = sum(lay[:-1])
    trailing = n - g.n - inner
    if trailing < 0 or (lay[-1] != BIG_GAP and trailing != lay[-1]):
        return None
    padded = end_pad is not None and g.end_gap is not None and g.end_gap - end_pad == trailing * (base + 1)
    if trailing > 0 and lay[-1] == BIG_GAP and inner == 0 and not blank_lines and not padded:
        return None  # nothing but a table's end after the values: no evidence where blanks were
    out: list[Tok] = []
    for blanks, tok in zip(lay, g.values, strict=False):
        out.extend(Tok("blank", "", tok.line) for _ in range(blanks))
        out.append(tok)
    out.extend(Tok("blank", "", g.values[-1].line) for _ in range(trailing))
    return out


def spacing_disagrees(g: Group, n: int, stream: Stream) -> bool:
    """On a page that shows blanks as empty lines: a one-cell-per-line row whose spacing no number of
    blank cells explains (two values closer than the page's line spacing: a value printed twice, a
    cell out of place), or a full row whose empty lines show more cells than the table has. Its
    values cannot be placed by order with certainty."""
    if not (g.run and stream.blank_lines and g.n > 0 and not g.empty):
        return False
    lay = blank_layout(g, stream.base_gap)
    if lay is None:
        return True  # two lines closer than the page's spacing, or a gap no number of blanks explains
    return g.n + sum(x for x in lay[:-1] if x < BIG_GAP) > n  # more cells shown than the row has


def _trim(values: list[Tok], n: int) -> list[Tok]:
    """Positional cells beyond the table's width: drop empty ones at the end, then at the start."""
    v = list(values)
    while len(v) > n:
        if v[0].kind == "blank":
            v.pop(0)  # the empty copy of a merged label cell (`| （二）部分公开 |  | 5 |…`)
        elif v[-1].kind == "blank":
            v.pop()  # an empty cell OCR added at the end of the row
        else:
            break
    return v


# ---------------------------------------------------------------------------------------------
# Label matching.


def canon(label: str) -> str:
    """Normalised label for matching: labels.normalize, `1、` -> `1.`, no quotes."""
    t = normalize(label)
    t = re.sub(r"(?<!\d)(\d{1,2})[、.](?!\d)", r"\1.", t)
    return t.replace('"', "").replace("'", "").replace("#", "")


def _strip_num(t: str) -> str:
    return re.sub(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}\.)", "", t)


@lru_cache(maxsize=CACHE_SIZE)
def _strip_num_cached(t: str) -> str:
    return _strip_num(t)


def f1(a: str, b: str, floor: float = 0.0) -> float:
    """Character F1 of two labels; short fragments must match exactly (`予公开` is not `予以公开`).
    Returns 0 early when even the shared characters (as multisets) cannot reach `floor`."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if floor:
        sa = _charset(a)
        bound = len(sa & _charset(b)) + len(a) - len(sa)  # >= shared characters as multisets
        if bound < MIN_FUZZY_CHARS or 2 * bound / (len(a) + len(b)) < floor:
            return 0.0
    m = sum(x.size for x in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    if m < MIN_FUZZY_CHARS:
        return 0.0
    p, r = m / len(a), m / len(b)
    return 2 * p * r / (p + r)


@lru_cache(maxsize=CACHE_SIZE)
def _charset(t: str) -> frozenset[str]:
    return frozenset(t)


@dataclass(frozen=True)
class LabelKey:
    table: str
    version: str | None  # None: the label exists in both versions
    code: str | None  # row code; None for a group label / header text


@cache
def _s3_label_table() -> tuple[tuple[str, tuple[str, ...], LabelKey], ...]:
    """Every section-三 label of every version: (canonical form, stripped forms, key)."""
    out = []
    seen: dict[tuple[str, str | None], set[str]] = {}
    for v in VERSIONS:
        for r in s3_rows(v):
            seen.setdefault((r.label, r.code), set()).add(v)
    rows_by = {}
    for v in VERSIONS:
        for r in s3_rows(v):
            rows_by[(r.label, r.code)] = r
    for (label, code), vs in seen.items():
        r = rows_by[(label, code)]
        version = None if len(vs) == len(VERSIONS) else next(iter(vs))
        forms = tuple(dict.fromkeys(canon(x) for x in (label, *r.variants)))
        out.append((forms[0], forms, LabelKey("s3", version, code)))
    for h in common.S3_HEADER_LABELS + ["自然人", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构"]:
        out.append((canon(h), (canon(h),), LabelKey("s3", None, None)))
    return tuple(out)


@lru_cache(maxsize=CACHE_SIZE)
def match_s3_label(text: str) -> tuple[LabelKey | None, float]:
    """Best section-三 label for `text` by F1 over characters (with and without numbering)."""
    t = canon(text)
    if not t:
        return None, 0.0
    ts = _strip_num(t)
    scores: dict[LabelKey, float] = {}
    for _, forms, key in _s3_label_table():
        for f in forms:
            s = f1(t, f, LABEL_MIN_F1 - LABEL_MARGIN)
            fs = _strip_num_cached(f)
            if len(fs) >= 4 and ts:
                s = max(s, f1(ts, fs, LABEL_MIN_F1 - LABEL_MARGIN))
            if s > scores.get(key, 0.0):
                scores[key] = s
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < LABEL_MIN_F1:
        return None, ranked[0][1] if ranked else 0.0
    key, best = ranked[0]
    # a fragment shared by two labels (`府信息公开申请数量`) names neither
    rival = next((s for k, s in ranked[1:] if k.code != key.code), 0.0)
    if best < 1.0 and best - rival < LABEL_MARGIN:
        return None, best
    return key, best


FRAGMENT_MIN = 6  # a piece of a wrapped label this long names the rows whose label contains it


@lru_cache(maxsize=CACHE_SIZE)
def fragment_rows(text: str) -> frozenset[LabelKey]:
    """Data rows whose official label contains `text` (a piece of a label cut by a line or page
    break: `正、行政机关不再处理其政府信` is only in （六）1). Empty for short or unknown text."""
    t = canon(text)
    if len(t) < FRAGMENT_MIN:
        return frozenset()
    return frozenset(key for _, forms, key in _s3_label_table()
                     if key.code is not None and any(t in f for f in forms))


def group_label(g: Group) -> tuple[LabelKey | None, float, bool]:
    """(label key, score, weak) of a group: the same-line label, else (one cell per line) the last
    label lines before it. Labels before a row-wise group are weak evidence (they may belong to the
    row before or after: PDF text wraps labels around the numbers)."""
    if g.label:
        k, s = match_s3_label(g.label)
        if k is not None:
            return k, s, False
        for part in reversed(g.parts if len(g.parts) > 1 else []):  # `| （三）不予公开 | 1.属于国家秘密 |`
            k, s = match_s3_label(part)
            if k is not None and k.code is not None:
                return k, s, False
        # a label wrapped over two lines, the numbers on the second (`一、本年新收政府信` / `息公开… 29 0`)
        for n in (1, 2):
            if len(g.pre) >= n:
                k, s = match_s3_label("".join(g.pre[-n:]) + g.label)
                if k is not None:
                    return k, s, s < 0.85
        rows = {k.code for k in fragment_rows(g.label)}
        if len(rows) == 1:
            return next(iter(fragment_rows(g.label))), 0.8, False
    if g.pre:
        best: tuple[LabelKey | None, float] = (None, 0.0)
        for n in range(1, min(4, len(g.pre)) + 1):
            k, s = match_s3_label("".join(g.pre[-n:]))
            if k is not None and s > best[1] + 1e-9:
                best = (k, s)
        if best[0] is not None:
            return best[0], best[1], not g.run
    return None, 0.0, False


# ---------------------------------------------------------------------------------------------
# Placement candidates: which printed value goes into which column of a row.

Slot = tuple[str, str | None]  # (kind, unit) of a field


Candidate = tuple[Value | None, ...]  # per slot: the value placed there, or None (nothing printed)


def _parse(tok: Tok, slot: Slot) -> Value:
    if tok.kind == "blank":
        return Value(None, "blank", "")
    v = _parse_text(tok.text, slot[0], slot[1])
    if tok.annot:
        v = Value(v.value, v.kind, tok.raw, v.unit, v.note)
    return v


@lru_cache(maxsize=CACHE_SIZE)
def _parse_text(text: str, kind: str, unit: str | None) -> Value:
    return parse_value(text, kind, unit)


@dataclass(frozen=True)
class Shape:
    """The columns of one table row: slot kinds/units and the sums that tie them together (R2 for
    a row of section 三, R5 for each group of section 四; none in section 二)."""

    slots: tuple[Slot, ...]
    groups: tuple[tuple[tuple[int, ...], int | None], ...]  # (part slots, total slot or None)

    @staticmethod
    def plain(slots: Sequence[Slot]) -> Shape:
        return Shape(tuple(slots), ((tuple(range(len(slots))), None),))


_GLUED_NUM = re.compile(r"^(?P<sign>[+\-]?)(?P<digits>\d+)(?P<tail>(?:\.\d+)?(?:万元|亿元|元)?)$")


def _pieces(toks: Sequence[Tok], ai: int, ci: int) -> Iterable[tuple[Tok, int, int]]:
    """The next printed value from position (token ai, character ci): a whole token, or — for
    digits glued to their neighbours — any prefix of the remaining digits (no leading zeros)."""
    if ai >= len(toks):
        return
    t = toks[ai]
    m = _GLUED_NUM.match(t.text) if t.kind == "value" and t.glued else None
    if m is None or len(m["digits"]) == 1:
        if ci == 0:
            yield t, ai + 1, 0
        return
    digits = m["digits"]
    for end in range(ci + 1, len(digits) + 1):
        piece = digits[ci:end]
        if len(piece) > 1 and piece[0] == "0":
            break
        last = end == len(digits)
        text = (m["sign"] if ci == 0 else "") + piece + (m["tail"] if last else "")
        if last:
            yield Tok("value", text, t.line, annot=t.annot), ai + 1, 0
        else:
            yield Tok("value", text, t.line), ai, end


def _split_to_total(rest: str, running: int, max_parts: int) -> Iterable[tuple[list[str], str]]:
    """Ways to read a glued digit run as parts then a total, where total = running + sum(parts)."""
    for k in range(1, len(rest) + 1):
        tot = rest[-k:]
        if len(tot) > 1 and tot[0] == "0":
            continue
        target = int(tot) - running
        if target < 0:
            continue
        for parts in _split_sum(rest[:-k], target, max_parts):
            yield parts, tot


def _split_sum(digits: str, target: int, max_parts: int) -> Iterable[list[str]]:
    """Cut `digits` into at most max_parts numbers (no leading zeros) summing to target. Branches
    that cannot reach the target are known before they are walked (`_feasible`), so the walk
    costs about what it yields; a number is its digits' sum modulo 9, so 8 targets in 9 are
    refused before any cut is tried."""
    if (target - sum(map(int, digits))) % 9 or not _feasible(digits, 0, target, max_parts):
        return  # casting out nines: every cut sums to the digits' sum modulo 9
    stack: list[str] = []

    def walk(i: int, t: int, p: int) -> Iterable[list[str]]:
        if i == len(digits):
            yield list(stack)
            return
        for j, v in _cuts(digits, i, t):
            if _feasible(digits, j, t - v, p - 1):
                stack.append(digits[i:j])
                yield from walk(j, t - v, p - 1)
                stack.pop()

    yield from walk(0, target, max_parts)


def _cuts(digits: str, i: int, t: int) -> Iterable[tuple[int, int]]:
    """The next number from position i: (end, value), no leading zero, not above t."""
    for j in range(i + 1, min(i + len(str(t)), len(digits)) + 1):
        if j > i + 1 and digits[i] == "0":
            break
        v = int(digits[i:j])
        if v > t:
            break
        yield j, v


@lru_cache(maxsize=1 << 16)
def _feasible(digits: str, i: int, t: int, p: int) -> bool:
    """Can digits[i:] be cut into at most p numbers summing to t? (Memoised on the position, the
    rest of the target and the parts left; a sum out of the range `_sum_bounds` allows is cut.)"""
    if i == len(digits):
        return t == 0
    b = _sum_bounds(digits, i, p, len(str(t)))  # pieces further on are no wider than t
    if b is None or not b[0] <= t <= b[1]:
        return False
    return any(_feasible(digits, j, t - v, p - 1) for j, v in _cuts(digits, i, t))


@lru_cache(maxsize=1 << 16)
def _sum_bounds(digits: str, i: int, p: int, w: int) -> tuple[int, int] | None:
    """Smallest and largest sum of digits[i:] cut into at most p numbers of at most w digits."""
    if i == len(digits):
        return 0, 0
    lo = hi = None
    for j in range(i + 1, min(i + w, len(digits)) + 1) if p > 0 else ():
        if j > i + 1 and digits[i] == "0":
            break
        rest = _sum_bounds(digits, j, p - 1, w)
        if rest is not None:
            v = int(digits[i:j])
            lo = v + rest[0] if lo is None else min(lo, v + rest[0])
            hi = v + rest[1] if hi is None else max(hi, v + rest[1])
    return None if lo is None or hi is None else (lo, hi)


def _zero(v: Value) -> bool:
    return v.kind == "blank" or (v.kind == "number" and v.value == 0)


def row_candidates(values: Sequence[Tok], shape: Shape | Sequence[Slot], exact: bool = False,
                   strict: bool | None = None) -> tuple[list[Candidate], bool]:
    """Ways to read `values` (in printed order) into the row's slots. `exact`: the values are the
    row's cells one per slot (pipe/tab cells, or as many values as slots and nothing glued).
    Otherwise blanks left no trace and glued digits may hold several cells: candidates are
    generated group by group, first keeping only those whose sums hold (R2/R5) — real tables
    rarely break them — then, if none does, without the sums. Returns (candidates, complete);
    complete is False when MAX_CANDIDATES was reached."""
    if not isinstance(shape, Shape):
        shape = Shape.plain(shape)
    slots = shape.slots
    n = len(slots)
    if exact and len(values) == n:
        return [tuple(_parse(t, sl) for t, sl in zip(values, slots, strict=True))], True
    has_sums = any(tot is not None for _, tot in shape.groups)
    for strict_pass in ((True, False) if has_sums and strict is not False else (False,)):
        out: list[Candidate] = []
        full = _generate(list(values), shape, strict_pass, out)
        if out or not full:
            return out, full
    return [], True


MAX_STEPS = 30000  # pieces tried per row while generating candidates (~0.1 s; no synthetic row needs 20000)


def _generate(toks: list[Tok], shape: Shape, strict: bool, out: list[Candidate]) -> bool:
    """Depth-first over the printed pieces, group by group. In strict mode a group with a total
    slot takes parts while their running sum grows, and closes on a piece equal to that sum (its
    total) — or, when everything it took is 0, anywhere (printed 0s or blanks). The last group must
    use up every piece. Returns False when the step budget ran out (candidates then incomplete)."""
    n = len(shape.slots)
    seen: set = set()
    state = {"steps": 0, "full": True}
    end = len(toks)

    def emit(cand: list[Value | None]) -> None:
        key = tuple((c.kind, c.value) if c else None for c in cand)
        if key not in seen:
            seen.add(key)
            out.append(tuple(cand))
            if len(out) > MAX_CANDIDATES:
                state["full"] = False

    def fill(cand: list[Value | None], taken: list[Tok], pos: Sequence[int]) -> list[Value | None] | None:
        trial = list(cand)
        for tok, p in zip(taken, pos, strict=True):
            v = _parse(tok, shape.slots[p])
            if v.kind == "text" and tok.kind == "value":
                return None
            trial[p] = v
        return trial

    def close(gi: int, ai: int, ci: int, cand: list[Value | None], taken: list[Tok],
              positions: Iterable[Sequence[int]]) -> None:
        last = gi == len(shape.groups) - 1
        if last and (ai, ci) != (end, 0):
            return
        for pos in positions:
            trial = fill(cand, taken, pos)
            if trial is not None:
                place(gi + 1, ai, ci, trial)

    def place(gi: int, ai: int, ci: int, cand: list[Value | None]) -> None:
        if not state["full"]:
            return
        if gi == len(shape.groups):
            if (ai, ci) == (end, 0):
                emit(cand)
            return
        parts, total = shape.groups[gi]
        gslots = sorted(list(parts) + ([total] if total is not None else []))
        if strict and total is not None:
            strict_group(gi, ai, ci, cand, parts, total, gslots, [], 0)
        else:
            loose_group(gi, ai, ci, cand, gslots, [])

    def step() -> bool:
        state["steps"] += 1
        if state["steps"] > MAX_STEPS:
            state["full"] = False
        return state["full"]

    def loose_group(gi: int, ai: int, ci: int, cand: list[Value | None], gslots: list[int],
                    taken: list[Tok]) -> None:
        close(gi, ai, ci, cand, taken, itertools.combinations(gslots, len(taken)))
        if len(taken) == len(gslots):
            return
        for tok, na, nc in _pieces(toks, ai, ci):
            if not step():
                return
            loose_group(gi, na, nc, cand, gslots, taken + [tok])

    def rest_digits(ai: int, ci: int) -> str | None:
        """The digits still to read when they are all in one glued run (for pruning)."""
        if ai != end - 1:
            return None
        m = _GLUED_NUM.match(toks[ai].text) if toks[ai].glued else None
        return m["digits"][ci:] if m and not m["tail"] and not (ci == 0 and m["sign"]) else None

    def strict_group(gi: int, ai: int, ci: int, cand: list[Value | None], parts: tuple[int, ...], total: int,
                     gslots: list[int], taken: list[Tok], running: float) -> None:
        rest = rest_digits(ai, ci)
        last = gi == len(shape.groups) - 1
        if rest is not None and running > 0:
            need = len(str(int(running)))  # the total still to come has at least this many digits
            if len(rest) < need or (last and int(rest) < running):
                return
        if rest is not None and last and running > 0:
            # the rest is one glued run and must end with the total: pick the total's digits at the
            # end, then split what is left into the missing parts, their sum fixed
            line = toks[ai].line
            for parts_s, tot_s in _split_to_total(rest, int(running), len(parts) - len(taken)):
                if not step():
                    return
                more = [Tok("value", x, line) for x in parts_s]
                close(gi, end, 0, cand, taken + more + [Tok("value", tot_s, line)],
                      ((*p, total) for p in itertools.combinations(parts, len(taken) + len(more))))
            return
        if taken and running == 0:  # only zeros so far: printed 0s or blanks, in any slots
            close(gi, ai, ci, cand, taken, itertools.combinations(gslots, len(taken)))
        elif not taken:
            close(gi, ai, ci, cand, taken, [()])
        for tok, na, nc in _pieces(toks, ai, ci):
            if not step():
                return
            x = _num(_parse(tok, shape.slots[total]))
            if x is None:
                return  # n/a or prose among the numbers: the sum cannot choose (the loose pass will)
            # the group's total (a 0 after nothing but 0s too: a group printed in full as zeros)
            if taken and abs(x - running) < 1e-9 and (running != 0 or len(taken) == len(parts)):
                close(gi, na, nc, cand, taken + [tok],
                      ((*p, total) for p in itertools.combinations(parts, len(taken))))
            if len(taken) < len(parts):
                strict_group(gi, na, nc, cand, parts, total, gslots, taken + [tok], running + x)

    place(0, 0, 0, [None] * n)
    _feasible.cache_clear()  # only good for this row's digits (and see CACHE_SIZE)
    _sum_bounds.cache_clear()
    return state["full"]


def _num(v: Value | None) -> float | None:
    """Operand value: nothing printed or blank counts 0, n/a and text make a rule unevaluable."""
    if v is None or v.kind == "blank":
        return 0
    if v.kind == "number":
        return v.value
    return None


def _holds(left: Sequence[Value | None], right: Sequence[Value | None]) -> bool | None:
    lv = [_num(x) for x in left]
    rv = [_num(x) for x in right]
    if any(x is None for x in lv + rv):
        return None
    return abs(sum(lv) - sum(rv)) < 1e-9


def _printed(c: Candidate) -> int:
    return sum(1 for v in c if v is not None)


@dataclass
class RowRead:
    """One template row read from a group: its candidates and how sure the row assignment is."""

    code: str
    group: Group | None
    candidates: list[Candidate]
    uncertain: bool = False
    note: str | None = None
    complete: bool = True
    unsure: dict[int, str] = field(default_factory=dict)  # slot -> why this one cell is uncertain
    cut: set[int] = field(default_factory=set)  # slots the rule search ran out of budget to decide


def solve(rows: list[RowRead], slot_codes: list[list[str]], rule_list: list[tuple[list[str], list[str]]],
          notes: list[str]) -> list[Candidate | None]:
    """Choose one candidate per row so that the rules hold; per row, return the slots all solutions
    agree on (`AMBIGUOUS` where they differ). Rules prune candidates by sum-set support (a value is
    kept only if the other rows of the rule can complete the equation), then a bounded search
    enumerates what is left."""
    code_pos: dict[str, tuple[int, int]] = {}
    for ri, codes in enumerate(slot_codes):
        for si, c in enumerate(codes):
            code_pos[c] = (ri, si)
    terms: list[list[tuple[int, int, int]]] = []  # per rule: (row, slot, sign)
    for lft, rgt in rule_list:
        if all(c in code_pos for c in lft + rgt):
            terms.append([(*code_pos[c], 1) for c in lft] + [(*code_pos[c], -1) for c in rgt])
    # The rules see numbers only: candidates equal as numbers (a printed 0 here or there, blanks as
    # 0) are one class; the search runs on one representative per class.
    classes: list[list[list[Candidate]]] = []
    for r in rows:
        cl: dict[tuple, list[Candidate]] = {}
        for c in r.candidates:
            cl.setdefault(tuple(_num(v) if v is None or v.kind in ("blank", "number") else (v.kind, v.raw)
                                for v in c), []).append(c)
        classes.append(list(cl.values()))
    if all(len(cl) <= 1 for cl in classes) or not terms:
        return [_agree(r.candidates) for r in rows]
    reps = [[members[0] for members in cl] for cl in classes]

    def members(i: int, mask: int) -> list[Candidate]:
        return [c for j, cl in enumerate(classes[i]) if mask >> j & 1 for c in cl]

    rules = _Rules(terms, reps)
    pruned = _propagate([(1 << len(d)) - 1 for d in reps], rules)
    if pruned is None:
        notes.append("the printed values cannot satisfy the rules in any arrangement: placements not decided "
                     "by the rules")
        return [_agree(r.candidates) for r in rows]
    verdicts: dict[tuple[int, int], Candidate | None] = {}

    def relevant(i: int, c: int, witnessed: int) -> bool:
        """Could witnessing class c change what row i reports? (Not when every member already
        agrees with the verdict of the classes witnessed so far: more support only widens it.)"""
        key = (i, witnessed)
        if key not in verdicts:
            verdicts[key] = _agree(members(i, witnessed))
        verdict = verdicts[key]
        if verdict is None:
            return True
        return not all(_within(m, verdict) for m in classes[i][c])

    found = _supported(pruned, rules, relevant)
    if found is None:
        return [_agree(r.candidates) for r in rows]
    support, undecided = found
    out = []
    for i, r in enumerate(rows):
        verdict = _agree(members(i, support[i] | undecided[i]))
        if undecided[i] and verdict is not None:
            # the cells the undecided candidates make uncertain: those the witnessed ones agree on
            # (all of the row's uncertain cells when nothing was witnessed)
            sure = _agree(members(i, support[i])) or tuple(None for _ in verdict)
            r.cut = {si for si, (v, w) in enumerate(zip(verdict, sure, strict=True))
                     if (v is AMBIGUOUS or v is not None and v.note == "blank or 0")
                     and (w is None or not _same(v, w) or v is AMBIGUOUS and w is not AMBIGUOUS)}
        out.append(verdict)
    if any(undecided):
        notes.append("rules could not decide every placement (search budget exhausted)")
    return out


def _within(c: Candidate, verdict: Candidate) -> bool:
    """Does candidate c agree with a row's verdict (`_agree` of some candidates) in every slot?"""
    for v, x in zip(verdict, c, strict=True):
        if v is AMBIGUOUS:
            continue
        if v is not None and v.note == "blank or 0":
            if not (x is None or (x.kind in ("blank", "number") and _num(x) == 0)):
                return False
        elif not _same(v, x):
            return False
    return True


def _bits(mask: int) -> Iterable[int]:
    """The set bits of a domain mask (candidate indices), lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _supported(domains: list[int], rules: _Rules, relevant: Callable[[int, int, int], bool]
               ) -> tuple[list[int], list[int]] | None:
    """For every row, the candidates (masks) witnessed in a complete arrangement satisfying all
    rules, and those the work budget (MAX_WORK) left undecided: they stay possible. None when no
    arrangement exists. Each solution found witnesses a candidate of every row at once;
    candidates `relevant` says cannot change what their row reports are not searched for; a
    candidate proven to be in no arrangement is dropped from the domains the later searches
    start from, with what its removal prunes."""
    support = [0] * len(domains)
    undecided = [0] * len(domains)

    def witness(sol: list[int]) -> None:
        for i, c in enumerate(sol):
            support[i] |= c

    first = _find(domains, rules)
    if first is None:
        return None if not rules.cut() else ([0] * len(domains), list(domains))
    witness(first)
    for ri, ci in [(ri, ci) for ri, d in enumerate(domains) if d & (d - 1) for ci in _bits(d)]:
        c = 1 << ci
        if support[ri] & c or not domains[ri] & c or not relevant(ri, ci, support[ri]):
            continue
        if rules.cut():
            undecided[ri] |= c
            continue
        trial = _propagate(domains, rules, ri, c)
        sol = _find(trial, rules, prefer=support) if trial is not None else None
        if sol is not None:
            witness(sol)
        elif rules.cut():
            undecided[ri] |= c
        else:  # refuted: no arrangement has it, so every later search starts without it
            narrowed = _propagate(domains, rules, ri, domains[ri] & ~c)
            if narrowed is not None:  # (always: the arrangements witnessed so far are still there)
                domains = narrowed
    return support, undecided


def _find(domains: list[int], rules: _Rules, rows: Iterable[int] | None = None,
          prefer: list[int] | None = None) -> list[int] | None:
    """One arrangement satisfying every rule, settling `rows` (default all); None when there is
    none or the budget ran out (`rules.cut()` tells which). The open rows split into groups no
    rule ties together (`_components`); each group is searched on its own, depth first with
    propagation after each choice — so a group that has no solution is not searched again for
    every choice made in another. `prefer`: per row, candidates to try first (those already seen
    in an arrangement: a search for a new one mostly needs the other rows as they were)."""
    if rules.cut():
        return None
    open_rows = [i for i in (range(len(domains)) if rows is None else rows) if domains[i] & (domains[i] - 1)]
    if not open_rows:
        return domains
    sol = list(domains)
    for comp in _components(domains, rules, open_rows):
        part = _branch(domains, rules, comp, prefer)
        if part is None:
            return None
        for i in comp:
            sol[i] = part[i]
    return sol


def _branch(domains: list[int], rules: _Rules, comp: list[int], prefer: list[int] | None) -> list[int] | None:
    """Settle the rows of one group: try each candidate of its row with the fewest, propagate,
    settle the rest of the group."""
    ri = min(comp, key=lambda i: domains[i].bit_count())
    d = domains[ri]
    order = _bits(d) if prefer is None else itertools.chain(_bits(d & prefer[ri]), _bits(d & ~prefer[ri]))
    for ci in order:
        rules.work += NODE_WORK
        if rules.cut():
            return None
        trial = _propagate(domains, rules, ri, 1 << ci)
        if trial is not None:
            sol = _find(trial, rules, comp, prefer)
            if sol is not None:
                return sol
    return None


def _components(domains: list[int], rules: _Rules, open_rows: list[int]) -> list[list[int]]:
    """The open rows in groups that share no rule in which they can still differ. A row takes part
    in a rule when its candidates give that rule more than one value (an n/a operand counting
    as one): the rows that do not are constants there, so one group's choices cannot change
    what another's rules see — the groups' solutions combine freely."""
    parent = {i: i for i in open_rows}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for k, rows_ in enumerate(rules.rows):
        first = None
        for j, ri in enumerate(rows_):
            if ri not in parent:
                continue
            d = domains[ri]
            seen = 1 if d & rules.unknown[k][j] else 0
            for _, m in rules.values[k][j]:
                if m & d:
                    seen += 1
                    if seen > 1:
                        break
            if seen > 1:
                if first is None:
                    first = root(ri)
                else:
                    parent[root(ri)] = first
    groups: dict[int, list[int]] = {}
    for i in open_rows:
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=len)


def _contrib(c: Candidate, row_terms: list[tuple[int, int]]) -> int | float | None:
    total: int | float = 0
    for si, sign in row_terms:
        x = _num(c[si])
        if x is None:
            return None
        total += sign * x
    return total


class _Rules:
    """The rules of one table over the solver's rows. A row's domain is a bit mask over its
    candidates; per rule and row, the distinct contributions (left side +, right side −) with the
    mask of the candidates giving each, and the mask of those with an n/a operand."""

    def __init__(self, terms: list[list[tuple[int, int, int]]], cands: list[list[Candidate]]) -> None:
        self.rows: list[tuple[int, ...]] = []  # per rule: the rows it touches
        self.values: list[list[list[tuple[int | float, int]]]] = []  # per rule, per row: (contribution, mask)
        self.unknown: list[list[int]] = []  # per rule, per row: candidates with an n/a or text operand
        self.fraction: list[list[int]] = []  # per rule, per row: candidates with a non-integer contribution
        self.of_row: dict[int, list[int]] = {}
        self.index: list[dict[int, int]] = []  # per rule: row -> its position in the rule
        for k, rule in enumerate(terms):
            by_row: dict[int, list[tuple[int, int]]] = {}
            for ri, si, sign in rule:
                by_row.setdefault(ri, []).append((si, sign))
            self.rows.append(tuple(by_row))
            self.index.append({ri: j for j, ri in enumerate(by_row)})
            vals, unknown, fraction = [], [], []
            for ri, row_terms in by_row.items():
                self.of_row.setdefault(ri, []).append(k)
                groups: dict[int | float, int] = {}
                none = frac = 0
                for ci, c in enumerate(cands[ri]):
                    x = _contrib(c, row_terms)
                    if x is None:
                        none |= 1 << ci
                    else:
                        groups[x] = groups.get(x, 0) | 1 << ci
                        if not float(x).is_integer():
                            frac |= 1 << ci
                vals.append(list(groups.items()))
                unknown.append(none)
                fraction.append(frac)
            self.values.append(vals)
            self.unknown.append(unknown)
            self.fraction.append(fraction)
        # per rule: the domains of its rows -> what it keeps (None: no arrangement)
        self.memo: list[dict[tuple[int, ...], tuple[int, ...] | None]] = [{} for _ in terms]
        self.work = 0  # the solver's cost so far, in work units (MAX_WORK)

    def moved(self, k: int, ri: int, old: int, new: int) -> bool:
        """Does narrowing row ri from `old` to `new` change what rule k sees of it (its set of
        contributions, or whether an n/a or a non-integer operand is among them)?"""
        j = self.index[k][ri]
        if bool(old & self.unknown[k][j]) != bool(new & self.unknown[k][j]) or bool(
                old & self.fraction[k][j]) != bool(new & self.fraction[k][j]):
            return True
        return any(bool(m & old) != bool(m & new) for _, m in self.values[k][j])

    def cut(self) -> bool:
        """Has the solver used up its budget (MAX_WORK)?"""
        return self.work > MAX_WORK


def _propagate(domains: list[int], rules: _Rules, row: int | None = None, mask: int = 0) -> list[int] | None:
    """Remove candidates no completion of some rule supports; None when a row loses them all.
    With `row`: `domains` already satisfy the rules, and that row is narrowed to `mask`.

    Each rule is a sum that must be 0 (left − right). A row's candidate survives when the other
    rows' contributions can make up the rest (exact sum-sets as bit sets, or bounds when the sums
    are too wide). A rule is revisited only when one of its rows lost a contribution to it (losing
    candidates that contribute the same value as others left changes nothing the rule sees)."""
    domains = list(domains)
    if row is None:
        queue = list(range(len(rules.rows)))
    else:
        old, domains[row] = domains[row], mask
        queue = [k for k in rules.of_row.get(row, []) if rules.moved(k, row, old, mask)]
    queued = set(queue)
    while queue:
        k = queue.pop()
        queued.discard(k)
        rows_ = rules.rows[k]
        before = tuple(domains[ri] for ri in rows_)
        memo = rules.memo[k]
        if before in memo:
            kept = memo[before]
        else:
            kept = memo[before] = _run_rule(rules, k, before)
        if kept is None:
            return None
        for ri, keep, was in zip(rows_, kept, before, strict=True):
            if keep != was:
                domains[ri] = keep
                for k2 in rules.of_row[ri]:
                    if k2 != k and k2 not in queued and rules.moved(k2, ri, was, keep):
                        queue.append(k2)
                        queued.add(k2)
    return domains


def _run_rule(rules: _Rules, k: int, doms: tuple[int, ...]) -> tuple[int, ...] | None:
    """One rule over its rows' domains: the candidates each row keeps; None when a row keeps none.

    A row's contribution x survives when the other rows can complete a total of 0. The rows with
    one contribution add a constant; over the open rows (more than one), sums of the rows before
    row p (F_p, with the constant) and negated sums of the rows after it (B_p) are bit sets (bit
    i = value off + i), built once per run; x is kept when F_p + x meets B_p. Non-integer or very
    wide sums fall back to bounds."""
    const: int | float = 0
    opens: list[tuple[int, list[int | float]]] = []  # (row position, its distinct contributions)
    fraction = False
    for j, (d, unknown, frac, vals) in enumerate(zip(doms, rules.unknown[k], rules.fraction[k], rules.values[k],
                                                     strict=True)):
        if d & unknown:
            return doms  # an n/a or text operand: the rule says nothing
        if d & frac:
            fraction = True
        present = [x for x, m in vals if m & d]
        if len(present) == 1:
            const += present[0]
        elif present:
            opens.append((j, present))
        else:
            return None  # a row with no candidate left
    rules.work += len(doms) + OPEN_WORK * len(opens)
    if not opens:
        return doms if abs(const) <= 1e-9 else None
    lo_all = const + sum(min(st) for _, st in opens)
    hi_all = const + sum(max(st) for _, st in opens)
    if hi_all - lo_all > MAX_SUM_BITS or fraction:
        def ok(p: int, x: int | float) -> bool:
            st = opens[p][1]
            return lo_all - min(st) - 1e-9 <= -x <= hi_all - max(st) + 1e-9
    else:
        fwd = [(1, int(const))]
        for _, st in opens[:-1]:
            fwd.append(_sumset_add(fwd[-1], st))
        bwd = [(1, 0)]
        for _, st in reversed(opens[1:]):
            bwd.append(_sumset_add(bwd[-1], [-v for v in st]))
        bwd.reverse()  # bwd[p]: negated sums of the open rows after the p-th

        def ok(p: int, x: int | float) -> bool:
            (f_mask, f_off), (b_mask, b_off) = fwd[p], bwd[p]
            shift = f_off + int(x) - b_off
            if shift >= 0:
                return bool((f_mask << shift) & b_mask)
            return bool(f_mask & (b_mask << -shift))

    out = list(doms)
    for p, (j, _) in enumerate(opens):
        d = doms[j]
        keep = 0
        for x, m in rules.values[k][j]:  # each distinct contribution checked once
            if m & d and ok(p, x):
                keep |= m
        keep &= d
        if not keep:
            return None
        out[j] = keep
    return tuple(out)


MAX_SUM_BITS = 4_000_000  # widest range of sums kept exactly (as a bit set); wider rules use bounds


def _sumset_add(acc: tuple[int, int], st: list[int | float]) -> tuple[int, int]:
    mask, off = acc
    m = min(st)
    new = 0
    for v in st:
        new |= mask << int(v - m)
    return new, off + int(m)


AMBIGUOUS = Value(None, "text", "", note="ambiguous")
SEARCH_CUT = ("not decided: the rule search was cut (work budget spent) before it could tell which printed "
              "value belongs here: ")


def _same(a: Value | None, b: Value | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.kind == b.kind and a.value == b.value


def _agree(cands: list[Candidate]) -> Candidate | None:
    if not cands:
        return None
    first = cands[0]
    out = []
    for i in range(len(first)):
        col = [c[i] for c in cands]
        if all(_same(col[0], x) for x in col[1:]):
            out.append(col[0])
        elif all(_num(x) == 0 for x in col if not (x is not None and x.kind in ("na", "text"))) and all(
                x is None or x.kind in ("blank", "number") for x in col):
            out.append(Value(None, "blank", "", note="blank or 0"))
        else:
            out.append(AMBIGUOUS)
    return tuple(out)


def _cells(codes: list[str], slots: list[Slot], row: RowRead, chosen: Candidate | None) -> list[CellRecord]:
    if chosen is None:
        return []
    out = []
    raw_row = " ".join(t.raw for t in row.group.values) if row.group else ""
    src = row.group.source() if row.group else None
    for si, (code, v) in enumerate(zip(codes, chosen, strict=True)):
        if si in row.unsure and v is not AMBIGUOUS:
            base = _cells(codes[si:si + 1], slots[si:si + 1], RowRead(row.code, row.group, [], True, row.unsure[si]),
                          (v,))
            out.extend(base)
            continue
        if v is None:  # a slot nothing was printed for: a blank cell that left no trace in the text
            out.append(CellRecord(code, None, "", "blank", uncertain=row.uncertain, note=row.note, source=src))
        elif v is AMBIGUOUS and si in row.cut:
            out.append(CellRecord(code, None, raw_row, "text", uncertain=True, note=SEARCH_CUT + raw_row, source=src))
        elif v is AMBIGUOUS:
            out.append(CellRecord(code, None, raw_row, "text", uncertain=True,
                                  note=f"cannot tell which printed value belongs here: {raw_row}", source=src))
        elif v.note == "blank or 0":  # a printed 0 and a blank that left no trace read alike: never guess
            out.append(CellRecord(code, None, "", "blank", uncertain=True, source=src,
                                  note=SEARCH_CUT + raw_row if si in row.cut else
                                  "printed 0 or left blank (the text does not show which): 0 either way"))
        else:
            unc = row.uncertain or bool(v.note and v.note.startswith("uncertain"))
            note = row.note
            if v.note and v.note.startswith("uncertain"):
                note = v.note
            out.append(CellRecord(code, v.value, v.raw, v.kind, unit=v.unit, uncertain=unc, note=note, source=src))
    return out


# ---------------------------------------------------------------------------------------------
# Regions: where each table's text is.


@dataclass
class Regions:
    s2: tuple[int, int] | None = None  # segment index range [start, end)
    s3: tuple[int, int] | None = None
    s4: tuple[int, int] | None = None


def _has(seg: Segment, *words: str) -> bool:
    n = canon(seg.label)
    return any(w in n for w in words)


def find_regions(segs: list[Segment]) -> Regions:
    n = len(segs)
    s2 = next((i for i, s in enumerate(segs) if _CAPTION.search(canon(s.label)) or canon(s.label).startswith("信息内容")),
              None)
    start3 = s2 or 0
    s3 = next((i for i in range(start3, n) if _has(segs[i], "本列数据的勾稽关系", "申请人情况")
               or match_s3_label(segs[i].label)[0] == LabelKey("s3", None, "new_received")), None)
    start4 = s3 if s3 is not None else start3
    s4 = next((i for i in range(start4, n) if _has(segs[i], "行政复议")), None)
    r = Regions()
    if s2 is not None:
        r.s2 = (s2, s3 if s3 is not None else (s4 if s4 is not None else n))
    if s3 is not None:
        r.s3 = (s3, s4 if s4 is not None else n)
    if s4 is not None:
        r.s4 = (s4, n)
    return r


# ---------------------------------------------------------------------------------------------
# Section 三.

S3_COLS = [c for c, _, _ in common.S3_COLUMNS]
S3_SLOTS: list[Slot] = [("int", "件")] * len(S3_COLS)
S3_SHAPE = Shape(tuple(S3_SLOTS), ((tuple(range(len(S3_COLS) - 1)), len(S3_COLS) - 1),))


def _exact(g: Group, vals: list[Tok], n: int) -> bool:
    """One value per slot: explicit cells, or exactly as many values as slots with none glued."""
    return len(vals) == n and (g.positional or not any(t.glued for t in vals))


def _valid_s3(g: Group, n: int, full_mode: bool, label: LabelKey | None, spaced: bool = False) -> bool:
    """Could this group be a row of section 三? (Header rows, placeholder cells and stray numbers
    are not.) `spaced`: one cell per line whose empty lines make up the missing cells."""
    named = label is not None and label.code is not None
    if g.empty:
        return named
    if not g.numeric and not (g.positional and named):
        return False
    k = len(_trim(g.values, n)) if g.positional else g.n
    if k == n:
        return True
    if k > n:
        return False
    if g.positional:
        return named  # a pipe row missing cells (they floated away) must still name its row
    return spaced or not (full_mode and g.run)


def _merge_split_rows(groups: list[Group], n: int) -> list[Group]:
    """A row printed over two lines (`label 3 0 0` / `5 1 9 9`): join when the parts make one row."""
    out: list[Group] = []
    for g in groups:
        prev = out[-1] if out else None
        # (a label line between them starts another row: `4.… 1 0 0 1` / `5.要求…已` / `1 0 1`)
        if (prev is not None and not prev.positional and not g.positional and not g.label and not g.pre
                and not g.run and not prev.run and prev.n < n and prev.n + g.n == n):
            prev.values = prev.values + g.values
            prev.gaps = []
            continue
        out.append(replace(g, values=list(g.values), pre=list(g.pre), gaps=list(g.gaps)))
    return out


def _split_long_runs(groups: list[Group], n: int) -> list[Group]:
    out = []
    for g in groups:
        if g.run and g.n > n and g.n % n == 0:
            for k in range(0, g.n, n):
                out.append(Group(g.values[k:k + n], "", g.pre if k == 0 else [], False, True, g.values[k].line))
        else:
            out.append(g)
    return out


def _labels_in_order(stream: Stream, rows: list[str]) -> bool:
    """Do the data-row labels found anywhere in the table follow the format's order?"""
    idx = {c: i for i, c in enumerate(rows)}
    seq = []
    for _, text in stream.labels:
        k, s = match_s3_label(text)
        if k is not None and k.code in idx and s >= ORDER_LABEL_F1:
            seq.append(idx[k.code])
    return all(a <= b for a, b in itertools.pairwise(seq))


def _align(groups: list[Group], rows: list[str], version: str, valid: list[bool],
           labels: list[tuple[LabelKey | None, float, bool]]) -> tuple[float, list[tuple[int, int]]]:
    """Monotone alignment of groups to template rows (dynamic programming)."""
    G, R = len(groups), len(rows)
    NEG = -1e9
    dp = [[NEG] * (R + 1) for _ in range(G + 1)]
    back: list[list[tuple[int, int, bool] | None]] = [[None] * (R + 1) for _ in range(G + 1)]
    dp[0][0] = 0.0

    def strong(i: int) -> LabelKey | None:
        k, _, weak = labels[i]
        return None if weak else k

    def skip_group(i: int) -> float:
        if not valid[i] or groups[i].empty:
            return 0.0
        k = strong(i)
        if k is not None and k.code is not None:
            return -6.0
        return -2.0

    def match(i: int, j: int) -> float:
        if not valid[i]:
            return NEG
        k, _, weak = labels[i]
        if k is not None and k.code is not None and not weak:
            if k.code == rows[j] and k.version in (None, version):
                return 3.0 if groups[i].empty else 10.0
            return NEG
        if groups[i].empty:
            return NEG
        bonus = 1.0 if (k is not None and weak and k.code == rows[j]) else 0.0
        return 2.0 + bonus

    for i in range(G + 1):
        for j in range(R + 1):
            cur = dp[i][j]
            if cur <= NEG:
                continue
            if i < G:
                v = cur + skip_group(i)
                if v > dp[i + 1][j]:
                    dp[i + 1][j], back[i + 1][j] = v, (i, j, False)
            if j < R:
                v = cur - 1.0
                if v > dp[i][j + 1]:
                    dp[i][j + 1], back[i][j + 1] = v, (i, j, False)
            if i < G and j < R:
                m = match(i, j)
                if m > NEG:
                    v = cur + m
                    if v > dp[i + 1][j + 1]:
                        dp[i + 1][j + 1], back[i + 1][j + 1] = v, (i, j, True)
    pairs = []
    i, j = G, R
    while (i, j) != (0, 0):
        b = back[i][j]
        if b is None:
            break
        pi, pj, matched = b
        if matched:
            pairs.append((pi, pj))
        i, j = pi, pj
    return dp[G][R], pairs[::-1]


MAX_ARRANGEMENTS = 50000


def _order_doubts(detached: list[tuple[int, int, int]], pairs: list[tuple[int, int]],
                  labels: list[tuple[LabelKey | None, float, bool]], groups: list[Group], rows: list[str],
                  row_reads: list[RowRead], chosen: list[Candidate | None]) -> None:
    """Rows placed by reading order alone (their label floated away, and the labels around them are
    out of order) could hold each other's numbers. Between two rows whose label is printed with
    their numbers, try every arrangement of the unlabeled rows (a fragment of a label, such as
    `缴纳费用、行政机关不再处理其政` for （六）2, restricts where a row can go); a cell whose value
    is the same in every arrangement is certain, the others are marked uncertain."""
    rr_of_group = {gi: ri for ri, gi, _ in detached}
    free = {gi for _, gi, _ in detached}
    value_of = {gi: chosen[ri] for ri, gi, _ in detached}
    order = sorted(pairs)
    segments: list[tuple[list[int], list[int]]] = []
    cur_groups: list[int] = []
    lo = -1
    assigned_rows = {j for _, j in pairs}
    for gi, j in order + [(len(groups), len(rows))]:
        if gi in free:
            cur_groups.append(gi)
            continue
        if cur_groups:
            dest = [r for r in range(lo + 1, j) if r in {pj for pg, pj in pairs if pg in cur_groups}
                    or r not in assigned_rows]
            segments.append((cur_groups, dest))
        cur_groups, lo = [], j
    for seg_groups, dest in segments:
        allowed = {}
        for gi in seg_groups:
            g = groups[gi]
            frag = {k.code for k in fragment_rows(g.label)} if g.label else set()
            rows_ok = [r for r in dest if rows[r] in frag] if frag else []
            allowed[gi] = rows_ok or dest
        possible, complete = _arrangements(seg_groups, dest, allowed)
        others = ", ".join(rows[r] for r in dest)
        for gi in seg_groups:
            j = next(pj for pg, pj in pairs if pg == gi)
            rr = row_reads[rr_of_group[gi]]
            mine = value_of[gi]
            alts = possible.get(j, {None})
            if mine is None:
                continue
            for si in range(len(mine)):
                same = complete and all(a is not None and value_of[a] is not None
                                        and _num_same(value_of[a][si], mine[si]) for a in alts)
                if not same:
                    rr.unsure[si] = (f"row label detached: rows {others} could hold each other's numbers; "
                                     "placed by reading order")


def _arrangements(seg_groups: list[int], dest: list[int], allowed: dict[int, list[int]]
                  ) -> tuple[dict[int, set[int | None]], bool]:
    """For every destination row, the groups it holds in some one-to-one arrangement (None: left
    empty in some arrangement). complete=False when MAX_ARRANGEMENTS was reached."""
    possible: dict[int, set[int | None]] = {r: set() for r in dest}
    count = 0

    def arrange(k: int, used: dict[int, int]) -> bool:
        nonlocal count
        if k == len(seg_groups):
            count += 1
            for r in dest:
                possible[r].add(used.get(r))
            return count < MAX_ARRANGEMENTS
        gi = seg_groups[k]
        for r in allowed[gi]:
            if r not in used:
                used[r] = gi
                go_on = arrange(k + 1, used)
                del used[r]
                if not go_on:
                    return False
        return True

    return possible, arrange(0, {})


def _num_same(a: Value | None, b: Value | None) -> bool:
    if a is AMBIGUOUS or b is AMBIGUOUS:
        return False
    return _same(a, b) or (_num(a) is not None and _num(a) == _num(b) and _num(a) == 0)


def _s3_rule_list(version: str) -> list[tuple[list[str], list[str]]]:
    return [(lft, rgt) for name, _, lft, rgt in check_rules(version) if name in ("R1", "R3")]


def _empty_rows(stream: Stream) -> list[Group]:
    """Rows printed as a label only (all cells blank): a row label, possibly wrapped over two
    lines, directly followed by another row's label."""
    out = []
    bare = stream.bare
    for i, (line, text, nxt) in enumerate(bare):
        k, s = match_s3_label(text)
        last = line
        if i + 1 < len(bare) and bare[i + 1][0] == line + 1 and nxt == bare[i + 1][1]:
            k2, s2 = match_s3_label(text + nxt)  # wrapped: `1.申请人无正当理由逾期不补正、行政` / `机关…`
            if k2 is not None and k2.code is not None and s2 > s + 0.05:
                k, s, nxt, last = k2, s2, bare[i + 1][2], bare[i + 1][0]
        if k is None or k.code is None or s < ORDER_LABEL_F1:
            continue
        if last in stream.before_values and not (nxt and _other_whole_label(nxt, k)):
            continue  # its numbers follow on the next lines (one cell per line, or a row's label above it)
        head = stream.split_head.get(line)
        if head is not None and match_s3_label(head + text)[0] == k and not (s >= 1.0 and _other_whole_label(head, k)):
            continue  # the rest of a label printed around its row's numbers
        if nxt:
            k2, s2 = match_s3_label(nxt)
            if k2 is None or k2 == k or s2 < ORDER_LABEL_F1:
                continue
        out.append(Group([], text, [], False, True, line, empty=True))
    return out


def _other_whole_label(text: str, k: LabelKey) -> bool:
    """Is `text` exactly the label of a row other than `k`? Then the bare label `k` is a row of its own:
    the numbers after it belong to the next line's row (glued text: `1.信访举报投诉类申请` /
    `2.重复申请462452`), and a label and number before it are another row's (`2.重复申请` / `0` /
    `3.要求提供公开出版物`), not one label printed around its number."""
    k2, s2 = match_s3_label(text)
    return k2 is not None and k2.code is not None and k2 != k and s2 >= 1.0


def _read_s3(stream: Stream) -> TableRead | None:
    n = len(S3_COLS)
    groups = _split_long_runs(_merge_split_rows(stream.groups, n), n)
    groups = sorted(groups + _empty_rows(stream), key=lambda g: g.line)
    numeric = [g for g in groups if g.numeric]
    if not numeric:
        return None
    full = sum(1 for g in numeric if (len(_trim(g.values, n)) if g.positional else g.n) == n)
    full_mode = full >= max(3, len(numeric) // 2)
    labels = [group_label(g) for g in groups]
    valid = [_valid_s3(g, n, full_mode, lab[0] if not lab[2] else None,
                       g.run and with_blanks(g, n, stream.base_gap, stream.blank_lines, stream.end_pad) is not None)
             for g, lab in zip(groups, labels, strict=True)]
    best = None
    for version in VERSIONS:
        rows = [r.code for r in s3_rows(version) if r.code]
        score, pairs = _align(groups, rows, version, valid, labels)
        signals = sum(1 for s in VERSIONS[version].SIGNALS.get("s3", []) if any(
            s in canon(t) for _, t in stream.labels))
        score += 3 * signals
        if best is None or score > best[0]:
            best = (score, version, rows, pairs)
    assert best is not None
    _, version, rows, pairs = best
    notes: list[str] = []
    assigned = dict((j, i) for i, j in pairs)
    used = {i for i, _ in pairs}
    skipped_valid = [i for i, ok in enumerate(valid) if ok and not groups[i].empty and i not in used]
    in_order = _labels_in_order(stream, rows)
    clean = len(pairs) == len(rows) and not skipped_valid and in_order
    row_reads: list[RowRead] = []
    slot_codes: list[list[str]] = []
    printed: list[tuple[list[Tok], bool]] = []  # per row read: its printed values, and whether one per slot
    detached: list[tuple[int, int, int]] = []  # (row_reads index, group index, row index)
    for j, code in enumerate(rows):
        codes = [f"s3_{code}__{c}" for c in S3_COLS]
        if j not in assigned:
            continue
        g = groups[assigned[j]]
        k, _, weak = labels[assigned[j]]
        labelled = k is not None and k.code == code and not weak
        vals = _trim(g.values, n) if g.positional else g.values
        spaced = with_blanks(g, n, stream.base_gap, stream.blank_lines, stream.end_pad) if g.run and g.n < n else None
        if spaced is not None:
            vals = spaced
        exact = spaced is not None or _exact(g, vals, n)
        cands, complete = row_candidates(vals, S3_SHAPE, exact)
        rr = RowRead(code, g, cands, complete=complete)
        printed.append((vals, exact))
        if not labelled and not clean:
            detached.append((len(row_reads), assigned[j], j))
        if not complete:
            rr.uncertain, rr.note = True, "too many ways to read this row"
        elif spaced is None and spacing_disagrees(g, n, stream):
            rr.uncertain, rr.note = True, "the row's line spacing does not fit its number of cells"
        row_reads.append(rr)
        slot_codes.append(codes)
    missing = [c for j, c in enumerate(rows) if j not in assigned]
    if missing:
        notes.append("section 三 rows not found: " + ", ".join(missing))
    for i, g in enumerate(groups):
        if i not in used and g.numeric and any(t.kind == "value" and t.text[:1].isdigit() for t in g.values):
            notes.append(f"section 三: numbers at {g.source()} not placed ({' '.join(t.raw for t in g.values)})")
    if skipped_valid and detached:
        # more rows of numbers than the table has rows, and these rows were placed by reading order
        # (no label printed with their numbers): a skipped row could be any of them (a row printed twice)
        for ri, _gi, _j in detached:
            row_reads[ri].uncertain = True
            row_reads[ri].note = (f"{len(skipped_valid)} more row(s) of numbers than the table has; "
                                  "this row was placed by reading order")
    rule_list = _s3_rule_list(version)
    broken = [rr.code for rr in row_reads if _breaks_row_sum(rr)]
    if broken:
        # A row that breaks its own sum however its values are read is a misprint in the source: the
        # table's sums are then off, and a placement they decide could be the misprint's, not the
        # report's (found by benchmarks/source_errors.py). Only what the text itself shows is kept.
        notes.append(f"section 三 row(s) {', '.join(broken)} break their own sum (总计 ≠ Σ applicants) in every "
                     "reading: placements are not decided by the table's sums")
        rule_list = []
    before = len(notes)
    chosen = solve(row_reads, slot_codes, rule_list, notes)
    if not broken and any(n.startswith(UNSATISFIABLE) for n in notes[before:]):
        # no row shows the misprint, so it hides in a row read by its own sum: any such reading may be it
        _unplace_by_row_sums(row_reads, printed, chosen)
    if detached:
        _order_doubts(detached, pairs, labels, groups, rows, row_reads, chosen)
    cells: list[CellRecord] = []
    for rr, codes, ch in zip(row_reads, slot_codes, chosen, strict=True):
        cells.extend(_cells(codes, S3_SLOTS, rr, ch))
    if not cells:
        return None
    return TableRead("s3", version, cells, complete=not missing, method="stream", notes=notes)


UNSATISFIABLE = "the printed values cannot satisfy the rules in any arrangement"  # solve's note when so
BY_ROW_SUM = ("placed by its row's sum (总计 = Σ applicants) alone, in a table whose sums are off: "
              "a misprint could have moved it")


def _unplace_by_row_sums(row_reads: list[RowRead], printed: list[tuple[list[Tok], bool]],
                         chosen: list[Candidate | None]) -> None:
    """In a table whose printed values break its sums, a row's own sum (R2) no longer decides how its
    values are read either: a glued `1013` read as 10 | 13 because 10 + … = 13 may be a misprinted 3.
    Cells that every reading of the printed values agrees on are kept; the others become uncertain."""
    for i, (rr, (vals, exact)) in enumerate(zip(row_reads, printed, strict=True)):
        if chosen[i] is None or (exact and len(vals) == len(S3_COLS)):
            continue
        loose, full = row_candidates(vals, S3_SHAPE, exact, strict=False)
        verdict = _agree(loose) if loose and full else None
        for si, v in enumerate(chosen[i]):
            if v is not AMBIGUOUS and (verdict is None or not _same(verdict[si], v)):
                rr.unsure.setdefault(si, BY_ROW_SUM)


def _breaks_row_sum(rr: RowRead) -> bool:
    """Whether every reading of a section-三 row breaks R2 (its 总计 ≠ the sum of its applicant columns).
    Rows whose readings were cut short, or hold n/a or prose, prove nothing."""
    if not rr.candidates or not rr.complete:
        return False
    return all(_holds(cand[-1:], cand[:-1]) is False for cand in rr.candidates)


# ---------------------------------------------------------------------------------------------
# Section 四.

S4_CODES = [f"s4_{g}__{r}" for g, _, _ in common.S4_GROUPS for r, _, _ in common.S4_RESULTS]
S4_SLOTS: list[Slot] = [("int", "件")] * len(S4_CODES)
S4_SHAPE = Shape(tuple(S4_SLOTS), tuple((tuple(range(5 * k, 5 * k + 4)), 5 * k + 4)
                                        for k in range(len(common.S4_GROUPS))))


def _s4_groups(stream: Stream, n: int, end: int | None, header: int | None) -> list[Group]:
    """The groups holding section 四's 15 cells: after its header, before the next section."""
    picked: list[Group] = []
    count = 0
    for g in stream.groups:
        if (end is not None and g.line > end) or (picked and any(is_prose(p) for p in g.pre)):
            break
        if (header is not None and g.line < header and not g.positional) or not g.numeric:
            continue
        if g.label and (k := match_s3_label(g.label)[0]) is not None and k.code is not None:
            continue  # a row of section 三 printed after the 四 heading (`四、结转下年度继续办理`, D18)
        picked.append(g)
        count += len(_trim(g.values, n)) if g.positional else g.n
        if count >= n:
            break
    return picked


def _read_s4(stream: Stream) -> TableRead | None:
    n = len(S4_CODES)
    end = _s4_end(stream)
    header = _s4_header(stream)
    # numbers above the header: narrative wrapped so its 。 fell on the next line (`…行政复议2件` / `。`)
    picked = _s4_groups(stream, n, end, header)
    if not picked and header is not None:
        picked = _s4_groups(stream, n, end, None)  # the header printed after the numbers, then
    if not picked:
        return _blank_s4(stream, end)
    notes: list[str] = []
    values: list[Tok] = []
    exact = True
    for g in picked:
        vals = _trim(g.values, n) if g.positional else g.values
        values.extend(vals)
        exact = exact and g.positional
    if len(picked) == 1 and picked[0].run and len(values) < n:
        spaced = with_blanks(picked[0], n, stream.base_gap, stream.blank_lines, stream.end_pad)
        if spaced is not None:
            values, exact = spaced, True
    extra = len(values) - n
    if extra > 0:
        notes.append(f"section 四: {extra} extra value(s) after the 15 cells ignored")
        values = values[:n]
    exact = exact or len(values) == n
    cands, complete = row_candidates(values, S4_SHAPE, exact and not any(t.glued for t in values))
    rr = RowRead("s4", picked[0], cands, complete=complete)
    if len(picked) > 1:
        rr.group = Group(values, picked[0].label, picked[0].pre, exact, False, picked[0].line)
    if not complete:
        rr.uncertain, rr.note = True, "too many ways to read section 四"
    elif extra > 0:  # which 15 of the numbers are the table's cannot be told from the text
        rr.uncertain, rr.note = True, f"{n + extra} numbers printed for the 15 cells of section 四"
    chosen = solve([rr], [S4_CODES], [], notes)
    cells = _cells(S4_CODES, S4_SLOTS, rr, chosen[0])
    if not cells:
        return None
    return TableRead("s4", "gk2021" if "gk2021" in VERSIONS else "gk2019", cells, complete=True,
                     method="stream", notes=notes)


S4_HEADER_WORDS = ("未经复议直接起诉", "复议后起诉")


def _s4_header(stream: Stream) -> int | None:
    """Line of section 四's header (`未经复议直接起诉 复议后起诉`), if printed."""
    return next((line for line, t in stream.labels if any(w in canon(t) for w in S4_HEADER_WORDS)), None)


def _s4_end(stream: Stream) -> int | None:
    """Line of the next section heading after section 四's table header (a note under the header,
    `注：行政复议、行政诉讼数量含上年度结转数量。`, is still the table); None when not found."""
    header = _s4_header(stream)
    if header is None:
        return None
    return next((line for line, t in stream.labels if line > header
                 and heading_code(t) not in (None, "review_litigation")), None)


def _blank_s4(stream: Stream, end: int | None) -> TableRead | None:
    """Section 四 whose header is printed but no number follows before the narrative resumes: every
    cell was left blank (a printed 0 would show). Without its header the region is only prose."""
    if end is None:
        return None
    cells = [CellRecord(c, None, "", "blank", note="section 四 prints no number: every cell blank")
             for c in S4_CODES]
    return TableRead("s4", "gk2021", cells, complete=True, method="stream",
                     notes=["section 四: header printed, no number before the narrative: all cells blank"])


# ---------------------------------------------------------------------------------------------
# Section 二.

# Words in a cell's annotation that tell which column a floating cell belongs to (016: `55（含自然失效
# 29件）` is a repeal count). Data, not logic: extend when a report shows another wording.
COLUMN_HINTS: dict[str, tuple[str, ...]] = {
    "repealed": ("废止", "失效"),
    "issued": ("修订", "制定", "制发"),
    "in_force": ("现行有效",),
}


@dataclass
class S2Row:
    block: str
    row: str
    labels: tuple[str, ...]
    codes: list[str]
    slots: list[Slot]
    columns: list[str]


def s2_rows(version: str) -> list[S2Row]:
    rows: dict[str, S2Row] = {}
    for f in table_fields(version, "s2"):
        r = rows.get(f.row_code)
        if r is None:
            r = rows[f.row_code] = S2Row(canon(f.block or ""), f.row_code,
                                         tuple(canon(x) for x in (f.row_label, *f.row_variants)), [], [], [])
        r.codes.append(f.code)
        r.slots.append((f.kind, f.unit))
        r.columns.append(f.column_code)
    return list(rows.values())


@cache
def _s2_label_index() -> dict[str, str]:
    out = {}
    for v in VERSIONS:
        for r in s2_rows(v):
            for lab in r.labels:
                out.setdefault(lab, r.row)
    return out


def match_s2_label(text: str) -> str | None:
    t = strip_annotation(canon(text))
    t = _strip_num(t)
    if not t or len(t) > 20:
        return None
    idx = _s2_label_index()
    if t in idx:
        return idx[t]
    ends = [lab for lab in idx if t.endswith(lab) and len(t) - len(lab) <= 6]
    if ends:
        return idx[max(ends, key=len)]
    best = max(idx, key=lambda lab: f1(t, lab))
    return idx[best] if f1(t, best) >= 0.8 else None


def _s2_version(stream: Stream) -> str | None:
    text = "".join(canon(t) for _, t in stream.labels)
    score = {v: sum(1 for s in VERSIONS[v].SIGNALS.get("s2", []) if canon(s) in text) for v in VERSIONS}
    best = max(score.values())
    if best == 0:
        return None
    tops = [v for v, s in score.items() if s == best]
    return tops[0] if len(tops) == 1 else None


def _read_s2(stream: Stream) -> TableRead | None:
    found: dict[str, Group] = {}
    floating: dict[str, list[Tok]] = {}
    block = ""
    for g in stream.groups:
        for p in g.pre + ([g.label] if g.label else []):
            m = _CAPTION.search(canon(p))
            if m:
                block = m.group(1)
        row = None
        if g.label:
            row = match_s2_label(g.label)
        elif g.run and g.pre:
            row = match_s2_label(g.pre[-1])
        if row is None:
            if g.numeric and not g.label:
                floating.setdefault(block, []).extend(g.values)
            continue
        found.setdefault(row, g)
    # rows named with no numbers after them (one cell per line, every cell blank)
    empty_rows = []
    for _, text in stream.floating:
        r = match_s2_label(text)
        if r and r not in found:
            empty_rows.append(r)
    if not found:
        return None
    version = _s2_version(stream)
    if version is None:
        version = max(VERSIONS, key=lambda v: _s2_fit(v, found))
    notes: list[str] = []
    cells: list[CellRecord] = []
    rows = s2_rows(version)
    complete = True
    for r in rows:
        g = found.get(r.row)
        if g is None:
            if r.row in empty_rows:
                cells.extend(CellRecord(c, None, "", "blank") for c in r.codes)
            else:
                complete = False
            continue
        vals = _trim(g.values, len(r.slots)) if g.positional else list(g.values)
        spaced = with_blanks(g, len(r.slots), stream.base_gap, stream.blank_lines, stream.end_pad) if g.run and g.n < len(r.slots) else None
        cap = _caption_key(r.block)
        row_cells = _s2_row_cells(r, g, spaced or vals, floating.get(cap, []), notes, spaced is not None)
        if spaced is None and spacing_disagrees(g, len(r.slots), stream):
            for c in row_cells:
                c.uncertain, c.note = True, "the row's line spacing does not fit its number of cells"
        cells.extend(row_cells)
    if not cells:
        return None
    return TableRead("s2", version, cells, complete=complete, method="stream", notes=notes)


def _caption_key(block: str) -> str:
    m = _CAPTION.search(block)
    return m.group(1) if m else ""


def _s2_fit(version: str, found: dict[str, Group]) -> int:
    score = 0
    for r in s2_rows(version):
        g = found.get(r.row)
        if g is None:
            continue
        score += 2 if g.n == len(r.slots) else -1
    return score


def _s2_row_cells(r: S2Row, g: Group, vals: list[Tok], floating: list[Tok], notes: list[str],
                  spaced: bool = False) -> list[CellRecord]:
    n = len(r.slots)
    row = RowRead(r.row, g, [])
    if len(vals) < n and floating and not any(t.glued for t in vals):
        cand = _place_floating(r, vals, floating, notes)
        if cand is not None:
            return _cells(r.codes, r.slots, row, cand)
    cands, complete = row_candidates(vals, r.slots, spaced or _exact(g, vals, n))
    row.candidates = cands
    if not complete:
        row.uncertain, row.note = True, "too many ways to read this row"
    if not cands:
        notes.append(f"section 二 row {r.row}: values {' '.join(t.raw for t in vals)} do not fit its columns")
        return [CellRecord(c, None, " ".join(t.raw for t in vals), "text", uncertain=True,
                           note="values do not fit the row's columns", source=g.source()) for c in r.codes]
    return _cells(r.codes, r.slots, row, _agree(cands))


def _place_floating(r: S2Row, vals: list[Tok], floating: list[Tok], notes: list[str]) -> Candidate | None:
    """A row missing a cell whose text floated away from the table (016): take the next floating
    value of the row's block; its annotation names its column (COLUMN_HINTS)."""
    n = len(r.slots)
    if len(vals) + 1 != n:
        return None
    tok = floating.pop(0)
    cols = [c for c, words in COLUMN_HINTS.items() if c in r.columns and any(w in tok.annot for w in words)]
    if len(cols) != 1:
        floating.insert(0, tok)
        return None
    at = r.columns.index(cols[0])
    rest = [i for i in range(n) if i != at]
    cand: list[Value | None] = [None] * n
    cand[at] = _parse(tok, r.slots[at])
    dup = any(t.text == tok.text for t in vals)
    for i, t in zip(rest, vals, strict=True):
        v = _parse(t, r.slots[i])
        if dup and t.text == tok.text and i != at:
            v = Value(None, "text", t.raw, note=f"uncertain: {t.raw} is printed twice (in the row and as a floating "
                                                 "cell); this cell may be missing")
        cand[i] = v
    notes.append(f"section 二 row {r.row}: floating cell {tok.raw} placed in column {cols[0]} by its annotation")
    return tuple(cand)


# ---------------------------------------------------------------------------------------------


def read_stream_tables(doc: Document, only: list[str] | None = None) -> dict[str, TableRead]:
    """Tables s2/s3/s4 (those in `only`) read from `doc.text`; absent keys: not found."""
    want = set(only or ("s2", "s3", "s4"))
    segs = lex(doc.text or "")
    if not segs:
        return {}
    reg = find_regions(segs)
    out: dict[str, TableRead] = {}
    readers = {"s2": _read_s2, "s3": _read_s3, "s4": _read_s4}
    streams = {t: build_groups(segs[span[0]:span[1]]) for t in ("s2", "s3", "s4")
               if (span := getattr(reg, t)) is not None}
    blank_lines = any(shows_blank_lines(g, st.base_gap) for st in streams.values() for g in st.groups)
    ends: dict[str, int] = {}  # table -> empty lines after its last cell line
    for t, st in streams.items():
        last = st.groups[-1] if st.groups else None
        if last is not None and last.run and last.gaps[-1] >= BIG_GAP:  # its last line ends the table
            if last.end_gap is None:  # the table's region ends there: the gap is the next region's first
                end = getattr(reg, t)[1]
                last.end_gap = segs[end].gap if end < len(segs) else None
            if last.end_gap is not None:
                ends[t] = last.end_gap
    for t, st in streams.items():
        others = [g for u, g in ends.items() if u != t]
        st.end_pad = min(others) if others else None
    for t in ("s2", "s3", "s4"):
        if t not in want or t not in streams:
            continue
        stream = streams[t]
        stream.blank_lines = blank_lines
        tr = readers[t](stream)
        if tr is not None:
            out[t] = tr
    s4 = out.get("s4")
    if s4 is not None and doc.tables and all(c.kind == "blank" for c in s4.cells):
        # A page with real table cells whose 四 table has its header but no data row at all: the row
        # was left out (or lost), which is not the same as cells printed empty (those the grid reads).
        for c in s4.cells:
            c.uncertain, c.note = True, "section 四 table has its header but no row of values"
    others = [out[t].version for t in ("s2", "s3") if t in out]
    if "s4" in out and others:
        out["s4"].version = section_four_version(others)
    return out

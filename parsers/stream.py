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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache

from .checks import rules as check_rules
from .extract import TableRead
from .labels import normalize, strip_annotation
from .layout import Document
from .readers.text import PAGE_MARK, PIPE_ROW, PIPE_RULE, split_pipe_row
from .report import CellRecord
from .templates import VERSIONS, common, s3_rows, table_fields
from .values import Value, parse_value

LABEL_MIN_F1 = 0.75  # label text vs official label (typos, a lost line of a wrapped label)
ORDER_LABEL_F1 = 0.8  # labels used to judge whether the labels of a table still follow the format's order
MIN_FUZZY_CHARS = 5  # a fuzzy label match must share at least this many characters
MAX_CANDIDATES = 20000  # per row; beyond this a row is reported uncertain rather than searched
MAX_NODES = 200000  # rule-solver search budget per table
MAX_SOLUTIONS = 64

# ---------------------------------------------------------------------------------------------
# Lexing: one line of text -> cells (pipe / tab rows) or tokens (free text).

_NUM_RE = r"[+\-]?\d+(?:[,，]\d{3})*(?:\.\d+)?(?:万元|亿元|元)?"
_TOKEN = re.compile(
    r"(?P<annot>\([^()]*\))"
    r"|(?P<numbering>(?<![\d.])\d{1,2}[.、](?!\d))"
    rf"|(?P<num>(?<![\d.]){_NUM_RE})"
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
_PROSE = re.compile(r"[。；;！？]|[，,].*[，,]")


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


def _clean_line(line: str) -> str:
    t = unicodedata.normalize("NFKC", line).replace("−", "-").replace("\u3000", " ").replace("\xa0", " ")
    return t.rstrip()


def _classify_cell(cell: str, line: int) -> Tok:
    t = cell.strip()
    if not t:
        return Tok("blank", "", line)
    bare = _ANNOT_ANY.sub("", t).replace(" ", "")
    annot = "".join(a[1:-1] for a in _ANNOT_ANY.findall(t))
    if _CELL_NUM.match(bare) or bare in _NA_CELL:
        return Tok("value", bare, line, annot=annot)
    return Tok("label", t, line)


def lex_line(line: str, no: int) -> list[Segment]:
    """Segments of one line; [] for blank lines, page markers and markdown rules."""
    t = _clean_line(line)
    if not t.strip() or PAGE_MARK.match(t) or PIPE_RULE.match(t):
        return []
    t = _HEADING.sub("", t.strip())
    if PIPE_ROW.match(t) or "\t" in t:
        cells = split_pipe_row(t) if PIPE_ROW.match(t) else t.split("\t")
        toks = [_classify_cell(c, no) for c in cells]
        labels = [x.text for x in toks if x.kind == "label"]
        last_label = max((i for i, x in enumerate(toks) if x.kind == "label"), default=-1)
        values = toks[last_label + 1:]
        if not labels and not any(x.kind == "value" for x in values):
            return []
        return [Segment("".join(labels), values, no, True)]
    return _lex_free(t, no)


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
            glued = kind == "num" and (prev in ("text", "numbering") or nxt in ("text", "numbering"))
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
    out: list[Segment] = []
    for no, line in enumerate(text.split("\n"), 1):
        out.extend(lex_line(line, no))
    return out


def is_prose(label: str) -> bool:
    """Narrative text (a sentence), as opposed to a table label."""
    n = normalize(label)
    return len(n) > 30 and bool(_PROSE.search(n))


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


def build_groups(segs: Sequence[Segment]) -> Stream:
    groups: list[Group] = []
    labels: list[tuple[int, str]] = []
    floating: list[tuple[int, str]] = []
    pending: list[str] = []
    run: Group | None = None

    def close_run() -> None:
        nonlocal run
        if run is not None:
            groups.append(run)
            run = None

    for s in segs:
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
            continue
        close_run()
        groups.append(Group(list(s.values), s.label, pending, s.positional, False, s.line))
        pending = []
    close_run()
    return Stream(groups, labels, floating)


def _trim(values: list[Tok], n: int) -> list[Tok]:
    """Positional cells beyond the table's width: drop empty ones at the end, then at the start."""
    v = list(values)
    while len(v) > n and v[-1].kind == "blank":
        v.pop()
    while len(v) > n and v[0].kind == "blank":
        v.pop(0)
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


def f1(a: str, b: str) -> float:
    """Character F1 of two labels; short fragments must match exactly (`予公开` is not `予以公开`)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    m = sum(x.size for x in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    if m < MIN_FUZZY_CHARS:
        return 0.0
    p, r = m / len(a), m / len(b)
    return 2 * p * r / (p + r)


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


def match_s3_label(text: str) -> tuple[LabelKey | None, float]:
    """Best section-三 label for `text` by F1 over characters (with and without numbering)."""
    t = canon(text)
    if not t:
        return None, 0.0
    ts = _strip_num(t)
    best: tuple[LabelKey | None, float] = (None, 0.0)
    for _, forms, key in _s3_label_table():
        for f in forms:
            s = f1(t, f)
            fs = _strip_num(f)
            if len(fs) >= 4 and ts:
                s = max(s, f1(ts, fs))
            if s > best[1]:
                best = (key, s)
    return best if best[1] >= LABEL_MIN_F1 else (None, best[1])


def group_label(g: Group) -> tuple[LabelKey | None, float, bool]:
    """(label key, score, weak) of a group: the same-line label, else (one cell per line) the last
    label lines before it. Labels before a row-wise group are weak evidence (they may belong to the
    row before or after: PDF text wraps labels around the numbers)."""
    if g.label:
        k, s = match_s3_label(g.label)
        if k is not None:
            return k, s, False
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


def _splits(digits: str, max_parts: int) -> Iterable[list[str]]:
    """Ways to cut a glued digit string into numbers (no leading zeros, `0` alone is fine)."""
    n = len(digits)

    def rec(i: int, parts: list[str]) -> Iterable[list[str]]:
        if i == n:
            yield list(parts)
            return
        if len(parts) == max_parts:
            return
        for j in range(i + 1, n + 1):
            piece = digits[i:j]
            if len(piece) > 1 and piece[0] == "0":
                break
            parts.append(piece)
            yield from rec(j, parts)
            parts.pop()

    yield from rec(0, [])


def _expansions(tok: Tok, max_parts: int) -> list[list[Tok]]:
    if tok.kind != "value" or not tok.glued or not tok.text.isdigit() or len(tok.text) == 1 or max_parts == 1:
        return [[tok]]
    return [[Tok("value", p, tok.line) for p in parts] for parts in _splits(tok.text, max_parts)]


Candidate = tuple[Value | None, ...]  # per slot: the value placed there, or None (nothing printed)


def _parse(tok: Tok, slot: Slot) -> Value:
    if tok.kind == "blank":
        return Value(None, "blank", "")
    v = parse_value(tok.text, slot[0], slot[1])
    if tok.annot:
        v = Value(v.value, v.kind, tok.raw, v.unit, v.note)
    return v


def row_candidates(values: Sequence[Tok], slots: Sequence[Slot], exact: bool) -> tuple[list[Candidate], bool]:
    """All placements of `values` (in printed order) into `slots`. `exact`: the values are explicit
    cells, one per slot. Returns (candidates, complete) — complete False when the budget ran out."""
    n = len(slots)
    if exact and len(values) == n:
        return [tuple(_parse(t, s) for t, s in zip(values, slots, strict=True))], True
    out: list[Candidate] = []
    seen: set = set()
    for combo in itertools.product(*[_expansions(t, n) for t in values]):
        flat = [t for part in combo for t in part]
        if len(flat) > n:
            continue
        for pos in itertools.combinations(range(n), len(flat)):
            cand: list[Value | None] = [None] * n
            ok = True
            for t, p in zip(flat, pos, strict=True):
                v = _parse(t, slots[p])
                if v.kind == "text" and t.kind == "value":
                    ok = False
                    break
                cand[p] = v
            if not ok:
                continue
            key = tuple((c.kind, c.value) if c else None for c in cand)
            if key in seen:
                continue
            seen.add(key)
            out.append(tuple(cand))
            if len(out) > MAX_CANDIDATES:
                return out, False
    return out, True


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


def _prefer(cands: list[Candidate], n: int, local: list[tuple[list[int], list[int]]]) -> list[Candidate]:
    """Simplest explanations first: every cell printed, then local rules holding (R2 / R5)."""
    if len(cands) <= 1:
        return cands

    def tier(c: Candidate) -> tuple[int, int]:
        holds = [_holds([c[i] for i in lft], [c[i] for i in rgt]) for lft, rgt in local]
        bad = sum(1 for h in holds if h is False)
        return (bad, n - _printed(c))

    best = min(tier(c) for c in cands)
    return [c for c in cands if tier(c) == best]


def solve(rows: list[RowRead], slot_codes: list[list[str]], rule_list: list[tuple[list[str], list[str]]],
          notes: list[str]) -> list[Candidate | None]:
    """Choose one candidate per row so that the rules hold. Returns per row the agreed candidate
    (slots where solutions disagree hold a sentinel `AMBIGUOUS`)."""
    code_pos: dict[str, tuple[int, int]] = {}
    for ri, codes in enumerate(slot_codes):
        for si, c in enumerate(codes):
            code_pos[c] = (ri, si)
    rl = [(lft, rgt) for lft, rgt in rule_list if all(c in code_pos for c in lft + rgt)]
    var = [i for i, r in enumerate(rows) if len(r.candidates) > 1]
    fixed = {i: r.candidates[0] for i, r in enumerate(rows) if len(r.candidates) == 1}
    if not var:
        return [r.candidates[0] if r.candidates else None for r in rows]
    # each rule is checked when its last variable row is assigned
    rows_of = [sorted({code_pos[c][0] for c in lft + rgt}) for lft, rgt in rl]
    order = {ri: k for k, ri in enumerate(var)}
    due: dict[int, list[int]] = {}
    for k, rs in enumerate(rows_of):
        vs = [order[r] for r in rs if r in order]
        due.setdefault(max(vs) if vs else -1, []).append(k)

    def val(assign: dict[int, Candidate], code: str) -> Value | None:
        ri, si = code_pos[code]
        return assign[ri][si]

    def ok(assign: dict[int, Candidate], ks: list[int]) -> bool:
        for k in ks:
            lft, rgt = rl[k]
            if _holds([val(assign, c) for c in lft], [val(assign, c) for c in rgt]) is False:
                return False
        return True

    if not ok(fixed, due.get(-1, [])):
        notes.append("source table breaks a rule where all values are fixed: placements chosen by rule are not "
                     "relied on")
    solutions: list[dict[int, Candidate]] = []
    nodes = 0
    exhausted = False

    def rec(k: int, assign: dict[int, Candidate]) -> None:
        nonlocal nodes, exhausted
        if exhausted or len(solutions) >= MAX_SOLUTIONS:
            return
        if k == len(var):
            solutions.append(dict(assign))
            return
        ri = var[k]
        for c in rows[ri].candidates:
            nodes += 1
            if nodes > MAX_NODES:
                exhausted = True
                return
            assign[ri] = c
            if ok(assign, due.get(k, [])):
                rec(k + 1, assign)
        assign.pop(ri, None)

    rec(0, dict(fixed))
    if exhausted or not solutions:
        notes.append("rules could not choose among placements (" + ("search budget exhausted" if exhausted
                                                                   else "no arrangement satisfies them") + ")")
        return [_agree(r.candidates) for r in rows]
    return [_agree([s[i] for s in solutions]) if i in order else fixed.get(i) for i in range(len(rows))]


AMBIGUOUS = Value(None, "text", "", note="ambiguous")


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
    for code, v in zip(codes, chosen, strict=True):
        if v is None:  # a slot nothing was printed for: a blank cell that left no trace in the text
            out.append(CellRecord(code, None, "", "blank", uncertain=row.uncertain, note=row.note, source=src))
        elif v is AMBIGUOUS:
            out.append(CellRecord(code, None, raw_row, "text", uncertain=True,
                                  note=f"cannot tell which printed value belongs here: {raw_row}", source=src))
        elif v.note == "blank or 0":
            out.append(CellRecord(code, None, "", "blank", uncertain=True,
                                  note="blank or 0: the values of this row could not be placed exactly",
                                  source=src))
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


def _valid_s3(g: Group, n: int, full_mode: bool, label: LabelKey | None) -> bool:
    """Could this group be a row of section 三? (Header rows, placeholder cells and stray numbers
    are not.)"""
    named = label is not None and label.code is not None
    if not g.numeric and not (g.positional and named):
        return False
    k = len(_trim(g.values, n)) if g.positional else g.n
    if k == n:
        return True
    if k > n:
        return False
    if g.positional:
        return named  # a pipe row missing cells (they floated away) must still name its row
    return not (full_mode and g.run)


def _merge_split_rows(groups: list[Group], n: int) -> list[Group]:
    """A row printed over two lines (`label 3 0 0` / `5 1 9 9`): join when the parts make one row."""
    out: list[Group] = []
    for g in groups:
        prev = out[-1] if out else None
        if (prev is not None and not prev.positional and not g.positional and not g.label and not g.run
                and not prev.run and prev.n < n and prev.n + g.n == n):
            prev.values = prev.values + g.values
            continue
        out.append(Group(list(g.values), g.label, list(g.pre), g.positional, g.run, g.line))
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
        if not valid[i]:
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
                return 10.0
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


def _s3_rule_list(version: str) -> list[tuple[list[str], list[str]]]:
    return [(lft, rgt) for name, _, lft, rgt in check_rules(version) if name in ("R1", "R3")]


def _read_s3(stream: Stream) -> TableRead | None:
    n = len(S3_COLS)
    groups = _split_long_runs(_merge_split_rows(stream.groups, n), n)
    numeric = [g for g in groups if g.numeric]
    if not numeric:
        return None
    full = sum(1 for g in numeric if (len(_trim(g.values, n)) if g.positional else g.n) == n)
    full_mode = full >= max(3, len(numeric) // 2)
    labels = [group_label(g) for g in groups]
    valid = [_valid_s3(g, n, full_mode, lab[0] if not lab[2] else None) for g, lab in zip(groups, labels, strict=True)]
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
    n_valid = sum(valid)
    in_order = _labels_in_order(stream, rows)
    clean = len(pairs) == len(rows) == n_valid and in_order
    row_reads: list[RowRead] = []
    slot_codes: list[list[str]] = []
    for j, code in enumerate(rows):
        codes = [f"s3_{code}__{c}" for c in S3_COLS]
        if j not in assigned:
            continue
        g = groups[assigned[j]]
        k, _, weak = labels[assigned[j]]
        labelled = k is not None and k.code == code and not weak
        exact = g.positional and len(_trim(g.values, n)) == n
        vals = _trim(g.values, n) if g.positional else g.values
        cands, complete = row_candidates(vals, S3_SLOTS, exact)
        total_rule = [([n - 1], list(range(n - 1)))]
        cands = _prefer(cands, n, total_rule)
        rr = RowRead(code, g, cands, complete=complete)
        if not labelled and not clean:
            rr.uncertain = True
            rr.note = "row label detached or missing; row placed by reading order"
        if not complete:
            rr.uncertain, rr.note = True, "too many ways to read this row"
        row_reads.append(rr)
        slot_codes.append(codes)
    missing = [c for j, c in enumerate(rows) if j not in assigned]
    if missing:
        notes.append("section 三 rows not found: " + ", ".join(missing))
    skipped = [groups[i] for i in range(len(groups)) if valid[i] and i not in {p[0] for p in pairs}]
    for g in skipped:
        notes.append(f"section 三: numbers at {g.source()} not placed ({' '.join(t.raw for t in g.values)})")
    chosen = solve(row_reads, slot_codes, _s3_rule_list(version), notes)
    cells: list[CellRecord] = []
    for rr, codes, ch in zip(row_reads, slot_codes, chosen, strict=True):
        cells.extend(_cells(codes, S3_SLOTS, rr, ch))
    if not cells:
        return None
    return TableRead("s3", version, cells, complete=not missing, method="stream", notes=notes)


# ---------------------------------------------------------------------------------------------
# Section 四.

S4_CODES = [f"s4_{g}__{r}" for g, _, _ in common.S4_GROUPS for r, _, _ in common.S4_RESULTS]
S4_SLOTS: list[Slot] = [("int", "件")] * len(S4_CODES)


def _read_s4(stream: Stream) -> TableRead | None:
    n = len(S4_CODES)
    picked: list[Group] = []
    count = 0
    for g in stream.groups:
        if any(is_prose(p) for p in g.pre) and picked:
            break
        if not g.numeric:
            continue
        k = len(_trim(g.values, n)) if g.positional else g.n
        picked.append(g)
        count += k
        if count >= n:
            break
    if not picked:
        return None
    notes: list[str] = []
    values: list[Tok] = []
    exact = True
    for g in picked:
        vals = _trim(g.values, n) if g.positional else g.values
        values.extend(vals)
        exact = exact and g.positional
    if len(values) > n:
        notes.append(f"section 四: {len(values) - n} extra value(s) after the 15 cells ignored")
        values = values[:n]
    exact = exact or len(values) == n
    cands, complete = row_candidates(values, S4_SLOTS, exact)
    per_group = [([5 * k + 4], [5 * k + i for i in range(4)]) for k in range(3)]
    cands = _prefer(cands, n, per_group)
    rr = RowRead("s4", picked[0], cands, complete=complete)
    if len(picked) > 1:
        rr.group = Group(values, picked[0].label, picked[0].pre, exact, False, picked[0].line)
    if not complete:
        rr.uncertain, rr.note = True, "too many ways to read section 四"
    chosen = solve([rr], [S4_CODES], [], notes)
    cells = _cells(S4_CODES, S4_SLOTS, rr, chosen[0])
    if not cells:
        return None
    return TableRead("s4", "gk2021" if "gk2021" in VERSIONS else "gk2019", cells, complete=True,
                     method="stream", notes=notes)


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
        cap = _caption_key(r.block)
        cells.extend(_s2_row_cells(r, g, vals, floating.get(cap, []), notes))
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


def _s2_row_cells(r: S2Row, g: Group, vals: list[Tok], floating: list[Tok], notes: list[str]) -> list[CellRecord]:
    n = len(r.slots)
    exact = g.positional and len(vals) == n
    row = RowRead(r.row, g, [])
    if len(vals) < n and floating and not any(t.glued for t in vals):
        cand = _place_floating(r, vals, floating, notes)
        if cand is not None:
            return _cells(r.codes, r.slots, row, cand)
    cands, complete = row_candidates(vals, r.slots, exact)
    cands = _prefer(cands, n, [])
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
    for t in ("s2", "s3", "s4"):
        span = getattr(reg, t)
        if t not in want or span is None:
            continue
        stream = build_groups(segs[span[0]:span[1]])
        tr = readers[t](stream)
        if tr is not None:
            out[t] = tr
    # section 四 is identical in both formats: report the version the rest of the report uses
    if "s4" in out:
        other = out.get("s2") or out.get("s3")
        if other is not None:
            out["s4"].version = other.version
    return out

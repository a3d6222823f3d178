"""Synthetic 政府信息公开工作年度报告: random consistent reports and every layout real ones come in.

Why: the parsers must be tested on layouts whose true values are known cell for cell, and the demo
portal needs realistic reports without copying real ones. `random_report` draws a report whose
tables satisfy R1, R2, R3 and R5 exactly (templates.md §6), with blanks only where the value is 0;
the `render_*` functions print it the way portals, Word, PDF extractors and OCR tools do
(templates.md §8: D1, D9, D11–D14). Agency and place names are invented; numbers are random.

    rep = random_report(7, version="gk2021", blank_rate=0.3)
    html = render_html(rep)              # bytes, a full official-style page (UTF-8)
    frag = render_cms_html(rep)          # bytes, Word/CMS fragment in GBK with no charset
    text = render_flat_text(rep)         # str, one cell per line like the seed
    rep.expected()                       # {field code: int | Decimal | None (blank)}
"""

from __future__ import annotations

import html as _html
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from parsers.checks import rules
from parsers.templates import Field, common, s3_rows, table_fields

Number = int | Decimal
VERSIONS = ("gk2019", "gk2021")
APPLICANTS = [c for c, _, _ in common.S3_COLUMNS if c != "total"]
S3_COLUMNS = [c for c, _, _ in common.S3_COLUMNS]
S4_RESULTS = [r for r, _, _ in common.S4_RESULTS]
S4_GROUPS = [g for g, _, _ in common.S4_GROUPS]

# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------


@dataclass
class SynthReport:
    """One synthetic report: metadata, narrative and the value of every template cell."""

    agency: str
    region: str
    level: str
    report_year: int
    published: str  # ISO date
    title: str
    version: str  # the report's format (year-driven): gk2019 | gk2021
    s2_version: str
    s3_version: str
    values: dict[str, Number | None]  # None = blank cell (true value 0)
    headings: dict[str, str]  # section code -> heading as printed
    sections: dict[str, list[str]]  # section code -> paragraphs ("preamble" before 一)
    source: str = ""  # 来源 shown on the page
    seed: int = 0
    options: dict[str, Any] = field(default_factory=dict)  # cell styles chosen for this report

    @property
    def s4_version(self) -> str:
        return self.version

    def table_version(self, table: str) -> str:
        return {"s2": self.s2_version, "s3": self.s3_version, "s4": self.version}[table]

    def fields(self, table: str | None = None) -> list[Field]:
        """Template fields of this report in printed order (per-table versions: hybrids included)."""
        tables = [table] if table else ["s2", "s3", "s4"]
        return [f for t in tables for f in table_fields(self.table_version(t), t)]

    def expected(self) -> dict[str, Number | None]:
        """{code: value} with None for a blank cell — what a perfect parse reports."""
        return {f.code: self.values[f.code] for f in self.fields()}

    def true_value(self, code: str) -> Number:
        v = self.values[code]
        return 0 if v is None else v

    def cell_text(self, code: str) -> str:
        """The cell as printed ('' for a blank): signs, units in cells, decimals."""
        v = self.values[code]
        if v is None:
            return ""
        f = _FIELD_INDEX[code]
        if f.kind == "signed_int":
            return f"+{v}" if (v > 0 and self.options.get("plus_sign")) else str(v)
        if f.kind == "decimal":
            s = format(v, "f")
            if code == "s2_central_procurement_amount" and self.options.get("unit_in_cell"):
                s += "元"
            return s
        return str(v)

    def section_text(self, code: str) -> str:
        return "\n".join(self.sections.get(code, []))

    def to_json(self) -> dict[str, Any]:
        """Plain JSON form (Decimal as str) — the expected values a reproducer stores."""
        return {
            "agency": self.agency, "region": self.region, "level": self.level, "title": self.title,
            "report_year": self.report_year, "published": self.published, "version": self.version,
            "tables": {"s2": self.s2_version, "s3": self.s3_version, "s4": self.version},
            "seed": self.seed, "options": self.options,
            "values": {k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.expected().items()},
        }


_FIELD_INDEX: dict[str, Field] = {f.code: f for v in VERSIONS for t in ("s2", "s3", "s4")
                                  for f in table_fields(v, t)}


def violations(values: dict[str, Number | None], s3_version: str) -> list[str]:
    """Rules R1/R2/R3/R5 that do not hold (blanks as 0) — the generator's own check."""
    out = []
    for name, scope, left, right in rules(s3_version):
        lv = sum((values.get(c) or 0) for c in left)
        rv = sum((values.get(c) or 0) for c in right)
        if lv != rv:
            out.append(f"{name}/{scope}: {lv} != {rv}")
    return out


# --------------------------------------------------------------------------------------------
# Vocabulary (invented names; real-looking shapes)
# --------------------------------------------------------------------------------------------

_PROVINCES = ["河北省", "山西省", "辽宁省", "吉林省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省",
              "河南省", "湖北省", "湖南省", "广东省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省"]
_SYL1 = list("云清泽宁禾嘉明丰永和兴瑞安平临怀柏榆桐松梧澄岚")
_SYL2 = list("川江阳山溪原湖河林泉岭台浦渡城坪源")
_DEPARTMENTS = ["人民政府办公室", "发展和改革局", "教育局", "财政局", "自然资源局", "生态环境局",
                "住房和城乡建设局", "交通运输局", "农业农村局", "市场监督管理局", "审计局", "信访局",
                "民政局", "卫生健康委员会", "应急管理局", "行政审批局"]


def _place(rng: random.Random) -> str:
    return rng.choice(_SYL1) + rng.choice(_SYL2)


def _agency(rng: random.Random) -> tuple[str, str, str]:
    """(agency, region, level)."""
    prov = rng.choice(_PROVINCES)
    city = _place(rng) + "市"
    county = _place(rng) + rng.choice(["县", "区", "县"])
    kind = rng.random()
    if kind < 0.3:
        return f"{county}人民政府", f"{prov}{city}{county}", "county"
    if kind < 0.4:
        return f"{city}人民政府", f"{prov}{city}", "city"
    if kind < 0.5:
        town = _place(rng) + rng.choice(["镇", "乡"])
        return f"{county}{town}人民政府", f"{prov}{city}{county}{town}", "township"
    if kind < 0.55:
        street = _place(rng) + "街道办事处"
        return f"{county}{street}", f"{prov}{city}{county}", "township"
    dept = rng.choice(_DEPARTMENTS)
    if rng.random() < 0.3:
        return f"{city}{dept}", f"{prov}{city}", "city-department"
    return f"{county}{dept}", f"{prov}{city}{county}", "county-department"


def _title(rng: random.Random, agency: str, year: int) -> str:
    return rng.choice([
        f"{agency}{year}年政府信息公开工作年度报告",
        f"{agency}{year}年度政府信息公开工作报告",
        f"{agency}{year}年度政府信息公开工作年度报告",
        f"{year}年{agency}政府信息公开工作年度报告",
    ])


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


def _count(rng: random.Random, scale: int, p_zero: float) -> int:
    """A count: zero with probability p_zero, else exponential around `scale`, sometimes 10× bigger."""
    if rng.random() < p_zero:
        return 0
    x = rng.expovariate(1 / max(1, scale)) * (10 if rng.random() < 0.05 else 1)
    return max(1, int(x))


def _money(rng: random.Random, max_units: int, places: int) -> Decimal:
    if rng.random() < 0.2:
        return Decimal(0)
    cents = rng.randint(0, max_units * 10 ** places)
    d = Decimal(cents).scaleb(-places)
    return d if places else Decimal(int(d))


def _s2_values(rng: random.Random, version: str, scale: int) -> dict[str, Number]:
    v: dict[str, Number] = {}
    for f in table_fields(version, "s2"):
        if f.kind == "decimal":
            if f.code == "s2_central_procurement_amount":
                v[f.code] = _money(rng, rng.choice([10**5, 10**7]), rng.choice([0, 0, 1, 2]))
            else:
                v[f.code] = _money(rng, rng.choice([50, 5000, 200000]), rng.choice([0, 1, 2, 2, 3]))
        elif f.kind == "signed_int":
            prev = v.get(f.code.replace("_change", "_prev_year"), 0)
            v[f.code] = rng.randint(-int(prev), max(3, int(prev) // 2)) if rng.random() < 0.7 else 0
        else:
            big = f.column_code in ("decisions", "in_force", "published_total", "items_prev_year")
            v[f.code] = _count(rng, scale * (30 if big else 1), 0.35)
    # stocks at least the year's flow (X4 / X2 shape, not a hard rule)
    for row in ("regulation", "normative_doc"):
        if f"s2_{row}_in_force" in v:
            v[f"s2_{row}_in_force"] = max(v[f"s2_{row}_in_force"], v[f"s2_{row}_issued"])
        if f"s2_{row}_published_total" in v:
            v[f"s2_{row}_published_total"] = max(v[f"s2_{row}_published_total"], v[f"s2_{row}_new_published"])
    return v


def _s3_values(rng: random.Random, version: str, scale: int) -> dict[str, int]:
    """Section 三 satisfying R1, R2, R3: results drawn per applicant column, the rest derived."""
    result_rows = [r.code for r in s3_rows(version) if r.code and r.code.startswith("result_")
                   and r.code != "result_total"]
    v: dict[str, int] = {}
    for a in APPLICANTS:
        weight = 1.0 if a == "natural_person" else rng.choice([0, 0, 0.05, 0.2])
        col_scale = max(1, int(scale * weight)) if weight else 0
        total = 0
        for r in result_rows:
            x = _count(rng, col_scale, 0.5) if col_scale else 0
            v[f"s3_{r}__{a}"] = x
            total += x
        v[f"s3_result_total__{a}"] = total
        fwd = _count(rng, max(1, col_scale // 4), 0.6) if col_scale else 0
        over = rng.randint(0, total + fwd) if (col_scale and rng.random() < 0.5) else 0
        v[f"s3_carried_forward__{a}"] = fwd
        v[f"s3_carried_over__{a}"] = over
        v[f"s3_new_received__{a}"] = total + fwd - over
    for r in [r.code for r in s3_rows(version) if r.code]:
        v[f"s3_{r}__total"] = sum(v[f"s3_{r}__{a}"] for a in APPLICANTS)
    return v


def _s4_values(rng: random.Random, scale: int) -> dict[str, int]:
    v: dict[str, int] = {}
    for g in S4_GROUPS:
        p0 = rng.choice([1.0, 0.6, 0.3])
        parts = {r: _count(rng, max(1, scale // 5), p0) for r in S4_RESULTS if r != "total"}
        for r, x in parts.items():
            v[f"s4_{g}__{r}"] = x
        v[f"s4_{g}__total"] = sum(parts.values())
    return v


def _blank_out(rng: random.Random, values: dict[str, Number], blank_rate: float,
               blank_style: str) -> dict[str, Number | None]:
    """Blanks only where the value is 0 (D1): per cell, or whole organisation columns (D1/D2)."""
    out: dict[str, Number | None] = dict(values)
    if blank_rate <= 0:
        return out
    if blank_style == "columns":
        for a in APPLICANTS[1:]:
            codes = [c for c in values if c.startswith("s3_") and c.endswith("__" + a)]
            if all(values[c] == 0 for c in codes) and rng.random() < blank_rate:
                for c in codes:
                    out[c] = None
    for c, x in values.items():
        if x == 0 and (blank_style == "cells" or not c.startswith("s3_")) and rng.random() < blank_rate:
            out[c] = None
    return out


# --------------------------------------------------------------------------------------------
# Narrative
# --------------------------------------------------------------------------------------------

_HEADINGS_CLAUSE = {  # 条例第五十条 wording (D14)
    "overview": "一、总体情况",
    "proactive_disclosure": "二、行政机关主动公开政府信息的情况",
    "applications": "三、行政机关收到和处理政府信息公开申请的情况",
    "review_litigation": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    "problems_improvements": "五、政府信息公开工作存在的主要问题及改进情况",
    "other_matters": "六、其他需要报告的事项",
}
_OVERVIEW_SUBS = [
    ("（一）主动公开情况", ["坚持“以公开为常态、不公开为例外”原则，全年通过门户网站主动公开政府信息{n1}条，"
                     "发布政策解读{n2}篇，及时回应社会关切。",
                     "围绕重点领域信息公开，细化公开内容，确保各项公开工作落到实处。"]),
    ("（二）依申请公开情况", ["规范依申请公开受理、审查、答复等环节，全年共收到政府信息公开申请{apps}件，"
                      "均在法定期限内予以答复。"]),
    ("（三）政府信息管理情况", ["严格落实信息发布保密审查制度，坚持“先审查、后公开”，"
                       "对公开的信息逐条审核，确保发布信息的准确性和权威性。"]),
    ("（四）政府信息公开平台建设情况", ["加强政府网站和政务新媒体日常监测，完成网站栏目优化调整{n3}项，"
                           "不断提升平台集约化水平。"]),
    ("（五）监督保障情况", ["将政务公开工作纳入年度绩效考核，组织业务培训{n4}次，"
                     "本年度未发生因政府信息公开工作引发的责任追究情况。"]),
]
_PROBLEMS = ["一是公开内容的深度和广度有待进一步提升；二是政策解读形式还不够丰富；三是工作人员业务能力仍需加强。",
             "针对上述问题，下一步将加强业务培训，完善信息发布审核机制，持续拓展解读形式，提升公开质量。",
             "上年度存在的问题均已完成整改，相关制度已修订完善。"]


def _narrative(rng: random.Random, rep_year: int, agency: str, values: dict[str, Number | None],
               clause_wording: bool) -> tuple[dict[str, str], dict[str, list[str]]]:
    headings = {code: (_HEADINGS_CLAUSE[code] if clause_wording else h) for code, h, _ in common.SECTIONS}
    apps = int(values.get("s3_new_received__total") or 0)
    review = int(values.get("s4_review__total") or 0)
    nums = {"n1": rng.randint(50, 9000), "n2": rng.randint(1, 80), "n3": rng.randint(1, 30),
            "n4": rng.randint(1, 12), "apps": apps}
    if clause_wording:
        lst = ("行政机关主动公开政府信息的情况，行政机关收到和处理政府信息公开申请的情况，因政府信息公开工作"
               "被申请行政复议、提起行政诉讼的情况，政府信息公开工作存在的主要问题及改进情况，其他需要报告的事项")
    else:
        lst = ("总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
               "存在的主要问题及改进情况、其他需要报告的事项")
    sections: dict[str, list[str]] = {
        "preamble": [f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制，全文包括{lst}。"
                     f"本报告所列数据统计期限自{rep_year}年1月1日起至{rep_year}年12月31日止。"
                     f"如对本报告有疑问，请与{agency}联系。"],
    }
    ov = [f"{rep_year}年，{agency}深入贯彻落实《条例》各项规定，扎实推进政府信息公开工作。"]
    for sub, sents in _OVERVIEW_SUBS:
        ov.append(sub)
        ov.append("".join(s.format(**nums) for s in sents))
    sections["overview"] = ov
    sections["proactive_disclosure"] = []
    sections["applications"] = []
    sections["review_litigation"] = (
        [f"本年度因政府信息公开工作被申请行政复议{review}件。"] if rng.random() < 0.3 else [])
    sections["problems_improvements"] = rng.sample(_PROBLEMS, k=rng.randint(1, 3))
    fee = rng.choice([0, 0, 0, rng.randint(1, 900)])
    sections["other_matters"] = [f"依据《政府信息公开信息处理费管理办法》规定，本年度收取信息处理费{fee}元。"]
    if rng.random() < 0.4:
        sections["other_matters"].append("本年度无其他需要报告的事项。")
    return headings, sections


# --------------------------------------------------------------------------------------------
# random_report
# --------------------------------------------------------------------------------------------


def _rng(rng_or_seed: random.Random | int | None) -> tuple[random.Random, int]:
    if isinstance(rng_or_seed, random.Random):
        seed = rng_or_seed.randrange(2**31)
        return random.Random(seed), seed
    seed = 0 if rng_or_seed is None else int(rng_or_seed)
    return random.Random(seed), seed


def random_report(rng_or_seed: random.Random | int | None = None, version: str = "gk2021",
                  s2_version: str | None = None, s3_version: str | None = None, blank_rate: float = 0.0,
                  *, blank_style: str = "cells", scale: int | None = None, report_year: int | None = None,
                  agency: str | None = None, clause_wording: bool | None = None,
                  unit_in_cell: bool | None = None, plus_sign: bool | None = None) -> SynthReport:
    """A random report whose tables satisfy R1, R2, R3, R5 exactly.

    `version` is the report's format (decides the year range: gk2019 → 2019–2020, gk2021 → 2021+);
    `s2_version` / `s3_version` override one table for hybrids (D8; a 2021 report keeping the 2019
    section 三). `blank_rate`: chance that a zero cell is printed blank (None in `values`);
    `blank_style`: "cells" (any zero cell) or "columns" (whole all-zero organisation columns of
    section 三, plus single cells elsewhere). `scale` ~ size of the counts (default random).
    """
    if version not in VERSIONS:
        raise ValueError(f"unknown version {version!r}")
    rng, seed = _rng(rng_or_seed)
    s2v, s3v = s2_version or version, s3_version or version
    if report_year is None:
        report_year = rng.choice([2019, 2020]) if version == "gk2019" else rng.randint(2021, 2025)
    scale = scale if scale is not None else rng.choice([1, 3, 10, 40, 300])
    name, region, level = _agency(rng)
    if agency:
        name = agency
    pub = date(report_year + 1, 1, 5) + timedelta(days=rng.randint(0, 85))
    values: dict[str, Number] = {}
    values.update(_s2_values(rng, s2v, scale))
    values.update(_s3_values(rng, s3v, scale))
    values.update(_s4_values(rng, scale))
    vals = _blank_out(rng, values, blank_rate, blank_style)
    clause = rng.random() < 0.3 if clause_wording is None else clause_wording
    headings, sections = _narrative(rng, report_year, name, vals, clause)
    opts = {
        "unit_in_cell": rng.random() < 0.5 if unit_in_cell is None else unit_in_cell,
        "plus_sign": rng.random() < 0.3 if plus_sign is None else plus_sign,
        "blank_rate": blank_rate, "blank_style": blank_style, "clause_wording": clause, "scale": scale,
    }
    source = name if rng.random() < 0.6 else re.sub(r"(人民政府|办公室)$", "", name) or name
    return SynthReport(agency=name, region=region, level=level, report_year=report_year, published=pub.isoformat(),
                       title=_title(rng, name, report_year), version=version, s2_version=s2v, s3_version=s3v,
                       values=vals, headings=headings, sections=sections, source=source, seed=seed, options=opts)


# --------------------------------------------------------------------------------------------
# Table models shared by the renderers
# --------------------------------------------------------------------------------------------

_FW = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，"})
_ASCII = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ","})
S3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
S3_GROUP = "三、本年度办理结果"
S3_ORG = "法人或其他组织"
S3_APPLICANT = "申请人情况"


@dataclass
class S2Block:
    caption: str
    headers: list[str]  # column labels (without 信息内容)
    rows: list[tuple[str, list[str]]]  # (row label, codes)


def s2_blocks(rep: SynthReport) -> list[S2Block]:
    from parsers.templates import VERSIONS as MODS
    out = []
    for caption, rows, cols in MODS[rep.s2_version].S2_BLOCKS:
        out.append(S2Block(caption, [c[1] for c in cols],
                           [(r[1], [f"s2_{r[0]}_{c[0]}" for c in cols]) for r in rows]))
    return out


@dataclass
class S3Line:
    """A data row of section 三 with the group labels that frame it in the printed table."""

    code: str
    label: str
    level: int
    group: str | None  # （三）不予公开 … for level-2 rows
    group_first: bool  # first row of its group (where a rowspan cell sits)
    group_size: int
    result_first: bool  # first row under 三、本年度办理结果
    codes: list[str]


def s3_lines(rep: SynthReport) -> list[S3Line]:
    rows = s3_rows(rep.s3_version)
    out: list[S3Line] = []
    group, gsize, first_result = None, 0, True
    for i, r in enumerate(rows):
        if r.code is None:
            if r.level == 1:
                group = r.label
                gsize = 0
                for r2 in rows[i + 1:]:
                    if r2.level != 2:
                        break
                    gsize += 1
            continue
        if r.level < 2:
            group = None
        is_result = r.code.startswith("result_")
        line = S3Line(r.code, r.label, r.level, group if r.level == 2 else None,
                      bool(r.level == 2 and (not out or out[-1].group != group)), gsize if r.level == 2 else 0,
                      bool(is_result and first_result), [f"s3_{r.code}__{c}" for c in S3_COLUMNS])
        if is_result:
            first_result = False
        out.append(line)
    return out


def result_rowspan(rep: SynthReport) -> int:
    return sum(1 for x in s3_lines(rep) if x.code.startswith("result_"))


S3_HEAD_ORGS = [lab for c, lab, _ in common.S3_COLUMNS if c not in ("natural_person", "total")]
S4_GROUP_LABELS = ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"]
S4_RESULT_LABELS = [lab for _, lab, _ in common.S4_RESULTS]


def s4_codes() -> list[str]:
    return [f"s4_{g}__{r}" for g in S4_GROUPS for r in S4_RESULTS]


def _rng_for(rep: SynthReport, rng: random.Random | int | None, salt: str) -> random.Random:
    if isinstance(rng, random.Random):
        return rng
    return random.Random(f"{rep.seed}/{salt}/{rng}")


def _break(rng: random.Random, label: str, p: float, sep: str) -> str:
    """Insert `sep` inside a label (D9: `本年新<br>制作数量`, `商业 企业`) with probability p."""
    if len(label) < 4 or rng.random() >= p:
        return label
    k = rng.randint(2, len(label) - 2)
    return label[:k] + sep + label[k:]


# --------------------------------------------------------------------------------------------
# (a) official HTML page
# --------------------------------------------------------------------------------------------


def _td(text: str, rs: int = 1, cs: int = 1, cls: str = "") -> str:
    attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
    attrs += f' class="{cls}"' if cls else ""
    return f"<td{attrs}>{text}</td>"


def _h(text: str) -> str:
    return _html.escape(text, quote=False)


def _value_html(rep: SynthReport, code: str, blank: str) -> str:
    t = rep.cell_text(code)
    return _h(t) if t else blank


def _html_s2(rep: SynthReport, rng: random.Random, br: float, d12: bool, blank: str) -> str:
    rows = []
    for b in s2_blocks(rep):
        rows.append(f"<tr>{_td(_h(b.caption), cs=4)}</tr>")
        n = len(b.headers)
        if n == 3:
            hw, vw = [1, 1, 1], [1, 1, 1]
        elif n == 2:
            hw, vw = [1, 2], ([2, 1] if d12 else [1, 2])
        else:
            hw, vw = [3], [3]
        heads = "".join(_td(_break(rng, _h(h), br, rng.choice(["<br>", "<br/>", " "])), cs=w)
                        for h, w in zip(b.headers, hw, strict=True))
        rows.append(f"<tr>{_td('信息内容')}{heads}</tr>")
        for label, codes in b.rows:
            cells = "".join(_td(_value_html(rep, c, blank), cs=w) for c, w in zip(codes, vw, strict=True))
            rows.append(f"<tr>{_td(_break(rng, _h(label), br / 2, '<br>'))}{cells}</tr>")
    return _table(rows)


def _table(rows: list[str], attrs: str = ' border="1" cellspacing="0" cellpadding="0" width="100%"') -> str:
    body = "\n".join(rows)
    return f"<table{attrs}>\n<tbody>\n{body}\n</tbody>\n</table>"


def _html_s3(rep: SynthReport, rng: random.Random, br: float, blank: str) -> str:
    rows = [
        f"<tr>{_td(_h(S3_NOTE), rs=3, cs=3)}{_td(S3_APPLICANT, cs=7)}</tr>",
        f"<tr>{_td('自然人', rs=2)}{_td(S3_ORG, cs=5)}{_td('总计', rs=2)}</tr>",
        "<tr>" + "".join(_td(_break(rng, h, br, "<br>")) for h in S3_HEAD_ORGS) + "</tr>",
    ]
    nres = result_rowspan(rep)
    for ln in s3_lines(rep):
        vals = "".join(_td(_value_html(rep, c, blank)) for c in ln.codes)
        label = _break(rng, _h(ln.label), br / 2, rng.choice(["<br>", " ", "<br/>"]))
        lead = ""
        if ln.result_first:
            lead += _td(_h(S3_GROUP), rs=nres)
        if ln.level == 0:
            cells = _td(label, cs=3)
        elif ln.level == 1:
            cells = _td(label, cs=2)
        else:
            cells = (_td(_h(ln.group or ""), rs=ln.group_size) if ln.group_first else "") + _td(label)
        rows.append(f"<tr>{lead}{cells}{vals}</tr>")
    return _table(rows)


def _html_s4(rep: SynthReport, rng: random.Random, br: float, blank: str) -> str:
    res = lambda: "".join(_td(_break(rng, h, br, "<br>")) for h in S4_RESULT_LABELS)  # noqa: E731
    rows = [
        f"<tr>{_td('行政复议', cs=5)}{_td('行政诉讼', cs=10)}</tr>",
        "<tr>" + "".join(_td(_break(rng, h, br, "<br>"), rs=2) for h in S4_RESULT_LABELS)
        + _td("未经复议直接起诉", cs=5) + _td("复议后起诉", cs=5) + "</tr>",
        f"<tr>{res()}{res()}</tr>",
        "<tr>" + "".join(_td(_value_html(rep, c, blank)) for c in s4_codes()) + "</tr>",
    ]
    return _table(rows)


def _paras_html(paras: list[str], tag: str = "p") -> str:
    return "\n".join(f'<{tag} style="text-indent:2em;">{_h(p)}</{tag}>' for p in paras)


def _date_cn(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{y}年{m}月{d}日"


def render_html(rep: SynthReport, rng: random.Random | int | None = None, *, blank: str = "&nbsp;",
                label_breaks: float = 0.3, d12: bool | None = None, encoding: str = "utf-8",
                page: bool = True, attachments: list[tuple[str, str]] | None = None,
                ascii_brackets: bool = False) -> bytes:
    """(a) The official layout: 3 header rows, 3-column label area with rowspans, merged section-二
    value cells, header colspan ≠ value colspan (D12), <td> only, labels broken by <br>/spaces
    (D9), blanks as `blank`; a full page with <title>, meta ArticleTitle/PubDate/ContentSource and
    a visible 发布日期 (page=False: the article only). `attachments`: [(href, link text)]."""
    r = _rng_for(rep, rng, "html")
    d12 = r.random() < 0.5 if d12 is None else d12
    parts = [_paras_html(rep.sections["preamble"])]
    for code, _, _ in common.SECTIONS:
        parts.append(f"<p><strong>{_h(rep.headings[code])}</strong></p>")
        paras = rep.sections.get(code, [])
        parts.append(_paras_html(paras))
        if code == "proactive_disclosure":
            parts.append(_html_s2(rep, r, label_breaks, d12, blank))
        elif code == "applications":
            parts.append(_html_s3(rep, r, label_breaks, blank))
        elif code == "review_litigation":
            parts.append(_html_s4(rep, r, label_breaks, blank))
    if attachments:
        parts.append("<p>附件：" + "".join(f'<a href="{_h(h)}">{_h(t)}</a>' for h, t in attachments) + "</p>")
    parts.append(f'<p style="text-align:right">{_h(rep.agency)}</p>')
    parts.append(f'<p style="text-align:right">{_date_cn(rep.published)}</p>')
    article = "\n".join(p for p in parts if p)
    if ascii_brackets:
        article = article.translate(_ASCII)
    if not page:
        return article.encode(encoding)
    site = rep.region[:3] + "政府门户网站" if len(rep.region) > 3 else "政府门户网站"
    hour = r.randint(8, 18)
    head = (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="{encoding}">\n'
            f"<title>{_h(rep.title)}_{_h(site)}</title>\n"
            f'<meta name="ArticleTitle" content="{_h(rep.title)}">\n'
            f'<meta name="PubDate" content="{rep.published} {hour:02d}:{r.randint(0, 59):02d}">\n'
            f'<meta name="ContentSource" content="{_h(rep.source)}">\n'
            f'<meta name="ColumnName" content="政府信息公开年报">\n</head>\n<body>\n'
            f'<div class="crumb">首页 &gt; 政务公开 &gt; 政府信息公开年报</div>\n'
            f'<div class="article">\n<h1>{_h(rep.title)}</h1>\n'
            f'<div class="info"><span>发布日期：{rep.published}</span> <span>来源：{_h(rep.source)}</span>'
            f" <span>字号：[大 中 小]</span></div>\n<div class=\"content\">\n")
    tail = '\n</div>\n</div>\n<div class="footer">主办单位：' + _h(rep.agency) + "</div>\n</body>\n</html>\n"
    return (head + article + tail).encode(encoding)


# --------------------------------------------------------------------------------------------
# (b) CMS / Word-style HTML fragment, GBK, no charset
# --------------------------------------------------------------------------------------------

_WORD_TD = ("width:{w}pt;border:solid windowtext 1.0pt;{extra}padding:0cm 5.4pt 0cm 5.4pt")
_WORD_P = '<p class="MsoNormal" align="center" style="text-align:center;line-height:15.0pt">'


def _word_text_p(text: str) -> str:
    return f'{_WORD_P}<span style="font-size:10.5pt;font-family:仿宋_GB2312">{_h(text)}</span></p>'


def _word_label(rng: random.Random, label: str, vertical: bool) -> str:
    """A label as Word writes it in a narrow cell: one <p> per character, or <p> chunks."""
    if vertical:
        return "".join(_word_text_p(ch) for ch in label)
    if len(label) > 6 and rng.random() < 0.5:
        k = rng.randint(2, len(label) - 2)
        return _word_text_p(label[:k]) + _word_text_p(label[k:])
    return _word_text_p(label)


def _word_number(rng: random.Random, text: str) -> str:
    """A number split across <span>s; zeros padded with &nbsp; (Word alignment); blanks as <o:p>&nbsp;."""
    span = '<span lang="EN-US" style="font-size:10.5pt;font-family:&quot;Times New Roman&quot;">'
    if text == "":
        return f'{_WORD_P}{span}<o:p>&nbsp;</o:p></span></p>'
    if text == "0":
        pad = rng.choice(["&nbsp;0", "0&nbsp;&nbsp;", "&nbsp;0&nbsp;"])
        return f"{_WORD_P}{span}{pad}</span></p>"
    if len(text) >= 2 and rng.random() < 0.6:
        k = rng.randint(1, len(text) - 1)
        return f"{_WORD_P}{span}{_h(text[:k])}</span>{span}{_h(text[k:])}</span></p>"
    return f"{_WORD_P}{span}{_h(text)}</span></p>"


class _WordTable:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rows: list[list[str]] = []

    def td(self, inner: str, rs: int = 1, cs: int = 1, w: int = 40) -> str:
        extra = self.rng.choice(["border-top:none;", "border-left:none;", "border-top:none;border-left:none;", ""])
        attrs = (f" rowspan={rs}" if rs > 1 else "") + (f" colspan={cs}" if cs > 1 else "")
        style = _WORD_TD.format(w=w * cs, extra=extra)
        return f"<td width={int(w * cs * 1.33)}{attrs} valign=center style='{style}'>{inner}</td>"

    def html(self) -> str:
        trs = "\n".join(f"<tr style='height:20.0pt'>{''.join(r)}</tr>" for r in self.rows)
        return ("<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 width=600 "
                "style='border-collapse:collapse;mso-yfti-tbllook:1184'>\n" + trs + "\n</table>")


def _cms_s2(rep: SynthReport, rng: random.Random) -> str:
    t = _WordTable(rng)
    for b in s2_blocks(rep):
        t.rows.append([t.td(_word_label(rng, b.caption, False), cs=4, w=110)])
        n = len(b.headers)
        widths = {3: [1, 1, 1], 2: [1, 2], 1: [3]}[n]
        t.rows.append([t.td(_word_label(rng, "信息内容", False), w=110)]
                      + [t.td(_word_label(rng, h, False), cs=w) for h, w in zip(b.headers, widths, strict=True)])
        for label, codes in b.rows:
            t.rows.append([t.td(_word_label(rng, label, False), w=110)]
                          + [t.td(_word_number(rng, rep.cell_text(c)), cs=w) for c, w in zip(codes, widths, strict=True)])
    return t.html()


def _cms_s3(rep: SynthReport, rng: random.Random) -> str:
    t = _WordTable(rng)
    t.rows.append([t.td(_word_label(rng, S3_NOTE, False), rs=3, cs=3, w=60), t.td(_word_text_p(S3_APPLICANT), cs=7)])
    t.rows.append([t.td(_word_label(rng, "自然人", True), rs=2), t.td(_word_text_p(S3_ORG), cs=5),
                   t.td(_word_label(rng, "总计", True), rs=2)])
    t.rows.append([t.td(_word_label(rng, h, True)) for h in S3_HEAD_ORGS])
    nres = result_rowspan(rep)
    for ln in s3_lines(rep):
        row = []
        if ln.result_first:
            row.append(t.td(_word_label(rng, S3_GROUP, True), rs=nres, w=20))
        if ln.level == 0:
            row.append(t.td(_word_label(rng, ln.label, False), cs=3, w=60))
        elif ln.level == 1:
            row.append(t.td(_word_label(rng, ln.label, False), cs=2, w=60))
        else:
            if ln.group_first:
                row.append(t.td(_word_label(rng, ln.group or "", False), rs=ln.group_size, w=30))
            row.append(t.td(_word_label(rng, ln.label, False), w=90))
        row += [t.td(_word_number(rng, rep.cell_text(c))) for c in ln.codes]
        t.rows.append(row)
    return t.html()


def _cms_s4(rep: SynthReport, rng: random.Random) -> str:
    t = _WordTable(rng)
    t.rows.append([t.td(_word_text_p("行政复议"), cs=5), t.td(_word_text_p("行政诉讼"), cs=10)])
    t.rows.append([t.td(_word_label(rng, h, True), rs=2) for h in S4_RESULT_LABELS]
                  + [t.td(_word_text_p("未经复议直接起诉"), cs=5), t.td(_word_text_p("复议后起诉"), cs=5)])
    t.rows.append([t.td(_word_label(rng, h, True)) for h in S4_RESULT_LABELS * 2])
    t.rows.append([t.td(_word_number(rng, rep.cell_text(c))) for c in s4_codes()])
    return t.html()


def render_cms_html(rep: SynthReport, rng: random.Random | int | None = None, *, encoding: str = "gbk") -> bytes:
    """(b) A CMS article body pasted from Word: an HTML fragment (no <html>, no charset) in GBK
    bytes; labels one character per <p> in narrow cells, numbers split across <span>s, zeros
    padded with &nbsp;, per-cell border styles instead of a table border, <o:p> blanks."""
    r = _rng_for(rep, rng, "cms")
    body = '<p class="MsoNormal" style="text-indent:28.0pt;line-height:28.0pt"><span style="font-size:16.0pt;font-family:仿宋_GB2312">'

    def para(text: str, bold: bool = False) -> str:
        inner = f"<b>{_h(text)}</b>" if bold else _h(text)
        return f"{body}{inner}</span></p>"

    out = ['<div class="TRS_Editor"><div class=WordSection1 style=\'layout-grid:15.6pt\'>',
           f'<p class="MsoNormal" align=center style="text-align:center"><b><span style="font-size:22.0pt;'
           f'font-family:方正小标宋简体">{_h(rep.title)}</span></b></p>']
    out += [para(p) for p in rep.sections["preamble"]]
    for code, _, _ in common.SECTIONS:
        out.append(para(rep.headings[code], bold=True))
        out += [para(p) for p in rep.sections.get(code, [])]
        if code == "proactive_disclosure":
            out.append(_cms_s2(rep, r))
        elif code == "applications":
            out.append(_cms_s3(rep, r))
        elif code == "review_litigation":
            out.append(_cms_s4(rep, r))
    out.append(f'<p class="MsoNormal" align=right style="text-align:right">{_h(rep.agency)}</p>')
    out.append(f'<p class="MsoNormal" align=right style="text-align:right">{_date_cn(rep.published)}</p>')
    out.append("</div></div>")
    return "\n".join(out).encode(encoding)


# --------------------------------------------------------------------------------------------
# (c) The article inside a portal page: what a crawler actually fetches
# --------------------------------------------------------------------------------------------

PORTAL_FAMILIES = ("trs", "hanweb", "layout_tables")
_MENU = ["首页", "政务公开", "政府信息公开", "政府信息公开指南", "政府信息公开制度", "法定主动公开内容",
         "政府信息公开年报", "政策文件", "政策解读", "新闻发布会", "人事信息", "财政预决算", "重大项目", "应急管理",
         "政务服务", "办事指南", "互动交流", "领导信箱", "在线访谈", "征集调查", "走进本地", "概况", "历史沿革",
         "统计数据", "公告公示", "招标采购", "双随机一公开", "行政执法公示", "建议提案办理", "机构职能"]


def _portal_menus(r: random.Random, n_links: int) -> str:
    """Nested <ul> menus of `n_links` links (TRS portals print several hundred: 02_trs_article has 673 <li>)."""
    out, i = [], 0
    while i < n_links:
        k = r.randint(8, 20)
        items = "".join(f'<li><a href="../../{r.choice("abcdefgh")}{i + j}/index.html" target="_blank" '
                        f'title="{_MENU[(i + j) % len(_MENU)]}">{_MENU[(i + j) % len(_MENU)]}</a></li>'
                        for j in range(k))
        out.append(f'<li class="nav-item"><a href="javascript:;">{_MENU[i % len(_MENU)]}</a>'
                   f'<ul class="sub-nav">{items}</ul></li>')
        i += k
    return '<div class="nav"><ul class="nav-list">' + "".join(out) + "</ul></div>"


def _portal_script(r: random.Random, kb: int) -> str:
    """Inline JavaScript of about `kb` KiB (menus, statistics, the 错误纠正 widget)."""
    lines = [f'var _jiucuo_ = {{sitecode: "{r.randint(10**9, 10**10 - 1)}"}};']
    while sum(map(len, lines)) < kb * 1024:
        n = len(lines)
        lines.append(f"function menu{n}(el) {{ var list = document.getElementsByTagName('li'); "
                     f"for (var i = 0; i < list.length; i++) {{ if (list[i].className == 'on{n}') "
                     f"{{ list[i].style.display = 'none'; }} }} return '<td>' + el + '</td>'; }}")
    return "<script type=\"text/javascript\">\n" + "\n".join(lines) + "\n</script>"


def _portal_style(r: random.Random, kb: int) -> str:
    """Inline CSS of about `kb` KiB (Hanweb pages carry up to 180 KiB of it: 03_hanweb_article)."""
    rules_ = []
    while sum(map(len, rules_)) < kb * 1024:
        n = len(rules_)
        rules_.append(f".mod{n} .item{n % 37} a:hover {{ color: #{r.randint(0, 0xFFFFFF):06x}; "
                      f"border: 1px solid #ddd; margin: {n % 9}px {n % 5}px; display: none; }}")
    return "<style type=\"text/css\">\n" + "\n".join(rules_) + "\n</style>"


def render_portal_page(rep: SynthReport, rng: random.Random | int | None = None, *, family: str = "trs",
                       body: str = "official", encoding: str = "utf-8") -> bytes:
    """The report article (`body`: "official" = render_html's article, "cms" = the Word/CMS fragment)
    inside a portal page of one of PORTAL_FAMILIES, sized like real ones (portals/samples: 22–197 KiB):

    - trs: the government meta set, a 600-link menu, inline scripts, body in div.TRS_Editor;
    - hanweb: ~100 KiB of inline <style>, lower-case contentSource, body in #zoom between
      `<!--<$[信息来源]>begin-->` markers, a table holding the date line;
    - layout_tables: the whole page laid out with nested <table>s, upper-case <META>.

    A related-articles list links other years' reports, as real columns do; the page's own meta
    and <h1> name this report. The cells must parse exactly as from the bare article."""
    if family not in PORTAL_FAMILIES:
        raise ValueError(f"unknown portal family {family!r}: one of {PORTAL_FAMILIES}")
    r = _rng_for(rep, rng, "portal-" + family)
    if body == "cms":
        article = render_cms_html(rep, r, encoding="utf-8").decode("utf-8")
    else:
        article = render_html(rep, r, page=False).decode("utf-8")
    site = (rep.region[:3] if len(rep.region) > 3 else "") + "人民政府门户网站"
    related = "".join(f'<li><a href="../20{y % 100:02d}01/t20{y % 100:02d}0115_{r.randint(10**5, 10**6)}.html">'
                      f'{_h(rep.agency)}{y}年政府信息公开工作年度报告</a><span>{y + 1}-01-15</span></li>'
                      for y in range(rep.report_year - 1, rep.report_year - 4, -1))
    related = f'<div class="related"><h3>相关文章</h3><ul>{related}</ul></div>'
    footer = (f'<div class="footer"><p>主办单位：{_h(site)}办公室　承办：{_h(rep.agency)}</p>'
              f'<p>网站标识码：{r.randint(10**9, 10**10 - 1)}　ICP备{r.randint(10**7, 10**8 - 1)}号-1　'
              f'公网安备 {r.randint(10**13, 10**14 - 1)}号</p></div>')
    date_line = f"发布日期：{rep.published}"
    if family == "trs":
        head = (f'<meta name="SiteName" content="{_h(site)}">\n<meta name="SiteDomain" content="www.example.gov.cn">\n'
                f'<meta name="SiteIDCode" content="{r.randint(10**9, 10**10 - 1)}">\n'
                f'<meta name="ColumnName" content="政府信息公开年报">\n<meta name="ArticleTitle" content="{_h(rep.title)}">\n'
                f'<meta name="PubDate" content="{rep.published} {r.randint(8, 18):02d}:{r.randint(0, 59):02d}">\n'
                f'<meta name="ContentSource" content="{_h(rep.source)}">\n'
                + "".join(f'<link rel="stylesheet" href="/css/m{i}.css">\n' for i in range(6))
                + _portal_script(r, 7))
        page_body = (_portal_menus(r, 600) + '<div class="crumb">当前位置：<a href="/">首页</a> &gt; '
                     '<a href="../">政务公开</a> &gt; <span class="CurrChnlCls">政府信息公开年报</span></div>'
                     f'<div class="article"><h1>{_h(rep.title)}</h1><div class="info">{date_line}　来源：'
                     f'{_h(rep.source)}　【字体：大 中 小】</div><div class="TRS_Editor">{article}</div>'
                     '<script>createPageHTML(1,0,"t20230118_123456","shtml");</script></div>'
                     + related + footer + _portal_script(r, 3))
    elif family == "hanweb":
        head = (f'<meta name="ArticleTitle" content="{_h(rep.title)}">\n<meta name="PubDate" content="{rep.published}">\n'
                f'<meta name="contentSource" content="{_h(rep.source)}">\n<meta name="SiteIDCode" content="">\n'
                + _portal_style(r, 100))
        page_body = (_portal_menus(r, 120) + '<div class="crumb"><a href="/col/col1/index.html">首页</a> &gt; '
                     '<a href="/col/col2/index.html">政府信息公开年报</a></div>'
                     f'<table class="title"><tr><td class="title">{_h(rep.title)}</td></tr>'
                     f'<tr><td>{date_line}</td><td><!--<$[信息来源]>begin-->信息来源：{_h(rep.source)}'
                     f'<!--<$[信息来源]>end--></td></tr></table>'
                     f'<div id="zoom"><!--<$[信息内容]>begin-->{article}<!--<$[信息内容]>end--></div>'
                     + related + footer)
    else:
        head = (f'<META content="{_h(rep.title)}" name="ArticleTitle">\n<META content="{rep.published}" name="PubDate">\n'
                + _portal_style(r, 4))
        cells = "".join(f'<td><a href="/l{i}.html">{_MENU[i % len(_MENU)]}</a></td>' for i in range(12))
        page_body = (f'<table width="1000" align="center"><tr>{cells}</tr></table>'
                     '<table width="1000" align="center"><tr><td width="240" valign="top">'
                     f'<table><tr><td>{_portal_menus(r, 60)}</td></tr></table></td>'
                     f'<td valign="top"><table width="100%"><tr><td><h1>{_h(rep.title)}</h1></td></tr>'
                     f'<tr><td>{date_line}</td></tr><tr><td><div class="content">{article}</div></td></tr>'
                     f'</table></td></tr></table>' + related + footer)
    page = (f'<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset={encoding}">\n'
            f"<title>{_h(rep.title)}_{_h(site)}</title>\n{head}\n</head>\n<body>\n{page_body}\n</body>\n</html>\n")
    return page.encode(encoding)


# --------------------------------------------------------------------------------------------
# Text layouts: table rows as lists of printed cells
# --------------------------------------------------------------------------------------------


def _flat_cells(rep: SynthReport, ascii_brackets: bool) -> dict[str, list[tuple[str, str | None]]]:
    """Per table, the cells in HTML reading order: (text, code or None for a label)."""
    tr = (lambda s: s.translate(_ASCII)) if ascii_brackets else (lambda s: s)
    s2: list[tuple[str, str | None]] = []
    for b in s2_blocks(rep):
        s2.append((tr(b.caption), None))
        s2.append(("信息内容", None))
        s2 += [(tr(h), None) for h in b.headers]
        for label, codes in b.rows:
            s2.append((tr(label), None))
            s2 += [(rep.cell_text(c), c) for c in codes]
    s3: list[tuple[str, str | None]] = [(tr(S3_NOTE), None), (S3_APPLICANT, None), ("自然人", None),
                                        (S3_ORG, None), ("总计", None)] + [(h, None) for h in S3_HEAD_ORGS]
    for ln in s3_lines(rep):
        if ln.result_first:
            s3.append((tr(S3_GROUP), None))
        if ln.group_first:
            s3.append((tr(ln.group or ""), None))
        s3.append((tr(ln.label), None))
        s3 += [(rep.cell_text(c), c) for c in ln.codes]
    s4: list[tuple[str, str | None]] = [("行政复议", None), ("行政诉讼", None)]
    s4 += [(h, None) for h in S4_RESULT_LABELS] + [("未经复议直接起诉", None), ("复议后起诉", None)]
    s4 += [(h, None) for h in S4_RESULT_LABELS * 2] + [(rep.cell_text(c), c) for c in s4_codes()]
    return {"s2": s2, "s3": s3, "s4": s4}


def _encode(text: str, encoding: str | None) -> str | bytes:
    if encoding and not encoding.lower().startswith("utf"):
        text = text.replace("\u00a0", " ")  # GBK has no no-break space: such pages carry a plain one
    return text.encode(encoding) if encoding else text


# --------------------------------------------------------------------------------------------
# (c) flattened text (the seed's layout)
# --------------------------------------------------------------------------------------------


def render_flat_text(rep: SynthReport, rng: random.Random | int | None = None, *, blanks: str = "empty",
                     spacing: str = "double", ascii_brackets: bool = True, encoding: str | None = None) -> str | bytes:
    """(c) A page copied as text: every table cell on its own line (`spacing="double"`: an empty
    line between cells, like the seed). A blank cell yields an empty cell line (`blanks="empty"`)
    or no line at all (`blanks="skip"`: the layout then cannot say where the blank was)."""
    if blanks not in ("empty", "skip") or spacing not in ("single", "double"):
        raise ValueError("blanks: empty|skip, spacing: single|double")
    tr = (lambda s: s.translate(_ASCII)) if ascii_brackets else (lambda s: s)
    sep = "\n\n" if spacing == "double" else "\n"
    d = _date_cn(rep.published)
    lines = [f"首页 -> 政务公开 -> 政府信息公开年报 -> {rep.report_year}年", tr(rep.title),
             f"{d}来源:{rep.source}", "[字体: ] 打印", f"{rep.source}\u00a0{d}", ""]
    lines += [f"  {tr(p)}\n" for p in rep.sections["preamble"]]
    cells = _flat_cells(rep, ascii_brackets)
    for code, _, _ in common.SECTIONS:
        lines.append(f"  {tr(rep.headings[code])}\n")
        lines += [f"  {tr(p)}\n" for p in rep.sections.get(code, [])]
        table = {"proactive_disclosure": "s2", "applications": "s3", "review_litigation": "s4"}.get(code)
        if table:
            texts = [t for t, c in cells[table] if not (blanks == "skip" and c and t == "")]
            lines.append("\n" + sep.join(texts) + "\n\n")
    lines += [rep.agency, d]
    return _encode("\n".join(lines) + "\n", encoding)


# --------------------------------------------------------------------------------------------
# (d) markdown pipe tables (OCR / converter output)
# --------------------------------------------------------------------------------------------


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def render_markdown(rep: SynthReport, rng: random.Random | int | None = None, *, span_fill: str = "empty",
                    split_s2: bool = True, encoding: str | None = None) -> str | bytes:
    """(d) Markdown: headings as `#`, tables as pipe tables. Merged cells are repeated
    (`span_fill="repeat"`) or left empty (`"empty"`) as converters do; blank values are empty
    cells. `split_s2`: one pipe table per 第二十条 block (OCR style) or one table."""
    out = [f"# {rep.title}", "", f"{rep.agency}", f"({_date_cn(rep.published)})", ""]
    out += [p + "\n" for p in rep.sections["preamble"]]

    def fill(label: str) -> str:
        return label if span_fill == "repeat" else ""

    for code, _, _ in common.SECTIONS:
        out += [f"## {rep.headings[code]}", ""]
        for p in rep.sections.get(code, []):
            out += [f"### {p}" if re.match(r"^（[一二三四五六七八九十]+）\S{2,16}$", p) else p, ""]
        if code == "proactive_disclosure":
            blocks = s2_blocks(rep)
            width = 1 + max(len(b.headers) for b in blocks)
            if not split_s2:  # one table for all blocks, as wide as the widest block
                out += [_md_row([blocks[0].caption] + [fill(blocks[0].caption)] * (width - 1)),
                        _md_row(["---"] * width)]
            for i, b in enumerate(blocks):
                w = 1 + len(b.headers) if split_s2 else width
                head = ["信息内容", *b.headers]
                if split_s2:
                    out += [f"### {b.caption}", _md_row(head), _md_row(["---"] * w)]
                else:
                    if i:
                        out.append(_md_row([b.caption] + [fill(b.caption)] * (w - 1)))
                    out.append(_md_row(head + [fill(head[-1])] * (w - len(head))))
                for label, codes in b.rows:
                    row = [label] + [rep.cell_text(c) for c in codes]
                    out.append(_md_row(row + [fill(row[-1])] * (w - len(row))))
                if split_s2:
                    out.append("")
            out.append("")
        elif code == "applications":
            head1 = [S3_NOTE, fill(S3_NOTE), fill(S3_NOTE)] + [S3_APPLICANT] + [fill(S3_APPLICANT)] * 6
            head2 = [fill(S3_NOTE)] * 3 + ["自然人", S3_ORG] + [fill(S3_ORG)] * 4 + ["总计"]
            head3 = [fill(S3_NOTE)] * 3 + [fill("自然人")] + S3_HEAD_ORGS + [fill("总计")]
            out += [_md_row(head1), _md_row(["---"] * 10), _md_row(head2), _md_row(head3)]
            for ln in s3_lines(rep):
                vals = [rep.cell_text(c) for c in ln.codes]
                grp = S3_GROUP if (ln.result_first or span_fill == "repeat") and ln.code.startswith("result_") else ""
                if ln.level == 0:
                    lab = [ln.label, fill(ln.label), fill(ln.label)]
                elif ln.level == 1:
                    lab = [grp, ln.label, fill(ln.label)]
                else:
                    g = (ln.group or "") if (ln.group_first or span_fill == "repeat") else ""
                    lab = [grp, g, ln.label]
                out.append(_md_row(lab + vals))
            out.append("")
        elif code == "review_litigation":
            rows = [["行政复议"] + [fill("行政复议")] * 4 + ["行政诉讼"] + [fill("行政诉讼")] * 9,
                    S4_RESULT_LABELS + ["未经复议直接起诉"] + [fill("未经复议直接起诉")] * 4
                    + ["复议后起诉"] + [fill("复议后起诉")] * 4,
                    [fill(h) for h in S4_RESULT_LABELS] + S4_RESULT_LABELS * 2,
                    [rep.cell_text(c) for c in s4_codes()]]
            out += [_md_row(rows[0]), _md_row(["---"] * 15)] + [_md_row(x) for x in rows[1:]] + [""]
    out += [rep.agency, _date_cn(rep.published)]
    return _encode("\n".join(out) + "\n", encoding)


# --------------------------------------------------------------------------------------------
# (e) PDF-extracted text and (f) glued digits
# --------------------------------------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def _vertical(labels: list[str]) -> list[str]:
    """D13: narrow header cells read as vertical single characters, one text line per char row."""
    depth = max(len(x) for x in labels)
    return [" ".join(x[i] for x in labels if i < len(x)) for i in range(depth)]


def _pdf_table_lines(rep: SynthReport, r: random.Random, joiner: str, split_labels: float,
                     interleave_groups: bool) -> dict[str, list[str]]:
    """Table lines as a row-wise PDF text extractor prints them; `joiner` between cells."""
    def row(label: str, codes: list[str]) -> list[str]:
        vals = [rep.cell_text(c) for c in codes]
        nums = joiner.join(v for v in vals if v != "")
        if len(label) > 14 and r.random() < split_labels:
            k = r.randint(6, len(label) - 4)
            if r.random() < 0.5:  # label / numbers / rest of label (011 style)
                return [label[:k], nums, label[k:]] if nums else [label[:k], label[k:]]
            return [label[:k], f"{label[k:]}{' ' if joiner else ''}{nums}".rstrip()]
        return [f"{label}{' ' if joiner == ' ' else ''}{nums}".rstrip()]

    s2: list[str] = []
    for b in s2_blocks(rep):
        cap = b.caption.replace("第二十条第", r.choice(["第二十条第", "第二十条 第"]))
        s2.append(cap)
        s2.append("信息内容" + (" " if joiner else "") + (" " if joiner else "").join(b.headers))
        for label, codes in b.rows:
            s2 += row(label, codes)
    s3 = [S3_APPLICANT, S3_NOTE[:18] + " " + S3_ORG, S3_NOTE[18:], "自然人 总计"]
    s3 += _vertical_pairs(S3_HEAD_ORGS)
    lines = s3_lines(rep)
    vchars = list(S3_GROUP) if interleave_groups else []
    nres = result_rowspan(rep)
    step = max(1, nres // max(1, len(vchars))) if vchars else 0
    ri = 0
    for ln in lines:
        if ln.group_first and not interleave_groups:
            s3.append(ln.group or "")
        if ln.result_first and not interleave_groups:
            s3.append(S3_GROUP)
        rl = row(ln.label, ln.codes)
        if interleave_groups and ln.group_first:
            g = ln.group or ""
            rl[0] = g[:4] + " " + rl[0]
            rl.append(g[4:])
        s3 += rl
        if interleave_groups and ln.code.startswith("result_"):
            if vchars and ri % step == 0:
                s3.append(vchars.pop(0))
            ri += 1
    s3 += vchars
    s4 = ["行政复议 行政诉讼", "未经复议直接起诉 复议后起诉"]
    s4 += _vertical(S4_RESULT_LABELS * 3)
    s4.append(joiner.join(v for v in (rep.cell_text(c) for c in s4_codes()) if v != ""))
    return {"s2": s2, "s3": s3, "s4": s4}


def _vertical_pairs(labels: list[str]) -> list[str]:
    """Header cells wrapped in two lines, the way 011 prints `商业企 科研机 …` / `业 构 …`."""
    first = [x[: (len(x) + 1) // 2 + (1 if len(x) > 3 else 0)] for x in labels]
    second = [x[len(f):] for x, f in zip(labels, first, strict=True)]
    return [" ".join(first), " ".join(s for s in second if s)]


def _pdf_document(rep: SynthReport, r: random.Random, tables: dict[str, list[str]], width: int,
                  lines_per_page: int, page_markers: bool) -> str:
    if rep.title.startswith(rep.agency) and r.random() < 0.7:  # agency / "2024 年…报告" on two lines
        lines = [rep.agency, rep.title[len(rep.agency):]]
    else:
        lines = _wrap(rep.title, width)
    for p in rep.sections["preamble"]:
        lines += _wrap(p, width)
    for code, _, _ in common.SECTIONS:
        lines.append(rep.headings[code])
        for p in rep.sections.get(code, []):
            lines += _wrap(p, width)
        table = {"proactive_disclosure": "s2", "applications": "s3", "review_litigation": "s4"}.get(code)
        if table:
            lines += tables[table]
    lines += [rep.agency, _date_cn(rep.published)]
    if not page_markers:
        return "\n".join(lines) + "\n"
    out, page = [], 1
    offset = r.randint(0, lines_per_page // 2)
    for i, ln in enumerate(lines):
        out.append(ln)
        if (i + offset) % lines_per_page == lines_per_page - 1 and i < len(lines) - 1:
            page += 1
            out.append(f"- {page} -")
    return "\n".join(out) + f"\n- {page + 1} -\n"


def render_pdf_text(rep: SynthReport, rng: random.Random | int | None = None, *, width: int = 30,
                    lines_per_page: int = 28, page_markers: bool = True, split_labels: float = 0.5,
                    interleave_groups: bool | None = None, encoding: str | None = None) -> str | bytes:
    """(e) Text as a row-wise PDF extractor gives it: prose wrapped at `width` chars, page markers
    `- 3 -` (also inside tables), header cells broken into vertical single characters (D13), the 15
    numbers of section 四 on one line, long row labels split over two lines (numbers between or
    after), optionally the rowspan labels 三、本年度办理结果 / （三）不予公开 interleaved with rows.
    Blank cells print nothing (a row then has fewer numbers)."""
    r = _rng_for(rep, rng, "pdf")
    inter = r.random() < 0.5 if interleave_groups is None else interleave_groups
    tables = _pdf_table_lines(rep, r, " ", split_labels, inter)
    return _encode(_pdf_document(rep, r, tables, width, lines_per_page, page_markers), encoding)


def render_glued_text(rep: SynthReport, rng: random.Random | int | None = None, *, width: int = 30,
                      page_markers: bool = False, rows: str = "lines", encoding: str | None = None) -> str | bytes:
    """(f) An extractor that lost the cell boundaries: every row's cells joined with no separator
    (`规章000`, `行政规范性文件8855698`, 15 digits of section 四 in one run). `rows="glued"` also
    joins the rows of each section-二 block into one line (`规章000行政规范性文件8855698`). Only
    arithmetic can split such runs; a parser must flag what it cannot split with certainty."""
    if rows not in ("lines", "glued"):
        raise ValueError("rows: lines|glued")
    r = _rng_for(rep, rng, "glued")
    tables = _pdf_table_lines(rep, r, "", 0.0, False)
    if rows == "glued":
        s2: list[str] = []
        for line in tables["s2"]:
            if s2 and not line.startswith(("第二十条", "信息内容")) and not s2[-1].startswith(("第二十条", "信息内容")):
                s2[-1] += line
            else:
                s2.append(line)
        tables["s2"] = s2
    return _encode(_pdf_document(rep, r, tables, width, 10**6, page_markers), encoding)


# --------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------

RENDERERS: dict[str, Callable[..., str | bytes]] = {
    "html": render_html,
    "cms_html": render_cms_html,
    "flat_text": render_flat_text,
    "markdown": render_markdown,
    "pdf_text": render_pdf_text,
    "glued_text": render_glued_text,
}
SUFFIX = {"html": ".html", "cms_html": ".html", "flat_text": ".txt", "markdown": ".md", "pdf_text": ".txt",
          "glued_text": ".txt"}


def render(rep: SynthReport, layout: str, rng: random.Random | int | None = None, **options: Any) -> bytes:
    """Render in `layout` (a RENDERERS key) and return bytes (UTF-8 for the text layouts)."""
    out = RENDERERS[layout](rep, rng, **options)
    return out if isinstance(out, bytes) else out.encode("utf-8")


# --------------------------------------------------------------------------------------------
# Round-trip comparison (used by tests/test_roundtrip*.py and to write reproducers)
# --------------------------------------------------------------------------------------------

# Layouts (with their options) that print every cell where it belongs: a parse must be exact.
LOSSY_OPTIONS = {"flat_text": {"blanks": "skip"}}


def is_lossless(layout: str, rep: SynthReport, options: dict[str, Any] | None = None) -> bool:
    """Whether `layout` with `options` carries every cell of `rep` unambiguously.

    Blank cells vanish in PDF text and in flattened text with blanks="skip", and glued digits
    lose every cell boundary: there the contract is "right or flagged uncertain"."""
    options = options or {}
    has_blank = any(v is None for v in rep.expected().values())
    if layout == "glued_text":
        return False
    if layout == "pdf_text":
        return not has_blank
    if layout == "flat_text" and options.get("blanks") == "skip":
        return not has_blank
    return True


def _num_equal(got: Any, want: Number) -> bool:
    if got is None or isinstance(got, bool):
        return False
    try:
        return Decimal(str(got)) == Decimal(want)
    except ArithmeticError:
        return False


def compare(rep: SynthReport, parsed: Any, lossless: bool) -> list[str]:
    """Problems of a parsed `parsers.report.Report` against the truth; [] when it holds.

    Lossless layouts: every cell present, exact (blank stays blank, never 0), nothing uncertain,
    the per-table versions right, status ok, no check failing. Lossy layouts: every cell is right
    or flagged (uncertain, or absent while the record says `partial`), never silently wrong."""
    errs: list[str] = []
    cells = {c.code: c for c in parsed.cells}
    expected = rep.expected()
    partial = parsed.status == "partial"
    for code, want in expected.items():
        c = cells.get(code)
        if c is None:
            if lossless or not partial:
                errs.append(f"{code}: missing (status {parsed.status})")
            continue
        if c.uncertain:
            if lossless:
                errs.append(f"{code}: uncertain in a lossless layout ({c.note}); raw {c.raw!r}")
            elif not partial:
                errs.append(f"{code}: uncertain but status {parsed.status}")
            continue
        if want is None:
            if c.kind != "blank" or c.value is not None:
                errs.append(f"{code}: want blank, got {c.kind} {c.value!r} (raw {c.raw!r})")
        elif c.kind != "number" or not _num_equal(c.value, want):
            errs.append(f"{code}: want {want}, got {c.kind} {c.value!r} (raw {c.raw!r})")
    for code in cells:
        if code not in expected:
            errs.append(f"{code}: not a cell of this report's tables")
    for t in ("s2", "s3", "s4"):
        got = parsed.tables.get(t)
        if got is None:
            if lossless or not partial:
                errs.append(f"table {t} not found")
        elif t != "s4" and got != rep.table_version(t):  # section 四 is the same in both versions
            errs.append(f"table {t}: version {got}, want {rep.table_version(t)}")
    for chk in parsed.checks:
        if chk.status == "fail":
            errs.append(f"check {chk.rule}/{chk.scope} fails: {chk.left} != {chk.right}")
        elif lossless and chk.status == "uncertain" and "no numbers" not in (chk.note or ""):
            errs.append(f"check {chk.rule}/{chk.scope} uncertain: {chk.note}")
    if lossless and parsed.status != "ok":
        errs.append(f"status {parsed.status}: {parsed.error}")
    return errs


def misprint(rep: SynthReport, rng: random.Random | int | None = None,
             tables: tuple[str, ...] = ("s3", "s4")) -> tuple[str, Number, Number]:
    """Print one count of `rep` off by 1–10, as real reports sometimes do (templates.md D16): the
    report's own sums then fail. Changes `rep.values` in place; returns (code, was, now)."""
    r, _ = _rng(rng)
    kinds = {f.code: f.kind for t in tables for f in table_fields(rep.table_version(t), t)}
    codes = [c for c, v in rep.values.items() if v is not None and kinds.get(c) == "int"]
    code = r.choice(codes)
    was = rep.values[code]
    rep.values[code] = was + r.choice([1, 2, 3, 7, 10])
    return code, was, rep.values[code]


def misprinted_report(seed: int) -> tuple[SynthReport, str]:
    """The misprinted reports of benchmarks/source_errors.py and tests/test_stream_misprints.py: a random
    report (format, blanks and scale drawn from `seed`) with one section-三/四 count off by 1–10."""
    rng = random.Random(seed)
    rep = random_report(seed, rng.choice(["gk2019", "gk2021"]), blank_rate=rng.choice([0, 0.3, 0.7]),
                        scale=rng.choice([None, 5, 50]))
    code, _was, _now = misprint(rep, rng)
    return rep, code


def certain_wrong(rep: SynthReport, parsed: Any, tables: tuple[str, ...] = ("s2", "s3", "s4"),
                  blank_ok: bool = False) -> list[str]:
    """Cells of `parsed` reported as certain whose value is not the one `rep` was made with (a blank
    for a number or the reverse included), in `tables`. The contract for damaged documents, where
    `compare` is too strict: damage may cost cells or fail checks, never give a certain wrong number.
    `blank_ok`: a certain blank is accepted (a cell emptied on purpose prints nothing)."""
    errs = []
    for c in parsed.cells:
        if c.uncertain or c.kind not in ("number", "blank") or c.code[:2] not in tables:
            continue
        if blank_ok and c.kind == "blank":
            continue
        if c.code not in rep.values:
            errs.append(f"{c.code}: not a cell of this report's tables")
            continue
        want = rep.values[c.code]
        if want is None and c.kind != "blank":
            errs.append(f"{c.code}: want blank, got {c.value!r} (raw {c.raw!r})")
        elif want is not None and (c.kind != "number" or not _num_equal(c.value, want)):
            errs.append(f"{c.code}: want {want}, got {c.kind} {c.value!r} (raw {c.raw!r})")
    return errs


def save_repro(directory: str, rep: SynthReport, layout: str, data: bytes, options: dict[str, Any],
               errors: list[str], name: str | None = None) -> str:
    """Write a reproducer: the rendered document + expected.json (values, options, what failed)."""
    import json
    from pathlib import Path

    d = Path(directory) / layout
    d.mkdir(parents=True, exist_ok=True)
    stem = name or f"{rep.s2_version}-{rep.s3_version}-seed{rep.seed}"
    doc = d / f"{stem}{SUFFIX[layout]}"
    doc.write_bytes(data)
    info = rep.to_json() | {"layout": layout, "render_options": options, "errors": errors[:50]}
    (d / f"{stem}.expected.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return str(doc)

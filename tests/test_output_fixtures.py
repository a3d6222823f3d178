"""Constructed Report records for the output tests (synthetic numbers chosen here).

`make_report` fills every template cell of a version with distinct values, plus the awkward kinds:
blank (null, not 0), n/a, text, a zero, a signed change, a decimal money amount with its unit.
"""

from __future__ import annotations

import hashlib
import random

from parsers.checks import run_checks
from parsers.report import PARSER_VERSION, CellRecord, Report
from parsers.templates import fields


def make_report(agency: str = "甲县人民政府", year: int = 2020, version: str = "gk2019", seed: int = 1,
                document: str = "http://www.jia.gov.cn/nb/t1.html", blanks: tuple[str, ...] = (),
                status: str = "ok") -> Report:
    rnd = random.Random(seed)
    cells = []
    for f in fields(version):
        if f.code in blanks:
            cells.append(CellRecord(f.code, None, "", "blank"))
        elif f.kind == "signed_int":
            v = rnd.choice([-129, -3, 0, 2, 17])
            cells.append(CellRecord(f.code, v, f"{v:+d}" if v else "0", "number"))
        elif f.kind == "decimal":
            v = round(rnd.randint(1, 10**7) / 10, 1)
            cells.append(CellRecord(f.code, v, f"{v}{f.unit}", "number", unit=f.unit))
        else:
            v = rnd.randint(0, 500)
            cells.append(CellRecord(f.code, v, str(v), "number"))
    # the awkward kinds, at fixed places
    by = {c.code: c for c in cells}
    if "s3_result_disclosed__total" in by and "s3_result_disclosed__total" not in blanks:
        by["s3_result_disclosed__total"].__dict__.update(value=None, raw="", kind="blank")
    by["s4_review__pending"].__dict__.update(value=None, raw="/", kind="na")
    by["s4_review__other"].__dict__.update(value=0, raw="0", kind="number")
    by["s4_litigation_direct__other"].__dict__.update(value=None, raw="=SUM(A1)", kind="text", note="text in a number cell")
    if "s2_licensing_items_change" in by:
        by["s2_licensing_items_change"].__dict__.update(value=-129, raw="-129", kind="number")
    by["s3_new_received__research_institution"].__dict__.update(uncertain=True, note="ambiguous split")
    title = f"{agency}{year}年政府信息公开工作年度报告"
    sha = hashlib.sha256(f"{document}|{agency}|{year}|{seed}".encode()).hexdigest()
    rep = Report(document=document, sha256=sha, status=status, title=title, agency=agency, report_year=year,
                 published=f"{year + 1}-01-28", template=version,
                 tables={"s2": version, "s3": version, "s4": version}, cells=cells,
                 checks=run_checks(cells, version),
                 sections={"overview": f"{agency}认真贯彻落实条例。=危险公式", "other_matters": "-无其他事项。",
                           "problems_improvements": "存在的问题：…"})
    rep.extra.update(parser_version=PARSER_VERSION, media_type="text/html", layout="html")
    return rep


def make_error(document: str = "broken.pdf") -> Report:
    rep = Report(document=document, sha256=hashlib.sha256(document.encode()).hexdigest(), status="error",
                 error="unsupported file type (image/*)")
    rep.extra["parser_version"] = PARSER_VERSION
    return rep


def test_fixture_is_consistent_with_the_templates():
    rep = make_report()
    assert len(rep.cells) == len(fields("gk2019"))
    assert {c.kind for c in rep.cells} == {"number", "blank", "na", "text"}
    assert rep.cell("s2_licensing_items_change").value == -129

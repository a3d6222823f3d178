"""Issue 2 regressions of the stream extractor: where blank cells leave no trace (or an empty line),
every cell comes back right or flagged `uncertain` — a printed 0 is never a certain blank and a
blank never a certain 0; rows split around their label are not merged or invented.

Fixtures are synthetic (numbers chosen here or by xxgk.synth); each test asserts the real values.
"""

from pathlib import Path

from parsers.api import parse_bytes
from parsers.readers.text import read_text
from parsers.stream import read_stream_tables

FIX = Path(__file__).parent / "fixtures" / "text"
S4_HEAD = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉",
           "复议后起诉"] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
S4 = [f"s4_{g}__{r}" for g in ("review", "litigation_direct", "litigation_after_review")
      for r in ("upheld", "corrected", "other", "pending", "total")]
S3_HEAD = ["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况", "自然人",
           "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
END = ["", "", "  五、存在的主要问题及改进情况", "", "  一是公开内容的深度和广度有待进一步提升。", "", "某某局", "2021年03月12日"]


def _tables(lines: list[str], only=("s2", "s3", "s4")):
    text = "\n".join(lines) + "\n"
    return {c.code: c for tr in read_stream_tables(read_text(text.encode(), "t.txt"), list(only)).values()
            for c in tr.cells}


def _flat(cells: list[str], double: bool = False) -> list[str]:
    """One cell per line; a blank cell is an empty line (`double`: an empty line between cells too)."""
    out: list[str] = []
    for c in cells:
        out += [c, ""] if double else [c]
    return out


def _s4_doc(values: list[str], s2: list[str] | None = None) -> list[str]:
    return (s2 or []) + ["  四、政府信息公开行政复议、行政诉讼情况", "", ""] + _flat(S4_HEAD + values) + END


def test_printed_zero_is_never_a_certain_blank_when_blanks_print_nothing():
    # 行政处罚 prints `0` and `2` for three cells (one blank left no line): which is blank cannot be told
    lines = ["二、主动公开政府信息情况", "第二十条第(五)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
             "行政许可", "12", "-1", "30", "第二十条第(六)项", "信息内容", "上一年项目数量", "本年增/减",
             "处理决定数量", "行政处罚", "0", "2", "行政强制", "4", "0", "7"] + END
    cells = _tables(lines, ["s2"])
    for code in ("s2_penalty_items_prev_year", "s2_penalty_items_change", "s2_penalty_decisions"):
        c = cells[code]
        assert c.uncertain and c.note and c.value is None, code
    assert (cells["s2_licensing_items_prev_year"].value, cells["s2_licensing_items_change"].value,
            cells["s2_licensing_decisions"].value) == (12, -1, 30)
    assert (cells["s2_coercion_items_change"].value, cells["s2_coercion_items_change"].uncertain) == (0, False)


def test_skipped_blanks_in_a_whole_report_never_come_back_as_certain_blanks():
    # the row 行政处罚 of the issue: 0 (prev year), blank, 2 — printed `0`, `2`
    from xxgk import synth
    rep = synth.random_report(17, "gk2019", blank_rate=0.3, scale=5)
    rep.values.update({"s2_penalty_items_prev_year": 0, "s2_penalty_items_change": None, "s2_penalty_decisions": 2})
    parsed = parse_bytes(synth.render(rep, "flat_text", 0, blanks="skip", spacing="single"), "r.txt")
    cells = {c.code: c for c in parsed.cells}
    assert cells["s2_penalty_items_prev_year"].uncertain  # 0 or blank: not a certain blank
    assert not synth.compare(rep, parsed, lossless=False)
    assert parsed.status == "partial"
    for c in parsed.cells:  # whatever is certain is right
        if not c.uncertain:
            want = rep.values[c.code]
            assert (c.value, c.kind) == ((None, "blank") if want is None else (want, "number")), c.code


def test_empty_line_blanks_at_the_end_of_a_table_are_not_the_page_spacing():
    # single spacing: the table's own end leaves two empty lines — not two more blank cells
    vals = ["0", "", "0", "0", "", "1", "1", "1", "", "3", "0", "", "1", "0", "1"]
    cells = _tables(_s4_doc(vals), ["s4"])
    got = [(cells[c].value, cells[c].kind, cells[c].uncertain) for c in S4]
    want = [(None, "blank", False) if v == "" else (int(v), "number", False) for v in vals]
    assert got == want


def test_trailing_blank_cell_read_from_empty_lines_when_the_document_shows_them():
    # the last cell is blank; the table shows no inner blank, but section 二 prints its blank as an
    # empty line, so the missing 15th cell is the blank at the end
    vals = ["2", "0", "1", "0", "3", "1", "1", "0", "0", "2", "0", "0", "0", "0"]
    s2 = ["二、主动公开政府信息情况", "第二十条第(一)项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
          "规章", "0", "", "5", "行政规范性文件", "3", "1", "20", ""]
    cells = _tables(_s4_doc(vals + [""], s2))
    assert (cells["s4_litigation_after_review__total"].kind, cells["s4_litigation_after_review__total"].uncertain) == (
        "blank", False)
    assert [cells[c].value for c in S4[:14]] == [int(v) for v in vals]
    assert (cells["s2_regulation_repealed"].kind, cells["s2_regulation_in_force"].value) == ("blank", 5)
    # without that evidence the same text could also be a blank left out anywhere among the zeros
    cells = _tables(_s4_doc(vals))
    assert cells["s4_litigation_after_review__total"].uncertain
    assert all(cells[c].uncertain or cells[c].value == int(v) for c, v in zip(S4, vals, strict=False))


def test_spacing_is_read_from_label_lines_when_every_value_stands_apart():
    # double spacing, every other applicant column blank (3 empty lines between values): the usual
    # spacing is the labels' single empty line, not the values' three
    rows = [("一、本年新收政府信息公开申请数量", ["4", "", "1", "", "2", "", "7"]),
            ("二、上年结转政府信息公开申请数量", ["1", "", "0", "", "0", "", "1"]),
            ("三、本年度办理结果", []),
            ("(一)予以公开", ["3", "", "1", "", "2", "", "6"])]
    cells_in = list(S3_HEAD)
    for label, vals in rows:
        cells_in += [label] + vals
    cells = _tables(["  三、收到和处理政府信息公开申请情况", "", ""] + _flat(cells_in, double=True) + END, ["s3"])
    cols = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
            "legal_service_org", "other_org", "total"]
    for code, vals in (("new_received", rows[0][1]), ("carried_over", rows[1][1]), ("result_disclosed", rows[3][1])):
        got = [(cells[f"s3_{code}__{c}"].value, cells[f"s3_{code}__{c}"].uncertain) for c in cols]
        assert got == [(None if v == "" else int(v), False) for v in vals], code


def test_a_group_of_section_four_printed_as_five_zeros_is_a_candidate():
    # PDF text, blanks print nothing: 0 0 0 0 0 | 1 _ 0 1 2 | _ _ 0 0 0 — review may be five printed
    # zeros, so 行政诉讼 直接起诉 结果维持 is 1 or 0: uncertain, never a certain 0
    lines = ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼", "未经复议直接起诉 复议后起诉",
             "结 结 其 尚 总 结 结 其 尚 总 结 结 其 尚 总", "0 0 0 0 0 1 0 1 2 0 0 0", "五、存在的主要问题及改进情况"]
    cells = _tables(lines, ["s4"])
    assert cells["s4_litigation_direct__upheld"].uncertain
    assert cells["s4_litigation_direct__corrected"].uncertain
    assert (cells["s4_litigation_direct__total"].value, cells["s4_litigation_direct__total"].uncertain) == (2, False)


def test_section_four_without_numbers_is_blank_not_the_date_after_the_report():
    cells = _tables(_s4_doc([""] * 15), ["s4"])
    assert [(cells[c].kind, cells[c].value, cells[c].uncertain) for c in S4] == [("blank", None, False)] * 15


def _s3(name: str):
    return _tables((FIX / name).read_text(encoding="utf-8").splitlines(), ["s3"])


def test_label_numbers_rest_of_label_is_one_row_not_merged_into_the_row_above():
    # `4.无正当理由大量反复申请 1 0 0 1` / `5.要求行政机关确认或重新出具已` / `1 0 1` / `获取信息`
    cells = _s3("pdf_split_label_gk2019.txt")
    for code in ("s3_result_not_processed_excessive__total", "s3_result_not_processed_confirm_reissue__total"):
        assert (cells[code].value, cells[code].uncertain) == (1, False), code
    c = cells["s3_result_not_processed_confirm_reissue__natural_person"]  # `1 0 1`: which columns is not printed
    assert c.uncertain or c.value == 1
    for col in ("natural_person", "commercial_enterprise", "social_welfare_org", "legal_service_org", "other_org"):
        c = cells[f"s3_result_not_processed_excessive__{col}"]
        assert c.uncertain or (c.value, c.kind) == ({"commercial_enterprise": 1, "legal_service_org": 0}.get(col),
                                                    "number" if col in ("commercial_enterprise", "legal_service_org")
                                                    else "blank"), col


def test_rest_of_a_split_label_after_its_numbers_is_not_an_all_blank_row():
    # `2.申请人逾期` / `0 0 249 249` / `未按收费通知要求缴纳费用、…` (interleaved group labels)
    cells = _s3("pdf_split_label_interleaved_gk2021.txt")
    assert (cells["s3_result_other_fee_unpaid__total"].value, cells["s3_result_other_fee_unpaid__total"].uncertain) == (
        249, False)
    assert cells["s3_result_other_fee_unpaid__legal_service_org"].value in (249, None)
    assert all(c.uncertain or c.value in (0, 249, None) for k, c in cells.items() if "fee_unpaid" in k)
    assert (cells["s3_result_other_no_correction__total"].value, cells["s3_result_other_no_correction__total"].uncertain
            ) == (763, False)


S3_ROWS = [("一、本年新收政府信息公开申请数量", ["84", "256", "238", "0", "32", "0", "610"]),
           ("二、上年结转政府信息公开申请数量", ["569", "", "132", "0", "111", "", "812"]),
           ("三、本年度办理结果", []),
           ("(一)予以公开", ["12", "0", "0", "0", "9", "0", "21"]),
           ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", ["0", "14", "3", "8", "0", "0", "25"]),
           ("(三)不予公开", []),
           ("1.属于国家秘密", ["1", "0", "0", "0", "0", "0", "1"])]
S3_COLS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
           "legal_service_org", "other_org", "total"]


def _s3_doc(skip: bool) -> list[str]:
    cells = list(S3_HEAD)
    for label, vals in S3_ROWS:
        cells += [label] + [v for v in vals if not (skip and v == "")]
    return ["  三、收到和处理政府信息公开申请情况", "", ""] + _flat(cells) + END


def test_a_row_label_right_before_its_numbers_is_not_an_all_blank_row():
    # blanks print nothing: 二、上年结转 is followed by five numbers on their own lines; it was read as
    # a label-only row (every cell a certain blank) and its numbers dropped. Among full rows a short
    # run cannot be placed with certainty: the row is left out (table incomplete) or flagged.
    text = "\n".join(_s3_doc(skip=True)) + "\n"
    tr = read_stream_tables(read_text(text.encode(), "t.txt"), ["s3"])["s3"]
    cells = {c.code: c for c in tr.cells}
    for col, want in zip(S3_COLS, S3_ROWS[1][1], strict=True):
        c = cells.get(f"s3_carried_over__{col}")
        if c is None:
            assert not tr.complete and any("569 132 0 111 812" in n for n in tr.notes)
        else:
            assert c.uncertain or (c.value, c.kind) == ((int(want), "number") if want else (None, "blank")), col
    assert [cells[f"s3_new_received__{c}"].value for c in S3_COLS] == [84, 256, 238, 0, 32, 0, 610]
    assert [cells[f"s3_result_disclosed__{c}"].value for c in S3_COLS] == [12, 0, 0, 0, 9, 0, 21]


def test_short_row_whose_empty_lines_complete_it_is_read_exactly_among_full_rows():
    cells = _tables(_s3_doc(skip=False), ["s3"])
    got = [(cells[f"s3_carried_over__{c}"].value, cells[f"s3_carried_over__{c}"].uncertain) for c in S3_COLS]
    assert got == [(569, False), (None, False), (132, False), (0, False), (111, False), (None, False), (812, False)]


def test_blank_last_cell_shown_by_the_extra_empty_lines_after_the_table():
    # double spacing, the only blank of the page is section 四's last cell: the table ends with two
    # empty lines more (one blank cell line + its spacing) than section 二 does
    s2 = ["二、主动公开政府信息情况"] + _flat(["第二十条第(一)项", "信息内容", "本年制发件数", "本年废止件数",
                                        "现行有效件数", "规章", "1", "0", "5"], double=True) + ["", ""]
    vals = ["2", "0", "1", "0", "3", "1", "1", "0", "0", "2", "0", "0", "0", "0"]
    head = ["  四、政府信息公开行政复议、行政诉讼情况", "", ""]
    doc = s2 + head + _flat(S4_HEAD + vals + [""], double=True) + END
    cells = _tables(doc)
    last = cells["s4_litigation_after_review__total"]
    assert (last.kind, last.value, last.uncertain) == ("blank", None, False)
    assert [cells[c].value for c in S4[:14]] == [int(v) for v in vals]
    # the same table ending like section 二 (the blank left out): where it was cannot be told
    doc = s2 + head + _flat(S4_HEAD + vals, double=True) + END
    cells = _tables(doc)
    assert cells["s4_litigation_after_review__total"].uncertain


def test_number_in_wrapped_narrative_above_the_header_is_not_a_cell_of_section_four():
    # narrow PDF text: `…被申请行政复议2` / `件。` — the sentence's 2 is not the table's first cell
    lines = ["四、政府信息公开行政复议、行政诉讼情况", "本年度因政府信息公开工作被申请行政复议2", "件。",
             "行政复议 行政诉讼", "未经复议直接起诉 复议后起诉", "结 结 其 尚 总 结 结 其 尚 总 结 结 其 尚 总",
             "0 0 1 1 2 1 1 1 0 3 1 1 3 0 5", "五、存在的主要问题及改进情况"]
    cells = _tables(lines, ["s4"])
    assert [(cells[c].value, cells[c].uncertain) for c in S4] == [
        (v, False) for v in (0, 0, 1, 1, 2, 1, 1, 1, 0, 3, 1, 1, 3, 0, 5)]


def test_blank_row_after_a_row_with_one_number_is_read():
    """Found by a soak run: `2.重复申请` / `0` / six empty lines / `3.要求提供公开出版物` / seven empty lines.
    Row 2 printed one number and row 3 none; the two whole labels around the `0` are not one label
    printed around its number, so row 3 is a row of blanks, not a missing row."""
    from xxgk import synth

    rep = synth.random_report(26827, "gk2021", s2_version="gk2019", blank_rate=0.7, blank_style="cells", scale=5)
    data = synth.render(rep, "flat_text", 0, blanks="empty", spacing="single", ascii_brackets=False)
    assert "2.重复申请\n0\n\n\n\n\n\n\n3.要求提供公开出版物\n\n" in data.decode()
    parsed = parse_bytes(data, "soak-26827.txt")
    assert parsed.status == "ok" and not synth.compare(rep, parsed, lossless=True)
    row = {c.code: (c.value, c.kind) for c in parsed.cells if "not_processed_publication" in c.code}
    assert len(row) == 7 and set(row.values()) == {(None, "blank")}
    dup = {c.code.split("__")[1]: c.value for c in parsed.cells if "not_processed_duplicate" in c.code}
    assert dup["natural_person"] == 0 and dup["total"] is None

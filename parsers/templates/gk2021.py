"""《中华人民共和国政府信息公开工作年度报告格式》 (国办公开办函〔2021〕30号), report years 2021 onward.

templates.md §3.2 (section 二) and §4.2 (section 三 with the three （六） sub-items).
"""

from .common import S3_ROWS_HEAD, S3_ROWS_TAIL

VERSION = "gk2021"
NAME = "政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）"

S2_BLOCKS = [
    ("第二十条第（一）项",
     [("regulation", "规章", "regulations", []),
      ("normative_doc", "行政规范性文件", "administrative normative documents", ["规范性文件"])],
     [("issued", "本年制发件数", "issued this year", "int", "件", ["本年制发"]),
      ("repealed", "本年废止件数", "repealed this year", "int", "件", ["本年废止"]),
      ("in_force", "现行有效件数", "currently in force (stock)", "int", "件", ["现行有效"])]),
    ("第二十条第（五）项",
     [("licensing", "行政许可", "administrative licensing", [])],
     [("decisions", "本年处理决定数量", "decisions made this year (cases)", "int", "件", ["处理决定数量"])]),
    ("第二十条第（六）项",
     [("penalty", "行政处罚", "administrative penalties", []),
      ("coercion", "行政强制", "administrative coercion", [])],
     [("decisions", "本年处理决定数量", "decisions made this year (cases)", "int", "件", ["处理决定数量"])]),
    ("第二十条第（八）项",
     [("admin_fee", "行政事业性收费", "administrative fees", [])],
     [("amount_wan", "本年收费金额（单位：万元）", "fees collected this year", "decimal", "万元",
       ["本年收费金额", "本年收费金额（万元）"])]),
]

S3_ROWS = [
    *S3_ROWS_HEAD,
    (None, "（六）其他处理", 1, "result: other handling (group)", []),
    ("result_other_no_correction",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2,
     "other: applicant failed to correct in time without good reason",
     ["1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请", "1.申请人无正当理由逾期不补正"]),
    ("result_other_fee_unpaid",
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2,
     "other: applicant did not pay the processing fee in time",
     ["2.申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请",
      "2.申请人逾期未按收费通知要求缴纳费用"]),
    ("result_other_misc", "3.其他", 2, "other: miscellaneous", []),
    *S3_ROWS_TAIL,
]

SIGNALS = {
    "s2": ["本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"],
    "s3": ["申请人无正当理由逾期不补正", "申请人逾期未按收费通知要求缴纳费用"],
}

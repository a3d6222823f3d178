"""《中华人民共和国政府信息公开工作年度报告格式（试行）》 (国办公开办函〔2019〕60号), report years 2019–2020.

templates.md §3.1 (section 二) and §4.2 (section 三 with the single （六）其他处理 data row).
"""

from .common import S3_ROWS_HEAD, S3_ROWS_TAIL

VERSION = "gk2019"
NAME = "政府信息公开工作年度报告格式（试行）（国办公开办函〔2019〕60号）"

# Section 二, one entry per block: caption, rows (code, label, English, variants), columns
# (code, label, English, kind, unit, variants). kind: int | signed_int | decimal.
S2_BLOCKS = [
    ("第二十条第（一）项",
     [("regulation", "规章", "regulations", []),
      ("normative_doc", "规范性文件", "normative documents", ["行政规范性文件"])],
     [("new_made", "本年新制作数量", "newly made this year", "int", "件", ["本年新制作"]),
      ("new_published", "本年新公开数量", "newly published this year", "int", "件", ["本年新公开"]),
      ("published_total", "对外公开总数量", "total published (stock)", "int", "件", ["对外公开总数"])]),
    ("第二十条第（五）项",
     [("licensing", "行政许可", "administrative licensing", []),
      ("other_mgmt_service", "其他对外管理服务事项", "other external management/service matters", [])],
     [("items_prev_year", "上一年项目数量", "number of items in the previous year", "int", "项", []),
      ("items_change", "本年增/减", "change in number of items this year (signed)", "signed_int", "项",
       ["本年增减"]),
      ("decisions", "处理决定数量", "decisions made (cases)", "int", "件", [])]),
    ("第二十条第（六）项",
     [("penalty", "行政处罚", "administrative penalties", []),
      ("coercion", "行政强制", "administrative coercion", [])],
     [("items_prev_year", "上一年项目数量", "number of items in the previous year", "int", "项", []),
      ("items_change", "本年增/减", "change in number of items this year (signed)", "signed_int", "项",
       ["本年增减"]),
      ("decisions", "处理决定数量", "decisions made (cases)", "int", "件", [])]),
    ("第二十条第（八）项",
     [("admin_fee", "行政事业性收费", "administrative fees", [])],
     [("items_prev_year", "上一年项目数量", "number of fee items in the previous year (a count, not money)",
       "int", "项", []),
      ("items_change", "本年增/减", "change in number of fee items this year (signed)", "signed_int", "项",
       ["本年增减"])]),
    ("第二十条第（九）项",
     [("central_procurement", "政府集中采购", "centralised government procurement", [])],
     [("projects", "采购项目数量", "number of procurement projects", "int", "个", []),
      ("amount", "采购总金额", "total procurement amount", "decimal", "元", ["采购总金额（元）"])]),
]

# Section 三 rows: shared head, then the single （六）其他处理 data row, then the shared tail.
S3_ROWS = [
    *S3_ROWS_HEAD,
    ("result_other", "（六）其他处理", 1, "result: other handling", []),
    *S3_ROWS_TAIL,
]

# Labels that only this version prints, per table (templates.md §1 detection table).
SIGNALS = {
    "s2": ["本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
           "其他对外管理服务事项", "第二十条第（九）项", "政府集中采购", "采购总金额"],
}

"""Parts of the official formats that are identical in gk2019 and gk2021 (templates.md §4.1, §4.2, §5).

Everything here is data: labels as printed in the official format, the codes of templates.md, and
English glosses for the codebook. The version modules compose these with their own rows.
"""

# Section 三: the seven applicant columns, in printed order (column code, label, English).
S3_COLUMNS: list[tuple[str, str, str]] = [
    ("natural_person", "自然人", "natural persons"),
    ("commercial_enterprise", "商业企业", "legal persons/organisations: commercial enterprises"),
    ("research_institution", "科研机构", "legal persons/organisations: research institutions"),
    ("social_welfare_org", "社会公益组织", "legal persons/organisations: social welfare organisations"),
    ("legal_service_org", "法律服务机构", "legal persons/organisations: legal service organisations"),
    ("other_org", "其他", "legal persons/organisations: other"),
    ("total", "总计", "total of all applicants"),
]

# Section 三 rows before （六）: (row code or None for a group label, official label, level, English, variants).
S3_ROWS_HEAD: list[tuple[str | None, str, int, str, list[str]]] = [
    ("new_received", "一、本年新收政府信息公开申请数量", 0, "new applications received this year", []),
    ("carried_over", "二、上年结转政府信息公开申请数量", 0, "applications carried over from last year", []),
    (None, "三、本年度办理结果", 0, "results of handling this year (group)", []),
    ("result_disclosed", "（一）予以公开", 1, "result: disclosed", []),
    ("result_partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1,
     "result: partially disclosed", ["（二）部分公开", "（二）部分公开（区分处理的，只计这一情况，不计其他情况）"]),
    (None, "（三）不予公开", 1, "result: withheld (group)", []),
    ("result_withheld_state_secret", "1.属于国家秘密", 2, "withheld: state secret", []),
    ("result_withheld_law_prohibited", "2.其他法律行政法规禁止公开", 2, "withheld: prohibited by other laws", []),
    ("result_withheld_security_stability", "3.危及“三安全一稳定”", 2,
     "withheld: endangers the 'three securities and one stability'", ["3.危及三安全一稳定"]),
    ("result_withheld_third_party", "4.保护第三方合法权益", 2, "withheld: protects third-party rights", []),
    ("result_withheld_internal_affairs", "5.属于三类内部事务信息", 2, "withheld: internal affairs information",
     ["5.属于三类内容事务信息"]),
    ("result_withheld_process_info", "6.属于四类过程性信息", 2, "withheld: process information", []),
    ("result_withheld_enforcement_file", "7.属于行政执法案卷", 2, "withheld: administrative enforcement file", []),
    ("result_withheld_admin_query", "8.属于行政查询事项", 2, "withheld: administrative query matter", []),
    (None, "（四）无法提供", 1, "result: cannot be provided (group)", []),
    ("result_unavailable_not_held", "1.本机关不掌握相关政府信息", 2, "unavailable: not held by this agency", []),
    ("result_unavailable_needs_creation", "2.没有现成信息需要另行制作", 2,
     "unavailable: would need to be newly created", []),
    ("result_unavailable_unclear", "3.补正后申请内容仍不明确", 2, "unavailable: still unclear after correction", []),
    (None, "（五）不予处理", 1, "result: not processed (group)", []),
    ("result_not_processed_petition", "1.信访举报投诉类申请", 2, "not processed: petition/complaint", []),
    ("result_not_processed_duplicate", "2.重复申请", 2, "not processed: duplicate application", []),
    ("result_not_processed_publication", "3.要求提供公开出版物", 2, "not processed: asks for a publication", []),
    ("result_not_processed_excessive", "4.无正当理由大量反复申请", 2,
     "not processed: excessive repeated applications", []),
    ("result_not_processed_confirm_reissue", "5.要求行政机关确认或重新出具已获取信息", 2,
     "not processed: asks to confirm or reissue information already obtained", []),
]

S3_ROWS_TAIL: list[tuple[str | None, str, int, str, list[str]]] = [
    ("result_total", "（七）总计", 1, "results: total", []),
    ("carried_forward", "四、结转下年度继续办理", 0, "carried forward to next year", []),
]

S3_HEADER_LABELS = ["本列数据的勾稽关系为", "申请人情况", "法人或其他组织"]

# Section 四: three groups × five results, one data row of 15 values (templates.md §5).
S4_GROUPS: list[tuple[str, str, str]] = [
    ("review", "行政复议", "administrative review"),
    ("litigation_direct", "行政诉讼/未经复议直接起诉", "litigation without prior review"),
    ("litigation_after_review", "行政诉讼/复议后起诉", "litigation after review"),
]
S4_RESULTS: list[tuple[str, str, str]] = [
    ("upheld", "结果维持", "decision upheld"),
    ("corrected", "结果纠正", "decision corrected"),
    ("other", "其他结果", "other outcome"),
    ("pending", "尚未审结", "pending"),
    ("total", "总计", "total"),
]
S4_HEADER_LABELS = ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正"]

# Narrative sections 一–六 (templates.md §2.1): code, format heading, other wordings seen (D14).
SECTIONS: list[tuple[str, str, list[str]]] = [
    ("overview", "一、总体情况", ["一、概述"]),
    ("proactive_disclosure", "二、主动公开政府信息情况", ["二、行政机关主动公开政府信息的情况"]),
    ("applications", "三、收到和处理政府信息公开申请情况",
     ["三、行政机关收到和处理政府信息公开申请的情况"]),
    ("review_litigation", "四、政府信息公开行政复议、行政诉讼情况",
     ["四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
      "四、因政府信息公开工作被申请行政复议提起行政诉讼情况",
      "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
      "四、政府信息公开行政复议和行政诉讼情况"]),
    ("problems_improvements", "五、存在的主要问题及改进情况",
     ["五、政府信息公开工作存在的主要问题及改进情况", "五、存在问题及改进情况",
      "五、存在的主要问题及改进措施", "五、存在的问题及改进情况"]),
    ("other_matters", "六、其他需要报告的事项", ["六、其他需要报告事项", "六、其他事项"]),
]

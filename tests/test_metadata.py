from pathlib import Path

from parsers.layout import Document
from parsers.metadata import extract_metadata
from parsers.sections import heading_code, split_sections

SEED = Path(__file__).parent / "fixtures" / "faku-2020.txt"


def _meta(text, **ctx):
    return extract_metadata(Document(text=text), ctx)


def test_seed_metadata():
    m = _meta(SEED.read_text(encoding="utf-8"))
    assert m["title"] == "法库县人民政府2020年度政府信息公开工作报告"
    assert m["agency"] == "法库县人民政府"
    assert m["report_year"] == 2020
    assert m["published"] == "2021-02-08"
    assert m["is_report"] and not m["pre2019"]


def test_title_over_two_lines_with_agency_first():
    m = _meta("- 1 -\n某某市某某区人民政府\n2024 年政府信息公开工作年度报告\n本报告由…编制。\n一、总体情况\n")
    assert m["title"] == "某某市某某区人民政府2024年政府信息公开工作年度报告"
    assert m["agency"] == "某某市某某区人民政府" and m["report_year"] == 2024


def test_year_first_title_split_and_signature_date():
    m = _meta("正文\n2023 年某某市科委政府信息公开工作\n年度报告\n一、总体情况\n正文。\n某某市科委\n2024年1月17日\n")
    assert m["title"] == "2023年某某市科委政府信息公开工作年度报告"
    assert m["agency"] == "某某市科委" and m["report_year"] == 2023 and m["published"] == "2024-01-17"


def test_title_from_prose_and_list_context():
    m = _meta("根据《条例》要求，现向社会公布某某县发展和改革局2023年度政府信息公开年度报告。\n一、总体情况\n",
              list_date="2024-01-20")
    assert m["title"] == "某某县发展和改革局2023年度政府信息公开年度报告"
    assert m["agency"] == "某某县发展和改革局" and m["published"] == "2024-01-20"


def test_year_from_statistics_period_when_title_has_none():
    m = _meta("某某局政府信息公开年度报告\n本报告所列数据统计期限自2022年1月1日起至2022年12月31日止。\n")
    assert m["report_year"] == 2022


def test_pre2019_recognised():
    m = _meta("某某市人民政府2016年政府信息公开工作年度报告\n一、概述\n收到申请数 12 件，申请答复数 12 件。\n")
    assert m["pre2019"] and m["report_year"] == 2016


def test_not_a_report():
    m = _meta("关于开展安全生产检查的通知\n各单位：请于下周完成检查。\n")
    assert not m["is_report"]


def test_headings_both_wordings_and_d18():
    assert heading_code("四、政府信息公开行政复议、行政诉讼情况") == "review_litigation"
    assert heading_code("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况") == "review_litigation"
    assert heading_code("五、政府信息公开工作存在的主要问题及改进情况") == "problems_improvements"
    assert heading_code("四、结转下年度继续办理") is None
    assert heading_code("三、本年度办理结果") is None
    assert heading_code("## 一、总体情况") == "overview"


def test_seed_sections():
    s = split_sections(Document(text=SEED.read_text(encoding="utf-8")))
    assert s["overview"].startswith("(一)主动公开情况")
    assert "累计办理百姓诉求7300余件" in s["overview"]
    assert s["other_matters"] == "无其他报告事项。"
    assert s["problems_improvements"].startswith("1.我县政务公开工作")
    assert s["applications"] == "" and s["review_litigation"] == ""


def test_region_from_agency():
    from parsers.region import find_region

    assert find_region("淮安市洪泽区人民政府").code == "320813"
    assert find_region("法库县人民政府").code == "210124"
    assert find_region("北京市东城区人民政府").code == "110101"
    assert find_region("南京市鼓楼区人民政府").code == "320106"
    assert find_region("鼓楼区人民政府") is None  # several 鼓楼区: no guess
    m = _meta(SEED.read_text(encoding="utf-8"))
    assert (m["region_code"], m["level"]) == ("210124", "county")
    m = _meta("某县发展和改革局2023年度政府信息公开年度报告", region_code="321322", level="department")
    assert m["region_code"] == "321322"


def test_breadcrumb_title_hint_is_not_a_title():
    doc = Document(text="示例县召开工作会议\n会议强调……。\n", meta={"html_title": "当前位置:首页>信息公开年报>示例县2020年政府信息公开工作年度报告"})
    m = extract_metadata(doc, {})
    assert m["title"] is None or "当前位置" not in m["title"]


def test_page_date_after_a_long_navigation_block():
    """www.gov.cn 2014 layout: dozens of menu lines before the title; the date line follows the title."""
    nav = "\n".join(["简体 | 繁体 | English", "首页", "新闻", "专题", "政策", "服务", "问政", "数据", "国情",
                     "首页> 新闻> 部门新闻"] * 3)
    text = (nav + "\n示例局2013年政府信息公开工作年度报告\n中央政府门户网站　www.gov.cn  2014-03-28 16:21 来源：  示例局网站\n"
            "【字体：大 中 小】\n根据《中华人民共和国政府信息公开条例》，现公布示例局2013年政府信息公开工作年度报告。\n"
            "一、概述\n正文。\n")
    m = _meta(text)
    assert m["title"] == "示例局2013年政府信息公开工作年度报告"
    assert (m["report_year"], m["published"]) == (2013, "2014-03-28")
    assert m["pre2019"]


def test_notice_about_the_report_is_not_a_report():
    m = _meta("关于开展2021年度政府信息公开工作年度报告编制工作的通知\n各单位：请于1月31日前报送。\n")
    assert not m["is_report"]
    m = _meta("关于征求《示例市2021年政府信息公开工作年度报告》意见的函\n")
    assert not m["is_report"]
    assert _meta("示例市人民政府2021年政府信息公开工作年度报告\n正文。\n")["is_report"]

"""Discovery functions are pure: page text + URL in, links out. Synthetic snippets mimic real markup."""

import json

import pytest

from scraper.discover import discover, discover_page, select
from scraper.discover.generic import page_index
from scraper.discover.rules import is_report_title, report_year
from scraper.discover.trs import create_page_args

LIST = "http://www.a.gov.cn/zwgk/xxgknb/index.html"


@pytest.mark.parametrize("title,ok", [
    ("示例市2021年政府信息公开工作年度报告", True),
    ("示例县人民政府2020年度政府信息公开工作报告", True),
    ("示例市2018年政府信息公开年度报告", True),
    ("2022年示例区政府信息公开工作年度报告", True),
    ("示例局二〇二〇年政府信息公开工作年度报告", True),
    ("示例县政务公开工作年度报告（2019）", True),
    ("2021年度政府网站年度工作报表", False),
    ("证监会2013年度监管信息公开工作年度报告", False),
    ("示例市2021年政府工作报告", False),
    ("示例县2022年度统计公报", False),
    ("政府信息公开工作年度报告", False),  # no year: a column label, not a report
    ("示例市召开2021年度政务公开工作会议", False),
])
def test_report_titles(title, ok):
    assert is_report_title(title) is ok


def test_report_year_variants():
    assert report_year("二〇一九年政府信息公开工作年度报告") == 2019
    assert report_year("示例局政府信息公开年报（2018）") == 2018
    assert report_year("没有年份") is None


@pytest.mark.parametrize("args,expected", [
    ([120, 0, "index", "html"], (120, 0, "index", "html")),
    ([3, 1, "index", "shtml"], (3, 1, "index", "shtml")),
    (["page_div", 5, 1, "fg", "shtml", 89], (5, 1, "fg", "shtml")),
    ([0, 0, "index", "html"], None),
    (["a", "b"], None),
])
def test_create_page_args_orders(args, expected):
    assert create_page_args(args) == expected


def test_trs_create_page_html_live_calls_only():
    html = """<html><body><script>
    function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){ }
    //createPageHTML(9, 0, "index", "html");
    /* createPageHTML(8, 0, "index", "html"); */
    createPageHTML(3, 0, 'index', 'shtml');
    </script><!-- <script>createPageHTML(7, 0, "index", "html");</script> --></body></html>"""
    d = discover(html, LIST)
    assert d.family == "trs" and d.current_page == 0
    assert [(p.url, p.page) for p in d.pages] == [
        ("http://www.a.gov.cn/zwgk/xxgknb/index_1.shtml", 1), ("http://www.a.gov.cn/zwgk/xxgknb/index_2.shtml", 2)]


def test_trs_container_first_form():
    html = "<script>createPageHTML('page_div',3, 1,'fg','shtml',41);</script>"
    d = discover(html, "http://www.a.gov.cn/fg/fg_1.shtml")
    assert {p.url for p in d.pages} == {"http://www.a.gov.cn/fg/fg.shtml", "http://www.a.gov.cn/fg/fg_2.shtml"}


def test_trs_count_page_form():
    html = """<script>var currentPage = 0;//所在页从0开始
    var countPage = 3//共多少页
    document.write("<a href=\\"index"+"_" + nextPage + "."+"html\\">下一页</a>");</script>"""
    d = discover(html, "http://www.a.gov.cn/nb/")
    assert [p.url for p in d.pages] == ["http://www.a.gov.cn/nb/index_1.html", "http://www.a.gov.cn/nb/index_2.html"]


def test_trs_multipage_article_is_a_continuation():
    html = '<div class="TRS_Editor">x</div><script>createPageHTML(3,0,"t20190918_693227","shtml")</script>'
    d = discover(html, "http://www.a.gov.cn/sxyw/201909/t20190918_693227.shtml")
    assert not d.pages
    assert [c.url for c in d.continuations] == ["http://www.a.gov.cn/sxyw/201909/t20190918_693227_1.shtml",
                                                "http://www.a.gov.cn/sxyw/201909/t20190918_693227_2.shtml"]
    s = select(d, "report")
    assert len(s.reports) == 2 and not s.attachments


def test_trs_list_rows_titles_dates_and_filter():
    html = """<table>
    <tr><td><a href="./202009/t20200903_1.html">示例市2019年政府信息公开工作年度报告</a></td><td> 2020-09-03 </td></tr>
    <tr><td><a href="./201811/t20181102_2.html">示例区召开2018年度工作会议</a></td><td>2018-03-26</td></tr>
    <tr><td><a href="./202004/P020200401.pdf">示例局2019年政府信息公开工作年度报告.pdf</a></td><td>2020-04-01</td></tr>
    </table>"""
    s = select(discover(html, LIST), "list")
    assert [(r.url, r.title, r.date) for r in s.reports] == [
        ("http://www.a.gov.cn/zwgk/xxgknb/202009/t20200903_1.html", "示例市2019年政府信息公开工作年度报告", "2020-09-03"),
        ("http://www.a.gov.cn/zwgk/xxgknb/202004/P020200401.pdf", "示例局2019年政府信息公开工作年度报告", "2020-04-01")]
    assert s.dropped == 1


def test_attachments_in_links_and_scripts():
    html = """<div class="TRS_Editor"><a href="./P020240808575593646209.pdf">附件1</a>
    <a href="/module/download/downfile.jsp?classid=0&amp;filename=ab12.pdf&amp;showname=x.pdf">附件2</a>
    <script>var file_appendix='<a href="./P020240808000000000001.ofd">附件3 OFD版</a>';
    document.write('<a href="./P020240808000000000002.wps">附件4</a>');</script>
    <a href="./t20240808_1_1.html">无关</a></div>"""
    s = select(discover(html, "http://www.a.gov.cn/nb/202408/t20240808_1.html"), "report")
    assert [(a.url.rsplit("/", 1)[-1], a.title) for a in s.attachments] == [
        ("P020240808575593646209.pdf", "附件1"),
        ("downfile.jsp?classid=0&filename=ab12.pdf&showname=x.pdf", "附件2"),
        ("P020240808000000000001.ofd", "附件3 OFD版"),
        ("P020240808000000000002.wps", "附件4")]


def test_hanweb_datastore_records_use_title_attribute():
    page = """<div id="38486"><script type="text/xml"><datastore>
    <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=77&unitid=38486&webname=%25E7%25A4%25BA&permissiontype=0"></a>]]></nextgroup>
    <recordset>
    <record><![CDATA[<li><a href="/art/2022/1/20/art_77_5.html" title="示例市2021年政府信息公开工作年度报告">示例市2021年政府信息公...</a><b>2022-01-20</b></li>]]></record>
    <record><![CDATA[<li><a href="http://zwgk.a.gov.cn/art/2022/1/14/art_77_6.html" title="2021年度政府网站年度工作报表">2021年度政府网站年度工作报表</a><b>2022-01-14</b></li>]]></record>
    </recordset></datastore></script></div>"""
    d = discover(page, "http://www.a.gov.cn/col/col77/index.html")
    assert d.family == "hanweb"
    s = select(d, "list")
    assert [(r.url, r.title, r.date) for r in s.reports] == [
        ("http://www.a.gov.cn/art/2022/1/20/art_77_5.html", "示例市2021年政府信息公开工作年度报告", "2022-01-20")]
    assert s.dropped == 1
    # the pager link is replayed byte for byte: webname stays double-encoded
    assert [p.url for p in s.lists] == ["http://www.a.gov.cn/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1"
                                        "&path=/&columnid=77&unitid=38486&webname=%25E7%25A4%25BA&permissiontype=0"]


def test_hanweb_dataproxy_pages_from_totalpage():
    xml = """<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>40</totalrecord><totalpage>3</totalpage>
    <recordset><record><![CDATA[<li><a href="/art/2021/2/3/art_77_1.html" title="示例市2020年政府信息公开工作年度报告">示例...</a> 2021-02-03</li>]]></record></recordset></datastore>"""
    url = "http://www.a.gov.cn/module/web/jpage/dataproxy.jsp?page=1&columnid=77&webname=%25E7"
    s = select(discover(xml, url), "list")
    assert [r.date for r in s.reports] == ["2021-02-03"]
    assert [p.url for p in s.lists] == [
        "http://www.a.gov.cn/module/web/jpage/dataproxy.jsp?page=2&columnid=77&webname=%25E7",
        "http://www.a.gov.cn/module/web/jpage/dataproxy.jsp?page=3&columnid=77&webname=%25E7"]


def test_gkmlpt_page_to_api_and_api_articles():
    page = '<html><script>window.CONFIG = {SID: "755001", APP_URL: ""};</script><div id="app"></div></html>'
    d = discover(page, "http://www.gd-x.gov.cn/gkmlpt/index#2654")
    assert [p.url for p in d.pages] == ["http://www.gd-x.gov.cn/gkmlpt/api/all/2654?page=1&sid=755001"]
    api = json.dumps({"classify": {"id": 2654, "name": "政府信息公开年报", "post_count": 150},
                      "articles": [{"id": 1, "title": "示例市2021年政府信息公开工作年度报告",
                                    "url": "http://www.gd-x.gov.cn/gkmlpt/content/2/2654/post_1.html",
                                    "created_at": "2022-01-25 10:00:00", "identifier": "x"},
                                   {"id": 2, "title": "示例市2021年统计公报", "url": "/gkmlpt/content/2/2654/post_2.html",
                                    "created_at": 1643076000}]}, ensure_ascii=False)
    s = select(discover(api, "http://www.gd-x.gov.cn/gkmlpt/api/all/2654?page=1&sid=755001"), "list")
    assert [(r.url, r.date) for r in s.reports] == [("http://www.gd-x.gov.cn/gkmlpt/content/2/2654/post_1.html",
                                                     "2022-01-25")]
    assert [p.url for p in s.lists] == ["http://www.gd-x.gov.cn/gkmlpt/api/all/2654?page=2&sid=755001"]


def test_generic_numbered_pages_and_year_columns():
    html = """<div><a href="2021/">2021年</a> <a href="gknb2020/index.html">2020年度</a>
    <a href="../zfxxgkzn/">政府信息公开指南</a> <a href="./">政府信息公开年报</a>
    <a href="gqxs/">各区县市政府信息公开工作年度报告</a></div>
    <div class="pages"><a href="2.html">2</a> <a href="2.html">下一页</a> <a href="9.html">尾页</a></div>"""
    s = select(discover(html, "http://www.a.gov.cn/zfxxgk/zfxxgknb/1.html"), "list")
    assert [(x.url, x.page) for x in s.lists] == [
        ("http://www.a.gov.cn/zfxxgk/zfxxgknb/2.html", 1), ("http://www.a.gov.cn/zfxxgk/zfxxgknb/9.html", 8),
        ("http://www.a.gov.cn/zfxxgk/zfxxgknb/2021/", None),
        ("http://www.a.gov.cn/zfxxgk/zfxxgknb/gknb2020/index.html", None),
        ("http://www.a.gov.cn/zfxxgk/zfxxgknb/gqxs/", None)]


def test_page_index_shapes():
    assert page_index("http://a/nb/index_3.html") == 3
    assert page_index("http://a/nb/1.html") == 0
    assert page_index("http://a/list.aspx?cid=1&page=4") == 3
    assert page_index("http://a/nb/") is None


def test_discover_page_decodes_gbk_bytes_without_http_charset():
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
            '<a href="t1.html">示例县堃镕镇2021年政府信息公开工作年度报告</a></body></html>').encode("gbk")
    s = discover_page(html, "http://www.a.gov.cn/nb/", "list")
    assert [r.title for r in s.reports] == ["示例县堃镕镇2021年政府信息公开工作年度报告"]
    bad = discover_page(b"\x00\x01\x02\xff\xfe" * 200, "http://www.a.gov.cn/nb/", "list")
    assert bad.error and not bad.reports

"""The demo portals: two small synthetic government sites in the real TRS (拓尔思) style.

Why: `xxgk demo` must show the whole pipeline on a fresh, offline machine. Everything here is
invented (xxgk.synth draws the reports; names and region codes 99xxxx do not exist) except the
seed page faku-2020.txt, the one real report the project carries.

- 演示县 (county) column /zwgk/zfxxgknb/: two list pages paginated by `createPageHTML`, reports in
  both official formats (gk2019, gk2021) and several layouts (official HTML table; a Word-pasted
  GBK fragment; pages whose report is a DOCX or a PDF attachment), plus a news item and a
  look-alike (网站工作年度报表) the crawler must leave out.
- 演示市 (city) column /xxgk/xxgknb/: its own report, a repost of the county's 2023 report (same
  article in the city's page frame: one report, two URLs in the datasets) and the seed page.
"""

from __future__ import annotations

import html
import io
import json
import re
from dataclasses import dataclass, field
from importlib import resources

from xxgk import synth

COUNTY_HOST = "www.yanshi.gov.cn"
CITY_HOST = "www.yanshishi.gov.cn"
COUNTY_COLUMN = "/zwgk/zfxxgknb/"
CITY_COLUMN = "/xxgk/xxgknb/"
PER_PAGE = 6


@dataclass
class Page:
    body: bytes
    content_type: str | None = None  # None: the server's default for the extension


@dataclass
class Entry:
    """One list entry: a report (synthetic or the seed) or a non-report item."""

    title: str
    date: str
    path: str
    report: synth.SynthReport | None = None
    layout: str = "html"  # html | cms_html | docx | pdf | seed | news
    repost_of: str | None = None  # URL path of the original, for a repost


@dataclass
class Portal:
    host: str
    name: str
    column: str
    site_code: str
    region_code: str
    level: str
    entries: list[Entry] = field(default_factory=list)
    files: dict[str, Page] = field(default_factory=dict)


# (agency, year, format, layout, seed, blank_rate, s3 format override)
COUNTY_REPORTS = [
    ("演示县人民政府", 2024, "gk2021", "html", 101, 0.0, None),
    ("演示县人民政府", 2023, "gk2021", "html", 102, 0.2, None),
    ("演示县市场监督管理局", 2023, "gk2021", "cms_html", 103, 0.5, None),
    ("演示县教育局", 2022, "gk2021", "docx", 104, 0.3, None),
    ("演示县人民政府", 2022, "gk2021", "cms_html", 105, 0.0, None),
    ("演示县财政局", 2021, "gk2021", "html", 106, 0.4, "gk2019"),
    ("演示县人民政府", 2021, "gk2021", "html", 107, 0.6, None),
    ("演示县卫生健康局", 2020, "gk2019", "cms_html", 108, 0.3, None),
    ("演示县人民政府", 2020, "gk2019", "html", 109, 0.0, None),
    ("演示县人民政府", 2019, "gk2019", "html", 110, 0.3, None),
]
CITY_REPORTS = [
    ("演示市人民政府", 2023, "gk2021", "html", 201, 0.1, None),
    ("演示市生态环境局", 2022, "gk2021", "cms_html", 202, 0.2, None),
]


def seed_text() -> bytes:
    """The real 法库县 2020 report page as text (package data)."""
    return resources.files("xxgk.demo").joinpath("faku-2020.txt").read_bytes()


# A synthetic report as a PDF with ruled tables, shipped pre-rendered (package data) so the demo
# needs no PDF writer; audit-2020.json holds its metadata and the value of every cell.
PDF_REPORT = "audit-2020"


def pdf_report() -> tuple[bytes, dict]:
    root = resources.files("xxgk.demo")
    return (root.joinpath(f"{PDF_REPORT}.pdf").read_bytes(),
            json.loads(root.joinpath(f"{PDF_REPORT}.json").read_text("utf-8")))


def _report(agency: str, year: int, version: str, seed: int, blank_rate: float, s3: str | None) -> synth.SynthReport:
    rep = synth.random_report(seed, version=version, s3_version=s3, blank_rate=blank_rate, report_year=year,
                              agency=agency)
    rep.title = f"{agency}{year}年政府信息公开工作年度报告"
    rep.source = agency
    return rep


def _doc_path(column: str, published: str, n: int) -> str:
    y, m, d = published.split("-")
    return f"{column}{y}{m}/t{y}{m}{d}_{n}.html"


# ---------------------------------------------------------------- page templates (TRS WCM style)

_CREATE_PAGE_JS = """<script>
//WCM置标
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount<=1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0) document.write("首页&nbsp;");
  else document.write("<a href=\\""+_sPageName+"."+_sPageExt+"\\">首页</a>&nbsp;");
  for(var i=1; i<_nPageCount; i++){
    if(nCurrIndex == i) document.write(i+1+"&nbsp;");
    else document.write("<a href=\\""+_sPageName+"_"+i+"."+_sPageExt+"\\">"+(i+1)+"</a>&nbsp;");
  }
}
</script>"""


def _head(portal: Portal, title: str, charset: str, extra_meta: str = "") -> str:
    if charset == "utf-8":
        cs = '<meta charset="utf-8">'
    else:
        cs = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    return (f"<!DOCTYPE html>\n<html>\n<head>\n{cs}\n<title>{html.escape(title)}_{html.escape(portal.name)}</title>\n"
            f'<meta name="SiteName" content="{html.escape(portal.name)}">\n'
            f'<meta name="SiteDomain" content="{portal.host}">\n<meta name="SiteIDCode" content="{portal.site_code}">\n'
            f'<meta name="ColumnName" content="政府信息公开年报">\n<meta name="ColumnType" content="信息公开年报">\n'
            f"{extra_meta}</head>\n<body>\n"
            f'<div class="header"><a href="/">{html.escape(portal.name)}</a></div>\n')


def _foot(portal: Portal) -> str:
    return (f'<div class="footer">主办：{html.escape(portal.name)} 网站标识码：{portal.site_code}</div>\n'
            f'<script id="_jiucuo_" sitecode="{portal.site_code}" src="/jiucuo.js"></script>\n</body>\n</html>\n')


def list_page(portal: Portal, entries: list[Entry], index: int, count: int) -> bytes:
    items = "\n".join(
        f'<li><a href="./{e.path[len(portal.column):]}" target="_blank" title="{html.escape(e.title)}">'
        f"{html.escape(e.title if len(e.title) <= 24 else e.title[:22] + '...')}</a><span>{e.date}</span></li>"
        for e in entries)
    body = (_head(portal, "政府信息公开年报", "utf-8")
            + '<div class="crumb">当前位置：<a href="/" class="CurrChnlCls">首页</a>&nbsp;&gt;&nbsp;'
              '<a href="../" class="CurrChnlCls">政务公开</a>&nbsp;&gt;&nbsp;'
              '<a href="./" class="CurrChnlCls">政府信息公开年报</a></div>\n'
            + f'<ul class="list">\n{items}\n</ul>\n<div class="page">{_CREATE_PAGE_JS}\n'
              f'<script>createPageHTML({count}, {index}, "index", "html");</script></div>\n'
            + _foot(portal))
    return body.encode("utf-8")


def article_page(portal: Portal, title: str, date: str, source: str, content: str, charset: str = "utf-8") -> bytes:
    meta = (f'<meta name="ArticleTitle" content="{html.escape(title)}">\n<meta name="PubDate" content="{date} 09:30">\n'
            f'<meta name="ContentSource" content="{html.escape(source)}">\n')
    body = (_head(portal, title, charset, meta)
            + '<div class="crumb">当前位置：<a href="/" class="CurrChnlCls">首页</a>&nbsp;&gt;&nbsp;'
              '<a href="../" class="CurrChnlCls">政府信息公开年报</a></div>\n'
            + f'<div class="article">\n<h1 class="title">{html.escape(title)}</h1>\n'
              f'<div class="info">发布时间：{date}&nbsp;&nbsp;来源：{html.escape(source)}</div>\n'
              f'<div class="TRS_Editor">\n{content}\n</div>\n</div>\n'
            + _foot(portal))
    return body.encode(charset if charset != "gb2312" else "gb18030")


# ---------------------------------------------------------------- DOCX attachment

def article_docx(rep: synth.SynthReport) -> bytes:
    """The report as a Word file: paragraphs and the three tables with their merged cells, built
    from the official HTML layout (spans become Word merges)."""
    import docx
    import lxml.html

    from parsers.layout import expand_spans

    document = docx.Document()
    document.add_heading(rep.title, level=1)
    root = lxml.html.fragment_fromstring(synth.render_html(rep, page=False).decode("utf-8"), create_parent="div")
    for el in root:
        if el.tag == "table":
            rows = [[(_cell_text(td), int(td.get("rowspan", 1)), int(td.get("colspan", 1)))
                     for td in tr.findall("td")] for tr in el.iter("tr")]
            grid = expand_spans(rows)
            table = document.add_table(rows=len(grid), cols=max(len(r) for r in grid))
            table.style = "Table Grid"
            for r in grid:
                for c in r:
                    if c.anchor:
                        cell = table.cell(c.row, c.col)
                        cell.text = c.text
                        if c.rowspan > 1 or c.colspan > 1:
                            cell.merge(table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
        else:
            text = _cell_text(el)
            if text:
                document.add_paragraph(text)
    core = document.core_properties
    core.author, core.title = rep.agency, rep.title
    from datetime import datetime

    fixed = datetime(rep.report_year + 1, 1, 15)
    core.created = core.modified = fixed  # reproducible bytes
    core.last_modified_by, core.revision = rep.agency, 1
    buf = io.BytesIO()
    document.save(buf)
    return _deterministic_zip(buf.getvalue())


def _cell_text(el) -> str:
    for br in el.iter("br"):
        br.tail = (br.tail or "")
    text = el.text_content().replace("\xa0", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so the demo's DOCX is byte-identical every run."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------- the two portals

def _county() -> Portal:
    p = Portal(COUNTY_HOST, "演示县人民政府", COUNTY_COLUMN, "9901210001", "990121", "county")
    n = 4000
    for agency, year, version, layout, seed, blank, s3 in COUNTY_REPORTS:
        rep = _report(agency, year, version, seed, blank, s3)
        n += 1
        p.entries.append(Entry(rep.title, rep.published, _doc_path(p.column, rep.published, n), rep, layout))
    meta = pdf_report()[1]
    n += 1
    p.entries.append(Entry(meta["title"], meta["published"], _doc_path(p.column, meta["published"], n),
                           layout="pdf"))
    p.entries.insert(2, Entry("演示县召开2024年政务公开工作推进会", "2024-03-12",
                              _doc_path(p.column, "2024-03-12", 3990), layout="news"))
    p.entries.insert(7, Entry("演示县人民政府网站2022年度工作报表", "2023-01-16",
                              _doc_path(p.column, "2023-01-16", 3991), layout="news"))
    return p


def _city(county: Portal) -> Portal:
    p = Portal(CITY_HOST, "演示市人民政府", CITY_COLUMN, "9901000001", "990100", "city")
    n = 7000
    for agency, year, version, layout, seed, blank, s3 in CITY_REPORTS:
        rep = _report(agency, year, version, seed, blank, s3)
        n += 1
        p.entries.append(Entry(rep.title, rep.published, _doc_path(p.column, rep.published, n), rep, layout))
    orig = next(e for e in county.entries if e.report and e.report.agency == "演示县人民政府"
                and e.report.report_year == 2023)
    repost_date = orig.report.published
    p.entries.insert(1, Entry(orig.title, repost_date, _doc_path(p.column, repost_date, 7101), orig.report,
                              "html", repost_of=f"http://{county.host}{orig.path}"))
    p.entries.append(Entry("法库县人民政府2020年度政府信息公开工作报告", "2021-02-08",
                           _doc_path(p.column, "2021-02-08", 7102), layout="seed"))
    return p


def _render(portal: Portal) -> None:
    for e in portal.entries:
        if e.layout == "news":
            content = ("<p>近日，召开政务公开工作推进会，部署年度重点任务。</p>" if "会" in e.title
                       else "<p>网站年度工作报表见下表。</p><table><tr><td>访问量</td><td>12345</td></tr></table>")
            portal.files[e.path] = Page(article_page(portal, e.title, e.date, portal.name, content))
        elif e.layout == "seed":
            portal.files[e.path] = Page(seed_text(), "text/plain; charset=utf-8")
        elif e.layout == "html":
            rep = e.report
            content = synth.render_html(rep, page=False).decode("utf-8")
            portal.files[e.path] = Page(article_page(portal, e.title, e.date, rep.source, content))
        elif e.layout == "cms_html":
            rep = e.report
            content = synth.render_cms_html(rep).decode("gbk")
            portal.files[e.path] = Page(article_page(portal, e.title, e.date, rep.source, content, "gb2312"),
                                        "text/html")
        elif e.layout == "pdf":
            data, meta = pdf_report()
            folder = e.path.rsplit("/", 1)[0]
            name = "P0" + meta["published"].replace("-", "") + "398765432101.pdf"
            content = (f"<p>{html.escape(e.title)}全文见附件。</p>"
                       f'<p><a href="./{name}" appendix="true">附件：{html.escape(e.title)}.pdf</a></p>')
            portal.files[e.path] = Page(article_page(portal, e.title, e.date, meta["agency"], content))
            portal.files[f"{folder}/{name}"] = Page(data)
        elif e.layout == "docx":
            rep = e.report
            folder = e.path.rsplit("/", 1)[0]
            name = "P0" + rep.published.replace("-", "") + "512345678901.docx"
            content = (f"<p>根据《中华人民共和国政府信息公开条例》规定，现将{html.escape(rep.title)}全文公布（见附件）。</p>"
                       f'<p>附件：<a href="./{name}" appendix="true">{html.escape(rep.title)}.docx</a></p>')
            portal.files[e.path] = Page(article_page(portal, e.title, e.date, rep.source, content))
            portal.files[f"{folder}/{name}"] = Page(article_docx(rep))
    pages = [portal.entries[i:i + PER_PAGE] for i in range(0, len(portal.entries), PER_PAGE)]
    for i, chunk in enumerate(pages):
        name = "index.html" if i == 0 else f"index_{i}.html"
        portal.files[portal.column + name] = Page(list_page(portal, chunk, i, len(pages)))
    portal.files["/robots.txt"] = Page(b"User-agent: *\nAllow: /\n", "text/plain")
    portal.files["/index.html"] = Page(
        (_head(portal, "首页", "utf-8") + f'<p><a href="{portal.column}">政府信息公开年报</a></p>' + _foot(portal))
        .encode("utf-8"))


def build() -> list[Portal]:
    """Both portals with every file rendered (deterministic: same bytes every run)."""
    county = _county()
    city = _city(county)
    for p in (county, city):
        _render(p)
    return [county, city]

"""The sources registry: shipped data loads, bad rows give clear errors with line numbers."""

import pytest

from scraper.registry import RegistryError, Source, load_sources, parse_sources, select

HEADER = "id,name,url,region_code,level,min_delay,cms,notes,allow_domains\n"


def test_shipped_registry_has_all_156_columns():
    sources = load_sources()
    assert len(sources) == 156
    by_id = {s.id: s for s in sources}
    sy = by_id["ln-shenyang"]
    assert sy.url == "https://www.shenyang.gov.cn/zwgk/zfxxgkndgzbg/"
    assert sy.region_code == "210100" and sy.level == "city" and sy.cms == "trs"
    assert sy.confidence == "high" and sy.min_delay == 1.0
    assert sy.evidence_url.startswith("https://www.shenyang.gov.cn/")
    assert sum(1 for s in sources if s.level == "central" and s.region_code is None) == 6
    assert {s.confidence for s in sources} == {"high", "medium", "low"}
    # all 31 provincial-level regions are represented by their 2-digit prefix
    assert len({s.region_code[:2] for s in sources if s.region_code}) == 31


def test_optional_columns_and_allow_list(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text(HEADER + "a,甲,http://www.a.gov.cn/nb/,210124,county,0.5,TRS,conf=low; x,zwgk.a.cn;b.org.cn\n"
                 "b,乙,https://b.gov.cn/,,,,,,\n", encoding="utf-8")
    a, b = load_sources(p)
    assert a == Source(id="a", name="甲", url="http://www.a.gov.cn/nb/", region_code="210124", level="county",
                       min_delay=0.5, cms="trs", notes="conf=low; x", allow_domains=("zwgk.a.cn", "b.org.cn"))
    assert b.min_delay == 1.0 and b.region_code is None and b.cms is None and b.allow_domains == ()
    assert Source.from_dict(a.to_dict()) == a


def test_minimal_columns_only():
    (s,) = parse_sources("id,name,url\nx,X,http://x.gov.cn/\n")
    assert s.id == "x" and s.level is None


@pytest.mark.parametrize("row,message", [
    ("a,甲,http://a.gov.cn/,21012,county,,,,", "bad region_code '21012'"),
    ("a,甲,,210124,county,,,,", "missing url"),
    ("a,甲,ftp://a.gov.cn/,,,,,,", "bad url"),
    ("a,甲,http://a.gov.cn/,,planet,,,,", "bad level 'planet'"),
    ("a,甲,http://a.gov.cn/,,,-1,,,", "bad min_delay '-1'"),
    ("a,甲,http://a.gov.cn/,,,,joomla,,", "bad cms 'joomla'"),
    ("a b,甲,http://a.gov.cn/,,,,,,", "bad id 'a b'"),
])
def test_bad_rows_are_reported_with_line(row, message):
    with pytest.raises(RegistryError) as e:
        parse_sources(HEADER + row + "\n", name="reg.csv")
    assert message in str(e.value) and "reg.csv:2" in str(e.value)


def test_duplicate_id_and_all_errors_at_once():
    text = HEADER + "a,甲,http://a.gov.cn/,,,,,,\na,乙,http://b.gov.cn/,,,,,,\nc,丙,,999,,,,,\n"
    with pytest.raises(RegistryError) as e:
        parse_sources(text, name="r")
    msg = str(e.value)
    assert "r:3: duplicate id 'a' (first on line 2)" in msg
    assert "r:4: missing url" in msg and "r:4: bad region_code '999'" in msg


def test_missing_required_column_and_unreadable(tmp_path):
    with pytest.raises(RegistryError, match="missing required column"):
        parse_sources("id,name\nx,y\n")
    with pytest.raises(RegistryError, match="cannot read registry"):
        load_sources(tmp_path / "nope.csv")
    bad = tmp_path / "gbk.csv"
    bad.write_bytes(("id,name,url\nx,沈阳,http://x.gov.cn/\n").encode("gbk"))
    with pytest.raises(RegistryError, match="must be UTF-8"):
        load_sources(bad)


def test_select_by_id():
    sources = parse_sources("id,name,url\na,A,http://a.cn/\nb,B,http://b.cn/\n")
    assert [s.id for s in select(sources, ["b"])] == ["b"]
    with pytest.raises(RegistryError, match="unknown source id"):
        select(sources, ["zz"])

from decimal import Decimal

import pytest

from parsers.values import parse_value


@pytest.mark.parametrize("raw,kind,unit,value,vkind,cell_unit", [
    ("0", "int", "件", 0, "number", None),
    ("０", "int", "件", 0, "number", None),
    ("", "int", "件", None, "blank", None),
    ("\xa0", "int", "件", None, "blank", None),
    ("  \u3000 ", "int", "件", None, "blank", None),
    ("/", "int", "件", None, "na", None),
    ("—", "int", "件", None, "na", None),
    ("——", "int", "件", None, "na", None),
    ("-", "int", "件", None, "na", None),
    ("无", "int", "件", None, "na", None),
    ("不适用", "int", "件", None, "na", None),
    ("1,234", "int", "件", 1234, "number", None),
    ("1，234", "int", "件", 1234, "number", None),
    ("１２３４", "int", "件", 1234, "number", None),
    ("+2", "signed_int", "项", 2, "number", None),
    ("-417", "signed_int", "项", -417, "number", None),
    ("－129", "signed_int", "项", -129, "number", None),
    ("4448257元", "decimal", "元", 4448257, "number", "元"),
    ("2792220.8元", "decimal", "元", 2792220.8, "number", "元"),
    ("445.83万元", "decimal", "元", 4458300, "number", "万元"),
    ("96171.6", "decimal", "万元", 96171.6, "number", None),
    ("12000元", "decimal", "万元", 1.2, "number", "元"),
    ("某某采购项目", "int", "个", None, "text", None),
])
def test_parse_value(raw, kind, unit, value, vkind, cell_unit):
    v = parse_value(raw, kind, unit)
    assert (v.value, v.kind, v.unit) == (value, vkind, cell_unit)
    assert v.raw == raw
    if value is not None:
        assert Decimal(str(v.value)) == Decimal(str(value))


def test_sign_only_where_the_field_allows_it():
    v = parse_value("-5", "int", "件")
    assert v.kind == "text" and v.value is None and "negative" in v.note


def test_blank_is_never_zero():
    assert parse_value("&nbsp;".replace("&nbsp;", "\xa0")).value is None

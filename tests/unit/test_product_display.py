"""A product reads in one language: specs split by language, units named, codes unbroken."""

from __future__ import annotations

from oms_app.catalog.queries import specs_text
from oms_app.core.i18n import catalogue, one_language

DEMO_SPECS = {"品牌/brand": "鑫达/Xinda", "型号/model": "24/6", "颜色/color": "黑色/black"}


def test_specs_show_only_the_readers_language():
    assert specs_text(DEMO_SPECS, "zh_CN") == "品牌：鑫达；型号：24/6；颜色：黑色"
    assert specs_text(DEMO_SPECS, "en") == "brand: Xinda; model: 24/6; color: black"


def test_only_a_chinese_side_and_a_latin_side_split_a_label():
    assert one_language("A4单夹|A4 single clip", "en") == "A4 single clip"
    assert one_language("A4单夹|A4 single clip", "zh_CN") == "A4单夹"
    assert one_language("24/6", "zh_CN") == "24/6"
    assert one_language("0.5mm", "en") == "0.5mm"
    assert one_language("纯中文", "en") == "纯中文"


def test_every_demo_unit_has_a_chinese_name():
    for unit in ("box", "pack", "pcs", "roll", "set"):
        assert catalogue("zh_CN")[f"unit.{unit}"] not in ("", unit)
        assert catalogue("en")[f"unit.{unit}"]

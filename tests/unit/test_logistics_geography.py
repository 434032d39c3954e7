"""Provinces, distances between them and the zones shipping is priced in."""

from __future__ import annotations

import math

import pytest

from oms_app.logistics.geography import (
    PROVINCES,
    REMOTE_PROVINCES,
    distance_km,
    normalize_province,
    shipping_zone,
)


def test_all_34_provincial_level_divisions_are_known_once():
    names = [p.name for p in PROVINCES]
    assert len(names) == 34 == len(set(names))
    assert all(normalize_province(p.short) == p.name for p in PROVINCES)
    assert {"新疆维吾尔自治区", "广西壮族自治区", "香港特别行政区", "台湾省", "重庆市"} <= set(
        names
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("广东省", "广东省"),
        ("广东", "广东省"),
        ("上海", "上海市"),
        ("新疆", "新疆维吾尔自治区"),
        ("内蒙古", "内蒙古自治区"),
        ("宁夏回族自治区", "宁夏回族自治区"),
        ("香港", "香港特别行政区"),
        (" 四川 省 ", "四川省"),
        ("guangdong", "广东省"),
    ],
)
def test_a_province_is_recognised_by_its_full_or_short_name(written, expected):
    assert normalize_province(written) == expected


@pytest.mark.parametrize("written", ["", None, "广东市", "火星", "东"])
def test_an_unknown_province_is_not_guessed(written):
    assert normalize_province(written) is None


def test_distance_is_symmetric_and_zero_within_a_province():
    assert distance_km("广东", "广东省") == 0
    assert distance_km("北京", "上海") == pytest.approx(distance_km("上海市", "北京市"))


def test_distance_between_capitals_is_roughly_right():
    # Beijing-Shanghai is about 1,070 km as the crow flies; Guangzhou-Urumqi about 3,280 km.
    assert distance_km("北京", "上海") == pytest.approx(1070, rel=0.05)
    assert distance_km("广东", "新疆") == pytest.approx(3280, rel=0.05)


def test_distance_to_an_unknown_province_is_infinite():
    assert distance_km("北京", "火星") == math.inf
    assert distance_km(None, "北京") == math.inf


@pytest.mark.parametrize(
    ("origin", "destination", "zone"),
    [
        ("广东省", "广东", "local"),
        ("新疆", "新疆维吾尔自治区", "local"),
        ("上海", "浙江", "near"),
        ("上海", "江苏", "near"),
        ("上海", "北京", "far"),
        ("广东", "黑龙江", "far"),
        ("上海", "新疆", "remote"),
        ("四川", "西藏", "remote"),
        ("广东", "香港", "remote"),
        ("福建", "台湾", "remote"),
        ("北京", "内蒙古", "remote"),
        ("上海", "火星", "remote"),
        ("火星", "上海", "remote"),
    ],
)
def test_a_route_falls_into_one_shipping_zone(origin, destination, zone):
    assert shipping_zone(origin, destination) == zone


def test_every_remote_province_is_a_known_one():
    assert REMOTE_PROVINCES <= {p.name for p in PROVINCES}

"""Shipping cost by method, carrier, zone and weight."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oms_app.core.errors import ValidationFailed
from oms_app.logistics.costs import (
    DEFAULT_RATES,
    DELIVERY_METHODS,
    RateCard,
    chargeable_kg,
    cheapest_carrier,
    express_carriers,
    shipping_cost,
)
from oms_app.logistics.geography import PROVINCES

D = Decimal
EXPRESS = ("SF", "ZTO", "YTO", "JD", "EMS")


def cost(method="express", carrier="ZTO", origin="上海", destination="浙江", grams=500, **kw):
    return shipping_cost(
        method=method,
        carrier=carrier,
        origin_province=origin,
        destination_province=destination,
        weight_grams=grams,
        **kw,
    )


def test_pickup_is_free():
    assert cost(method="pickup", carrier="", destination="新疆", grams=90_000) == D("0.00")


@pytest.mark.parametrize(
    ("grams", "kg"), [(0, 1), (1, 1), (1000, 1), (1001, 2), (2000, 2), (2001, 3), (10_500, 11)]
)
def test_express_weight_is_charged_per_started_kilogram(grams, kg):
    # given ZTO near: 7.00 first kg, 2.00 each further kg
    # then
    assert chargeable_kg(grams) == kg
    assert cost(grams=grams) == D("7.00") + D("2.00") * (kg - 1)


def test_remote_provinces_cost_more_than_near_ones():
    for carrier in EXPRESS:
        near = cost(carrier=carrier, destination="浙江", grams=3000)
        far = cost(carrier=carrier, destination="北京", grams=3000)
        remote = cost(carrier=carrier, destination="新疆", grams=3000)
        local = cost(carrier=carrier, destination="上海", grams=3000)
        assert local < near < far < remote
        assert remote >= 2 * near


def test_sf_and_jd_are_dearer_than_zto_and_yto():
    for destination in ("上海", "浙江", "北京", "西藏"):
        dear = min(cost(carrier=c, destination=destination) for c in ("SF", "JD"))
        cheap = max(cost(carrier=c, destination=destination) for c in ("ZTO", "YTO"))
        assert cheap < dear


def test_freight_is_charged_per_kilogram_with_a_minimum():
    # given FREIGHT far: 1.80 per kg, at least 180.00
    assert cost(method="freight", carrier="FREIGHT", destination="北京", grams=50_000) == D(
        "180.00"
    )
    assert cost(method="freight", carrier="", destination="北京", grams=200_500) == D("360.90")


def test_costs_are_rounded_half_up_to_the_cent():
    card = RateCard("X", "near", "freight", per_kg=D("0.333"), minimum=D("0"))
    rates = {("X", "near"): card}
    # 1.5 kg x 0.333 = 0.4995 -> 0.50
    assert cost(method="freight", carrier="X", grams=1500, rates=rates) == D("0.50")


def test_an_unknown_delivery_method_is_refused():
    with pytest.raises(ValidationFailed) as err:
        cost(method="teleport")
    assert (err.value.field, err.value.code) == ("delivery_method", "error.shipping.method")


@pytest.mark.parametrize(
    ("method", "carrier"), [("express", "DHL"), ("express", "FREIGHT"), ("freight", "SF")]
)
def test_a_carrier_without_a_rate_card_for_the_method_is_refused(method, carrier):
    with pytest.raises(ValidationFailed) as err:
        cost(method=method, carrier=carrier)
    assert (err.value.field, err.value.code) == ("carrier", "error.shipping.carrier")


@pytest.mark.parametrize("method", DELIVERY_METHODS)
def test_a_negative_weight_is_refused(method):
    with pytest.raises(ValidationFailed) as err:
        cost(method=method, grams=-1)
    assert (err.value.field, err.value.code) == ("weight_grams", "error.shipping.weight")


def test_every_express_carrier_and_the_freight_card_cover_every_zone():
    assert sorted(express_carriers()) == sorted(EXPRESS)
    for carrier in (*EXPRESS, "FREIGHT"):
        for zone in ("local", "near", "far", "remote"):
            assert (carrier, zone) in DEFAULT_RATES


def test_the_cheapest_carrier_is_the_lowest_express_quote():
    # given a light parcel far away, ZTO's first kg is cheapest; heavy ones favour YTO
    assert cheapest_carrier(
        origin_province="上海", destination_province="北京", weight_grams=800
    ) == ("ZTO", D("9.00"))
    assert cheapest_carrier(
        origin_province="上海", destination_province="北京", weight_grams=5000
    ) == ("YTO", D("23.50"))


def test_the_cheapest_carrier_can_be_chosen_among_some_carriers_only():
    assert cheapest_carrier(
        origin_province="上海", destination_province="浙江", weight_grams=800, carriers=["SF", "JD"]
    ) == ("JD", D("16.00"))
    with pytest.raises(ValidationFailed):
        cheapest_carrier(
            origin_province="上海", destination_province="浙江", weight_grams=800, carriers=["DHL"]
        )


provinces = st.sampled_from([p.name for p in PROVINCES] + ["火星"])
priced = st.sampled_from([("express", c) for c in EXPRESS] + [("freight", "FREIGHT")])


@given(
    priced=priced,
    origin=provinces,
    destination=provinces,
    lighter=st.integers(0, 500_000),
    extra=st.integers(0, 500_000),
)
def test_cost_never_decreases_as_weight_grows(priced, origin, destination, lighter, extra):
    method, carrier = priced
    light = cost(method, carrier, origin, destination, lighter)
    heavy = cost(method, carrier, origin, destination, lighter + extra)
    assert D("0") < light <= heavy
    assert light == light.quantize(D("0.01"))

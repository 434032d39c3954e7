"""Order validation, pricing and anomaly rules, as pure functions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms_app.orders import anomalies
from oms_app.orders.rules import (
    AddressInput,
    LineInput,
    OrderInput,
    ProductFacts,
    address_errors,
    header_errors,
    line_errors,
    merge_duplicate_lines,
    price_lines,
    totals,
)

D = Decimal
PEN = ProductFacts(
    product_id=1,
    sku="OFF-0001",
    name="中性笔",
    unit="box",
    list_price=D("24.00"),
    standard_cost=D("15.00"),
    moq=2,
    pack_size=2,
    specs={"颜色/color": "黑"},
)
TOL = D("5")


def codes(errors) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in errors]


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        (0, [("lines[0].quantity", "error.quantity.positive")]),
        (-3, [("lines[0].quantity", "error.quantity.positive")]),
        (1, [("lines[0].quantity", "error.quantity.moq")]),
        (3, [("lines[0].quantity", "error.quantity.pack")]),
        (4, []),
    ],
)
def test_quantity_must_be_positive_reach_the_moq_and_fill_whole_packs(quantity, expected):
    assert codes(line_errors(0, LineInput("OFF-0001", quantity), PEN, TOL)) == expected


def test_a_price_beyond_the_tolerance_needs_a_reason():
    cheap = LineInput("OFF-0001", 4, unit_price=D("20.00"))
    assert codes(line_errors(0, cheap, PEN, TOL)) == [
        ("lines[0].unit_price", "error.price.needs_reason")
    ]
    explained = LineInput("OFF-0001", 4, unit_price=D("20.00"), price_reason="竞品比价")
    assert line_errors(0, explained, PEN, TOL) == []
    assert line_errors(0, LineInput("OFF-0001", 4, unit_price=D("23.00")), PEN, TOL) == []


def test_unknown_sku_discount_out_of_range_and_missing_specs_are_named():
    assert codes(line_errors(2, LineInput("NOPE", 1), None, TOL)) == [
        ("lines[2].sku", "error.sku.unknown")
    ]
    bare = ProductFacts(**{**PEN.__dict__, "specs": {}})
    errors = codes(line_errors(0, LineInput("OFF-0001", 4, discount_pct=D("60")), bare, TOL))
    assert errors == [
        ("lines[0].discount_pct", "error.discount.range"),
        ("lines[0].sku", "error.sku.specs_missing"),
    ]


def test_the_same_sku_twice_is_merged_into_one_line():
    merged = merge_duplicate_lines(
        [LineInput("off-0001", 2), LineInput("OFF-0002", 1), LineInput("OFF-0001 ", 4)]
    )
    assert [(line.sku, line.quantity) for line in merged] == [("OFF-0001", 6), ("OFF-0002", 1)]


def test_a_delivery_needs_a_mainland_mobile_and_a_six_digit_postcode():
    address = AddressInput(
        province="上海市",
        city="上海市",
        street="南京西路1号",
        receiver="王芳",
        phone="021-5555",
        postcode="2000",
    )
    assert codes(address_errors(address, "express")) == [
        ("delivery.address.phone", "error.phone.mainland"),
        ("delivery.address.postcode", "error.postcode"),
    ]
    assert codes(address_errors(AddressInput(receiver="王芳", phone="13812345678"), "pickup")) == []
    assert ("delivery.address.street", "error.required") in codes(
        address_errors(AddressInput(receiver="王芳", phone="13812345678"), "express")
    )


def test_header_needs_a_customer_lines_and_a_known_delivery_method():
    assert codes(
        header_errors(OrderInput(customer_code="", lines=[], delivery_method="drone"))
    ) == [
        ("customer", "error.required"),
        ("delivery.method", "error.choice"),
        ("lines", "error.order.no_lines"),
    ]


def test_totals_add_up_in_exact_cents_with_vat_and_shipping():
    priced = price_lines([LineInput("OFF-0001", 10, discount_pct=D("5"))], {"OFF-0001": PEN})
    result = totals(priced, "express")
    assert (result.subtotal, result.discount_total) == (D("240.00"), D("12.00"))
    assert result.tax_total == D("29.64")  # 13% of 228.00
    assert result.shipping_fee == D("20.00")  # express is free only from 500
    assert result.grand_total == D("277.64")
    assert result.margin_pct == D("34.2")


def test_express_shipping_is_free_from_five_hundred_and_pickup_is_free():
    priced = price_lines([LineInput("OFF-0001", 30)], {"OFF-0001": PEN})
    assert totals(priced, "express").shipping_fee == D("0.00")
    assert totals(priced, "pickup").shipping_fee == D("0.00")


def context(**overrides) -> anomalies.AnomalyContext:
    base = dict(
        price_tolerance_pct=TOL,
        available={"OFF-0001": 100},
        credit_limit=D("1000"),
        exposure=D("0"),
        history={},
    )
    return anomalies.AnomalyContext(**{**base, **overrides})


def found(lines, ctx) -> list[str]:
    priced = price_lines(lines, {"OFF-0001": PEN})
    return [a.code for a in anomalies.detect(priced, totals(priced, "pickup"), ctx)]


def test_a_plain_order_has_no_anomaly():
    assert found([LineInput("OFF-0001", 10)], context()) == []


def test_each_anomaly_is_found_with_its_reason():
    assert found([LineInput("OFF-0001", 10, unit_price=D("18.00"))], context()) == [
        "price_mismatch"
    ]
    assert found([LineInput("OFF-0001", 200)], context(credit_limit=None)) == ["insufficient_stock"]
    assert found([LineInput("OFF-0001", 10)], context(exposure=D("900"))) == ["credit_exceeded"]
    assert found([LineInput("OFF-0001", 10)], context(duplicate_of="SO-2026-000001")) == [
        "possible_duplicate"
    ]
    typical = {"OFF-0001": [8, 10, 10, 12, 9, 11]}
    assert found([LineInput("OFF-0001", 60)], context(history=typical, credit_limit=None)) == [
        "unusual_quantity"
    ]
    assert found([LineInput("OFF-0001", 12)], context(history=typical)) == []


def test_unusual_quantity_is_not_judged_on_too_little_history():
    assert anomalies.robust_z(500, [10, 10, 10]) is None

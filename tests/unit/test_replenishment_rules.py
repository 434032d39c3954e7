"""Pure replenishment rules: reorder point and quantity from demand, when and how much to buy."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oms_app.inventory import rules
from oms_app.inventory.rules import compute_reorder_point


def test_steady_demand_needs_no_safety_stock_so_the_point_is_the_lead_time_demand():
    # given 10 units every day of the last 90
    demand = [10] * 90
    # when
    point, qty = compute_reorder_point(demand, 7)
    # then
    assert point == 70
    assert qty == 300  # about 30 days of demand


def test_variable_demand_adds_safety_stock_from_its_standard_deviation():
    # given demand alternating 0 and 20 (mean 10, population sigma 10)
    demand = [0, 20] * 45
    # when
    point, qty = compute_reorder_point(demand, 4)
    # then: 10 * 4 + 1.65 * 10 * sqrt(4) = 73
    assert point == 73
    assert qty == 300


def test_a_higher_service_factor_keeps_more_safety_stock():
    demand = [0, 20] * 45
    assert compute_reorder_point(demand, 4, 2.33)[0] > compute_reorder_point(demand, 4)[0]


def test_only_the_last_90_days_count():
    # given a busy year long ago and a quiet last quarter
    demand = [1000] * 200 + [1] * 90
    # when
    point, qty = compute_reorder_point(demand, 10)
    # then
    assert (point, qty) == (10, 30)


def test_no_demand_gives_a_zero_point_and_a_reorder_quantity_of_at_least_one():
    assert compute_reorder_point([], 7) == (0, 1)
    assert compute_reorder_point([0] * 90, 7) == (0, 1)


def test_sparse_demand_still_orders_at_least_one_unit():
    # given one unit sold in the whole quarter
    demand = [0] * 89 + [1]
    # when
    point, qty = compute_reorder_point(demand, 0)
    # then: no lead time, no stock kept for it
    assert point == 0
    assert qty == 1


def test_a_negative_lead_time_is_refused():
    with pytest.raises(ValueError):
        compute_reorder_point([1] * 90, -1)


@given(
    demand=st.lists(st.integers(min_value=0, max_value=10_000), max_size=120),
    lead=st.integers(min_value=0, max_value=60),
)
def test_the_point_covers_at_least_the_mean_lead_time_demand_and_qty_is_positive(demand, lead):
    point, qty = compute_reorder_point(demand, lead)
    window = demand[-90:]
    mean = sum(window) / len(window) if window else 0
    assert point >= math.floor(mean * lead)
    assert qty >= 1


def test_a_daily_series_fills_days_without_demand_with_zero():
    end = date(2026, 3, 31)
    series = rules.daily_series({end: 5, end - timedelta(days=2): 3}, end=end, days=4)
    assert series == [0, 3, 0, 5]


def test_stock_plus_stock_on_order_at_or_below_the_point_needs_replenishment():
    assert rules.needs_replenishment(available=4, on_order=6, reorder_point=10)
    assert not rules.needs_replenishment(available=4, on_order=7, reorder_point=10)


def test_the_suggested_quantity_is_the_reorder_qty_or_enough_to_lift_stock_above_the_point():
    assert rules.suggested_quantity(available=5, on_order=0, reorder_point=10, reorder_qty=50) == 50
    # backorders took stock deep below zero: 50 would not be enough
    assert (
        rules.suggested_quantity(available=-80, on_order=0, reorder_point=10, reorder_qty=50) == 91
    )


def test_computed_rules_are_stale_after_a_day_or_when_there_are_none():
    now = datetime(2026, 3, 31, 12, tzinfo=UTC)
    assert rules.rules_are_stale(None, now)
    assert rules.rules_are_stale(now - timedelta(days=1), now)
    assert not rules.rules_are_stale(now - timedelta(hours=23), now)

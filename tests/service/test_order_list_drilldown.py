"""A click on a dashboard chart opens /orders with query parameters: the list they give holds
the same orders the chart counted, and each new filter narrows the list on its own."""

from __future__ import annotations

import random
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest

from oms_app.analytics import charts, drilldown, flow
from oms_app.analytics.scope import DashboardFilter
from oms_app.core.errors import ValidationFailed
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.orders.queries import OrderFilter, list_orders
from state.order_filters import filters_from_params, order_filter_of
from tests.factories.dashboard import add_orders, make_shop, random_spec, utc
from tests.service import dashboard_oracle as oracle

PERIOD = DashboardFilter(date(2026, 3, 2), date(2026, 3, 22))
PAGE = PageRequest(page_size=10)


@pytest.fixture
def book(uow):
    shop = make_shop(uow)
    rng = random.Random(7)
    add_orders(uow, shop, [random_spec(rng, utc(2026, 2, 20), 40) for _ in range(80)])
    return shop


def listed_total(uow, url: str) -> int:
    """How many orders /orders lists for a drill-down URL (as OrdersState reads it)."""
    params = dict(parse_qsl(urlsplit(url).query))
    flt = order_filter_of(filters_from_params(params))
    return list_orders(uow, actor=SYSTEM_ACTOR, request=PAGE, flt=flt)["total"]


def link(flt: DashboardFilter, **narrower: str) -> str:
    return drilldown.orders_url({**drilldown.filter_params(flt), **narrower})


@pytest.mark.parametrize("narrowing", [{}, {"warehouse": "SH", "channel": "api"}, {"rep": "bob"}])
def test_a_province_or_rep_bar_opens_as_many_orders_as_it_counts(uow, book, narrowing):
    flt = DashboardFilter(PERIOD.date_from, PERIOD.date_to, **narrowing)
    for row in charts.sales_by_province(uow, actor=SYSTEM_ACTOR, flt=flt):
        if row["province"]:
            assert listed_total(uow, link(flt, province=row["province"])) == row["orders"]
    for row in charts.sales_by_rep(uow, actor=SYSTEM_ACTOR, flt=flt):
        if row["username"]:
            assert listed_total(uow, link(flt, rep=row["username"])) == row["orders"]


def test_a_day_of_the_trend_opens_that_days_booked_orders(uow, book):
    for row in charts.revenue_trend(uow, actor=SYSTEM_ACTOR, flt=PERIOD):
        if row["in_period"]:
            day = row["day"].isoformat()
            assert listed_total(uow, link(PERIOD, **{"from": day, "to": day})) == row["orders"]


@pytest.mark.parametrize("narrowing", [{}, {"category": "ELE"}])
def test_a_funnel_stage_opens_the_orders_that_reached_it(uow, book, narrowing):
    flt = DashboardFilter(PERIOD.date_from, PERIOD.date_to, **narrowing)
    for row in flow.status_funnel(uow, actor=SYSTEM_ACTOR, flt=flt):
        url = drilldown.orders_url(drilldown.stage_params(flt, row["stage"]))
        assert listed_total(uow, url) == row["orders"]


def test_a_product_or_category_bar_opens_the_booked_orders_holding_it(uow, book):
    lines = oracle.lines_with_products()
    booked = set(oracle.orders_of(PERIOD)["id"])
    for row in charts.top_products(uow, actor=SYSTEM_ACTOR, flt=PERIOD)["rows"]:
        holding = set(lines.loc[lines["product_sku"] == row["sku"], "order_id"]) & booked
        assert listed_total(uow, link(PERIOD, sku=row["sku"])) == len(holding)
    for row in charts.top_categories(uow, actor=SYSTEM_ACTOR, flt=PERIOD)["rows"]:
        holding = set(lines.loc[lines["category"] == row["code"], "order_id"]) & booked
        assert listed_total(uow, link(PERIOD, category=row["code"])) == len(holding)


def test_each_new_filter_narrows_the_list_on_its_own(uow, book):
    orders = oracle.read("SELECT * FROM orders")
    houses = oracle.read("SELECT id, code FROM warehouses")
    sh = set(houses.loc[houses["code"] == "SH", "id"])

    def total(**fields) -> int:
        return list_orders(uow, actor=SYSTEM_ACTOR, request=PAGE, flt=OrderFilter(**fields))[
            "total"
        ]

    assert total() == len(orders)
    assert total(channel="api") == (orders["channel"] == "api").sum()
    assert total(province="广东省") == (orders["ship_province"] == "广东省").sum()
    assert total(warehouse="SH") == orders["warehouse_id"].isin(sh).sum()
    assert total(booked=True) == (~orders["status"].isin(oracle.NOT_BOOKED)).sum()
    assert total(warehouse="XX") == 0 and total(sku="NONE-1") == 0
    events = oracle.read("SELECT order_id, to_status FROM order_events")
    delivered = events.loc[events["to_status"].isin({"delivered", "completed"}), "order_id"]
    assert total(reached=("delivered", "completed")) == delivered.nunique()


@pytest.mark.parametrize(
    ("fields", "field"), [({"channel": "fax"}, "channel"), ({"reached": ("lost",)}, "status")]
)
def test_a_bad_drilldown_filter_is_refused_naming_its_field(uow, fields, field):
    with pytest.raises(ValidationFailed) as refused:
        list_orders(uow, actor=SYSTEM_ACTOR, request=PAGE, flt=OrderFilter(**fields))
    assert refused.value.field == field

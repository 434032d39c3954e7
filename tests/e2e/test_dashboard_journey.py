"""The executive's dashboard in the browser: tiles and charts for the last 30 days, and the
order list a chart links to, narrowed by its URL with the filters shown."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from playwright.sync_api import expect

from oms_app.analytics.kpis import compute_kpis
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.dashboard import Shop, add_order

PLOTLY_CLICK_ON_FIRST_BAR = """selector => document.querySelector(selector).emit(
    'plotly_click', {points: [{curveNumber: 0, pointNumber: 0, pointIndex: 0}]})"""


def _shop(uow, people) -> Shop:
    """The journey's catalogue and customer as the dashboard factory names them."""
    with uow:
        one = uow.session.execute
        customer = one(sa.text("select id from customers where code = 'C00001'")).scalar_one()
        houses = dict(one(sa.text("select code, id from warehouses")).all())
        products = dict(one(sa.text("select sku, id from products")).all())
    return Shop(customer, houses, products, {"sales": people["sales"]})


def booked_orders() -> int:
    """The orders tile of the default view, as the KPI service counts it."""
    today = utcnow().astimezone(business_zone()).date()
    figures = compute_kpis(
        UnitOfWork(), actor=SYSTEM_ACTOR, date_from=today - timedelta(days=29), date_to=today
    )
    return figures["current"]["orders"]


def test_an_executive_sees_the_charts_and_opens_the_orders_a_bar_stands_for(
    browser, oms_app_url, people
):
    # given orders of the last days in two provinces, entered by the rep
    uow = UnitOfWork()
    shop = _shop(uow, people)
    line = [("OFF-0001", 2, Decimal("24.00"), Decimal("0"))]
    for days_ago, province in ((1, "广东省"), (2, "广东省"), (3, "浙江省")):
        created = utcnow() - timedelta(days=days_ago)
        events = [("pending_approval", created), ("approved", created + timedelta(hours=2))]
        spec = {"status": "approved", "created": created, "province": province, "rep": "sales"}
        add_order(uow, shop, {**spec, "lines": line, "events": events, "channel": "api"})

    # when the executive opens the dashboard
    page = browser.new_context().new_page()
    log_in(page, oms_app_url, "executive")
    page.goto(f"{oms_app_url}/dashboard")

    # then the tiles count every booked order of the 30 days (other journeys add their own)
    # and every chart is drawn, the provinces named on their chart
    expect(page.locator("#kpi-orders")).to_contain_text(str(booked_orders()), timeout=TIMEOUT)
    for chart in ("trend", "products", "categories", "provinces", "reps", "funnel"):
        plot = page.locator(f"#chart-{chart} .js-plotly-plot")
        expect(plot).to_be_visible(timeout=TIMEOUT)
    provinces = page.locator("#chart-provinces")
    expect(provinces.get_by_text("广东省").first).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#chart-stage-times .js-plotly-plot")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#chart-payment-mix .js-plotly-plot")).to_be_visible(timeout=TIMEOUT)

    # when the channel is narrowed to orders that came through the API (only this journey's)
    page.click("#filter-channel")
    page.get_by_role("option", name="API").click()
    page.click("#period-apply")
    expect(page.locator("#kpi-orders")).to_contain_text("3", timeout=TIMEOUT)
    expect(provinces.get_by_text("广东省").first).to_be_visible(timeout=TIMEOUT)

    # when a click on the Guangdong bar reaches the chart (Plotly's own event: a synthetic
    # mouse click does not pass Plotly's hit testing in headless Chromium)
    page.evaluate(PLOTLY_CLICK_ON_FIRST_BAR, "#chart-provinces .js-plotly-plot")

    # then the order list opens narrowed to that bar's orders, its filters shown
    page.wait_for_url(lambda url: "/orders?" in url, timeout=TIMEOUT)
    expect(page.locator("#active-filter-province")).to_contain_text("广东省", timeout=TIMEOUT)
    expect(page.locator("#active-filter-booked")).to_be_visible()
    expect(page.locator("#orders-total")).to_contain_text("2", timeout=TIMEOUT)

    # and a link with more filters narrows further; clearing them leaves the plain list
    page.goto(f"{oms_app_url}/orders?province=浙江省&channel=api&booked=1")
    expect(page.locator("#active-filter-province")).to_contain_text("浙江省", timeout=TIMEOUT)
    expect(page.locator("#orders-total")).to_contain_text("1", timeout=TIMEOUT)
    page.click("#active-filters-clear")
    expect(page).to_have_url(f"{oms_app_url}/orders", timeout=TIMEOUT)
    expect(page.locator("#active-filters")).to_have_count(0, timeout=TIMEOUT)

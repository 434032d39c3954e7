"""The executive's dashboard updates by itself: an order placed and approved elsewhere changes
the revenue tile of an open dashboard without a reload; narrowing the view leaves live mode."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from oms_app.approvals import service as approvals_service
from oms_app.core.db import UnitOfWork
from oms_app.orders import service as order_service
from oms_app.orders.rules import LineInput, OrderInput
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.accounts import actor_of
from tests.factories.orders import make_customer
from tests.factories.sales import add_default_address
from tests.factories.warehouse import order_status


def _place_and_approve_an_order(uow, people) -> str:
    """An order entered by the rep and approved at every level it needs, through the services."""
    # a customer of its own: no history or earlier orders that would add approval levels
    add_default_address(uow, make_customer(uow, code="C00091", name="西南商贸有限公司"))
    rep, manager = actor_of(uow, people["sales"]), actor_of(uow, people["sales_manager"])
    number = order_service.create_order(
        uow,
        actor=rep,
        submit=True,
        cmd=OrderInput(customer_code="C00091", lines=[LineInput("OFF-0001", 4)]),
    )
    deciders = {"sales_manager": manager, "warehouse": actor_of(uow, people["warehouse"])}
    deciders["finance"] = actor_of(uow, people["finance"])
    while order_status(uow, number) == "pending_approval":  # the levels its anomalies need
        with uow:
            order_id = uow.session.scalar(
                sa.text("select id from orders where number = :n"), {"n": number}
            )
            role = approvals_service.pending_role(uow, order_id=order_id)
        order_service.approve_order(uow, actor=deciders[role], number=number)
    return number


def test_an_order_placed_elsewhere_changes_the_revenue_tile_of_an_open_dashboard(
    browser, oms_app_url, people, live_worker
):
    # given an executive with the dashboard open on its default, live view
    page = browser.new_context().new_page()
    log_in(page, oms_app_url, "executive")
    page.goto(f"{oms_app_url}/dashboard")
    expect(page.locator("#dashboard-live")).to_have_attribute("data-live", "1", timeout=TIMEOUT)
    revenue = page.locator("#kpi-revenue")
    expect(revenue).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#chart-trend .js-plotly-plot")).to_be_visible(timeout=TIMEOUT)
    before = revenue.inner_text()
    page.evaluate("window.__sameDocument = true")  # gone if the page were reloaded

    # when an order is placed and approved through the services (which publish the events)
    _place_and_approve_an_order(UnitOfWork(), people)

    # then the revenue tile changes by itself, without a reload
    expect(revenue).not_to_have_text(before, timeout=30_000)
    assert page.evaluate("window.__sameDocument === true")
    expect(page.locator("#dashboard-live")).to_have_attribute("data-live", "1")

    # when the executive narrows the view to a channel, the figures are their own, not live
    page.click("#filter-channel")
    page.get_by_role("option", name="销售录入").click()
    page.click("#period-apply")
    expect(page.locator("#dashboard-live")).to_have_attribute("data-live", "0", timeout=TIMEOUT)
    expect(page.locator("#kpi-orders")).to_be_visible(timeout=TIMEOUT)

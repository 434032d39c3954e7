"""The executive's dashboard updates by itself: an order placed and approved elsewhere changes
the revenue tile of an open dashboard without a reload; narrowing the view leaves live mode."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect
from reflex.config import get_config

from oms_app.accounts import admin as accounts_admin
from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.orders import make_customer
from tests.factories.sales import add_default_address


def _api(people, role: str) -> httpx.Client:
    """An HTTP client of the running backend's REST API with an API key acting as `role`."""
    key = accounts_admin.create_api_key(
        UnitOfWork(), actor=SYSTEM_ACTOR, name=f"dashboard e2e {role}", user_id=people[role]
    )
    return httpx.Client(
        base_url=f"{get_config().api_url.rstrip('/')}/api/v1",
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )


def _place_and_approve_an_order(people) -> str:
    """An order posted to the REST API by the rep's ERP, approved there at every level it needs
    by whichever approver's key may decide the pending level."""
    # a customer of its own: no history or earlier orders that would add approval levels
    uow = UnitOfWork()
    add_default_address(uow, make_customer(uow, code="C00091", name="西南商贸有限公司"))
    posted = _api(people, "sales").post(
        "/orders",
        headers={"Idempotency-Key": "dashboard-live-e2e-1"},
        json={
            "customer": "C00091",
            "lines": [{"sku": "OFF-0001", "quantity": 4}],
            "delivery": {"method": "express"},
            "submit": True,
        },
    )
    assert posted.status_code == 201, posted.text
    number = posted.json()["number"]
    approvers = [_api(people, role) for role in ("sales_manager", "finance", "warehouse")]
    for _ in range(6):  # the levels its anomalies need, in the policy's order
        status = approvers[0].get(f"/orders/{number}").json()["status"]
        if status != "pending_approval":
            break
        answers = [c.post(f"/orders/{number}/approve", json={"comment": "ok"}) for c in approvers]
        assert any(a.status_code == 200 for a in answers), [a.text for a in answers]
    assert status in ("approved", "allocated"), status  # the warehouse may reserve at once
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

    # when an order is placed and approved through the REST API (which publishes the events)
    _place_and_approve_an_order(people)

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

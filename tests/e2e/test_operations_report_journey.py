"""The operations report in the browser: a sales manager opens /reports/operations and sees the
figures of an order that was just approved, by team and then by day."""

from __future__ import annotations

from playwright.sync_api import expect

from oms_app.core.clock import business_zone, utcnow
from oms_app.core.db import UnitOfWork
from oms_app.orders import service as order_service
from oms_app.orders.rules import LineInput, OrderInput
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.accounts import actor_of
from tests.factories.orders import make_customer
from tests.factories.sales import add_default_address


def test_a_manager_sees_the_operations_table_by_team_and_by_day(browser, oms_app_url, people):
    # given an order submitted and approved today
    uow = UnitOfWork()
    add_default_address(uow, make_customer(uow, code="C00086", name="西南办公用品有限公司"))
    rep, manager = actor_of(uow, people["sales"]), actor_of(uow, people["sales_manager"])
    number = order_service.create_order(
        uow,
        actor=rep,
        submit=True,
        cmd=OrderInput(customer_code="C00086", lines=[LineInput("OFF-0001", 2)]),
    )
    order_service.approve_order(uow, actor=manager, number=number)

    # when the manager opens the report
    page = browser.new_context().new_page()
    log_in(page, oms_app_url, "sales-manager")
    page.goto(f"{oms_app_url}/reports/operations")

    # then the table shows the teams that worked on it and a total line, with both charts
    table = page.locator("#ops-table")
    expect(table).to_be_visible(timeout=TIMEOUT)
    expect(table).to_contain_text("审核 · 销售经理", timeout=TIMEOUT)
    expect(table).to_contain_text("合计")
    expect(page.locator("#ops-stage-chart")).to_be_visible()
    expect(page.locator("#ops-satisfaction")).to_contain_text("暂无数据")

    # and grouped by day, today's row appears
    page.locator("#ops-group-by").get_by_role("radio", name="按日").click()
    today = utcnow().astimezone(business_zone()).date().isoformat()
    expect(table).to_contain_text(today, timeout=TIMEOUT)

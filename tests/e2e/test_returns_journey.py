"""Returns in the browser: a customer asks to send back part of a shipped order from its page in
the portal; the warehouse approves the request on /returns and confirms the goods came back;
the customer then sees the return received on the order."""

from __future__ import annotations

from playwright.sync_api import expect

from oms_app.core.db import UnitOfWork
from oms_app.fulfillment import shipping
from oms_app.orders.rules import LineInput
from tests.e2e.ordering import give_credit_terms, place_approved_order
from tests.e2e.test_journeys import PASSWORD, TIMEOUT, log_in
from tests.factories.accounts import actor_of, make_user
from tests.factories.orders import make_customer
from tests.factories.sales import add_default_address
from tests.factories.warehouse import order_status

CUSTOMER = "C00111"


def shipped_order_with_portal_user(people) -> str:
    """An order of C00111 (30 days' terms) shipped in full, and a portal log-in for C00111."""
    uow = UnitOfWork()
    customer = make_customer(uow, code=CUSTOMER, name="西北五金有限公司")
    add_default_address(uow, customer)
    give_credit_terms(uow, customer)
    make_user(
        uow, username="portal-c111", roles=["customer"], password=PASSWORD, customer_id=customer
    )
    number = place_approved_order(people, CUSTOMER, [LineInput("OFF-0001", 6)])
    warehouse = actor_of(uow, people["warehouse"])
    shipping.ship_order(uow, actor=warehouse, number=number, carrier="ZTO")
    assert order_status(uow, number) == "shipped"
    return number


def test_a_customer_returns_part_of_a_shipped_order_and_the_warehouse_takes_it_back(
    browser, oms_app_url, people
):
    number = shipped_order_with_portal_user(people)

    # given the customer on the order's page in the portal, with nothing returned yet
    customer = browser.new_context().new_page()
    log_in(customer, oms_app_url, "portal-c111")
    customer.goto(f"{oms_app_url}/orders/{number}")
    expect(customer.get_by_text("暂无退货")).to_be_visible(timeout=TIMEOUT)

    # when they ask to return 2 of the 6 items, first forgetting the reason
    customer.click("#request-return")
    quantity = customer.locator(".return-qty input").first
    expect(quantity).to_be_visible(timeout=TIMEOUT)
    quantity.fill("2")
    customer.click("#return-submit")
    # then the form says what is missing, and nothing is requested
    expect(customer.get_by_text("退货原因: 必填")).to_be_visible(timeout=TIMEOUT)
    expect(customer.locator(".order-return-row")).to_have_count(0)

    # when they pick a reason and submit again
    customer.click("#return-reason")
    customer.get_by_role("option", name="商品损坏").click()
    customer.click("#return-submit")
    # then the request is listed on the order, waiting for a decision
    row = customer.locator(".order-return-row")
    expect(row).to_have_count(1, timeout=TIMEOUT)
    expect(row.locator(".return-status")).to_have_text("待审核")
    rma = row.locator("td").first.inner_text()
    assert rma.startswith("RMA-")

    # when the warehouse approves it on /returns and confirms the goods came back
    warehouse = browser.new_context().new_page()
    log_in(warehouse, oms_app_url, "warehouse")
    warehouse.goto(f"{oms_app_url}/returns")
    listed = warehouse.locator("tr", has_text=rma)
    expect(listed).to_be_visible(timeout=TIMEOUT)
    listed.get_by_role("button", name="同意").click()
    expect(listed.locator(".return-status")).to_have_text("已同意", timeout=TIMEOUT)
    listed.get_by_role("button", name="确认收货").click()
    expect(listed.locator(".return-status")).to_have_text("已收货", timeout=TIMEOUT)

    # then the customer sees the return received on the order's page
    customer.reload()
    expect(customer.locator(".order-return-row .return-status")).to_have_text(
        "已收货", timeout=TIMEOUT
    )

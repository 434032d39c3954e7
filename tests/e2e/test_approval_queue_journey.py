"""A manager clears the approval queue from its rows: sorted by amount, one approved without
scrolling, one rejected with a reason (keyboard), and a step-up order without an authenticator
points to /account/2fa."""

from __future__ import annotations

from playwright.sync_api import expect

from oms_app.core.db import UnitOfWork
from oms_app.orders import service as order_service
from oms_app.orders.rules import LineInput, OrderInput
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.accounts import actor_of
from tests.factories.warehouse import order_status


def submitted(rep, qty: int) -> str:
    return order_service.create_order(
        UnitOfWork(),
        actor=rep,
        submit=True,
        cmd=OrderInput(customer_code="C00001", lines=[LineInput("OFF-0002", qty)]),
    )


def test_a_manager_clears_the_queue_from_its_rows(browser, oms_app_url, people):
    rep = actor_of(UnitOfWork(), people["sales"])
    small, mid, large = submitted(rep, 4), submitted(rep, 40), submitted(rep, 3200)
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    page.set_default_timeout(TIMEOUT)  # the dev harness compiles a page on its first visit
    log_in(page, oms_app_url, "sales-manager")
    page.goto(f"{oms_app_url}/approvals")
    expect(page.locator("#approval-queue")).to_be_visible(timeout=TIMEOUT)

    # sorted by amount: the ¥104,000 order first, then the ¥1,300 one, then the ¥130 one
    page.locator("#queue-sort").get_by_role("radio", name="金额最大").click()
    numbers = page.locator(".approval-card .queue-number")
    expect(numbers.first).to_have_text(large, timeout=TIMEOUT)
    listed = numbers.all_inner_texts()
    assert listed.index(large) < listed.index(mid) < listed.index(small)

    # the step-up order: no authenticator yet, so the dialog leads to enrolment
    page.locator(".approval-card", has_text=large).locator(".approve-card").click()
    expect(page.locator("#totp-not-enrolled")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#enrol-2fa")).to_have_attribute("href", "/account/2fa")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0, timeout=TIMEOUT)

    # approve from the row, its button on screen without scrolling
    approve = page.locator(".approval-card", has_text=mid).locator(".approve-card")
    expect(approve).to_be_in_viewport()
    approve.click()
    expect(page.locator(".approval-card", has_text=mid)).to_have_count(0, timeout=TIMEOUT)

    # reject with a reason: select the row, press r, say why
    page.locator(".approval-card", has_text=small).locator(".queue-age").click()
    page.keyboard.press("r")
    page.fill("#reject-reason", "数量不对，请与客户确认")
    page.click("#confirm-reject")
    expect(page.locator(".approval-card", has_text=small)).to_have_count(0, timeout=TIMEOUT)
    assert order_status(UnitOfWork(), small) == "draft"
    assert order_status(UnitOfWork(), large) == "pending_approval"

"""An executive keeps the finance panel open: a bank receipt recorded by finance moves today's
cash on the page without a reload; the statements drill down into the journal."""

from __future__ import annotations

from decimal import Decimal

import pyotp
from playwright.sync_api import expect

from oms_app.core.db import UnitOfWork
from oms_app.payments import receipts
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.e2e.test_payment_journey import approved_order
from tests.factories.accounts import actor_of, enable_totp, fresh_totp_code, make_user

FINANCE_SECRET = pyotp.random_base32()


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def test_a_bank_receipt_moves_cash_on_the_open_finance_panel(browser, oms_app_url, people):
    number = approved_order(people)
    uow = UnitOfWork()
    clerk_id = make_user(uow, username="fin-e2e", roles=["finance"])
    enable_totp(uow, clerk_id, FINANCE_SECRET)
    clerk = actor_of(uow, clerk_id)
    # the executive opens the panel
    page = browser.new_context().new_page()
    log_in(page, oms_app_url, "executive")
    expect(page.locator("#nav--finance")).to_be_visible(timeout=TIMEOUT)
    page.goto(f"{oms_app_url}/finance")
    cash = page.locator("#panel-cash .panel-today")
    expect(cash).to_contain_text(".", timeout=TIMEOUT)
    before = money(cash.inner_text())
    # finance records a bank transfer of 10.00 for the order
    receipts.record_bank_receipt(
        UnitOfWork(),
        actor=clerk,
        order_number=number,
        amount="10.00",
        reference=f"BANK-{number}",
        totp_code=fresh_totp_code(FINANCE_SECRET),
    )
    # the panel changes by itself
    expect(cash).to_have_text(f"{before + Decimal('10.00'):,.2f}", timeout=15_000)

    # the statements: the trial balance's bank line opens the journal filtered by it
    page.goto(f"{oms_app_url}/finance/statements")
    expect(page.locator("#statement .statement-line").first).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("radio", name="试算平衡表").click()
    bank = page.locator(".statement-line", has_text="1002")
    expect(bank).to_be_visible(timeout=TIMEOUT)
    bank.locator(".drill").click()
    page.wait_for_url(lambda url: "/finance/journal" in url and "account=1002" in url)
    expect(page.locator(".entry-row").first).to_be_visible(timeout=TIMEOUT)
    page.locator(".entry-row", has_text=number).locator("button").click()
    expect(page.locator("#entry-lines")).to_contain_text("1002", timeout=TIMEOUT)

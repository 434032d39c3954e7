"""An overdue balance is written off with four eyes on /finance/payments: one finance clerk
proposes it from the overdue invoice, a second releases it with a TOTP code, and the invoice
leaves the overdue list."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from playwright.sync_api import expect

from oms_app.core.db import UnitOfWork
from oms_app.payments.models import Invoice
from tests.e2e.test_finance_live_journey import finance_user, shipped_credit_order, sign_in
from tests.e2e.test_journeys import TIMEOUT
from tests.factories.accounts import fresh_totp_code


def make_overdue(number: str) -> str:
    """Move the order's invoice due date 10 days into the past; its amount is returned."""
    uow = UnitOfWork()
    with uow:
        invoice = uow.session.scalar(sa.select(Invoice).where(Invoice.order_number == number))
        invoice.due_date = invoice.issued_at.date() - timedelta(days=10)
        amount = str(invoice.amount)
        uow.commit()
    return amount


def test_an_overdue_balance_is_written_off_by_one_clerk_and_released_by_another(
    browser, oms_app_url, people
):
    # given an order shipped on credit terms whose invoice is overdue
    number = shipped_credit_order(people, code="C00102", name="西北五金有限公司")
    amount = make_overdue(number)
    _, clerk_secret = finance_user("fin-wo-clerk")
    _, checker_secret = finance_user("fin-wo-checker")
    reason = f"客户破产清算 {uuid.uuid4().hex[:6]}"

    # the clerk proposes writing it off from the overdue invoice
    clerk = sign_in(browser, oms_app_url, "fin-wo-clerk", clerk_secret)
    clerk.goto(f"{oms_app_url}/finance/payments")
    row = clerk.locator("#overdue-invoices tr", has_text=number)
    expect(row).to_be_visible(timeout=TIMEOUT)
    expect(row).to_contain_text(f"{Decimal(amount):,.2f}")  # grouped by thousands
    row.get_by_role("button", name="核销坏账").click()
    dialog = clerk.get_by_role("dialog")
    expect(dialog).to_contain_text(number)
    dialog.locator("input[name=amount]").fill(amount)
    dialog.locator("input[name=reason]").fill(reason)
    dialog.locator("#write-off-propose").click()
    expect(clerk.get_by_text("核销已提交，等待第二人复核放行")).to_be_visible(timeout=TIMEOUT)
    mine = clerk.locator(".proposal-row", has_text=reason)
    expect(mine).to_contain_text("等待第二人复核")
    expect(mine).to_contain_text("坏账核销")
    expect(mine.locator(".proposal-release")).to_have_count(0)  # nobody releases their own

    # a second clerk releases it with their authenticator code
    checker = sign_in(browser, oms_app_url, "fin-wo-checker", checker_secret)
    checker.goto(f"{oms_app_url}/finance/payments")
    waiting = checker.locator(".proposal-row", has_text=reason)
    expect(waiting).to_contain_text("fin-wo-clerk", timeout=TIMEOUT)
    waiting.locator(".proposal-release").click()
    checker.get_by_role("dialog").locator("input[name=totp_code]").fill(
        fresh_totp_code(checker_secret)
    )
    checker.locator("#proposal-decide").click()
    expect(checker.get_by_text("已放行：款项已处理")).to_be_visible(timeout=TIMEOUT)
    expect(checker.locator(".proposal-row", has_text=reason)).to_have_count(0)
    # the balance is settled: the invoice is no longer overdue
    expect(checker.locator("#overdue-invoices tr", has_text=number)).to_have_count(0)

"""Finance enters expenses on the journal screen: one within the block budget of its cost centre
posts and shows in the journal; one beyond it is refused with the budget's figures, and the
finance manager's authenticator code lets it through."""

from __future__ import annotations

import re
from decimal import Decimal

import pyotp
from playwright.sync_api import Page, expect

from oms_app.budgets import service as budgets_service
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.db import UnitOfWork
from oms_app.core.i18n import SUPPORTED, translate
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.accounts import actor_of, enable_totp, fresh_totp_code, make_user

SECRET = pyotp.random_base32()
PASSWORD = "spend-wisely-2026"
COST_CENTRE = "E2E-ADM"
WRONG_CODE = re.compile(
    "|".join(re.escape(translate("error.auth.totp_incorrect", lang)) for lang in SUPPORTED)
)


def block_budget_of_100_a_month(actor) -> None:
    """A block budget of 100.00 a month on 6602 for the cost centre, this business year."""
    year = utcnow().astimezone(business_zone()).year
    budget_id = budgets_service.create_budget(
        UnitOfWork(),
        cost_centre=COST_CENTRE,
        account_code="6602",
        year=year,
        policy="block",
        actor=actor,
    )
    budgets_service.allocate_budget(
        UnitOfWork(),
        budget_id=budget_id,
        method="hand",
        months=[Decimal("100.00")] * 12,
        actor=actor,
    )


def enter_expense(page: Page, amount: str, reference: str) -> None:
    page.click("#expense-open")
    expect(page.locator("#expense-account option[value='6602']")).to_be_attached(timeout=TIMEOUT)
    page.select_option("#expense-account", "6602")
    # the cost centre becomes a choice of the account's budgeted cost centres
    centre = page.locator(f"select#expense-cost-centre option[value='{COST_CENTRE}']")
    expect(centre).to_be_attached(timeout=TIMEOUT)
    page.select_option("#expense-cost-centre", COST_CENTRE)
    page.fill("#expense-amount", amount)
    page.fill("#expense-reference", reference)
    page.select_option("#expense-paid-from", "1002")
    page.click("#expense-submit")


def test_finance_enters_expenses_within_and_beyond_a_block_budget(browser, oms_app_url, people):
    user_id = make_user(UnitOfWork(), username="fin-expense", roles=["finance"], password=PASSWORD)
    enable_totp(UnitOfWork(), user_id, SECRET)
    block_budget_of_100_a_month(actor_of(UnitOfWork(), user_id))

    page = browser.new_context().new_page()
    log_in(page, oms_app_url, "fin-expense", password=PASSWORD, code=fresh_totp_code(SECRET))
    page.goto(f"{oms_app_url}/finance/journal")
    expect(page.locator("#expense-open")).to_be_visible(timeout=TIMEOUT)

    # within budget: posted, named in a toast, and listed in the journal
    enter_expense(page, "60.00", "E2E-EXP-1")
    expect(page.locator("#expense-form")).to_be_hidden(timeout=TIMEOUT)
    expect(page.locator("[data-sonner-toast]").first).to_be_visible(timeout=TIMEOUT)
    first = page.locator(".entry-row", has_text="E2E-EXP-1")
    expect(first).to_contain_text("60.00", timeout=TIMEOUT)
    number = first.locator(".entry-number").inner_text().strip()
    expect(page.locator("[data-sonner-toast]", has_text=number)).to_be_visible(timeout=TIMEOUT)

    # beyond budget: refused with the budget, the actual and the amount; nothing posted
    enter_expense(page, "50.00", "E2E-EXP-2")
    figures = page.locator("#expense-refusal-figures")
    expect(figures).to_contain_text("100.00", timeout=TIMEOUT)
    expect(figures).to_contain_text("60.00")
    expect(figures).to_contain_text("50.00")
    expect(page.locator("#expense-error")).to_contain_text("100.00")
    expect(page.locator(".entry-row", has_text="E2E-EXP-2")).to_have_count(0)

    # a wrong code is refused; the manager's code lets it through
    page.fill("#expense-override-totp", "000000")
    page.click("#expense-submit")
    expect(page.locator("#expense-error")).to_have_text(WRONG_CODE, timeout=TIMEOUT)
    expect(page.locator("#expense-form")).to_be_visible()
    page.fill("#expense-override-totp", fresh_totp_code(SECRET))
    page.click("#expense-submit")
    expect(page.locator("#expense-form")).to_be_hidden(timeout=TIMEOUT)
    expect(page.locator(".entry-row", has_text="E2E-EXP-2")).to_contain_text(
        "50.00", timeout=TIMEOUT
    )

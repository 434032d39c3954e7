"""Finance journeys that change what is on screen: a Stripe payment webhook for a shipped order
on credit terms moves money from receivables to the bank on the open balance sheet without a
reload; a budget owner asks for more budget and a finance manager approves it in another
browser."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import uuid
from decimal import Decimal

import httpx
import pyotp
import sqlalchemy as sa
from playwright.sync_api import Locator, Page, expect
from reflex.config import get_config

from oms_app.budgets import service as budgets_service
from oms_app.core.db import UnitOfWork
from oms_app.fulfillment import shipping
from oms_app.orders.rules import LineInput
from oms_app.payments import service as payment_service
from state.budgets import business_today
from tests.e2e.conftest import PASSWORD
from tests.e2e.ordering import give_credit_terms, place_approved_order
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.accounts import actor_of, enable_totp, fresh_totp_code, make_user
from tests.factories.orders import make_customer
from tests.factories.sales import add_default_address
from tests.factories.warehouse import order_status
from tests.stripe_infra import WEBHOOK_SECRET

LIVE = 30_000  # webhook -> Celery worker -> ledger -> event stream -> open page


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def finance_user(username: str) -> tuple[int, str]:
    """A finance user with an enrolled second factor: (user id, TOTP secret)."""
    uow = UnitOfWork()
    secret = pyotp.random_base32()
    user_id = make_user(uow, username=username, roles=["finance"], password=PASSWORD)
    enable_totp(uow, user_id, secret)
    return user_id, secret


def sign_in(browser, base: str, username: str, secret: str) -> Page:
    page = browser.new_context().new_page()
    log_in(page, base, username, code=fresh_totp_code(secret))
    return page


def shipped_credit_order(people, code: str = "C00101", name: str = "华北机电有限公司") -> str:
    """An approved order of a new customer on 30 days' terms, shipped: its receivable is open."""
    uow = UnitOfWork()
    customer = make_customer(uow, code=code, name=name)
    add_default_address(uow, customer)
    give_credit_terms(uow, customer)
    number = place_approved_order(people, code, [LineInput("OFF-0002", 2)])
    warehouse = actor_of(uow, people["warehouse"])
    shipping.ship_order(uow, actor=warehouse, number=number, carrier="ZTO")
    assert order_status(uow, number) == "shipped"
    return number


def stripe_webhook(event: dict) -> httpx.Response:
    """POST an event to the running backend as Stripe would: signed with the endpoint secret."""
    payload = json.dumps(event)
    stamp = int(time.time())
    digest = hmac.new(
        WEBHOOK_SECRET.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return httpx.post(
        f"{get_config().api_url.rstrip('/')}/api/v1/webhooks/stripe",
        content=payload,
        headers={"Stripe-Signature": f"t={stamp},v1={digest}", "Content-Type": "application/json"},
        timeout=30,
    )


def balance_sheet_amount(page: Page, code: str) -> Locator:
    """The amount cell of an account's line on the balance sheet."""
    line = page.locator(".statement-line").filter(
        has=page.locator("td", has_text=re.compile(rf"^{code}$"))
    )
    return line.locator("td").nth(2)


def test_a_payment_webhook_moves_receivables_to_the_bank_on_the_open_balance_sheet(
    browser, oms_app_url, people, live_worker
):
    # given an order shipped on credit terms, and a card payment asked for it at Stripe
    number = shipped_credit_order(people)
    uow = UnitOfWork()
    rep = actor_of(uow, people["sales"])
    payment = payment_service.create_payment(uow, actor=rep, order_number=number, method="card")
    amount = Decimal(payment["amount"])
    with uow:
        intent = uow.session.scalar(
            sa.text("select provider_ref from payments where id = :id"), {"id": payment["id"]}
        )
    _, secret = finance_user("fin-live-cash")

    # finance opens the balance sheet
    page = sign_in(browser, oms_app_url, "fin-live-cash", secret)
    page.goto(f"{oms_app_url}/finance/statements")
    expect(page.locator("#statement .statement-line").first).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("radio", name="资产负债表").click()
    bank, receivables = balance_sheet_amount(page, "1002"), balance_sheet_amount(page, "1122")
    expect(bank).to_be_visible(timeout=TIMEOUT)
    expect(receivables).to_be_visible(timeout=TIMEOUT)
    bank_before = Decimal(bank.inner_text().replace(",", ""))
    receivables_before = Decimal(receivables.inner_text().replace(",", ""))
    assert receivables_before >= amount  # this order's receivable is in it

    # when Stripe says the payment succeeded
    cents = int(amount * 100)
    answer = stripe_webhook(
        {
            "id": f"evt_live_{uuid.uuid4().hex[:12]}",
            "object": "event",
            "type": "payment_intent.succeeded",
            "data": {
                "object": {
                    "id": intent,
                    "object": "payment_intent",
                    "amount": cents,
                    "amount_received": cents,
                    "currency": "cny",
                    "status": "succeeded",
                    "metadata": {"attempt": "1"},
                }
            },
        }
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["duplicate"] is False

    # then the open sheet shows the money in the bank and the receivable gone, without a reload
    expect(bank).to_have_text(money(bank_before + amount), timeout=LIVE)
    expect(receivables).to_have_text(money(receivables_before - amount), timeout=LIVE)
    expect(page.locator("#statement-error")).to_have_count(0)


def test_a_budget_increase_is_requested_and_approved_by_another_finance_manager(
    browser, oms_app_url, people
):
    # given a budget of 1,000.00 a month owned by one finance user, and a finance manager
    owner_id, owner_secret = finance_user("fin-budget-owner")
    manager_id, manager_secret = finance_user("fin-budget-manager")
    uow = UnitOfWork()
    manager = actor_of(uow, manager_id)
    cost_centre = f"E2E-{uuid.uuid4().hex[:6].upper()}"
    budget_id = budgets_service.create_budget(
        uow,
        cost_centre=cost_centre,
        account_code="6602",
        year=business_today().year,  # the year /budgets shows
        policy="warn",
        owner_id=owner_id,
        owner_name="fin-budget-owner",
        actor=manager,
    )
    budgets_service.allocate_budget(
        uow, budget_id=budget_id, method="hand", months=[Decimal("1000.00")] * 12, actor=manager
    )
    label = f"{cost_centre} · 6602"
    reason = f"展会追加 {uuid.uuid4().hex[:8]}"

    # the owner asks for 2,500.00 more in June
    owner = sign_in(browser, oms_app_url, "fin-budget-owner", owner_secret)
    owner.goto(f"{oms_app_url}/budgets")
    card = owner.locator(".budget-card", has_text=label)
    expect(card).to_contain_text("/ 12000.00", timeout=TIMEOUT)
    form = owner.locator("form.adjustment-form")
    form.locator("select[name=budget_id]").select_option(label=label)
    form.locator("select[name=kind]").select_option("increase")
    form.locator("select[name=month]").select_option("6")
    form.locator("input[name=amount]").fill("2500.00")
    form.locator("input[name=reason]").fill(reason)
    form.get_by_role("button", name="提交申请").click()
    expect(owner.get_by_text("调整申请已提交")).to_be_visible(timeout=TIMEOUT)
    request = owner.locator(".pending-adjustment", has_text=reason)
    expect(request).to_contain_text("2500.00")
    expect(request).to_contain_text("fin-budget-owner")
    # nobody approves their own request
    request.get_by_role("button", name="批准").click()
    expect(owner.locator(".budget-error")).to_contain_text("不能审批自己提交的调整申请")
    expect(card).to_contain_text("/ 12000.00")

    # the finance manager approves it in their own browser
    approver = sign_in(browser, oms_app_url, "fin-budget-manager", manager_secret)
    approver.goto(f"{oms_app_url}/budgets")
    pending = approver.locator(".pending-adjustment", has_text=reason)
    expect(pending).to_contain_text("追加", timeout=TIMEOUT)
    pending.get_by_role("button", name="批准").click()
    expect(approver.get_by_text("调整已批准并生效")).to_be_visible(timeout=TIMEOUT)
    expect(pending).to_have_count(0)
    expect(approver.locator(".budget-card", has_text=label)).to_contain_text("/ 14500.00")

    # the owner sees the larger budget and no request left waiting
    owner.reload()
    expect(card).to_contain_text("/ 14500.00", timeout=TIMEOUT)
    expect(owner.locator(".pending-adjustment", has_text=reason)).to_have_count(0)
    # and the owner sees what became of the request
    decided = owner.locator(".decided-adjustment", has_text=reason)
    expect(decided.locator(".adjustment-status")).to_have_text("已批准", timeout=TIMEOUT)

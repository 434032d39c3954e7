"""The audit log in the browser: finance approves a credit limit sales proposed, then finds the
change on /admin/audit by its customer, old → new; sales may not open the page."""

from __future__ import annotations

import pyotp
from playwright.sync_api import expect

from oms_app.core.db import UnitOfWork
from oms_app.core.i18n import translate
from oms_app.customers import service as customers_service
from oms_app.customers.service import CustomerInput
from tests.e2e.test_journeys import PASSWORD, TIMEOUT, log_in
from tests.factories.accounts import actor_of, enable_totp, fresh_totp_code, make_user

SECRET = pyotp.random_base32()


def wrong_code(secret: str) -> str:
    return f"{(int(fresh_totp_code(secret)) + 1) % 1_000_000:06d}"


def credit_proposed_by_sales(people) -> int:
    """Customer C00991 with no credit, and sales' proposal to give it 5,000.00."""
    uow = UnitOfWork()
    data = CustomerInput(name="审计测试有限公司", province="上海市", city="上海市")
    admin = actor_of(uow, people["admin"])
    customers_service.upsert_customer(uow, actor=admin, code="C00991", data=data)
    sales = actor_of(uow, people["sales"])
    raised = CustomerInput(**{**data.__dict__, "credit_limit": "5000"})
    view, _ = customers_service.upsert_customer(uow, actor=sales, code="C00991", data=raised)
    assert [p["field"] for p in view["pending_changes"]] == ["credit_limit"]
    return view["pending_changes"][0]["entity_id"]


def warm_up(page, base: str) -> None:
    """The dev harness compiles a page on its first visit: the first visits may be slow."""
    page.set_default_timeout(TIMEOUT)
    for path in ("/", "/admin/audit"):  # both send a visitor without a session to /login
        page.goto(f"{base}{path}", timeout=3 * TIMEOUT)
        expect(page.locator("#username")).to_be_visible(timeout=3 * TIMEOUT)


def test_finance_approves_a_credit_proposal_and_finds_it_in_the_audit_log(
    browser, oms_app_url, people
):
    customer_id = credit_proposed_by_sales(people)
    uow = UnitOfWork()
    enable_totp(
        uow, make_user(uow, username="fin-audit", roles=["finance"], password=PASSWORD), SECRET
    )

    # given finance, whose wrong authenticator code is called incorrect at log-in
    page = browser.new_context().new_page()
    warm_up(page, oms_app_url)
    log_in(page, oms_app_url, "fin-audit", code=wrong_code(SECRET), succeeds=False)
    expect(page.locator("#login-error")).to_have_text("验证码不正确", timeout=TIMEOUT)
    # on the audit page's queue of proposals
    log_in(page, oms_app_url, "fin-audit", code=fresh_totp_code(SECRET))
    page.goto(f"{oms_app_url}/admin/audit")
    page.click("#tab-changes")
    proposal = page.locator("#changes-table tr", has_text="C00991")
    expect(proposal).to_contain_text("5000.00", timeout=TIMEOUT)
    # when they approve it
    proposal.get_by_role("button", name="批准").click()
    expect(page.get_by_text("没有待审批的变更")).to_be_visible(timeout=TIMEOUT)

    # and filter the log by the customer, picked by its name in the list of kinds
    page.get_by_role("tab", name="审计日志").click()
    page.select_option("#audit-entity", label="客户")
    page.fill("#audit-entity-id", str(customer_id))
    # a date that is no date is refused in the user's words, whatever the browser's language
    page.fill("#audit-date-from", "2026-13-01")
    page.click("#audit-apply")
    message = page.locator("#audit-date-from").evaluate("e => e.validationMessage")
    assert message == translate("date.format_error", "zh_CN")
    page.fill("#audit-date-from", "")
    page.click("#audit-apply")
    # then the credit change shows old → new, made by finance, the action in words
    row = page.locator("#audit-table tr", has_text="credit_limit: 0.00 → 5000.00")
    expect(row).to_have_count(1, timeout=TIMEOUT)
    expect(row).to_contain_text("fin-audit")
    expect(row).to_contain_text("修改客户")
    expect(row).not_to_contain_text("customer.updated")
    expect(page.locator("#audit-total")).to_contain_text("2")  # created by admin, the credit
    row.get_by_role("button", name="详情").click()
    expect(page.locator("#audit-detail-changes")).to_contain_text("5000.00", timeout=TIMEOUT)

    # sales may not open the page: it sends them home
    sales = browser.new_context().new_page()
    sales.set_default_timeout(TIMEOUT)
    log_in(sales, oms_app_url, "sales")
    sales.goto(f"{oms_app_url}/admin/audit")
    sales.wait_for_url(lambda url: "/admin/audit" not in url, timeout=TIMEOUT)
    expect(sales.locator("#audit-table")).to_have_count(0)

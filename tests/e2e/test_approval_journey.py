"""An order travels: the rep submits, the manager sees it arrive live and approves, the rep's
open order page follows without reload."""

from __future__ import annotations

from playwright.sync_api import expect

from oms_app.core.db import UnitOfWork
from oms_app.orders import service as order_service
from oms_app.orders.rules import LineInput, OrderInput
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.accounts import actor_of, fresh_totp_code


def test_a_submitted_order_appears_on_the_board_and_its_approval_reaches_the_reps_page(
    browser, oms_app_url, people, live_worker
):
    manager = browser.new_context().new_page()
    log_in(manager, oms_app_url, "sales-manager")
    manager.locator("#nav--approvals").click(timeout=TIMEOUT)
    expect(manager.locator("#approval-queue")).to_be_visible(timeout=TIMEOUT)
    manager.wait_for_timeout(1500)  # the board has linked to the shared queue

    rep = actor_of(UnitOfWork(), people["sales"])
    number = order_service.create_order(
        UnitOfWork(),
        actor=rep,
        submit=True,
        cmd=OrderInput(
            customer_code="C00001", lines=[LineInput("OFF-0001", 20), LineInput("OFF-0002", 5)]
        ),
    )

    card = manager.locator(".approval-card", has_text=number)
    expect(card).to_be_visible(timeout=15_000)  # no reload: pushed over the websocket

    rep_page = browser.new_context().new_page()
    log_in(rep_page, oms_app_url, "sales")
    rep_page.goto(f"{oms_app_url}/orders/{number}")
    expect(rep_page.locator("#order-number")).to_have_text(number, timeout=TIMEOUT)
    expect(rep_page.locator("#timeline")).to_contain_text("待审核", timeout=TIMEOUT)
    rep_page.wait_for_timeout(1500)

    card.locator(".queue-number").click()  # the order page, for the comment and history
    expect(manager.locator("#approve")).to_be_visible(timeout=TIMEOUT)
    manager.fill("#decision-comment", "客户长期合作，同意")
    manager.click("#approve")
    expect(manager.locator("#timeline")).to_contain_text("已审核", timeout=TIMEOUT)

    expect(rep_page.locator("#timeline")).to_contain_text("已审核", timeout=15_000)
    expect(rep_page.locator("#timeline")).to_contain_text("客户长期合作，同意")


def test_a_rejection_without_a_reason_is_refused_on_the_page(
    browser, oms_app_url, people, live_worker
):
    rep = actor_of(UnitOfWork(), people["sales"])
    number = order_service.create_order(
        UnitOfWork(),
        actor=rep,
        submit=True,
        cmd=OrderInput(customer_code="C00001", lines=[LineInput("OFF-0002", 3)]),
    )
    manager = browser.new_context().new_page()
    log_in(manager, oms_app_url, "sales-manager")
    expect(manager.locator("#nav--approvals")).to_be_visible(timeout=TIMEOUT)
    manager.goto(f"{oms_app_url}/orders/{number}")
    manager.click("#reject", timeout=TIMEOUT)
    expect(manager.locator("#decision-error")).to_contain_text(
        "驳回时必须填写原因", timeout=TIMEOUT
    )
    manager.fill("#decision-comment", "数量有误")
    manager.click("#reject")
    expect(manager.locator("#timeline")).to_contain_text("数量有误", timeout=TIMEOUT)


def test_an_admin_adds_a_rule_to_the_approval_policy(page, oms_app_url, people):

    from tests.e2e.conftest import ADMIN_TOTP_SECRET

    log_in(page, oms_app_url, "admin", code=fresh_totp_code(ADMIN_TOTP_SECRET))
    page.locator("#nav--approvals-policy").click(timeout=TIMEOUT)
    expect(page.locator("#policy-table")).to_contain_text("每单：销售经理", timeout=TIMEOUT)
    page.click("#add-rule")
    expect(page.locator("#policy-error")).to_be_visible(timeout=TIMEOUT)
    page.fill("#rule-name", "华南大客户 ≥ ¥20,000")
    page.fill("input[name=min_amount]", "20000")
    page.fill("input[name=sla_hours]", "12")
    page.get_by_role("checkbox", name="财务", exact=True).click()
    page.click("#add-rule")
    expect(page.locator("#policy-table")).to_contain_text("华南大客户", timeout=TIMEOUT)
    row = page.locator(".policy-row", has_text="华南大客户")
    row.locator(".edit-rule").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("input[name=min_amount]")).to_have_value("20000", timeout=TIMEOUT)
    dialog.locator("input[name=min_amount]").fill("30000")
    dialog.locator(".save-rule").click()
    expect(row).to_contain_text("30000", timeout=TIMEOUT)


def test_finance_approves_a_large_order_with_its_authenticator_code(browser, oms_app_url, people):
    import pyotp

    from tests.factories.accounts import enable_totp, make_user

    secret = pyotp.random_base32()
    finance_id = make_user(
        UnitOfWork(), username="cfo", roles=["finance"], password="chief-money-2026"
    )
    enable_totp(UnitOfWork(), finance_id, secret)
    rep = actor_of(UnitOfWork(), people["sales"])
    number = order_service.create_order(
        UnitOfWork(),
        actor=rep,
        submit=True,
        cmd=OrderInput(customer_code="C00001", lines=[LineInput("OFF-0002", 3200)]),
    )  # ¥104,000 + VAT
    from tests.e2e.conftest import ADMIN_TOTP_SECRET

    admin = actor_of(UnitOfWork(), people["admin"])  # stands in for the manager's level
    order_service.approve_order(
        UnitOfWork(),
        actor=admin,
        number=number,
        comment="经理休假，代为审批",  # a stand-in gives a reason (four eyes)
        totp_code=fresh_totp_code(ADMIN_TOTP_SECRET),
    )

    page = browser.new_context().new_page()
    log_in(page, oms_app_url, "cfo", password="chief-money-2026", code=fresh_totp_code(secret))
    page.goto(f"{oms_app_url}/orders/{number}")
    levels = page.locator("#approval-levels")
    expect(levels).to_contain_text("财务", timeout=TIMEOUT)
    page.fill("#decision-totp", "000000")
    page.click("#approve")
    expect(page.locator("#decision-error")).to_contain_text("验证码不正确", timeout=TIMEOUT)
    page.fill("#decision-totp", fresh_totp_code(secret))
    page.click("#approve")
    expect(page.locator(".approval-level", has_text="财务")).to_contain_text(
        "已通过", timeout=TIMEOUT
    )

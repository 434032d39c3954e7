"""Journeys a person makes in the browser: log in per role, lock-out, language, live bell."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ADMIN_TOTP_SECRET, PASSWORD
from tests.factories.accounts import fresh_totp_code

TIMEOUT = 60_000  # generous: the first page compiles on demand in the dev harness

# What each role's sidebar must show and must not show (ids are "nav-" + route with / -> -).
MENUS = {
    "sales": (
        {"--", "--orders", "--customers", "--products", "--stock"},
        {"--admin-users", "--portal"},
    ),
    "sales_manager": (
        {"--", "--orders", "--customers", "--products", "--stock"},
        {"--admin-users", "--portal"},
    ),
    "warehouse": ({"--orders", "--products", "--stock"}, {"--customers", "--admin-users"}),
    "executive": ({"--orders", "--customers", "--stock"}, {"--admin-users", "--portal"}),
    "finance": (set(), set()),  # checked separately: must enrol two-factor first
    "customer": ({"--portal", "--account"}, {"--orders", "--customers", "--admin-users"}),
}


def log_in(
    page: Page,
    base: str,
    username: str,
    password: str = PASSWORD,
    code: str | None = None,
    succeeds: bool = True,
) -> None:
    """Sign in through the form; when it should succeed, wait until the log-in page is left."""
    page.goto(f"{base}/login", timeout=TIMEOUT)
    expect(page.locator("#username")).to_be_visible(timeout=TIMEOUT)
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    if code is not None:
        expect(page.locator("#totp-code")).to_be_visible(timeout=TIMEOUT)
        page.fill("#username", username)
        page.fill("#password", password)
        page.fill("#totp-code", code)
        page.click("#login-submit")
    if succeeds:  # through the backend, which sets the session cookie, back to a page
        page.wait_for_url(
            lambda url: url.startswith(base + "/") and "/login" not in url, timeout=TIMEOUT
        )


@pytest.mark.parametrize("role", ["sales", "sales_manager", "warehouse", "executive", "customer"])
def test_each_role_sees_only_its_own_menu(page: Page, oms_app_url, role):
    log_in(page, oms_app_url, role.replace("_", "-"))
    shown, hidden = MENUS[role]
    for suffix in shown:
        expect(page.locator(f"#nav{suffix}")).to_be_visible(timeout=TIMEOUT)
    for suffix in hidden:
        expect(page.locator(f"#nav{suffix}")).to_have_count(0)


def test_after_signing_in_no_script_can_read_the_session_and_log_out_ends_it(
    page: Page, oms_app_url
):
    log_in(page, oms_app_url, "sales")
    expect(page.locator("#nav--orders")).to_be_visible(timeout=TIMEOUT)
    # the session cookie is there for the server, but not for any script on the page
    assert "oms_session" not in page.evaluate("document.cookie")
    session = [c for c in page.context.cookies() if c["name"] == "oms_session"]
    assert len(session) == 1 and session[0]["httpOnly"] and session[0]["sameSite"] == "Strict"
    page.reload()  # a new socket: still signed in, from the cookie alone
    expect(page.locator("#nav--orders")).to_be_visible(timeout=TIMEOUT)

    page.click("#user-menu")
    expect(page.get_by_role("menu")).to_contain_text("销售")  # signed in as which role
    page.click("#log-out")
    page.wait_for_url(f"{oms_app_url}/login", timeout=TIMEOUT)
    assert not [c for c in page.context.cookies() if c["name"] == "oms_session"]
    page.goto(f"{oms_app_url}/orders")
    expect(page).to_have_url(f"{oms_app_url}/login", timeout=TIMEOUT)


def test_a_customer_who_opens_staff_pages_is_sent_back_to_the_portal_with_a_message(
    page: Page, oms_app_url
):
    log_in(page, oms_app_url, "customer")
    expect(page.locator("#nav--portal")).to_be_visible(timeout=TIMEOUT)
    for path in ("/orders", "/orders/new", "/dashboard", "/warehouse/board", "/finance"):
        page.goto(f"{oms_app_url}{path}")
        # then they land on the portal, told why, and never see a developer's error
        expect(page).to_have_url(f"{oms_app_url}/portal", timeout=TIMEOUT)
        expect(page.get_by_text("你的角色不能打开该页面").first).to_be_visible(timeout=TIMEOUT)
        expect(page.get_by_text("An error occurred")).to_have_count(0)
        expect(page.get_by_text("PermissionDenied")).to_have_count(0)


def test_finance_must_enrol_two_factor_before_anything_else(page: Page, oms_app_url):
    log_in(page, oms_app_url, "finance")
    expect(page.locator("#totp-qr")).to_be_visible(timeout=TIMEOUT)
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#totp-confirm-code", fresh_totp_code(secret))
    page.click("#totp-confirm")
    # ten recovery codes, shown this once, until the user says they are saved
    expect(page.locator("#recovery-codes .recovery-code")).to_have_count(10, timeout=TIMEOUT)
    expect(page.get_by_text("恢复码只显示这一次", exact=False)).to_be_visible()
    page.click("#recovery-codes-saved")
    expect(page.locator("#nav--orders")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#nav--admin-users")).to_have_count(0)


def test_an_admin_logs_in_with_a_code_and_creates_a_user(page: Page, oms_app_url):
    log_in(page, oms_app_url, "admin", code=fresh_totp_code(ADMIN_TOTP_SECRET))
    page.locator("#nav--admin-users").click(timeout=TIMEOUT)
    expect(page.locator("#users-table")).to_contain_text("sales-manager", timeout=TIMEOUT)
    page.fill("#new-username", "x")
    page.fill("#new-display-name", "Bad Name")
    page.fill("#new-password", "valid-pass-1")
    page.click("#create-user")
    expect(page.locator("#new-user-error")).to_contain_text("用户名", timeout=TIMEOUT)
    page.fill("#new-username", "zhaolei")
    page.get_by_role("checkbox", name="销售", exact=True).click()
    page.click("#create-user")
    row = page.locator("#users-table tr", has_text="zhaolei")
    roles = row.locator(".rt-Badge")  # by their names, in the reader's language
    expect(roles).to_have_text(["销售"], timeout=TIMEOUT)
    row.get_by_role("button", name="角色").click()
    page.get_by_role("dialog").get_by_role("checkbox", name="仓库", exact=True).click()
    page.click("#save-roles")
    expect(roles).to_have_text(["销售", "仓库"], timeout=TIMEOUT)


def test_wrong_passwords_hold_the_account_back_with_one_message_for_every_failure(
    page: Page, oms_app_url
):
    # an unknown name reads exactly like a wrong password
    log_in(page, oms_app_url, "nobody-here", password="not-my-password-9", succeeds=False)
    expect(page.locator("#login-error")).to_have_text("用户名或密码错误", timeout=TIMEOUT)
    seen = []
    for _ in range(12):  # the 5th failure starts a doubling wait; stop once it is shown
        log_in(page, oms_app_url, "unlucky", password="not-my-password-9", succeeds=False)
        error = page.locator("#login-error")
        expect(error).to_be_visible(timeout=TIMEOUT)
        seen.append(error.inner_text())
        if "尝试次数过多" in seen[-1]:
            break
    assert seen[:4] == ["用户名或密码错误"] * 4
    assert "尝试次数过多" in seen[-1] and "秒后再试" in seen[-1]


def test_the_language_switch_shows_english_and_is_kept_for_the_user(page: Page, oms_app_url):
    log_in(page, oms_app_url, "executive")
    expect(page.locator("#nav--orders")).to_contain_text("订单", timeout=TIMEOUT)
    page.click("#language-switch")
    page.get_by_role("option", name="English").click()
    expect(page.locator("#nav--orders")).to_contain_text("Orders", timeout=TIMEOUT)
    page.reload()
    expect(page.locator("#nav--orders")).to_contain_text("Orders", timeout=TIMEOUT)
    page.click("#language-switch")
    page.get_by_role("option", name="中文").click()
    expect(page.locator("#nav--orders")).to_contain_text("订单", timeout=TIMEOUT)


def test_a_notification_from_a_task_appears_live_in_two_browsers(browser, oms_app_url, live_worker):
    from tasks.notifications import notify_role

    pages = []
    for username in ("warehouse", "warehouse-2"):
        context = browser.new_context()
        page = context.new_page()
        log_in(page, oms_app_url, username)
        expect(page.locator("#bell")).to_be_visible(timeout=TIMEOUT)
        pages.append(page)
    for page in pages:  # open the bells: their lists update in place
        page.click("#bell")
    pages[0].wait_for_timeout(1500)  # both tabs have linked their bells

    notify_role.delay("warehouse", "波次 W-42 已释放", "8 张订单待拣货").get(timeout=30)

    for page in pages:  # no reload: the notification arrives over the websocket
        expect(page.locator("#bell-items")).to_contain_text("波次 W-42 已释放", timeout=15_000)
        expect(page.locator("#bell-count")).to_be_visible()

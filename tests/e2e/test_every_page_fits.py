"""Every page of every role's sidebar fits the window at 1280, 1440 and 1920 px and on a 10-inch
tablet held upright (800 px), and reads as text: no "{placeholder}", no raw translation key.
One log-in per role; the roles alternate between Chinese and English so both are seen."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page

from oms_app.accounts.models import User
from oms_app.core.db import UnitOfWork
from tests.e2e.conftest import ADMIN_TOTP_SECRET, PASSWORD
from tests.e2e.page_findings import unreadable_text
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.accounts import enable_totp, fresh_totp_code, make_user

SIZES = [(1280, 800), (1440, 900), (1920, 1080), (800, 1280)]
# Who reads which language; the administrator sees nearly every page, in Chinese, and the
# roles whose pages together cover the rest read English.
LANGUAGE = {
    "sales": "zh_CN",
    "sales_manager": "en",
    "finance": "en",
    "warehouse": "en",
    "executive": "zh_CN",
    "admin": "zh_CN",
    "customer": "en",
}
FINANCE_TOTP_SECRET = "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF"
PAGE_WIDTH = "[document.documentElement.scrollWidth, window.innerWidth]"
# (route, language) pairs already checked by an earlier role in this run: a page is laid out
# the same for every role that may open it, so each is opened once per language.
CHECKED: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def readers(people) -> dict[str, int]:
    """The user of each role; finance's has a second factor of its own (finance must have one
    before any page opens), so the shared finance user stays unenrolled for the enrolment
    journey."""
    finance = make_user(UnitOfWork(), username="finance-fit", roles=["finance"], password=PASSWORD)
    enable_totp(UnitOfWork(), finance, FINANCE_TOTP_SECRET)
    return {**people, "finance": finance}


@pytest.fixture
def reads(readers):
    """The user of a role reads the given language for this test (the choice kept on the user,
    as the language menu keeps it); their earlier choice comes back afterwards."""
    uow = UnitOfWork()
    changed: list[tuple[int, str]] = []

    def set_language(role: str, locale: str) -> None:
        with uow:
            user = uow.session.get(User, readers[role])
            changed.append((user.id, user.locale))
            uow.session.execute(sa.update(User).where(User.id == user.id).values(locale=locale))
            uow.commit()

    yield set_language
    with uow:
        for user_id, locale in changed:
            uow.session.execute(sa.update(User).where(User.id == user_id).values(locale=locale))
        uow.commit()


def sign_in(page: Page, base: str, role: str) -> None:
    if role == "admin":
        log_in(page, base, "admin", code=fresh_totp_code(ADMIN_TOTP_SECRET))
    elif role == "finance":
        log_in(page, base, "finance-fit", code=fresh_totp_code(FINANCE_TOTP_SECRET))
    else:
        log_in(page, base, role.replace("_", "-"))


def sidebar_routes(page: Page, base: str) -> list[str]:
    """The sidebar's pages, read once the access check passed (the menu is then whole)."""
    page.goto(f"{base}/account")
    page.locator("#page-title").wait_for()
    wait_until_loaded(page)
    return [a.get_attribute("href") for a in page.locator("#sidebar a").all()]


def wait_until_loaded(page: Page) -> None:
    page.wait_for_function("!document.querySelector('.rt-Spinner')")
    page.wait_for_timeout(300)


@pytest.mark.parametrize("role", list(LANGUAGE))
def test_each_sidebar_page_fits_every_window_and_reads_as_text(
    page: Page, oms_app_url, reads, role
):
    # given the role's user, reading their language, signed in
    lang = LANGUAGE[role]
    reads(role, lang)
    page.set_default_timeout(TIMEOUT)  # the dev harness compiles each page on first visit
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, oms_app_url, role)
    routes = sidebar_routes(page, oms_app_url)
    assert len(routes) >= 2

    # when each page is opened and the window resized around it
    faults: list[str] = []
    for route in [r for r in routes if (r, lang) not in CHECKED]:
        CHECKED.add((route, lang))
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(oms_app_url + route)
        page.locator("#page-title").wait_for()
        wait_until_loaded(page)
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(150)
            wide, window = page.evaluate(PAGE_WIDTH)
            if wide > window:
                faults.append(f"{route} at {width} px: the page is {wide} px wide")
        faults += [f"{route}: {f}" for f in unreadable_text(page)]

    # then no page is wider than the window, and none shows a placeholder or a raw key
    assert faults == []

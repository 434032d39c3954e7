"""The production server of `make run` (one port) under its content security policy: signing in,
a chart page and log-out work with nothing refused, and no script sees the session cookie."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import PASSWORD
from tests.security.served_app import served_app

TIMEOUT = 60_000


@pytest.fixture(scope="module")
def production_url(people):
    with served_app(own_data=False) as url:  # it signs in as the run's people
        yield url


def test_signing_in_on_the_production_server_breaks_no_rule_of_the_policy(
    browser: Browser, production_url
):
    page = browser.new_context().new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{production_url}/login", timeout=TIMEOUT)
    page.fill("#username", "executive")
    page.fill("#password", PASSWORD)
    expect(page.locator("#login-submit")).to_be_enabled(timeout=TIMEOUT)
    page.click("#login-submit")
    page.wait_for_url(f"{production_url}/", timeout=TIMEOUT)
    assert "oms_session" not in page.evaluate("document.cookie")
    page.goto(f"{production_url}/dashboard", timeout=TIMEOUT)
    expect(page.locator("#chart-trend .js-plotly-plot")).to_be_visible(timeout=TIMEOUT)

    page.click("#user-menu")
    page.click("#log-out")
    # production serves /login/ (its trailing slash added by a redirect)
    page.wait_for_url(lambda url: url.rstrip("/") == f"{production_url}/login", timeout=TIMEOUT)
    expect(page.locator("#username")).to_be_visible(timeout=TIMEOUT)
    assert refused == []

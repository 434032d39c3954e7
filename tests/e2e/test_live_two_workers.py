"""Live updates when the backend runs as two workers sharing Redis state."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.security.served_app import served_app


@pytest.fixture(scope="module")
def scaled_out_url(people):
    # the production server of `make run`, on the build the other production tests use
    with served_app(own_data=False, workers=2) as url:
        yield url


def test_a_task_notification_reaches_tabs_served_by_either_of_two_backend_workers(
    browser, scaled_out_url, live_worker
):
    from tasks.notifications import notify_role

    pages = []
    for username in ("warehouse", "warehouse-2", "warehouse", "warehouse-2"):
        page = browser.new_context().new_page()
        log_in(page, scaled_out_url, username)
        expect(page.locator("#bell")).to_be_visible(timeout=TIMEOUT)
        pages.append(page)
    for page in pages:  # open the bells: their lists update in place
        page.click("#bell")
    pages[0].wait_for_timeout(1500)

    notify_role.delay("warehouse", "补货提醒 SKU OFF-0001", "库存低于安全库存").get(timeout=30)

    for page in pages:  # no reload: pushed through whichever worker serves the tab
        expect(page.locator("#bell-items")).to_contain_text("补货提醒 SKU OFF-0001", timeout=15_000)

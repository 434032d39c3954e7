"""The report centre in the browser: an executive asks for a report, watches its progress bar
fill and downloads the PDF."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.test_journeys import TIMEOUT, log_in


def test_an_executive_watches_a_report_being_made_and_downloads_it(
    browser, oms_app_url, people, live_worker
):
    from reflex.config import get_config

    # given the executive on the report centre
    page = browser.new_context().new_page()
    log_in(page, oms_app_url, "executive")
    page.goto(f"{oms_app_url}/reports")
    expect(page.locator("#report-generate")).to_be_visible(timeout=TIMEOUT)

    # when they ask for the daily operations report with the default period
    page.click("#report-generate")

    # then a row with a progress bar appears and fills up, and the download links come
    run = page.locator(".report-active").first
    expect(run).to_be_visible(timeout=TIMEOUT)
    expect(run.locator(".report-bar")).to_be_visible()
    expect(run.locator(".report-pct")).to_have_text("100%", timeout=TIMEOUT)
    link = run.locator("a.report-pdf")
    expect(link).to_be_visible(timeout=TIMEOUT)
    expect(run.locator("a.report-xlsx")).to_be_visible()
    expect(page.locator("#report-history")).to_contain_text("每日运营报表", timeout=TIMEOUT)

    # and the PDF downloads with the browser's session cookie. The link is the backend's own
    # address (under `make dev` the frontend has another port; a cookie ignores ports).
    href = link.get_attribute("href")
    assert href and href.startswith(get_config().api_url.rstrip("/") + "/api/v1/reports/")
    assert href.endswith("/file.pdf")
    answer = page.context.request.get(href)
    assert answer.status == 200 and answer.body()[:4] == b"%PDF"

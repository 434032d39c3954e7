"""Warehouse screens as a user sees them at 1440×900 in Chinese: the page never widens, the
sidebar keeps its width with its title on one line, no raw "{placeholder}" shows, and a wave
nobody has started shows an empty progress bar (no console errors about either)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from oms_app.core.db import UnitOfWork
from oms_app.fulfillment import waves
from oms_app.orders.rules import LineInput
from tests.e2e.ordering import place_approved_order
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.accounts import actor_of

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
CONSOLE_FAULTS = ("Invalid prop", "No element found for ref")

LAYOUT = """() => {
  const side = document.getElementById('sidebar').getBoundingClientRect();
  const title = document.getElementById('sidebar-title');
  return {
    page: document.documentElement.scrollWidth,
    view: window.innerWidth,
    sidebar: side.width,
    titleHeight: title.getBoundingClientRect().height,
    lineHeight: parseFloat(getComputedStyle(title).lineHeight),
  };
}"""


def shows_no_placeholder(page: Page) -> None:
    assert PLACEHOLDER.findall(page.locator("body").inner_text()) == []


def test_the_warehouse_screens_fit_the_window_and_read_as_plain_text(
    page: Page, oms_app_url, people
):
    # given a wave of one approved order that nobody has started picking
    uow = UnitOfWork()
    place_approved_order(people, "C00001", [LineInput("OFF-0001", 4)])
    (wave,) = waves.create_waves(uow, actor=actor_of(uow, people["warehouse"]), warehouse_code="SH")
    faults: list[str] = []
    page.on("console", lambda m: faults.append(m.text) if m.text.startswith(CONSOLE_FAULTS) else 0)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.set_default_timeout(TIMEOUT)  # the dev harness compiles each page on first visit
    log_in(page, oms_app_url, "warehouse")

    # the board: all columns inside the window, the sidebar 210 px wide, its title on one line
    page.goto(f"{oms_app_url}/warehouse/board")
    expect(page.locator("#board-col-to_pick")).to_be_visible(timeout=TIMEOUT)
    shown = page.evaluate(LAYOUT)
    assert shown["page"] <= shown["view"]
    assert shown["sidebar"] == 210
    assert shown["titleHeight"] < 1.5 * shown["lineHeight"]
    shows_no_placeholder(page)

    # picking: the lines' header is a label, not a message template
    page.goto(f"{oms_app_url}/warehouse/picking?wave={wave}")
    expect(page.locator("#pick-lines .pick-line").first).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#pick-lines thead")).to_contain_text("已拣 / 应拣")
    shows_no_placeholder(page)

    # waves: "0 / n" beside an empty bar, not a full (indeterminate) one
    page.goto(f"{oms_app_url}/warehouse/waves")
    row = page.locator(".wave-row", has_text=wave)
    expect(row).to_contain_text("0 / ", timeout=TIMEOUT)
    bar = row.locator(".wave-bar")
    expect(bar).to_have_attribute("data-state", "loading")
    expect(bar).to_have_attribute("data-value", "0")
    shows_no_placeholder(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert faults == []

"""A wall board whose socket dropped says it is reconnecting, keeps the clicks made meanwhile,
and once back shows what changed while it was away, even a change whose event it never got.

The socket is dropped for real: the page's event socket is closed, and until the "network" is
back every new one is refused (it is sent to a closed loopback port).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from oms_app.core.config import reset_settings_cache
from oms_app.core.db import UnitOfWork
from oms_app.core.redis_client import get_redis
from oms_app.orders.rules import LineInput
from tests.browser_console import ConsoleErrors
from tests.e2e.conftest import PASSWORD
from tests.e2e.ordering import place_approved_order
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.accounts import make_user
from tests.factories.orders import make_customer
from tests.factories.sales import add_default_address
from tests.factories.warehouse import shipments_of
from tests.outage_infra import closed_port

SHOTS = Path(os.environ.get("OMS_TEST_SHOTS", Path(tempfile.gettempdir()) / "oms-shots"))


# Wraps the page's WebSocket before any of its scripts run: the event socket can be cut, and while
# the network is "down" a new one goes to a closed loopback port, so it fails the way a lost
# server does (connection refused), not by a timeout.
NETWORK_SCRIPT = """(() => {
  const Real = window.WebSocket;
  const events = new Set();
  const network = { up: true, deadUrl: "" };
  network.drop = (deadUrl) => {
    network.up = false;
    network.deadUrl = deadUrl;
    for (const socket of events) socket.close();
  };
  network.restore = () => { network.up = true; };
  function Routed(url, protocols) {
    const isEvents = String(url).includes("/_event/");
    const socket = new Real(isEvents && !network.up ? network.deadUrl : url, protocols);
    if (isEvents) {
      events.add(socket);
      socket.addEventListener("close", () => events.delete(socket));
    }
    return socket;
  }
  Routed.prototype = Real.prototype;
  Object.assign(Routed, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Routed;
  window.__omsNetwork = network;
})()"""


class Network:
    """The page's event socket, which the test can cut and keep from coming back."""

    def __init__(self, page: Page, console_errors: ConsoleErrors):
        self.page = page
        self.console_errors = console_errors
        page.add_init_script(NETWORK_SCRIPT)

    def drop(self) -> None:
        dead = f"ws://127.0.0.1:{closed_port()}/_event/"
        # the browser logs each refused attempt: that is the outage itself, not a fault
        self.console_errors.expect(f"^WebSocket connection to '{re.escape(dead)}' failed")
        self.page.evaluate("(url) => window.__omsNetwork.drop(url)", dead)

    def restore(self) -> None:
        self.page.evaluate("() => window.__omsNetwork.restore()")


@contextlib.contextmanager
def events_lost():
    """Events published meanwhile go to a stream no consumer reads: the board never gets them."""
    lost = f"oms:events:lost-{uuid.uuid4().hex[:8]}"
    os.environ["OMS_EVENT_STREAM"] = lost
    reset_settings_cache()
    try:
        yield
    finally:
        del os.environ["OMS_EVENT_STREAM"]
        reset_settings_cache()
        get_redis().delete(lost)


def choose_english(page: Page) -> None:
    page.click("#language-switch")
    page.get_by_role("option", name="English").click()


def test_a_board_that_missed_an_event_catches_up_when_its_socket_reconnects(
    browser, oms_app_url, people, console_errors
):
    # given a wall board signed in as a user of its own (its language is switched below)
    uow = UnitOfWork()
    make_user(uow, username="wall-board", roles=["warehouse"], password=PASSWORD)
    add_default_address(uow, make_customer(uow, code="C00088", name="华北文具有限公司"))
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    network = Network(page, console_errors)
    page.goto(f"{oms_app_url}/login", timeout=TIMEOUT)  # the dev server builds pages on demand
    log_in(page, oms_app_url, "wall-board")
    page.goto(f"{oms_app_url}/warehouse/board")
    to_pick = page.locator("#board-col-to_pick")
    expect(to_pick).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(1500)  # linked to the shared board
    banner = page.locator("#connection-banner")
    expect(banner).to_be_hidden()

    # when its socket drops, the page says it is reconnecting
    network.drop()
    expect(banner).to_be_visible(timeout=15_000)
    expect(banner).to_contain_text("正在重新连接…")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "reconnecting-zh_CN.png")
    # a click meanwhile is kept, and an order is approved whose event the board never gets
    choose_english(page)
    with events_lost():
        number = place_approved_order(people, "C00088", [LineInput("OFF-0001", 4)])
    (shipment,) = shipments_of(uow, number)

    # then once the socket is back the banner goes, the click is applied, and the board shows
    # the new card without a reload
    back = time.monotonic()
    network.restore()
    expect(banner).to_be_hidden(timeout=15_000)
    expect(to_pick.locator(f"#card-{shipment.number}")).to_be_visible(timeout=15_000)
    print(f"\nthe board showed the missed card {time.monotonic() - back:.2f} s after the network")
    expect(page.locator("#page-title")).to_have_text("Picking board", timeout=15_000)

    # and the banner speaks the user's language
    network.drop()
    expect(banner).to_contain_text("Reconnecting…", timeout=15_000)
    page.screenshot(path=SHOTS / "reconnecting-en.png")
    network.restore()
    expect(banner).to_be_hidden(timeout=15_000)
    print(f"screenshots of the banner in {SHOTS}")

"""The warehouse floor in the browser: an approval anywhere puts a card on every open picking
board; a wrong scan is refused, the right one accepted; packing and shipping move the card."""

from __future__ import annotations

from playwright.sync_api import expect

from oms_app.core.db import UnitOfWork
from oms_app.fulfillment import waves
from oms_app.orders.rules import LineInput
from tests.e2e.ordering import place_approved_order
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.accounts import actor_of
from tests.factories.orders import make_customer
from tests.factories.sales import add_default_address
from tests.factories.warehouse import shipments_of


def test_an_approved_order_appears_on_the_board_and_moves_as_it_is_picked_packed_and_shipped(
    browser, oms_app_url, people, live_worker
):
    # given a wall board open in one browser
    board = browser.new_context().new_page()
    log_in(board, oms_app_url, "warehouse")
    board.goto(f"{oms_app_url}/warehouse/board")
    expect(board.locator("#board-col-to_pick")).to_be_visible(timeout=TIMEOUT)
    board.wait_for_timeout(1500)  # linked to the shared board

    # when a manager approves an order elsewhere
    uow = UnitOfWork()
    # a customer of its own: no history or earlier orders that would add approval levels
    add_default_address(uow, make_customer(uow, code="C00077", name="华南五金有限公司"))
    number = place_approved_order(people, "C00077", [LineInput("OFF-0001", 4)])
    (shipment,) = shipments_of(uow, number)

    # then its card appears in "to pick" without a reload
    card = board.locator(f"#card-{shipment.number}")
    expect(board.locator("#board-col-to_pick").locator(f"#card-{shipment.number}")).to_be_visible(
        timeout=15_000
    )

    # a picker scans a wrong item (refused) and then the right one (accepted)
    worker = actor_of(uow, people["warehouse"])
    (wave,) = waves.create_waves(uow, actor=worker, warehouse_code="SH")
    picker = browser.new_context().new_page()
    log_in(picker, oms_app_url, "warehouse-2")
    picker.goto(f"{oms_app_url}/warehouse/picking?wave={wave}")
    scan = picker.locator("#scan-input")
    expect(scan).to_be_visible(timeout=TIMEOUT)
    # the wave may hold earlier orders too: the picker follows the screen, line by line
    expect(picker.locator("#pick-bin")).not_to_be_empty(timeout=TIMEOUT)
    scan.fill(picker.locator("#pick-bin").inner_text().strip())
    scan.press("Enter")
    wrong = (
        "6920000000025" if picker.locator("#pick-sku").inner_text() == "OFF-0001" else "OFF-0001"
    )
    scan.fill(wrong)
    scan.press("Enter")
    expect(picker.locator("#scan-error")).to_be_visible(timeout=TIMEOUT)
    progress = picker.locator("#pick-progress")
    while not picker.locator("#pick-wave-done").is_visible():
        before = progress.inner_text()
        scan.fill(picker.locator("#pick-bin").inner_text().strip())
        scan.press("Enter")
        scan.fill(picker.locator("#pick-sku").inner_text().strip())
        scan.press("Enter")
        expect(progress).not_to_have_text(before, timeout=TIMEOUT)  # the server took it
        picker.wait_for_timeout(300)
    expect(board.locator("#board-col-picked").locator(f"#card-{shipment.number}")).to_be_visible(
        timeout=15_000
    )

    # packing and shipping at the packing table
    packer = picker
    packer.goto(f"{oms_app_url}/warehouse/packing")
    box = packer.locator("#pack-shipment-input")
    expect(box).to_be_visible(timeout=TIMEOUT)
    box.fill(shipment.number)
    box.press("Enter")
    expect(packer.locator("#pack-number")).to_have_text(shipment.number, timeout=TIMEOUT)
    item = packer.locator("#pack-scan-input")
    packed = packer.locator("#pack-lines .pack-line").first.locator("strong")  # packed of 4
    for count in range(1, 5):
        # each scan waits for the packer's screen to count it: the scanner does not outrun it
        item.fill("6920000000018")
        item.press("Enter")
        expect(packed).to_have_text(str(count), timeout=TIMEOUT)
    expect(board.locator("#board-col-packing").locator(f"#card-{shipment.number}")).to_be_visible(
        timeout=15_000
    )
    packer.fill("#parcel-weight", "1200")
    packer.fill("#parcel-length", "30")
    packer.fill("#parcel-width", "20")
    packer.fill("#parcel-height", "10")
    packer.click("#close-parcel")
    expect(packer.locator("#pack-parcels .pack-parcel")).to_contain_text("已封箱", timeout=TIMEOUT)
    packer.click("#finish-packing", timeout=TIMEOUT)
    expect(packer.locator("#ship-button")).to_be_visible(timeout=TIMEOUT)
    expect(board.locator("#board-col-ready").locator(f"#card-{shipment.number}")).to_be_visible(
        timeout=15_000
    )
    packer.click("#ship-button", timeout=TIMEOUT)
    expect(packer.locator("#tracking-no")).not_to_be_empty(timeout=TIMEOUT)
    expect(
        board.locator("#board-col-shipped_today").locator(f"#card-{shipment.number}")
    ).to_be_visible(timeout=15_000)
    expect(card).to_have_count(1)  # one card, moved, never duplicated

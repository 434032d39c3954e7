"""A rep enters an order from the keyboard, sees a field error as they type, fixes it, submits."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.test_journeys import TIMEOUT, log_in


def test_a_rep_enters_an_order_fixes_a_quantity_and_submits_it(page, oms_app_url, people):
    log_in(page, oms_app_url, "sales")
    page.locator("#nav--orders-new").click(timeout=TIMEOUT)
    page.fill("#customer-search", "华东")
    page.locator(".customer-option", has_text="C00001").click(timeout=TIMEOUT)
    expect(page.locator("#picked-customer")).to_contain_text("C00001", timeout=TIMEOUT)
    expect(page.locator("#address-receiver")).to_have_value("王芳", timeout=TIMEOUT)

    page.fill("#sku-input", "6920000000018")  # a scanner types the barcode and presses Enter
    page.press("#sku-input", "Enter")
    line = page.locator(".entry-line", has_text="OFF-0001")
    expect(line).to_be_visible(timeout=TIMEOUT)
    line.locator(".qty input").fill("3")
    expect(line.locator(".field-error")).to_contain_text("包装数 2", timeout=TIMEOUT)

    line.locator(".qty input").fill("40")
    expect(line.locator(".field-error")).to_have_count(0, timeout=TIMEOUT)
    expect(page.locator("#entry-totals")).to_contain_text("¥1,084.80", timeout=TIMEOUT)

    expect(page.locator("#draft-number")).to_contain_text("SO-", timeout=TIMEOUT)
    draft = page.locator("#draft-number").inner_text().split()[-1]  # saved while typing

    page.click("#submit-order")
    page.wait_for_url(f"**/orders/{draft}", timeout=TIMEOUT)
    expect(page.locator("#timeline")).to_contain_text("待审核", timeout=TIMEOUT)
    # amounts read as money: grouped by thousands, exactly as stored
    expect(page.locator("tr", has_text="OFF-0001").first).to_contain_text("24.00")
    expect(page.get_by_text("¥1,084.80", exact=True)).to_be_visible()  # the total


def test_a_rep_starts_an_order_from_a_template_and_submits_it(page, oms_app_url, people):
    from oms_app.core.db import UnitOfWork
    from oms_app.orders import service as order_service
    from oms_app.orders import templates
    from oms_app.orders.rules import LineInput, OrderInput
    from tests.factories.accounts import actor_of

    rep = actor_of(UnitOfWork(), people["sales"])
    past = order_service.create_order(
        UnitOfWork(),
        actor=rep,
        cmd=OrderInput(customer_code="C00001", lines=[LineInput("OFF-0002", 6)]),
    )
    template_id = templates.save_template(
        UnitOfWork(), actor=rep, name="华东 A4 纸", from_number=past
    )

    log_in(page, oms_app_url, "sales")
    page.goto(f"{oms_app_url}/orders/new?template={template_id}")
    expect(page.locator("#picked-customer")).to_contain_text("C00001", timeout=TIMEOUT)
    expect(page.locator(".entry-line", has_text="OFF-0002")).to_be_visible(timeout=TIMEOUT)
    page.click("#submit-order")
    page.wait_for_url(lambda url: "/orders/SO-" in url, timeout=TIMEOUT)
    expect(page.locator("#order-lines")).to_contain_text("OFF-0002", timeout=TIMEOUT)

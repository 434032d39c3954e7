"""The stock list: per SKU and warehouse from the ledger, sorted on the server."""

from __future__ import annotations

from oms_app.core.paging import PageRequest
from oms_app.inventory.queries import list_stock_levels
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order


def test_the_stock_list_sorts_by_sku_and_shows_what_is_reserved(uow):
    # given 500 of each product in Shanghai and an approved order of 10 pens
    world = make_world(uow)
    approved_order(uow, world, [("OFF-0001", 10)])
    # when the list is sorted by SKU, newest SKU first
    page = list_stock_levels(
        uow, actor=world.warehouse, request=PageRequest(sort="sku", descending=True)
    )
    # then
    assert [(r["sku"], r["on_hand"], r["reserved"], r["available"]) for r in page["rows"]] == [
        ("OFF-0002", 500, 0, 500),
        ("OFF-0001", 500, 10, 490),
    ]
    assert page["total"] == 2

"""Receive goods, then serve the orders waiting for them first come, first served."""

from __future__ import annotations

import logging

from oms_app.core.permissions import Actor
from oms_app.fulfillment import allocation
from oms_app.inventory import receiving as inventory_receiving
from oms_app.inventory.receiving import ReceiptLine

log = logging.getLogger(__name__)

__all__ = ["ReceiptLine", "receive_goods"]


def receive_goods(
    uow,
    *,
    actor: Actor,
    warehouse_code: str,
    lines: list[ReceiptLine],
    reference: str = "",
    expected_receipt_id: int | None = None,
) -> dict:
    """Book a receipt and allocate the backorders it can fill; returns both outcomes."""
    receipt = inventory_receiving.receive_stock(
        uow,
        actor=actor,
        warehouse_code=warehouse_code,
        lines=lines,
        reference=reference,
        expected_receipt_id=expected_receipt_id,
    )
    product_ids = receipt.pop("product_ids")
    try:
        allocated = allocation.allocate_backorders(uow, actor=actor, product_ids=product_ids)
    except Exception:  # the receipt is committed; the beat safety net allocates within a minute
        log.exception("allocating backorders after receipt %s failed", receipt["reference"])
        return receipt | {"allocated_orders": [], "allocation_pending": True}
    return receipt | {"allocated_orders": allocated, "allocation_pending": False}

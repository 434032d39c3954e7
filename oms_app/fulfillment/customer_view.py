"""What a customer sees of their order's shipments: an allow-list, nothing internal."""

from __future__ import annotations

# Pickup codes stay with staff (handed over at the counter); weights and ids are ours.
SHIPMENT_FIELDS = (
    "number",
    "status",
    "warehouse",
    "delivery_method",
    "carrier",
    "service",
    "tracking_no",
    "shipped_at",
    "delivered_at",
)
LINE_FIELDS = ("sku", "name", "unit", "quantity", "picked", "packed")


def shipment_view(shipment: dict) -> dict:
    """The customer's view of one shipment row of `queries.list_order_shipments`."""
    return {
        **{key: shipment[key] for key in SHIPMENT_FIELDS},
        "lines": [{key: line[key] for key in LINE_FIELDS} for line in shipment["lines"]],
    }

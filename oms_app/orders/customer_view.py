"""What a customer sees of their orders: an allow-list per view, nothing internal.

Staff views carry risk, anomalies (with our list price), approvers and their comments, reps'
usernames and costs. Customers get only the fields named here, so a new internal field never
reaches them by accident; statuses use the customer's wording and history shows no people.
"""

from __future__ import annotations

from oms_app.orders.status import OrderStatus

S = OrderStatus
# The customer's wording of each internal status: review, approval and holds are our business.
CUSTOMER_STATUS: dict[str, str] = {
    S.DRAFT: "processing",
    S.PENDING_APPROVAL: "processing",
    S.APPROVED: "processing",
    S.REJECTED: "processing",
    S.ON_HOLD: "processing",
    S.ALLOCATED: "preparing",
    S.PICKING: "preparing",
    S.PACKED: "preparing",
    S.PARTIALLY_SHIPPED: "partially_shipped",
    S.SHIPPED: "shipped",
    S.DELIVERED: "delivered",
    S.COMPLETED: "completed",
    S.CANCELLED: "cancelled",
}
CUSTOMER_STATUSES = tuple(dict.fromkeys(CUSTOMER_STATUS.values()))

ORDER_FIELDS = (
    "number",
    "customer",
    "currency",
    "delivery_method",
    "requested_date",
    "subtotal",
    "discount_total",
    "tax_total",
    "shipping_fee",
    "total",
    "created",
)
ADDRESS_FIELDS = ("province", "city", "district", "street", "receiver", "phone")
# unit_price is the price agreed for this order (what the customer pays before their discount).
LINE_FIELDS = (
    "line_no",
    "sku",
    "name",
    "unit",
    "quantity",
    "unit_price",
    "discount_pct",
    "line_total",
)
LIST_ROW_FIELDS = ("number", "customer", "total", "currency", "payment", "created")
EXPORT_ROW_FIELDS = (
    "number",
    "created",
    "customer",
    "payment_status",
    "channel",
    "subtotal",
    "discount",
    "tax",
    "shipping",
    "total",
)
# Who changed the order, as the customer is told: them, or us (never a person's name).
BY_CUSTOMER, BY_US = "you", "us"


def customer_status(status: str) -> str:
    return CUSTOMER_STATUS.get(str(status), "processing")


def _pick(row: dict, fields: tuple[str, ...]) -> dict:
    return {key: row[key] for key in fields}


def order_view(order: dict) -> dict:
    """The customer's view of one order, from the staff view `queries.get_order` builds."""
    return {
        **_pick(order, ORDER_FIELDS),
        "status": customer_status(order["status"]),
        "address": _pick(order["address"], ADDRESS_FIELDS),
        "lines": [_pick(line, LINE_FIELDS) for line in order["lines"]],
    }


def list_row(row: dict) -> dict:
    return {**_pick(row, LIST_ROW_FIELDS), "status": customer_status(row["status"])}


def export_row(row: dict) -> dict:
    return {
        **_pick(row, EXPORT_ROW_FIELDS),
        "status": customer_status(row["status"]),
        "rep": "",  # the export's columns are fixed; reps stay our business
    }


def history(events: list[dict]) -> list[dict]:
    """Status changes as the customer sees them: only when their wording changes, with the time
    and who moved it as "you" or "us". `events` are oldest first with `to`, `by_customer`,
    `at` and `at_utc`."""
    shown: list[dict] = []
    for event in events:
        status = customer_status(event["to"])
        if shown and shown[-1]["status"] == status:
            continue
        shown.append(
            {
                "status": status,
                "by": BY_CUSTOMER if event["by_customer"] else BY_US,
                "at": event["at"],
                "at_utc": event["at_utc"],
            }
        )
    return shown

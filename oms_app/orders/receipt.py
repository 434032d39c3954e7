"""What order intake answers: the order as just written, built from memory, not read back."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from oms_app.approvals import queries as approval_queries
from oms_app.core.money import CENT
from oms_app.orders.models import Order, OrderLine

PERCENT = Decimal("0.01")  # order_lines.discount_pct is Numeric(5, 2)


@dataclass(frozen=True)
class Entered:
    number: str
    summary: dict | None = None  # None: an idempotent replay of an order made earlier


def summary(order: Order, lines: list[OrderLine], anomalies, levels, *, tz: str) -> dict:
    """The staff view's summary fields, as the database would give them back."""
    return {
        "number": order.number,
        "status": str(order.status),
        "total": _cents(order.grand_total),
        "anomalies": [{"code": a.code, "params": a.params} for a in anomalies],
        "approvals": approval_queries.level_rows(levels, tz=tz),
        "subtotal": _cents(order.subtotal),
        "tax_total": _cents(order.tax_total),
        "shipping_fee": _cents(order.shipping_fee),
        "lines": [
            {
                "line_no": ln.line_no,
                "sku": ln.sku,
                "name": ln.name,
                "unit": ln.unit,
                "quantity": ln.quantity,
                "unit_price": _cents(ln.unit_price),
                "discount_pct": str(Decimal(ln.discount_pct).quantize(PERCENT)),
                "line_total": _cents(ln.line_total),
            }
            for ln in lines
        ],
        "allow_split": order.allow_split,
    }


def _cents(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT))

"""The returns of the demo history: a few delivered orders send (part of) a line back.

Each return walks the returns lifecycle (requested, then approved or rejected, received, closed)
as far as its times reach before the horizon, so recent ones still wait on `/returns`. Values
come from the returns area's own pure apportionment (`returnable.returned_share`); a received
return puts its goods back on the shelf their stock came in on, and the ledger history posts it by
the ledger's return rule. Rows are COPYed with the rest of the history.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from random import Random
from typing import Any, NamedTuple

import psycopg

from oms_app.demo.loading import TableRows
from oms_app.demo.order_history import MOVEMENT_COLUMNS, MOVEMENT_TYPES
from oms_app.inventory.service import RETURN_REF
from oms_app.ledger.facts import ReturnFacts
from oms_app.orders.returnable import returned_share, unit_net_price
from oms_app.returns.status import ReturnAction, ReturnStatus

RETURN_TABLES = ("returns", "return_lines", "return_events")
RETURN_SHARE = 0.04  # of the orders whose goods arrived
ACTOR_NAME = "demo"
REASONS = {
    "damaged": 35,
    "wrong_item": 15,
    "not_as_described": 20,
    "no_longer_needed": 25,
    "other": 5,
}
REJECTIONS = ("超出退货期限 / past the return window", "商品已使用 / the goods were used")
RETURN_COLUMNS = (
    "id", "number", "order_id", "order_number", "customer_id", "status", "reason_code", "note",
    "requested_by", "requested_by_name", "warehouse_id", "received_at", "created_at",
    "updated_at",
)  # fmt: skip
LINE_COLUMNS = (
    "id", "return_id", "order_line_id", "product_id", "sku", "name", "unit", "quantity",
    "unit_net_price", "unit_cost",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "return_id", "from_status", "to_status", "action", "actor_id", "actor_name", "reason",
    "params", "at",
)  # fmt: skip

_ARRIVED = """
    SELECT o.id, o.number, o.customer_id, o.warehouse_id, o.subtotal, o.discount_total,
           o.tax_total, o.shipping_fee, o.cost_total, e.at
    FROM orders o JOIN order_events e ON e.order_id = o.id AND e.action = 'ship'
    WHERE o.id > %s AND o.status IN ('delivered', 'completed') ORDER BY o.id"""
_LINES = """
    SELECT id, order_id, product_id, sku, name, unit, quantity, unit_price, discount_pct,
           line_total, unit_cost
    FROM order_lines WHERE order_id = ANY(%s) ORDER BY order_id, line_no"""
# The shelf each product's opening stock went to, per warehouse: returned goods go back there.
_SHELVES = """
    SELECT DISTINCT ON (product_id, warehouse_id) product_id, warehouse_id, bin_id
    FROM stock_movements WHERE id > %s AND kind = 'receipt' ORDER BY product_id, warehouse_id, id"""


class ArrivedOrder(NamedTuple):
    id: int
    number: str
    customer_id: int
    warehouse_id: int
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    shipping_fee: Decimal
    cost_total: Decimal
    shipped_at: datetime


class OrderLineRow(NamedTuple):
    id: int
    order_id: int
    product_id: int
    sku: str
    name: str
    unit: str
    quantity: int
    unit_price: Decimal
    discount_pct: Decimal
    line_total: Decimal
    unit_cost: Decimal


class ReturnHistory:
    """Builds the returns of the orders loaded after `last_ids`, up to `horizon`."""

    def __init__(self, rng: Random, *, last_ids: dict[str, int], horizon: datetime):
        self.rng, self.horizon = rng, horizon
        self.ids = {t: iter(range(last_ids[t] + 1, 1 << 62)) for t in RETURN_TABLES}
        self.last_order_id = last_ids["orders"]
        self.first_movement = last_ids["stock_movements"]
        self.numbers: Counter[int] = Counter()  # per year: the last RMA number issued
        self.rows: dict[str, list[tuple]] = defaultdict(list)

    def build(self, cursor: psycopg.Cursor[Any]) -> list[TableRows]:
        cursor.execute(_ARRIVED, (self.last_order_id,))
        chosen = [
            ArrivedOrder(*row) for row in cursor.fetchall() if self.rng.random() < RETURN_SHARE
        ]
        cursor.execute(_LINES, ([o.id for o in chosen],))
        lines: dict[int, list[OrderLineRow]] = defaultdict(list)
        for row in cursor.fetchall():
            lines[row[1]].append(OrderLineRow(*row))
        cursor.execute(_SHELVES, (self.first_movement,))
        shelves = {(p, w): b for p, w, b in cursor.fetchall()}
        cursor.execute("SELECT coalesce(max(id), 0) FROM stock_movements")
        self.ids["stock_movements"] = iter(range(cursor.fetchone()[0] + 1, 1 << 62))
        for order in chosen:
            self._return(order, lines[order.id], shelves)
        return [
            TableRows("returns", RETURN_COLUMNS, self.rows["returns"]),
            TableRows("return_lines", LINE_COLUMNS, self.rows["return_lines"]),
            TableRows("return_events", EVENT_COLUMNS, self.rows["return_events"]),
            TableRows(
                "stock_movements", MOVEMENT_COLUMNS, self.rows["stock_movements"], MOVEMENT_TYPES
            ),
        ]

    def counters(self) -> list[tuple[int, int]]:
        """(year, last number issued) for `return_number_counters`."""
        return sorted(self.numbers.items())

    def _return(self, order: ArrivedOrder, lines: list[OrderLineRow], shelves) -> None:
        requested = order.shipped_at + timedelta(days=self.rng.uniform(3, 20))
        if requested > self.horizon or not lines:
            return
        line = self.rng.choice(lines)
        quantity = self.rng.randint(max(1, line.quantity // 4), line.quantity)
        return_id, number = next(self.ids["returns"]), self._number(requested.year)
        steps = self._steps(requested)
        status = steps[-1][1]
        received = next((at for action, _, at in steps if action == ReturnAction.RECEIVE), None)
        reason = self.rng.choices(list(REASONS), weights=list(REASONS.values()))[0]
        self.rows["returns"].append(
            (return_id, number, order.id, order.number, order.customer_id, status.value, reason,
             "", None, ACTOR_NAME, order.warehouse_id if received else None, received,
             requested, steps[-1][2])
        )  # fmt: skip
        self.rows["return_lines"].append(
            (next(self.ids["return_lines"]), return_id, line.id, line.product_id, line.sku,
             line.name, line.unit, quantity, unit_net_price(line.unit_price, line.discount_pct),
             line.unit_cost)
        )  # fmt: skip
        self._history(return_id, reason, line.sku, quantity, steps)
        if received:
            self.rows["stock_movements"].append(
                (next(self.ids["stock_movements"]), line.product_id, order.warehouse_id,
                 shelves[line.product_id, order.warehouse_id], "return", quantity, 0, RETURN_REF,
                 number, None, received)
            )  # fmt: skip

    def _steps(self, requested: datetime) -> list[tuple[str, ReturnStatus, datetime]]:
        """(action, status after it, when) from the request on, as far as the horizon allows."""
        steps = [("request", ReturnStatus.REQUESTED, requested)]
        rejected = self.rng.random() < 0.08
        plan = (
            [(ReturnAction.REJECT, ReturnStatus.REJECTED, (3, 30))]
            if rejected
            else [
                (ReturnAction.APPROVE, ReturnStatus.APPROVED, (2, 30)),
                (ReturnAction.RECEIVE, ReturnStatus.RECEIVED, (48, 160)),
                (ReturnAction.CLOSE, ReturnStatus.CLOSED, (20, 90)),
            ]
        )
        at = requested
        for action, status, (low, high) in plan:
            at = at + timedelta(hours=self.rng.uniform(low, high))
            if at > self.horizon:
                break
            steps.append((action.value, status, at))
        return steps

    def _history(self, return_id: int, reason: str, sku: str, quantity: int, steps) -> None:
        before = ""
        for action, status, at in steps:
            why = reason if action == "request" else ""
            if action == ReturnAction.REJECT:
                why = self.rng.choice(REJECTIONS)
            params = {"lines": {sku: quantity}} if action == "request" else {}
            self.rows["return_events"].append(
                (next(self.ids["return_events"]), return_id, before, status.value, action, None,
                 ACTOR_NAME, why, json.dumps(params), at)
            )  # fmt: skip
            before = status.value

    def _number(self, year: int) -> str:
        self.numbers[year] += 1
        return f"RMA-{year}-{self.numbers[year]:06d}"


def received_returns(
    cursor: psycopg.Cursor[Any], last_ids: dict[str, int]
) -> Iterator[tuple[datetime, ReturnFacts]]:
    """Each return received in the history with the value it carried back, for the books."""
    cursor.execute(
        "SELECT r.number, r.order_id, r.order_number, r.customer_id, r.received_at, "
        "l.order_line_id, l.quantity FROM returns r JOIN return_lines l ON l.return_id = r.id "
        "WHERE r.id > %s AND r.received_at IS NOT NULL ORDER BY r.id",
        (last_ids["returns"],),
    )
    found = cursor.fetchall()
    cursor.execute(
        "SELECT id, subtotal, discount_total, tax_total, shipping_fee, cost_total FROM orders "
        "WHERE id = ANY(%s)",
        ([row[1] for row in found],),
    )
    orders = {row[0]: _Totals(*row[1:]) for row in cursor.fetchall()}
    cursor.execute(_LINES, (list(orders),))
    lines: dict[int, list[OrderLineRow]] = defaultdict(list)
    for row in cursor.fetchall():
        lines[row[1]].append(OrderLineRow(*row))
    for number, oid, order_number, customer, at, line_id, qty in found:
        value = returned_share(orders[oid], lines[oid], before={}, now={line_id: qty})
        yield at, ReturnFacts(
            return_number=number, order_id=oid, order_number=order_number,
            customer_id=customer, received_at=at, revenue=value.revenue, vat=value.vat,
            cost=value.cost,
        )  # fmt: skip


class _Totals(NamedTuple):
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    shipping_fee: Decimal
    cost_total: Decimal

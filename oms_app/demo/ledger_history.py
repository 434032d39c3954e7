"""The journal entries of the demo history, posted by the ledger's own rules.

In production each receipt, shipment, payment and refund posts itself through the ledger's
service; the bulk-loaded history does not pass through it, so its entries are made here from the
loaded rows: the same facts, the same pure rules (`oms_app.ledger.rules`), the same source keys,
entry dates and numbers, replayed in time order with each order's receivable and advance
balances carried along exactly as the service reads them from the lines. Rows are COPYed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg

from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.demo.loading import TableRows
from oms_app.demo.return_history import received_returns
from oms_app.ledger import chart as c
from oms_app.ledger import rules
from oms_app.ledger.books import period_of
from oms_app.ledger.facts import (
    ZERO,
    GoodsReceivedFacts,
    PaymentFacts,
    RefundFacts,
    ReturnFacts,
    ShipmentFacts,
)
from oms_app.ledger.service import business_date

LEDGER_TABLES = ("journal_entries", "journal_lines")
SHIPPED = ["shipped", "delivered", "completed"]
ENTRY_COLUMNS = (
    "id", "number", "entry_date", "period", "source_type", "source_key", "order_number", "memo",
    "amount", "reverses_entry_id", "created_by", "created_by_id", "posted_at",
)  # fmt: skip
LINE_COLUMNS = (
    "id", "entry_id", "line_no", "account_code", "debit", "credit", "order_id", "customer_id",
    "cost_centre",
)  # fmt: skip
Facts = GoodsReceivedFacts | ShipmentFacts | PaymentFacts | RefundFacts | ReturnFacts

_OPENING_RECEIPTS = """
    SELECT m.id, m.at, m.ref_type, m.ref_id, m.on_hand_delta, p.standard_cost
    FROM stock_movements m JOIN products p ON p.id = m.product_id
    WHERE m.id > %s AND m.kind = 'receipt' AND m.on_hand_delta <> 0 ORDER BY m.id"""
_SHIPMENTS = """
    SELECT o.id, o.number, o.customer_id, e.at, o.subtotal - o.discount_total, o.tax_total,
           o.shipping_fee, o.cost_total
    FROM orders o JOIN order_events e ON e.order_id = o.id AND e.action = 'ship'
    WHERE o.id > %s AND o.status = ANY(%s) ORDER BY o.id"""
_PAYMENTS = """
    SELECT id, order_id, order_number, customer_id, method, amount, succeeded_at
    FROM payments WHERE id > %s AND succeeded_at IS NOT NULL ORDER BY id"""
_REFUNDS = """
    SELECT r.id, r.payment_id, p.order_id, p.order_number, p.customer_id, p.method, r.amount,
           r.created_at
    FROM payment_refunds r JOIN payments p ON p.id = r.payment_id
    WHERE r.id > %s AND r.outcome = 'done' AND r.kind = 'refund' ORDER BY r.id"""


def demo_shipment_key(order_number: str) -> str:
    """The number of a demo order's one shipment and the source key it was posted under
    (shipment_history writes the row). It has the shipment prefix but can never be a real
    shipment's number (SHP-<year>-<id>), so later real shipments post under their own."""
    return f"SHP-{order_number}"


def build_journal(
    cursor: psycopg.Cursor[Any], *, last_ids: dict[str, int]
) -> tuple[list[TableRows], list[str]]:
    """The entries and lines of the history loaded after `last_ids`, and the periods they use."""
    entries, lines, periods = [], [], {}  # periods: day -> its period
    entry_ids = iter(range(last_ids["journal_entries"] + 1, 1 << 62))
    line_id = last_ids["journal_lines"]
    balances: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for moment, facts in sorted(_facts(cursor, last_ids), key=lambda item: item[0]):
        draft = _draft(facts, balances)
        if not draft.lines:
            continue  # nothing of value moved: production posts nothing either
        entry_id, day = next(entry_ids), business_date(moment)
        if (period := periods.get(day)) is None:
            period = periods[day] = period_of(day)
        entries.append(
            (entry_id, rules.entry_number(day, entry_id), day, period, draft.source_type,
             draft.source_key, draft.order_number or None, draft.memo, draft.total, None,
             SYSTEM_ACTOR.username, SYSTEM_ACTOR.user_id, moment)
        )  # fmt: skip
        for n, line in enumerate(draft.lines, start=1):
            line_id += 1
            lines.append(
                (line_id, entry_id, n, line.account_code, line.debit, line.credit, line.order_id,
                 line.customer_id, line.cost_centre)
            )  # fmt: skip
            if line.order_id is not None:
                balances[line.order_id, line.account_code] += line.debit - line.credit
    batches = [
        TableRows("journal_entries", ENTRY_COLUMNS, entries),
        TableRows("journal_lines", LINE_COLUMNS, lines),
    ]
    return batches, sorted(set(periods.values()))


def open_periods(cursor: psycopg.Cursor[Any], periods: list[str]) -> int:
    """Open the months the entries fall in, as a posting would (those already there are kept)."""
    cursor.execute(
        "INSERT INTO accounting_periods (period, closed, closed_at, closed_by) "
        "SELECT p, false, NULL, '' FROM unnest(%s::text[]) AS p ON CONFLICT DO NOTHING",
        (periods,),
    )
    return cursor.rowcount


def _draft(facts: Facts, balances: dict[tuple[int, str], Decimal]) -> rules.EntryDraft:
    """The rule the ledger's service applies to these facts, with the balances it would read."""
    if isinstance(facts, ShipmentFacts):
        advance = -balances[facts.order_id, c.ADVANCE_RECEIPTS]
        return rules.shipment_entry(facts, advance_balance=advance)
    if isinstance(facts, PaymentFacts):
        receivable = balances[facts.order_id, c.RECEIVABLES]
        return rules.payment_entry(facts, open_receivable=receivable)
    if isinstance(facts, RefundFacts):
        advance = -balances[facts.order_id, c.ADVANCE_RECEIPTS]
        return rules.refund_entry(facts, advance_balance=advance)
    if isinstance(facts, ReturnFacts):
        return rules.return_entry(facts)
    return rules.goods_received_entry(facts)


def _facts(
    cursor: psycopg.Cursor[Any], last_ids: dict[str, int]
) -> Iterator[tuple[datetime, Facts]]:
    """Each business event of the history with its moment, as production hands it the ledger."""
    if receipt := _opening_stock(cursor, last_ids["stock_movements"]):
        yield receipt.received_at, receipt
    cursor.execute(_SHIPMENTS, (last_ids["orders"], SHIPPED))
    for oid, number, customer, at, revenue, vat, fee, cost in cursor.fetchall():
        yield at, ShipmentFacts(
            shipment_number=demo_shipment_key(number), order_id=oid, order_number=number,
            customer_id=customer, shipped_at=at, revenue=revenue, vat=vat, shipping_fee=fee,
            cost=cost,
        )  # fmt: skip
    cursor.execute(_PAYMENTS, (last_ids["payments"],))
    for pid, oid, number, customer, method, amount, at in cursor.fetchall():
        yield at, PaymentFacts(
            payment_id=pid, order_id=oid, order_number=number, customer_id=customer,
            method=method, amount=amount, received_at=at,
        )  # fmt: skip
    cursor.execute(_REFUNDS, (last_ids["payment_refunds"],))
    for rid, pid, oid, number, customer, method, amount, at in cursor.fetchall():
        yield at, RefundFacts(
            refund_id=rid, payment_id=pid, order_id=oid, order_number=number,
            customer_id=customer, method=method, amount=amount, refunded_at=at,
        )  # fmt: skip
    yield from received_returns(cursor, last_ids)


def _opening_stock(cursor: psycopg.Cursor[Any], after_id: int) -> GoodsReceivedFacts | None:
    """The opening receipts as one goods receipt at standard cost, keyed and described as the
    stock ledger's valuation keys a batch of receipts (by its first movement)."""
    cursor.execute(_OPENING_RECEIPTS, (after_id,))
    rows = cursor.fetchall()
    if not rows:
        return None
    refs = sorted({f"{ref_type}:{ref_id}".strip(":") for _, _, ref_type, ref_id, _, _ in rows})
    return GoodsReceivedFacts(
        receipt_key=f"movement-{rows[0][0]}",
        received_at=min(row[1] for row in rows),
        cost=sum((Decimal(cost or 0) * qty for *_, qty, cost in rows), Decimal(0)),
        memo=", ".join(refs)[:200],
    )

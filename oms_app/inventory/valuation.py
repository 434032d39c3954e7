"""What the books hear from the stock ledger, in the same transaction: goods received into
stock (owed to the supplier) and counted or written-off differences, at standard cost.
Reservations, picks and shipments move no value here: a shipment books its cost itself."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa

from oms_app.core.clock import utcnow
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.ledger import service as ledger
from oms_app.ledger.facts import GoodsReceivedFacts, StockAdjustmentFacts

# Read-only: the catalogue's standard cost per product.
PRODUCTS = sa.table(
    "products", sa.column("id", sa.Integer), sa.column("standard_cost", sa.Numeric(18, 2))
)


def book_stock_value(uow, rows: Sequence) -> None:
    """Post receipts and adjustments among freshly appended movement rows (ids assigned)."""
    received = [r for r in rows if r.kind == "receipt" and r.on_hand_delta]
    adjusted = [r for r in rows if r.kind == "adjust" and r.on_hand_delta]
    if not received and not adjusted:
        return
    costs = _costs(uow, {r.product_id for r in (*received, *adjusted)})
    now = utcnow()
    if received:
        ledger.post_goods_received(
            uow,
            facts=GoodsReceivedFacts(
                receipt_key=f"movement-{received[0].id}",
                received_at=now,
                cost=_value(received, costs),
                memo=_memo(received),
            ),
            actor=SYSTEM_ACTOR,
        )
    if adjusted:
        ledger.post_stock_adjustment(
            uow,
            facts=StockAdjustmentFacts(
                adjustment_key=f"movement-{adjusted[0].id}",
                adjusted_at=now,
                value_change=_value(adjusted, costs),
                memo=_memo(adjusted),
            ),
            actor=SYSTEM_ACTOR,
        )


def _costs(uow, product_ids: set[int]) -> dict[int, Decimal]:
    rows = uow.session.execute(
        sa.select(PRODUCTS.c.id, PRODUCTS.c.standard_cost).where(PRODUCTS.c.id.in_(product_ids))
    ).all()
    return {pid: Decimal(cost or 0) for pid, cost in rows}


def _value(rows: Sequence, costs: dict[int, Decimal]) -> Decimal:
    return sum((costs.get(r.product_id, Decimal(0)) * r.on_hand_delta for r in rows), Decimal(0))


def _memo(rows: Sequence) -> str:
    refs = sorted({f"{r.ref_type}:{r.ref_id}".strip(":") for r in rows if r.ref_type or r.ref_id})
    return ", ".join(refs)[:200]

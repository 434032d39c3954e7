"""Assess an order: its anomalies and the facts its approval route depends on."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from oms_app.approvals import rules as approval_rules
from oms_app.core.clock import business_zone
from oms_app.core.config import get_settings
from oms_app.orders import anomalies as anomaly_rules
from oms_app.orders import facts, rules
from oms_app.orders.models import Order, OrderLine


def assess(uow, order: Order, now: datetime):
    """Anomalies of a saved order and the facts its approval route depends on."""
    s = uow.session
    lines = s.scalars(
        sa.select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)
    ).all()
    customer = facts.customer(uow, customer_id=order.customer_id)
    priced = _priced_from_rows(uow, lines, customer["tier"], now)
    return assess_priced(
        uow,
        customer=customer,
        priced=priced,
        totals=rules.totals(priced, order.delivery_method),
        now=now,
        order_id=order.id,
    )


def assess_priced(
    uow,
    *,
    customer: dict,
    priced: list[rules.PricedLine],
    totals: rules.Totals,
    now: datetime,
    order_id: int | None = None,
):
    """Anomalies and route facts from lines priced already (a new order is not saved yet)."""
    sku_of = {p.product.product_id: p.product.sku for p in priced}
    stock = facts.available(uow, list(sku_of))
    past = facts.customer_history(
        uow.session,
        customer_id=customer["id"],
        product_ids=list(sku_of),
        now=now,
        exclude_order_id=order_id,
    )
    credit = None if customer["payment_terms_days"] == 0 else customer["credit_limit"]
    ctx = anomaly_rules.AnomalyContext(
        price_tolerance_pct=get_settings().price_tolerance_pct,
        available={sku_of[pid]: qty for pid, qty in stock.items()},
        credit_limit=credit,
        exposure=past.exposure,
        history={sku_of[pid]: qty for pid, qty in past.history.items() if pid in sku_of},
        duplicate_of=past.duplicate_of({p.product.product_id: p.quantity for p in priced}),
    )
    found = anomaly_rules.detect(priced, totals, ctx)
    codes = frozenset(a.code for a in found)
    risk, _ = approval_rules.risk_score(codes, customer["tier"], totals.margin_pct)
    return found, approval_rules.OrderFacts(
        amount=totals.grand_total,
        max_discount_pct=max((p.discount_pct for p in priced), default=0),
        margin_pct=totals.margin_pct,
        tier=customer["tier"],
        anomalies=codes,
        risk=risk,
    )


def _priced_from_rows(uow, lines: list[OrderLine], tier: str, now: datetime):
    """The stored lines against today's price list (for deviation and margin)."""
    inputs = [rules.LineInput(sku=ln.sku, quantity=ln.quantity) for ln in lines]
    products = facts.products(uow, inputs, tier, now.astimezone(business_zone()).date())
    return [
        rules.PricedLine(
            line_no=ln.line_no,
            product=products[ln.sku],
            quantity=ln.quantity,
            unit_price=ln.unit_price,
            discount_pct=ln.discount_pct,
            line_total=ln.line_total,
            discount=rules.money(ln.line_total * ln.discount_pct / 100),
            price_deviation_pct=rules.deviation_pct(ln.unit_price, products[ln.sku].list_price),
        )
        for ln in lines
    ]

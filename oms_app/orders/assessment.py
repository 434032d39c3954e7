"""Assess a saved order: its anomalies and the facts its approval route depends on."""

from __future__ import annotations

from datetime import datetime, timedelta

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
    priced, totals = _priced_from_rows(uow, order, lines, customer["tier"], now)
    by_product = {line.product_id: line.sku for line in lines}
    stock = facts.available(uow, list(by_product))
    history = facts.quantity_history(
        s, order.customer_id, list(by_product), now - timedelta(days=365)
    )
    credit = None if customer["payment_terms_days"] == 0 else customer["credit_limit"]
    ctx = anomaly_rules.AnomalyContext(
        price_tolerance_pct=get_settings().price_tolerance_pct,
        available={by_product[pid]: qty for pid, qty in stock.items()},
        credit_limit=credit,
        exposure=facts.exposure(s, order.customer_id, order.id),
        history={by_product[pid]: qty for pid, qty in history.items() if pid != 0},
        duplicate_of=facts.duplicate_of(
            s,
            customer_id=order.customer_id,
            order_id=order.id,
            lines={ln.product_id: ln.quantity for ln in lines},
            now=now,
        ),
    )
    found = anomaly_rules.detect(priced, totals, ctx)
    codes = frozenset(a.code for a in found)
    risk, _ = approval_rules.risk_score(codes, customer["tier"], totals.margin_pct)
    max_discount = max((line.discount_pct for line in lines), default=0)
    return found, approval_rules.OrderFacts(
        amount=order.grand_total,
        max_discount_pct=max_discount,
        margin_pct=totals.margin_pct,
        tier=customer["tier"],
        anomalies=codes,
        risk=risk,
    )


def _priced_from_rows(uow, order: Order, lines: list[OrderLine], tier: str, now: datetime):
    """The stored lines against today's price list (for deviation and margin)."""
    inputs = [rules.LineInput(sku=ln.sku, quantity=ln.quantity) for ln in lines]
    products = facts.products(uow, inputs, tier, now.astimezone(business_zone()).date())
    priced = [
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
    return priced, rules.totals(priced, order.delivery_method)

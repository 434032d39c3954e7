"""Review orders already waiting: route history's pending orders, re-check anomalies."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from oms_app.approvals import service as approvals_service
from oms_app.core.clock import utcnow
from oms_app.core.permissions import Actor, Permission, require
from oms_app.orders import assessment
from oms_app.orders.models import Order, OrderAnomaly, OrderLine
from oms_app.orders.status import OrderStatus


def route_unrouted_orders(uow, *, actor: Actor, now: datetime | None = None) -> int:
    """Open approval levels for pending orders that have none (imported or demo history)."""
    require(actor, Permission.ORDER_APPROVE)
    now = now or utcnow()
    with uow:
        orders = uow.session.scalars(
            sa.select(Order)
            .where(
                Order.status == OrderStatus.PENDING_APPROVAL,
                ~Order.id.in_(approvals_service.orders_with_open_levels()),
            )
            .order_by(Order.id)
            .with_for_update(skip_locked=True)
        ).all()
        for order in orders:
            found, facts_for_policy = assessment.assess(uow, order, order.created_at)
            uow.session.add_all(
                OrderAnomaly(order_id=order.id, code=a.code, params=a.params, found_at=now)
                for a in found
            )
            order.risk_score = facts_for_policy.risk
            approvals_service.open_approvals(
                uow,
                order_id=order.id,
                number=order.number,
                facts=facts_for_policy,
                now=order.created_at,
            )
        uow.commit()
        return len(orders)


def recheck_anomalies(
    uow, *, actor: Actor, skus: list[str] | None = None, now: datetime | None = None
) -> dict[str, list[str]]:
    """Re-run the anomaly checks of orders waiting for approval (stock or prices changed).

    New findings are stored and the role deciding the order is told; returns number -> new codes.
    """
    require(actor, Permission.ORDER_APPROVE)
    now = now or utcnow()
    with uow:
        stmt = sa.select(Order).where(Order.status == OrderStatus.PENDING_APPROVAL)
        if skus:
            stmt = stmt.where(
                Order.id.in_(sa.select(OrderLine.order_id).where(OrderLine.sku.in_(skus)))
            )
        changed: dict[str, list[str]] = {}
        for order in uow.session.scalars(stmt.with_for_update(skip_locked=True)).all():
            found, facts_for_policy = assessment.assess(uow, order, now)
            known = set(
                uow.session.scalars(
                    sa.select(OrderAnomaly.code).where(OrderAnomaly.order_id == order.id)
                )
            )
            fresh = [a for a in found if a.code not in known]
            if not fresh:
                continue
            uow.session.add_all(
                OrderAnomaly(order_id=order.id, code=a.code, params=a.params, found_at=now)
                for a in fresh
            )
            order.risk_score = max(order.risk_score, facts_for_policy.risk)
            approvals_service.tell_deciders(
                uow, order_id=order.id, number=order.number, codes=[a.code for a in fresh]
            )
            changed[order.number] = [a.code for a in fresh]
        uow.commit()
        return changed

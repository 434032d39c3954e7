"""Who may pay an order: finance, staff who see orders, its customer, or a payment link."""

from __future__ import annotations

from oms_app.core.errors import PermissionDenied
from oms_app.core.permissions import Actor, Permission, require
from oms_app.orders.billing import BillingFacts


def may_pay(actor: Actor, facts: BillingFacts) -> None:
    """Finance, staff who see orders, the order's customer, or a holder of its payment link."""
    if actor.can(Permission.PAYMENT_MANAGE):
        return
    require(actor, Permission.PAYMENT_PAY)
    link_order = actor.extra.get("pay_order")
    if link_order is not None:
        allowed = link_order == facts.number
    elif actor.customer_id is not None:
        allowed = actor.customer_id == facts.customer_id
    else:
        allowed = actor.can(Permission.ORDER_VIEW)
    if not allowed:
        raise PermissionDenied(field="order", permission=Permission.PAYMENT_PAY.value)

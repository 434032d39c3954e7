"""Loading payments and their attempts (locked when they are about to change)."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.errors import NotFound
from oms_app.core.permissions import Actor, sees_customer_view
from oms_app.payments import customer_view
from oms_app.payments.models import Payment, PaymentAttempt
from oms_app.payments.views import payment_view


def load_payment(uow, payment_id: int) -> Payment:
    payment = uow.session.get(Payment, payment_id)
    if payment is None:
        raise NotFound(entity="payment", field="id", value=str(payment_id))
    return payment


def lock_payment(uow, payment_id: int) -> Payment:
    payment = uow.session.scalar(
        sa.select(Payment).where(Payment.id == payment_id).with_for_update()
    )
    if payment is None:
        raise NotFound(entity="payment", field="id", value=str(payment_id))
    return payment


def attempt_row(uow, payment_id: int, number: int) -> PaymentAttempt | None:
    return uow.session.scalar(
        sa.select(PaymentAttempt).where(
            PaymentAttempt.payment_id == payment_id, PaymentAttempt.number == number
        )
    )


def payment_by_provider_ref(uow, ref: str) -> Payment | None:
    """The payment of a provider intent: its current one, or one of its earlier attempts'."""
    if not ref:
        return None
    payment_id = uow.session.scalar(
        sa.select(Payment.id).where(Payment.provider_ref == ref)
    ) or uow.session.scalar(
        sa.select(PaymentAttempt.payment_id).where(PaymentAttempt.provider_ref == ref)
    )
    return lock_payment(uow, payment_id) if payment_id else None


def get_payment(uow, *, payment_id: int, actor: Actor | None = None) -> dict:
    """The payment as `actor` may see it: the payer's view for customers and link holders."""
    with uow:
        view = payment_view(load_payment(uow, payment_id))
    return view if actor is None else view_for(actor, view)


def view_for(actor: Actor, view: dict) -> dict:
    """Staff keep the whole payment view; customers and link holders get the payer's."""
    return customer_view.payment_view(view) if sees_customer_view(actor) else view

"""Loading payments and their attempts (locked when they are about to change)."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.errors import NotFound
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


def get_payment(uow, *, payment_id: int) -> dict:
    with uow:
        return payment_view(load_payment(uow, payment_id))

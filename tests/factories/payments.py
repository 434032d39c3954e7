"""Orders ready to pay, and a finance clerk's second factor."""

from __future__ import annotations

from decimal import Decimal

import pyotp
import sqlalchemy as sa

from oms_app.core.permissions import Actor
from oms_app.orders.models import Order
from oms_app.payments import refunds, release, write_offs
from oms_app.payments.models import Payment, PaymentEvent
from tests.factories.accounts import actor_of, enable_totp, fresh_totp_code, make_user
from tests.factories.sales import FINANCE_SECRET, make_world
from tests.factories.warehouse import approved_order


def payable_order(uow, *, quantity: int = 2):
    """A small approved order (customer on 30-day terms) and the world around it."""
    world = make_world(uow)
    number = approved_order(uow, world, [("OFF-0001", quantity)])
    return world, number


def order_total(uow, number: str) -> Decimal:
    with uow:
        return uow.session.scalar(sa.select(Order.grand_total).where(Order.number == number))


def order_payment_status(uow, number: str) -> str:
    with uow:
        return uow.session.scalar(sa.select(Order.payment_status).where(Order.number == number))


def payment_rows(uow, number: str) -> list:
    """The order's payments as plain rows (id, method, status, amount, refunded_amount)."""
    with uow:
        return uow.session.execute(
            sa.select(
                Payment.id, Payment.method, Payment.status, Payment.amount, Payment.refunded_amount
            )
            .where(Payment.order_number == number)
            .order_by(Payment.id)
        ).all()


def history(uow, payment_id: int) -> list[tuple[str, str]]:
    with uow:
        rows = uow.session.execute(
            sa.select(PaymentEvent.from_status, PaymentEvent.to_status)
            .where(PaymentEvent.payment_id == payment_id)
            .order_by(PaymentEvent.id)
        ).all()
        return [tuple(r) for r in rows]


def totp_now() -> str:
    """A code that passes a step-up even right after another one (see fresh_totp_code)."""
    return fresh_totp_code(FINANCE_SECRET)


SECOND_SECRET = pyotp.random_base32()


def second_finance(uow, *, username: str = "finance-2", roles=("finance",)) -> Actor:
    """Another finance user (own second factor): the second pair of eyes on money going out."""
    user_id = make_user(uow, username=username, roles=list(roles))
    enable_totp(uow, user_id, SECOND_SECRET)
    return actor_of(uow, user_id)


def second_totp() -> str:
    return fresh_totp_code(SECOND_SECRET)


def refund_with_four_eyes(uow, world, checker: Actor, *, payment_id: int, amount, reason: str):
    """The world's finance user proposes a refund and `checker` releases it; the payment."""
    proposal = refunds.propose_refund(
        uow, actor=world.finance, payment_id=payment_id, amount=amount, reason=reason
    )
    released = release.release_proposal(
        uow, actor=checker, proposal_id=proposal["id"], totp_code=second_totp()
    )
    return released["payment"]


def write_off_with_four_eyes(uow, world, checker: Actor, *, order_number: str, amount, reason):
    proposal = write_offs.propose_write_off(
        uow, actor=world.finance, order_number=order_number, amount=amount, reason=reason
    )
    released = release.release_proposal(
        uow, actor=checker, proposal_id=proposal["id"], totp_code=second_totp()
    )
    return released["payment"]

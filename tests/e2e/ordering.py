"""Orders the journeys need made behind the scenes, through the services as staff would."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.approvals import service as approvals_service
from oms_app.core.db import UnitOfWork
from oms_app.orders import service as order_service
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.accounts import actor_of
from tests.factories.warehouse import order_status

APPROVERS = ("sales_manager", "finance", "warehouse")


def approve_every_level(uow, people, number: str) -> None:
    """Approve the order at each level its policy asks for, as that level's user."""
    deciders = {role: actor_of(uow, people[role]) for role in APPROVERS}
    while order_status(uow, number) == "pending_approval":
        with uow:
            order_id = uow.session.scalar(
                sa.text("select id from orders where number = :n"), {"n": number}
            )
            role = approvals_service.pending_role(uow, order_id=order_id)
        order_service.approve_order(uow, actor=deciders[role], number=number, totp_code="")


def place_approved_order(people, customer_code: str, lines: list[LineInput]) -> str:
    """An order the rep enters and submits for the customer, approved at every level."""
    uow = UnitOfWork()
    number = order_service.create_order(
        uow,
        actor=actor_of(uow, people["sales"]),
        submit=True,
        cmd=OrderInput(customer_code=customer_code, lines=lines),
    )
    approve_every_level(uow, people, number)
    return number


def give_credit_terms(uow, customer_id: int, days: int = 30) -> None:
    """The customer pays `days` after delivery, so its goods may leave unpaid."""
    with uow:
        uow.session.execute(
            sa.text("update customers set payment_terms_days = :d where id = :id"),
            {"d": days, "id": customer_id},
        )
        uow.commit()

"""Business facts for ledger tests, and a finance user who may post by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from oms_app.core.permissions import Actor
from oms_app.ledger.facts import (
    ExpenseFacts,
    PaymentFacts,
    RefundFacts,
    ReturnFacts,
    ShipmentFacts,
)
from tests.factories.accounts import actor_of, enable_totp, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
VAT = Decimal("0.13")


def make_finance(uow, *, username: str = "fin1") -> Actor:
    """A finance clerk with an enrolled second factor (the role requires one)."""
    user_id = make_user(uow, username=username, roles=["finance"])
    enable_totp(uow, user_id, "JBSWY3DPEHPK3PXP")
    return actor_of(uow, user_id)


def at_noon(day: date) -> datetime:
    """Midday in Shanghai on that business day, as a UTC moment."""
    return datetime.combine(day, time(12), SHANGHAI).astimezone(UTC)


def shanghai(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI).astimezone(UTC)


def shipment(
    number: str, order_id: int, revenue: str, *, on: datetime, fee: str = "0", cost: str = "0"
) -> ShipmentFacts:
    net = Decimal(revenue)
    return ShipmentFacts(
        shipment_number=number,
        order_id=order_id,
        order_number=f"SO-{order_id}",
        customer_id=100 + order_id,
        shipped_at=on,
        revenue=net,
        vat=(net * VAT).quantize(Decimal("0.01")),
        shipping_fee=Decimal(fee).quantize(Decimal("0.01")),
        cost=Decimal(cost).quantize(Decimal("0.01")),
    )


def payment(
    payment_id: int, order_id: int, amount: str, *, on: datetime, method: str = "bank_transfer"
) -> PaymentFacts:
    return PaymentFacts(
        payment_id=payment_id,
        order_id=order_id,
        order_number=f"SO-{order_id}",
        customer_id=100 + order_id,
        method=method,
        amount=Decimal(amount),
        received_at=on,
    )


def refund(
    refund_id: int,
    payment_id: int,
    order_id: int,
    amount: str,
    *,
    on: datetime,
    method: str = "bank_transfer",
) -> RefundFacts:
    return RefundFacts(
        refund_id=refund_id,
        payment_id=payment_id,
        order_id=order_id,
        order_number=f"SO-{order_id}",
        customer_id=100 + order_id,
        method=method,
        amount=Decimal(amount),
        refunded_at=on,
    )


def goods_return(
    number: str, order_id: int, revenue: str, *, on: datetime, cost: str = "0"
) -> ReturnFacts:
    net = Decimal(revenue)
    return ReturnFacts(
        return_number=number,
        order_id=order_id,
        order_number=f"SO-{order_id}",
        customer_id=100 + order_id,
        received_at=on,
        revenue=net,
        vat=(net * VAT).quantize(Decimal("0.01")),
        cost=Decimal(cost).quantize(Decimal("0.01")),
    )


def expense(
    reference: str,
    account: str,
    amount: str,
    *,
    on: date,
    paid_from: str = "1002",
    cost_centre: str = "",
) -> ExpenseFacts:
    return ExpenseFacts(
        reference=reference,
        entry_date=on,
        expense_account=account,
        amount=Decimal(amount),
        paid_from=paid_from,
        cost_centre=cost_centre,
    )


def days_ago(n: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=n)

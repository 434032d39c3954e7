"""Tables of the payments area: payments, their attempts and history, refunds, invoices for
credit terms, and the inbox of verified Stripe webhook events."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from oms_app.core.db import json_field, money_field, utc_field
from oms_app.payments.status import PaymentStatus


class Payment(SQLModel, table=True):
    """Money asked of the customer for one order (a deposit, a balance, or all of it)."""

    __tablename__ = "payments"
    __table_args__ = (
        sa.Index("ix_payments_status_updated", "status", "updated_at"),
        # a bank reference is recorded once: a second receipt with it is a mistake
        sa.Index(
            "uq_payments_method_reference",
            "method",
            "reference",
            unique=True,
            postgresql_where=sa.text("reference <> ''"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    order_number: str = Field(max_length=32)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    method: str = Field(max_length=16, description="card alipay wechat_pay bank_transfer cod ...")
    provider: str = Field(default="offline", max_length=16, description="stripe or offline")
    status: PaymentStatus = Field(default=PaymentStatus.PENDING, sa_type=sa.String(24))
    amount: Decimal = money_field()
    refunded_amount: Decimal = money_field()
    currency: str = Field(default="CNY", max_length=3)
    capture_method: str = Field(default="automatic", max_length=16)
    attempt: int = Field(default=1, description="the current attempt; a retry adds one")
    provider_ref: str = Field(default="", max_length=64, index=True, description="pi_...")
    client_secret: str = Field(default="", max_length=128)
    next_action: dict = json_field(description="redirect_url or qr_code for the payer")
    failure_code: str = Field(default="", max_length=48)
    failure_message: str = Field(default="", max_length=300)
    reference: str = Field(default="", max_length=64, description="bank transfer reference")
    needs_attention: str = Field(default="", max_length=48, description="why finance must look")
    created_by: int | None = Field(default=None, foreign_key="users.id")
    succeeded_at: datetime | None = utc_field(index=True)
    created_at: datetime = utc_field(default_now=True, index=True)
    updated_at: datetime = utc_field(default_now=True)


class PaymentEvent(SQLModel, table=True):
    """One row per status change of a payment: from, to, action, who, when, why."""

    __tablename__ = "payment_events"

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payments.id", index=True)
    from_status: str = Field(max_length=24)
    to_status: str = Field(max_length=24)
    action: str = Field(max_length=24)
    actor_id: int | None = Field(default=None)
    actor_name: str = Field(max_length=64)
    reason: str = Field(default="", max_length=500)
    params: dict = json_field()
    at: datetime = utc_field(default_now=True)


class PaymentAttempt(SQLModel, table=True):
    """One try at paying: its own idempotency key, so a retry is never the same charge twice."""

    __tablename__ = "payment_attempts"
    __table_args__ = (sa.UniqueConstraint("payment_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payments.id", index=True)
    number: int
    idempotency_key: str = Field(max_length=80, unique=True)
    provider_ref: str = Field(default="", max_length=64, index=True, description="its intent")
    outcome: str = Field(default="started", max_length=24, description="started ok failed unknown")
    failure_code: str = Field(default="", max_length=48)
    failure_message: str = Field(default="", max_length=300)
    started_at: datetime = utc_field(default_now=True)
    finished_at: datetime | None = utc_field()


class PaymentRefund(SQLModel, table=True):
    """Money going out: a refund on a payment, or a write-off of an order's unpaid balance.

    One finance user proposes it (actor_*), a different one releases or declines it
    (released_by_*); a write-off gets its payment only when it is released.
    """

    __tablename__ = "payment_refunds"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(
        default="refund",
        max_length=16,
        sa_column_kwargs={"server_default": "refund"},
        description="refund write_off",
    )
    payment_id: int | None = Field(default=None, foreign_key="payments.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    order_number: str = Field(default="", max_length=32, sa_column_kwargs={"server_default": ""})
    amount: Decimal = money_field()
    reason: str = Field(default="", max_length=300)
    provider_ref: str = Field(default="", max_length=64, index=True, description="re_...")
    idempotency_key: str = Field(max_length=80, unique=True)
    outcome: str = Field(
        default="requested",
        max_length=16,
        index=True,
        description="proposed requested done failed declined withdrawn",
    )
    failure_message: str = Field(default="", max_length=300)
    actor_id: int | None = Field(default=None, description="who proposed (or asked) it")
    actor_name: str = Field(max_length=64)
    released_by_id: int | None = Field(default=None, description="who released or declined it")
    released_by_name: str = Field(
        default="", max_length=64, sa_column_kwargs={"server_default": ""}
    )
    decision_reason: str = Field(
        default="", max_length=300, sa_column_kwargs={"server_default": ""}
    )
    decided_at: datetime | None = utc_field()
    created_at: datetime = utc_field(default_now=True)


class Invoice(SQLModel, table=True):
    """What a customer on credit terms owes for an order, due a number of days after it."""

    __tablename__ = "invoices"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=24, unique=True)
    order_id: int = Field(foreign_key="orders.id", unique=True)
    order_number: str = Field(max_length=32)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    amount: Decimal = money_field()
    currency: str = Field(default="CNY", max_length=3)
    terms_days: int
    issued_at: datetime = utc_field(default_now=True)
    due_date: date = Field(index=True)
    paid_at: datetime | None = utc_field()
    overdue_notified_at: datetime | None = utc_field()


class StripeEvent(SQLModel, table=True):
    """A verified webhook event, stored once by its id before it is processed in Celery."""

    __tablename__ = "stripe_events"

    id: str = Field(primary_key=True, max_length=80)
    type: str = Field(max_length=64)
    payload: dict = json_field()
    received_at: datetime = utc_field(default_now=True)
    processed_at: datetime | None = utc_field()
    outcome: str = Field(default="", max_length=200)

"""Outbound webhooks: who wants which events, and the log of every delivery."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from oms_app.core.db import json_field, utc_field


class WebhookSubscription(SQLModel, table=True):
    """A receiving URL, the event types it wants, and the secret its deliveries are signed with."""

    __tablename__ = "webhook_subscriptions"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    url: str = Field(max_length=500)
    event_types: list = Field(default_factory=list, sa_type=sa.JSON)
    # Kept in clear on purpose: signing needs it. Shown to the admin once, at creation.
    secret: str = Field(max_length=128)
    is_active: bool = Field(default=True, index=True)
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = utc_field(default_now=True)


class WebhookDelivery(SQLModel, table=True):
    """One event for one subscription: its payload, its state and the outcome of its attempts."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        sa.UniqueConstraint("subscription_id", "event_id", name="uq_webhook_delivery_event"),
        sa.Index("ix_webhook_deliveries_state_next", "state", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="webhook_subscriptions.id")
    event_id: str = Field(max_length=32)
    event_type: str = Field(max_length=80)
    payload: dict = json_field()
    # pending / succeeded / failed / dead (rules.DeliveryState). Named `state`, not `status`:
    # it is a retry log, not a business lifecycle written through apply_transition.
    state: str = Field(default="pending", max_length=16)
    attempts: int = Field(default=0)
    last_status_code: int | None = Field(default=None)
    last_error: str = Field(default="", max_length=500)
    next_attempt_at: datetime | None = utc_field()
    created_at: datetime = utc_field(default_now=True)
    delivered_at: datetime | None = utc_field()

"""Reconciliation (beat task): payments left processing or awaiting the payer's action for too
long, or whose last call went unanswered, are checked with the provider and fixed or flagged."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from oms_app.core.clock import utcnow
from oms_app.core.config import get_settings
from oms_app.core.permissions import Actor, Permission, require
from oms_app.payments.models import Payment
from oms_app.payments.provider import PaymentProvider, ProviderError
from oms_app.payments.providers import online_provider
from oms_app.payments.status import STUCK_CANDIDATES, PaymentStatus
from oms_app.payments.store import lock_payment
from oms_app.payments.tracking import apply_intent


def reconcile_stuck_payments(
    uow,
    *,
    actor: Actor,
    now: datetime | None = None,
    provider: PaymentProvider | None = None,
    limit: int = 200,
) -> dict[str, int]:
    """Ask the provider about each stuck payment, one short transaction each; counts by outcome."""
    require(actor, Permission.PAYMENT_MANAGE)
    provider = provider or online_provider()
    counts = {"fixed": 0, "flagged": 0, "unchanged": 0}
    if provider is None:
        return counts
    for payment_id, ref in _stuck(uow, now or utcnow(), limit):
        try:
            state = provider.retrieve(ref=ref)
        except ProviderError as err:
            _flag(uow, payment_id, "provider_unreachable" if err.unreachable else "provider_error")
            counts["flagged"] += 1
            continue
        with uow:
            p = lock_payment(uow, payment_id)
            if apply_intent(uow, p, state, actor=actor, source="reconcile"):
                counts["fixed"] += 1
            else:
                still_waiting = p.status in STUCK_CANDIDATES
                p.needs_attention = f"stuck_{p.status}" if still_waiting else ""
                uow.session.add(p)
                counts["flagged" if still_waiting else "unchanged"] += 1
            uow.commit()
    return counts


def _stuck(uow, now: datetime, limit: int) -> list[tuple[int, str]]:
    cutoff = now - timedelta(minutes=get_settings().payment_stuck_minutes)
    waiting = [s.value for s in STUCK_CANDIDATES]
    with uow:
        rows = uow.session.execute(
            sa.select(Payment.id, Payment.provider_ref)
            .where(
                Payment.provider_ref != "",
                Payment.updated_at < cutoff,
                sa.or_(
                    Payment.status.in_(waiting),
                    sa.and_(
                        Payment.status == PaymentStatus.PENDING.value, Payment.needs_attention != ""
                    ),
                ),
            )
            .order_by(Payment.updated_at)
            .limit(limit)
        ).all()
    return [(pid, ref) for pid, ref in rows]


def _flag(uow, payment_id: int, why: str) -> None:
    with uow:
        p = lock_payment(uow, payment_id)
        p.needs_attention = why
        uow.session.add(p)
        uow.commit()

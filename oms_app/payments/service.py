"""Use cases of a payment: ask for money, try a card or a wallet, follow the provider, capture,
cancel. A provider call sits between two short transactions, never inside one: the first claims
the step and its idempotency key, the second records what the provider answered."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.core.errors import ValidationFailed
from oms_app.core.money import to_money
from oms_app.core.permissions import Actor
from oms_app.core.state_machine import apply_transition
from oms_app.orders import billing
from oms_app.payments import (
    attempts,
    lifecycle,  # noqa: F401  (registers the Payment lifecycle)
)
from oms_app.payments.access import may_pay
from oms_app.payments.models import Payment, PaymentEvent
from oms_app.payments.proposals import held_write_offs
from oms_app.payments.provider import PaymentProvider, ProviderError
from oms_app.payments.providers import require_provider
from oms_app.payments.rules import (
    METHODS,
    ONLINE_METHODS,
    UNPAYABLE_ORDER_STATUSES,
    claimable,
    failure_reason,
)
from oms_app.payments.status import OPEN, SETTLED, PaymentAction, PaymentStatus
from oms_app.payments.store import (
    attempt_row,
    get_payment,
    load_payment,
    lock_payment,
    view_for,
)
from oms_app.payments.views import payment_view

CAPTURE_METHODS = ("automatic", "manual")


def create_payment(
    uow,
    *,
    actor: Actor,
    order_number: str,
    method: str,
    amount: Decimal | str | None = None,
    capture_method: str = "automatic",
    return_url: str = "",
    provider: PaymentProvider | None = None,
) -> dict:
    """Ask for (part of) an order's amount by a method; a double submit gets the same payment."""
    if method not in METHODS:
        raise ValidationFailed("method", "error.choice", choices=", ".join(METHODS))
    if capture_method not in CAPTURE_METHODS:
        raise ValidationFailed("capture_method", "error.choice", choices="automatic, manual")
    gateway = require_provider(provider, method) if method in ONLINE_METHODS else None
    wanted = None if amount in (None, "") else _amount(amount)
    with uow:
        facts = billing.billing_facts(uow, number=order_number, lock=True)
        may_pay(actor, facts)
        if facts.status in UNPAYABLE_ORDER_STATUSES:
            raise ValidationFailed("order", "payment.error.order_not_payable", status=facts.status)
        left = claimable(facts.total, _claimed(uow, facts.order_id))
        # a double submit (same method, same or no amount) gets the payment the first one made
        twin = _open_twin(uow, facts.order_id, method, wanted)
        if twin is not None and (wanted is not None or left <= 0):
            return view_for(actor, payment_view(twin))
        replaced = []
        if wanted is None and left <= 0:  # "pay what is owed" another way
            replaced = supersede_unstarted(uow, facts.order_id, actor)
            left = claimable(facts.total, _claimed(uow, facts.order_id))
        if left <= 0:
            raise ValidationFailed("amount", "payment.error.nothing_outstanding")
        wanted = left if wanted is None else wanted
        if wanted > left:
            raise ValidationFailed("amount", "payment.error.exceeds_outstanding", outstanding=left)
        payment = _new_payment(uow, facts, method, wanted, capture_method, gateway, actor)
        uow.commit()
        payment_id = payment.id
    for old_method, ref, old_id in replaced:
        cancel_intent_quietly(provider, old_method, ref, old_id)
    if gateway is not None:
        _open_first_intent(uow, payment_id, gateway, actor, return_url)
    return get_payment(uow, payment_id=payment_id, actor=actor)


def supersede_unstarted(
    uow, order_id: int, actor: Actor, *, keep: int | None = None
) -> list[tuple[str, str, int]]:
    """Cancel the order's payments nobody started paying (failed, or pending without an
    attempt), but `keep`: the payer chose another way. Returns their provider intents."""
    candidates = uow.session.scalars(
        sa.select(Payment)
        .where(
            Payment.order_id == order_id,
            Payment.id != (keep or 0),
            Payment.status.in_([PaymentStatus.PENDING.value, PaymentStatus.FAILED.value]),
        )
        .with_for_update()
    ).all()
    replaced = []
    for p in candidates:
        if p.status == PaymentStatus.PENDING and attempt_row(uow, p.id, p.attempt) is not None:
            continue  # an attempt is under way or unanswered: never cancel money in flight
        apply_transition(uow, p, PaymentAction.CANCEL, actor=actor, reason="superseded")
        replaced.append((p.method, p.provider_ref, p.id))
    return [r for r in replaced if r[1]]


def cancel_intent_quietly(provider, method: str, ref: str, payment_id: int) -> None:
    """Best effort: a failed or unconfirmed intent cannot take money without our confirm."""
    try:
        require_provider(provider, method).cancel(
            ref=ref, key=f"oms-pay-{payment_id}-superseded-{ref}"
        )
    except (ProviderError, ValidationFailed):
        pass


def _open_first_intent(uow, payment_id: int, gateway, actor: Actor, return_url: str) -> None:
    """Open the provider's intent now so the payer gets a client secret, a link or a QR code;
    if the provider does not answer, the payer's first attempt opens it (same key)."""
    try:
        attempts.open_intent(uow, payment_id, gateway, None, actor)
    except ProviderError as err:
        with uow:
            p = lock_payment(uow, payment_id)
            p.needs_attention = "provider_unreachable" if err.unreachable else ""
            p.failure_code = failure_reason(err.code, err.decline_code)
            p.failure_message = err.message[:300]
            uow.session.add(p)
            uow.commit()
        return
    if _method_of(uow, payment_id) in attempts.WALLETS:
        attempts.start_wallet(
            uow, actor=actor, payment_id=payment_id, return_url=return_url, provider=gateway
        )


def _method_of(uow, payment_id: int) -> str:
    with uow:
        return load_payment(uow, payment_id).method


def _amount(value: Decimal | str) -> Decimal:
    """A positive amount with at most two decimal places (never rounded silently)."""
    try:
        exact = Decimal(str(value).strip()) if not isinstance(value, float) else None
        money = to_money(exact) if exact is not None and exact.is_finite() else None
    except (ArithmeticError, ValueError, TypeError):
        money = None
    if money is None:
        raise ValidationFailed("amount", "error.money.invalid")
    if money != exact:
        raise ValidationFailed("amount", "error.money.decimals")
    if money <= 0:
        raise ValidationFailed("amount", "payment.error.amount_positive")
    return money


def _open_twin(uow, order_id: int, method: str, amount: Decimal | None) -> Payment | None:
    stmt = sa.select(Payment).where(
        Payment.order_id == order_id,
        Payment.method == method,
        Payment.status.in_([s.value for s in OPEN | {PaymentStatus.FAILED}]),
    )
    if amount is not None:
        stmt = stmt.where(Payment.amount == amount)
    return uow.session.scalar(stmt.order_by(Payment.id.desc()).limit(1))


def _claimed(uow, order_id: int, *, besides: int | None = None) -> Decimal:
    """What open, failed-but-retryable and kept payments already ask of the order, and the
    write-offs proposed on it (`besides` one of them)."""
    asking = [s.value for s in OPEN | SETTLED | {PaymentStatus.FAILED}]
    total = uow.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Payment.amount - Payment.refunded_amount), 0)).where(
            Payment.order_id == order_id, Payment.status.in_(asking)
        )
    )
    return Decimal(total) + held_write_offs(uow, order_id, besides=besides)


def _new_payment(uow, facts, method, amount, capture_method, gateway, actor) -> Payment:
    payment = Payment(
        order_id=facts.order_id,
        order_number=facts.number,
        customer_id=facts.customer_id,
        method=method,
        provider=gateway.name if gateway else "offline",
        amount=amount,
        currency=facts.currency,
        capture_method=capture_method if method == "card" else "automatic",
        created_by=actor.user_id,
    )
    uow.session.add(payment)
    uow.session.flush()
    uow.session.add(
        PaymentEvent(
            payment_id=payment.id,
            from_status="",
            to_status=PaymentStatus.PENDING,
            action="create",
            actor_id=actor.user_id,
            actor_name=actor.username,
            params={"method": method, "amount": str(amount)},
        )
    )
    audit.record(
        uow,
        actor=actor,
        action="payment.create",
        entity="payment",
        entity_id=payment.id,
        order=facts.number,
        method=method,
        amount=amount,
    )
    return payment

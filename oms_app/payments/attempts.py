"""Attempts at paying online. Each attempt has its own provider intent and idempotency keys:
a retry after a failure cancels the failed intent before it opens a new one, so at most one
intent of a payment can ever take money, and repeating a call never charges twice.

Every provider call sits between two short transactions: the first claims the attempt, the
second records the answer. A call that got no answer leaves the attempt "unknown"; the next try
(or reconciliation) asks the provider what happened before anything else is done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from oms_app.core.clock import utcnow
from oms_app.core.errors import ValidationFailed
from oms_app.core.permissions import Actor
from oms_app.core.state_machine import apply_transition
from oms_app.orders import billing
from oms_app.payments.access import may_pay
from oms_app.payments.errors import PaymentConflict
from oms_app.payments.models import PaymentAttempt
from oms_app.payments.provider import PaymentProvider, ProviderError
from oms_app.payments.providers import require_provider
from oms_app.payments.rules import attempt_key, failure_reason
from oms_app.payments.status import SETTLED, PaymentAction, PaymentStatus
from oms_app.payments.store import attempt_row, get_payment, load_payment, lock_payment
from oms_app.payments.tracking import apply_intent, finish_attempt, record_intent

# An attempt still "started" after this long crashed mid-way: find out instead of waiting.
STALE_ATTEMPT = timedelta(minutes=2)
WALLETS = ("alipay", "wechat_pay")
PAYMENT_METHOD_ID = re.compile(r"^(pm|card|src)_[A-Za-z0-9]{4,60}$")


@dataclass(frozen=True)
class Attempt:
    number: int
    key: str
    ref: str  # the intent to confirm; "" when this attempt needs a new one
    old_ref: str  # the failed attempt's intent, cancelled before a new one opens


def pay_by_card(
    uow,
    *,
    actor: Actor,
    payment_id: int,
    payment_method: str,
    provider: PaymentProvider | None = None,
) -> dict:
    """Confirm a card payment with the card the payer entered in Stripe.js (its id only)."""
    _may_pay_for(uow, actor, payment_id)  # who asks comes first: no other answer tells them
    if not PAYMENT_METHOD_ID.match(payment_method or ""):
        raise ValidationFailed("payment_method", "payment.error.payment_method")
    gateway = require_provider(provider, "card")
    attempt = _begin(uow, actor, payment_id, "card", gateway)
    try:
        ref = attempt.ref or open_intent(uow, payment_id, gateway, attempt, actor)
        state = gateway.confirm_card(
            ref=ref, payment_method=payment_method, attempt=attempt.number, key=attempt.key
        )
    except ProviderError as err:
        return record_failure(uow, payment_id, attempt.number, err, actor)
    return record_intent(
        uow, payment_id=payment_id, state=state, actor=actor, attempt=attempt.number
    )


def start_wallet(
    uow,
    *,
    actor: Actor,
    payment_id: int,
    return_url: str = "",
    provider: PaymentProvider | None = None,
) -> dict:
    """Start (or retry) an Alipay redirect or a WeChat Pay QR code."""
    _may_pay_for(uow, actor, payment_id)
    with uow:
        method = load_payment(uow, payment_id).method
    if method not in WALLETS:
        raise ValidationFailed("method", "payment.error.not_wallet")
    gateway = require_provider(provider, method)
    attempt = _begin(uow, actor, payment_id, method, gateway)
    try:
        ref = attempt.ref or open_intent(uow, payment_id, gateway, attempt, actor)
        state = gateway.start_wallet(
            ref=ref,
            method=method,
            attempt=attempt.number,
            return_url=return_url,
            key=attempt.key,
        )
    except ProviderError as err:
        return record_failure(uow, payment_id, attempt.number, err, actor)
    return record_intent(
        uow, payment_id=payment_id, state=state, actor=actor, attempt=attempt.number
    )


def open_intent(uow, payment_id: int, gateway, attempt: Attempt | None, actor: Actor) -> str:
    """Create the intent of an attempt (the first one when `attempt` is None); its ref."""
    number = attempt.number if attempt else 1
    if attempt is not None and attempt.old_ref:
        _cancel_failed_intent(uow, payment_id, gateway, attempt.old_ref, actor)
    with uow:
        p = load_payment(uow, payment_id)
        args = dict(
            payment_id=p.id,
            order_number=p.order_number,
            amount=p.amount,
            currency=p.currency,
            method=p.method,
            capture_method=p.capture_method,
        )
    state = gateway.create_intent(**args, key=attempt_key(payment_id, number, "create"))
    with uow:
        p = lock_payment(uow, payment_id)
        p.provider_ref, p.client_secret = state.ref, state.client_secret
        row = attempt_row(uow, payment_id, number)
        if row is not None:
            row.provider_ref = state.ref
        uow.session.add(p)
        uow.commit()
    return state.ref


def _cancel_failed_intent(uow, payment_id, gateway, ref: str, actor: Actor) -> None:
    """Make sure the failed intent can never take money; if it did after all, keep that."""
    try:
        gateway.cancel(ref=ref, key=f"{attempt_key(payment_id, 0, 'cancel')}-{ref}")
        return
    except ProviderError as err:
        if err.unreachable:
            raise
    state = gateway.retrieve(ref=ref)
    if state.status == "succeeded":
        record_intent(uow, payment_id=payment_id, state=state, actor=actor, source="retry")
        raise PaymentConflict("already_paid")


def _may_pay_for(uow, actor: Actor, payment_id: int) -> None:
    """Refuse anyone who may not pay this payment's order, before anything else is looked at."""
    with uow:
        p = load_payment(uow, payment_id)
        may_pay(actor, billing.billing_facts(uow, order_id=p.order_id))


def _begin(uow, actor: Actor, payment_id: int, method: str, gateway) -> Attempt:
    """Claim the next attempt, after finding out what an unanswered one did."""
    _settle_unknown_attempt(uow, payment_id, gateway, actor)
    with uow:
        p = lock_payment(uow, payment_id)
        may_pay(actor, billing.billing_facts(uow, order_id=p.order_id))
        if p.method != method:
            raise ValidationFailed("method", "payment.error.wrong_method", method=p.method)
        last = attempt_row(uow, p.id, p.attempt)
        retry = p.status == PaymentStatus.FAILED
        if retry:
            apply_transition(
                uow, p, PaymentAction.RETRY, actor=actor, params={"attempt": p.attempt + 1}
            )
        elif p.status != PaymentStatus.PENDING:
            raise PaymentConflict("already_paid" if p.status in SETTLED else "not_payable")
        elif last is not None and last.outcome == "started":
            raise PaymentConflict("attempt_in_progress")
        old_ref = ""
        if retry or last is not None:  # the last attempt is over: this one gets a new intent
            p.attempt += 1
            old_ref, p.provider_ref, p.client_secret = p.provider_ref, "", ""
            p.failure_code, p.failure_message = "", ""
        key = attempt_key(p.id, p.attempt, "confirm")
        uow.session.add(
            PaymentAttempt(
                payment_id=p.id, number=p.attempt, idempotency_key=key, provider_ref=p.provider_ref
            )
        )
        uow.session.add(p)
        attempt = Attempt(p.attempt, key, p.provider_ref, old_ref)
        uow.commit()
    return attempt


def _settle_unknown_attempt(uow, payment_id: int, gateway, actor: Actor) -> None:
    """An attempt that got no answer (or crashed): ask the provider and record what it says."""
    with uow:
        p = load_payment(uow, payment_id)
        last = attempt_row(uow, p.id, p.attempt)
        stale = (
            last is not None
            and last.outcome == "started"
            and (utcnow() - last.started_at > STALE_ATTEMPT)
        )
        if last is None or not (last.outcome == "unknown" or stale) or not p.provider_ref:
            return
        ref, number = p.provider_ref, last.number
    try:
        state = gateway.retrieve(ref=ref)
    except ProviderError as err:
        raise PaymentConflict("provider_unreachable") from err
    with uow:
        p = lock_payment(uow, payment_id)
        row = attempt_row(uow, payment_id, number)
        row.finished_at = None
        finish_attempt(uow, payment_id, number, state)
        if state.status == "requires_confirmation":
            row.outcome = "failed"  # never confirmed: nothing happened
        apply_intent(uow, p, state, actor=actor, source="retry")
        uow.commit()


def record_failure(uow, payment_id: int, number: int, err: ProviderError, actor: Actor) -> dict:
    """A refused attempt fails the payment; an unanswered one is left to be found out."""
    with uow:
        p = lock_payment(uow, payment_id)
        row = attempt_row(uow, payment_id, number)
        reason = failure_reason(err.code, err.decline_code)
        row.outcome = "unknown" if err.unreachable else "failed"
        row.failure_code, row.failure_message = reason, err.message[:300]
        row.finished_at = utcnow()
        if err.unreachable:
            p.needs_attention = "provider_unreachable"
            p.failure_code, p.failure_message = reason, err.message[:300]
            uow.session.add(p)
        elif p.status in (
            PaymentStatus.PENDING,
            PaymentStatus.REQUIRES_ACTION,
            PaymentStatus.PROCESSING,
        ):
            p.failure_code, p.failure_message = reason, err.message[:300]
            apply_transition(
                uow,
                p,
                PaymentAction.FAIL,
                actor=actor,
                reason=reason,
                params={"provider_code": err.code, "decline_code": err.decline_code},
            )
        uow.commit()
    return get_payment(uow, payment_id=payment_id, actor=actor)

"""Following the provider: its view of an intent becomes a transition of our payment, when the
machine allows it. Whatever the source (an API answer, a webhook, reconciliation), a payment
never moves backwards and news of an attempt the payer abandoned never fails the current one.
Success is the one exception to "never backwards": a payment marked failed (a decline heard
before the charge that followed it) succeeds when the provider says the money arrived."""

from __future__ import annotations

from oms_app.core.clock import utcnow
from oms_app.core.permissions import Actor
from oms_app.core.state_machine import apply_transition
from oms_app.payments.models import Payment
from oms_app.payments.order_status import refresh_order_payment_status
from oms_app.payments.posting import book_money_in
from oms_app.payments.provider import IntentState
from oms_app.payments.rules import INTENT_STATUS_ACTIONS, failure_reason
from oms_app.payments.status import PAYMENT_MACHINE, PaymentAction, PaymentStatus
from oms_app.payments.store import attempt_row, get_payment, lock_payment

# The history reason of a payment that succeeded after it had been marked failed.
LATE_SUCCESS = "provider reports the intent succeeded after a failure"


def apply_intent(uow, p: Payment, state: IntentState, *, actor: Actor, source: str) -> bool:
    """The transition the provider's state asks for, if legal and current; True if moved."""
    if state.ref != p.provider_ref and state.status != "succeeded":
        return False  # an earlier attempt's intent: the payer has moved on
    failed = state.status == "requires_payment_method" and (
        state.failure_code or state.decline_code
    )
    action = PaymentAction.FAIL if failed else INTENT_STATUS_ACTIONS.get(state.status)
    if action is None or not PAYMENT_MACHINE.can(p.status, action):
        return False
    params = {"provider_status": state.status, "source": source, "intent": state.ref}
    reason = ""
    if action is PaymentAction.FAIL:
        p.failure_code = failure_reason(state.failure_code, state.decline_code)
        p.failure_message = state.failure_message[:300]
        reason = p.failure_code
    if action is PaymentAction.SUCCEED:
        if p.status == PaymentStatus.FAILED:  # audited: what failure the success overrides
            reason, params["overrides_failure"] = LATE_SUCCESS, p.failure_code
            p.failure_code, p.failure_message = "", ""
        p.succeeded_at = utcnow()
    p.next_action = state.next_action if action is PaymentAction.REQUIRE_ACTION else {}
    p.needs_attention = ""
    apply_transition(uow, p, action, actor=actor, reason=reason, params=params)
    if action is PaymentAction.SUCCEED:
        book_money_in(uow, p)
    refresh_order_payment_status(uow, order_id=p.order_id)
    return True


def record_intent(
    uow,
    *,
    payment_id: int,
    state: IntentState,
    actor: Actor,
    attempt: int | None = None,
    source: str = "api",
) -> dict:
    """Close the attempt with the provider's answer and follow it; return the payment."""
    with uow:
        p = lock_payment(uow, payment_id)
        if attempt is not None:
            finish_attempt(uow, p.id, attempt, state)
        apply_intent(uow, p, state, actor=actor, source=source)
        uow.commit()
    return get_payment(uow, payment_id=payment_id, actor=actor)


def finish_attempt(uow, payment_id: int, number: int, state: IntentState) -> None:
    row = attempt_row(uow, payment_id, number)
    if row is None or row.finished_at is not None:
        return
    failed = state.status in ("requires_payment_method", "canceled")
    row.outcome = "failed" if failed else "ok"
    row.failure_code = failure_reason(state.failure_code, state.decline_code) if failed else ""
    row.failure_message = state.failure_message[:300]
    row.finished_at = utcnow()

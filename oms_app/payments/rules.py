"""Pure rules of payments: methods, amounts in minor units, the order's derived payment status,
what a provider's status or webhook means for our machine, and the payer-facing failure reasons."""

from __future__ import annotations

from decimal import Decimal

from oms_app.payments.status import OrderPaymentStatus, PaymentAction, PaymentStatus

ONLINE_METHODS = ("card", "alipay", "wechat_pay")
OFFLINE_METHODS = ("bank_transfer", "cod")
METHODS = (*ONLINE_METHODS, *OFFLINE_METHODS)
# Orders that can take money: everything submitted that was not refused or abandoned.
UNPAYABLE_ORDER_STATUSES = frozenset({"draft", "rejected", "cancelled"})
# Currencies without minor units at Stripe (none of ours today, but amounts must not be x100).
ZERO_DECIMAL = frozenset({"jpy", "krw", "vnd"})


def to_minor_units(amount: Decimal, currency: str) -> int:
    """Decimal money -> the integer Stripe expects (fen for CNY)."""
    factor = 1 if currency.lower() in ZERO_DECIMAL else 100
    return int((amount * factor).to_integral_value())


def from_minor_units(value: int, currency: str) -> Decimal:
    factor = 1 if currency.lower() in ZERO_DECIMAL else 100
    return (Decimal(value) / factor).quantize(Decimal("0.01"))


def net_paid(payments: list[tuple[PaymentStatus, Decimal, Decimal]]) -> Decimal:
    """Money kept from settled payments: amount minus refunds; (status, amount, refunded)."""
    settled = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)
    return sum((a - r for s, a, r in payments if s in settled), Decimal("0.00"))


def order_payment_status(
    total: Decimal, payments: list[tuple[PaymentStatus, Decimal, Decimal]]
) -> OrderPaymentStatus:
    """Unpaid, partially paid, paid or refunded, from the order total and its payments."""
    kept = net_paid(payments)
    if kept >= total > 0:
        return OrderPaymentStatus.PAID
    if kept > 0:
        return OrderPaymentStatus.PARTIALLY_PAID
    refunded = any(s is PaymentStatus.REFUNDED for s, _, _ in payments)
    return OrderPaymentStatus.REFUNDED if refunded else OrderPaymentStatus.UNPAID


def claimable(total: Decimal, claimed: Decimal) -> Decimal:
    """What a new payment may still ask for: the total less what open or kept payments claim."""
    return max(total - claimed, Decimal("0.00"))


# Stripe PaymentIntent status -> the action that brings our payment there.
INTENT_STATUS_ACTIONS: dict[str, PaymentAction] = {
    "requires_action": PaymentAction.REQUIRE_ACTION,
    "processing": PaymentAction.PROCESS,
    "requires_capture": PaymentAction.AUTHORIZE,
    "succeeded": PaymentAction.SUCCEED,
    "canceled": PaymentAction.CANCEL,
}
# Webhook event type -> the action it asks for (charge.refunded is handled by amount).
WEBHOOK_ACTIONS: dict[str, PaymentAction] = {
    "payment_intent.succeeded": PaymentAction.SUCCEED,
    "payment_intent.payment_failed": PaymentAction.FAIL,
    "payment_intent.processing": PaymentAction.PROCESS,
    "payment_intent.requires_action": PaymentAction.REQUIRE_ACTION,
    "payment_intent.amount_capturable_updated": PaymentAction.AUTHORIZE,
    "payment_intent.canceled": PaymentAction.CANCEL,
}

# Provider decline and error codes -> our reason (payment.failure.<reason> in the catalogues).
FAILURE_REASONS: dict[str, str] = {
    "card_declined": "declined",
    "generic_decline": "declined",
    "do_not_honor": "declined",
    "insufficient_funds": "insufficient_funds",
    "expired_card": "expired_card",
    "incorrect_cvc": "incorrect_cvc",
    "invalid_cvc": "incorrect_cvc",
    "incorrect_number": "incorrect_number",
    "invalid_number": "incorrect_number",
    "processing_error": "processing_error",
    "payment_intent_authentication_failure": "authentication_failed",
    "authentication_required": "authentication_failed",
    "network_error": "network_error",
    "timeout": "timeout",
}


def failure_reason(code: str, decline_code: str = "") -> str:
    """The payer-facing reason for a provider's error (the decline code is the more precise)."""
    for candidate in (decline_code, code):
        if candidate in FAILURE_REASONS:
            return FAILURE_REASONS[candidate]
    return "declined" if code or decline_code else "unknown"


def attempt_key(payment_id: int, attempt: int, step: str) -> str:
    """The idempotency key of one step of one attempt (create, confirm, capture, cancel)."""
    return f"oms-pay-{payment_id}-a{attempt}-{step}"


def refund_key(payment_id: int, refund_no: int) -> str:
    return f"oms-refund-{payment_id}-{refund_no}"


def four_eyes_refusal(
    *, actor_id: int | None, proposed_by: int | None, order_created_by: int | None
) -> str | None:
    """Why this person may not release money going out (None when they may): a person must,
    and not the one who proposed it nor the one who entered the order."""
    if actor_id is None:
        return "release_needs_a_person"
    if actor_id == proposed_by:
        return "own_proposal"
    if actor_id == order_created_by:
        return "own_order"
    return None

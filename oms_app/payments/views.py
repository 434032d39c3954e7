"""How a payment is shown to the UI and the API (typed dicts, never ORM objects)."""

from __future__ import annotations

from oms_app.payments.models import Payment
from oms_app.payments.status import PAYMENT_MACHINE, PaymentStatus


def payment_view(p: Payment) -> dict:
    """The payment with what its payer needs next: a client secret, a redirect or a QR code."""
    status = PaymentStatus(p.status)
    return {
        "id": p.id,
        "order_number": p.order_number,
        "method": p.method,
        "provider": p.provider,
        "status": status.value,
        "amount": str(p.amount),
        "refunded_amount": str(p.refunded_amount),
        "currency": p.currency,
        "capture_method": p.capture_method,
        "attempt": p.attempt,
        "client_secret": p.client_secret if p.method == "card" and _open(status) else None,
        "redirect_url": p.next_action.get("redirect_url") if _open(status) else None,
        "qr_code": p.next_action.get("qr_code") if _open(status) else None,
        "failure_code": p.failure_code,
        "failure_message": p.failure_message,
        "reference": p.reference,
        "needs_attention": p.needs_attention,
        "allowed_actions": [a.value for a in PAYMENT_MACHINE.allowed_actions(status)],
        "succeeded_at": p.succeeded_at.isoformat() if p.succeeded_at else None,
        "created_at": p.created_at.isoformat() if p.created_at else None,
    }


def _open(status: PaymentStatus) -> bool:
    return status in (PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION, PaymentStatus.FAILED)

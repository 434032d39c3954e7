"""What a customer (or whoever holds a payment link) sees of an order's payments: an allow-list.

Provider references, attempts, capture mode, finance's attention flags and the provider's raw
failure text are ours; the payer gets what they paid, where it stands, and what they need to
finish paying (client secret, redirect or QR code of an open payment of their own).
"""

from __future__ import annotations

PAYMENT_FIELDS = (
    "id",  # the pay page resumes its own open payment by it
    "order_number",
    "method",
    "status",
    "amount",
    "refunded_amount",
    "currency",
    "client_secret",
    "redirect_url",
    "qr_code",
    "failure_code",
    "succeeded_at",
    "created_at",
)
SUMMARY_FIELDS = ("order_number", "payment_status", "total", "paid", "outstanding", "currency")
INVOICE_FIELDS = ("number", "order_number", "amount", "currency", "due_date", "paid")
HISTORY_FIELDS = ("from", "to", "action", "at")


def payment_view(payment: dict) -> dict:
    """The payer's view of one payment (from `views.payment_view`)."""
    return {key: payment[key] for key in PAYMENT_FIELDS}


def summary_view(summary: dict) -> dict:
    """The payer's view of `queries.order_payment_summary`."""
    invoice = summary["invoice"]
    return {
        **{key: summary[key] for key in SUMMARY_FIELDS},
        "payments": [payment_view(p) for p in summary["payments"]],
        "invoice": {key: invoice[key] for key in INVOICE_FIELDS} if invoice else None,
    }


def history_view(rows: list[dict]) -> list[dict]:
    """A payment's status changes without who made them or why (staff names, our notes)."""
    return [{key: row[key] for key in HISTORY_FIELDS} for row in rows]

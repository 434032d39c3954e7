"""How payment states look: the order's payment status and each payment's status."""

from __future__ import annotations

import reflex as rx

ORDER_PAYMENT_COLORS = {
    "unpaid": "orange",
    "partially_paid": "amber",
    "paid": "green",
    "refunded": "gray",
}
PAYMENT_COLORS = {
    "pending": "gray",
    "requires_action": "amber",
    "processing": "blue",
    "authorized": "iris",
    "succeeded": "green",
    "failed": "red",
    "cancelled": "gray",
    "partially_refunded": "amber",
    "refunded": "gray",
}


def payment_badge(t: rx.Var, status: rx.Var, size: str | rx.Var = "1") -> rx.Component:
    """The order's payment status (nothing when unknown)."""
    return rx.cond(
        status != "",
        rx.badge(
            t["payment_status." + status],
            color_scheme=rx.match(
                status, *[(k, v) for k, v in ORDER_PAYMENT_COLORS.items()], "gray"
            ),
            variant="soft",
            size=size,
            class_name="payment-status",
        ),
    )


def payment_state_badge(t: rx.Var, status: rx.Var) -> rx.Component:
    """One payment's status."""
    return rx.badge(
        t["payment.status." + status],
        color_scheme=rx.match(status, *[(k, v) for k, v in PAYMENT_COLORS.items()], "gray"),
        variant="soft",
    )

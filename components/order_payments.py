"""The order page's payments: the order's payment status, what is paid and owed, each payment
with its state and failure reason, and (for staff) the payment link to send the customer."""

from __future__ import annotations

import reflex as rx

from components.money import grouped, yuan
from components.payment_badges import payment_badge, payment_state_badge


def _payment_row(t: rx.Var, p: rx.Var, tz: rx.Var) -> rx.Component:
    failed = p["failure_code"].to(str) != ""
    return rx.table.row(
        rx.table.cell(t["payment.method." + p["method"].to(str)]),
        rx.table.cell(grouped(p["amount"]), " ", p["currency"]),
        rx.table.cell(
            payment_state_badge(t, p["status"].to(str)),
            rx.cond(
                failed & (p["status"].to(str) == "failed"),
                rx.text(
                    t["payment.failure." + p["failure_code"].to(str)], size="1", color_scheme="red"
                ),
            ),
        ),
        rx.table.cell(
            rx.cond(
                p["refunded_amount"].to(str) != "0.00",
                rx.text("−", p["refunded_amount"], size="1", color_scheme="gray"),
            )
        ),
        rx.table.cell(
            rx.cond(
                p["created_at"].to(str) != "",
                rx.moment(p["created_at"], format="MM-DD HH:mm", tz=tz),
            ),
            size="1",
        ),
        class_name="payment-row",
    )


def payment_panel(
    t: rx.Var, summary: rx.Var, rows: rx.Var, pay_url: rx.Var, tz: rx.Var, *, staff: rx.Var
) -> rx.Component:
    """Paid and owed at a glance, then the payments; staff copy the payment link to send,
    the customer follows it to pay."""
    owed = (summary["outstanding"].to(str) != "0.00") & (summary["outstanding"].to(str) != "")
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(t["payments.title"], size="3"),
                rx.spacer(),
                payment_badge(t, summary["payment_status"].to(str), "2"),
                width="100%",
                align="center",
                id="order-payment-status",
            ),
            rx.hstack(
                rx.text(t["payments.paid"], ": ", yuan(summary["paid"]), id="order-paid"),
                rx.text(
                    t["payments.outstanding"],
                    ": ",
                    yuan(summary["outstanding"]),
                    id="order-outstanding",
                ),
                spacing="4",
            ),
            rx.cond(
                rows.length() > 0,
                rx.table.root(
                    rx.table.body(rx.foreach(rows, lambda p: _payment_row(t, p, tz))),
                    size="1",
                    width="100%",
                ),
                rx.text(t["payments.none"], size="1", color_scheme="gray"),
            ),
            rx.cond(
                ~staff & owed & (pay_url != ""),
                rx.link(
                    rx.button(t["payments.pay_now"], width="100%", id="order-pay-now"),
                    href=pay_url,
                    width="100%",
                ),
            ),
            rx.cond(
                staff & (pay_url != ""),
                rx.hstack(
                    rx.input(value=pay_url, read_only=True, size="1", flex="1", id="pay-link"),
                    rx.icon_button(
                        rx.icon("copy", size=14),
                        size="1",
                        variant="soft",
                        on_click=rx.set_clipboard(pay_url),
                        aria_label=t["payments.copy_link"],
                        title=t["payments.copy_link"],
                    ),
                    width="100%",
                ),
            ),
            width="100%",
            spacing="2",
        ),
        width="100%",
    )


def payment_record(t: rx.Var, record: rx.Var) -> rx.Component:
    """For the approver: how the customer paid its invoices over the last 12 months."""
    late = record["paid_late"].to(int) + record["overdue_now"].to(int)
    return rx.cond(
        record.length() > 0,
        rx.vstack(
            rx.text(
                t["order.summary_payments"],
                ": ",
                record["invoices"],
                " · ",
                t["order.summary_paid_late"],
                " ",
                record["paid_late"],
                size="2",
                id="customer-payment-record",
            ),
            rx.cond(
                late > 0,
                rx.text(
                    t["order.summary_days_late"],
                    ": ",
                    record["avg_days_late"],
                    size="2",
                    color_scheme="orange",
                ),
            ),
            rx.cond(
                record["overdue_now"].to(int) > 0,
                rx.text(
                    t["order.summary_overdue"],
                    ": ",
                    record["overdue_now"],
                    " · ¥",
                    record["overdue_amount"],
                    size="2",
                    color_scheme="red",
                    weight="bold",
                    id="customer-overdue",
                ),
            ),
            spacing="1",
        ),
    )

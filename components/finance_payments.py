"""Pieces of the finance payments board: attention rows, overdue invoices, the receipt form
(with a TOTP code), the refund and write-off proposal dialogs, and the proposals a second
person releases (with a TOTP code) or declines."""

from __future__ import annotations

import reflex as rx

from components.money import grouped
from components.payment_badges import payment_state_badge


def attention_row(t, on_check, on_refund, tz):
    def row(p):
        return rx.table.row(
            rx.table.cell(rx.link(p["order_number"], href="/orders/" + p["order_number"].to(str))),
            rx.table.cell(p["customer"]),
            rx.table.cell(t["payment.method." + p["method"].to(str)], white_space="nowrap"),
            rx.table.cell(grouped(p["amount"]), text_align="right"),
            rx.table.cell(payment_state_badge(t, p["status"].to(str))),
            rx.table.cell(
                t["finance.reason." + p["reason"].to(str)], class_name="attention-reason"
            ),
            rx.table.cell(rx.moment(p["updated_at"], format="MM-DD HH:mm", tz=tz)),
            rx.table.cell(
                rx.hstack(
                    rx.cond(
                        p["provider"].to(str) == "stripe",
                        rx.button(
                            t["finance.check"], size="1", variant="soft", on_click=on_check(p["id"])
                        ),
                    ),
                    rx.cond(
                        p["allowed_actions"].to(list[str]).contains("refund_part"),
                        rx.button(
                            t["finance.refund"],
                            size="1",
                            variant="soft",
                            color_scheme="red",
                            on_click=on_refund(p["id"]),
                        ),
                    ),
                )
            ),
            class_name="attention-row",
        )

    return row


def overdue_invoices(
    t, invoices: rx.Var, loaded: rx.Var, pager: rx.Component, on_write_off
) -> rx.Component:
    """The overdue invoices, a page at a time, each with a write-off proposal; nothing is said
    about them before they came."""
    found = rx.cond(
        invoices.length() > 0,
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(t[h])
                        for h in (
                            "finance.invoice",
                            "col.order",
                            "col.customer",
                            "col.amount",
                            "finance.due",
                            "finance.days_overdue",
                            "",
                        )
                    ]
                )
            ),
            rx.table.body(
                rx.foreach(
                    invoices,
                    lambda i: rx.table.row(
                        rx.table.cell(i["number"], white_space="nowrap"),
                        rx.table.cell(i["order_number"], white_space="nowrap"),
                        rx.table.cell(i["customer"]),
                        rx.table.cell(grouped(i["amount"]), text_align="right"),
                        rx.table.cell(i["due_date"], white_space="nowrap"),
                        rx.table.cell(rx.badge(i["days_overdue"], color_scheme="red")),
                        rx.table.cell(
                            rx.button(
                                t["finance.write_off"],
                                size="1",
                                variant="soft",
                                on_click=on_write_off(i["order_number"]),
                                class_name="write-off-button",
                            )
                        ),
                    ),
                )
            ),
            size="1",
            width="100%",
            id="overdue-invoices",
        ),
        rx.text(t["finance.no_overdue"], size="2", color_scheme="gray"),
    )
    return rx.cond(
        loaded,
        rx.vstack(found, pager, width="100%"),
        rx.hstack(rx.spinner(), rx.text(t["list.loading"], size="2", color_scheme="gray")),
    )


def _totp_input() -> rx.Component:
    return rx.input(
        name="totp_code",
        placeholder="TOTP",
        input_mode="numeric",
        auto_complete="one-time-code",
        width="7em",
        max_length=8,
    )


def receipt_form(t, on_submit, form_key) -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(name="order", placeholder=t["col.order"], width="12em", id="receipt-order"),
            rx.input(
                name="amount",
                placeholder=t["col.amount"],
                input_mode="decimal",
                width="9em",
                id="receipt-amount",
            ),
            rx.input(
                name="reference",
                placeholder=t["finance.reference"],
                width="14em",
                id="receipt-reference",
            ),
            _totp_input(),
            rx.button(t["finance.record_receipt"], type="submit", id="receipt-submit"),
            wrap="wrap",
            align="center",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        key=form_key,
    )


def refund_dialog(t, open_: rx.Var, on_submit, on_close, error: rx.Var) -> rx.Component:
    """Propose a refund of a payment."""
    return _proposal_dialog(
        t, "finance.refund", "finance.refund_reason", "finance.propose_refund", "refund-propose"
    )(open_, on_submit, on_close, error)


def write_off_dialog(t, order: rx.Var, on_submit, on_close, error: rx.Var) -> rx.Component:
    """Propose writing off (part of) an order's unpaid balance."""
    return _proposal_dialog(
        t,
        "finance.write_off",
        "finance.write_off_reason",
        "finance.propose_write_off",
        "write-off-propose",
        subject=order,
    )(order != "", on_submit, on_close, error)


def _proposal_dialog(t, title: str, reason: str, submit: str, submit_id: str, subject=None):
    """A money proposal: it waits for a second finance user, so no TOTP code here."""

    def dialog(open_: rx.Var, on_submit, on_close, error: rx.Var) -> rx.Component:
        return rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title(t[title], " ", subject if subject is not None else ""),
                rx.dialog.description(t["finance.four_eyes_hint"], size="2"),
                rx.form(
                    rx.vstack(
                        rx.input(name="amount", placeholder=t["col.amount"], input_mode="decimal"),
                        rx.input(name="reason", placeholder=t[reason]),
                        rx.cond(error != "", rx.text(error, color_scheme="red", size="2")),
                        rx.hstack(
                            rx.button(
                                t["finance.cancel"],
                                type="button",
                                variant="soft",
                                on_click=on_close,
                            ),
                            rx.button(t[submit], type="submit", color_scheme="red", id=submit_id),
                        ),
                    ),
                    on_submit=on_submit,
                ),
            ),
            open=open_,
            on_open_change=lambda _: on_close(),
        )

    return dialog


def _proposal_row(t, p, on_decide, on_withdraw, tz) -> rx.Component:
    mine = p["mine"].to(bool)
    return rx.table.row(
        rx.table.cell(t["finance.kind." + p["kind"].to(str)]),
        rx.table.cell(rx.link(p["order_number"], href="/orders/" + p["order_number"].to(str))),
        rx.table.cell(grouped(p["amount"]), text_align="right"),
        rx.table.cell(p["reason"]),
        rx.table.cell(p["proposed_by"]),
        rx.table.cell(rx.moment(p["created_at"], format="MM-DD HH:mm", tz=tz)),
        rx.table.cell(
            rx.cond(
                mine,
                rx.hstack(
                    rx.badge(t["finance.waiting_second"], color_scheme="orange"),
                    rx.button(
                        t["finance.withdraw"],
                        size="1",
                        variant="soft",
                        on_click=on_withdraw(p["id"]),
                    ),
                ),
                rx.hstack(
                    rx.button(
                        t["finance.release"],
                        size="1",
                        color_scheme="red",
                        on_click=on_decide(p["id"], "release"),
                        class_name="proposal-release",
                    ),
                    rx.button(
                        t["finance.decline"],
                        size="1",
                        variant="soft",
                        on_click=on_decide(p["id"], "decline"),
                    ),
                ),
            )
        ),
        class_name="proposal-row",
    )


def proposals_table(t, rows: rx.Var, on_decide, on_withdraw, tz) -> rx.Component:
    """Refunds and write-offs waiting for a second person: others release or decline them,
    the proposer may withdraw."""
    heads = ("finance.kind", "col.order", "col.amount", "finance.why", "finance.proposed_by", "")
    return rx.cond(
        rows.length() > 0,
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(t[h]) for h in heads])),
            rx.table.body(
                rx.foreach(rows, lambda p: _proposal_row(t, p, on_decide, on_withdraw, tz))
            ),
            size="1",
            width="100%",
            id="proposals",
        ),
        rx.text(t["finance.no_proposals"], size="2", color_scheme="gray"),
    )


def decision_dialog(t, mode: rx.Var, on_submit, on_close, error: rx.Var) -> rx.Component:
    """Release (with a TOTP code) or decline (with a reason) a proposal of another clerk."""
    releasing = mode == "release"
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(releasing, t["finance.release"], t["finance.decline"])),
            rx.form(
                rx.vstack(
                    rx.cond(
                        releasing,
                        _totp_input(),
                        rx.input(name="reason", placeholder=t["finance.decline_reason"]),
                    ),
                    rx.cond(error != "", rx.text(error, color_scheme="red", size="2")),
                    rx.hstack(
                        rx.button(
                            t["finance.cancel"], type="button", variant="soft", on_click=on_close
                        ),
                        rx.button(
                            rx.cond(releasing, t["finance.release"], t["finance.decline"]),
                            type="submit",
                            color_scheme="red",
                            id="proposal-decide",
                        ),
                    ),
                ),
                on_submit=on_submit,
            ),
        ),
        open=mode != "",
        on_open_change=lambda _: on_close(),
    )

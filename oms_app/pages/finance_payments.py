"""/finance/payments: what finance must look at, and where it records money by hand."""

from __future__ import annotations

import reflex as rx

from components.finance_payments import (
    attention_row,
    decision_dialog,
    overdue_invoices,
    proposals_table,
    receipt_form,
    refund_dialog,
    write_off_dialog,
)
from components.warehouse_forms import paged_table, pager
from oms_app.pages.layout import shell
from state.finance_payments import FinancePaymentsState as S

HEAD = [
    "col.order",
    "col.customer",
    "col.method",
    "col.amount",
    "col.status",
    "finance.why",
    "col.updated",
    "",
]


def finance_payments_page() -> rx.Component:
    t = S.t
    return shell(
        "finance.payments_title",
        rx.vstack(
            rx.cond(
                S.notice != "", rx.callout(S.notice, color_scheme="green", id="finance-notice")
            ),
            rx.cond(
                S.form_error != "", rx.callout(S.form_error, color_scheme="red", id="finance-error")
            ),
            rx.heading(t["finance.record_receipt"], size="3"),
            receipt_form(t, S.record_receipt, S.form_key),
            rx.heading(t["finance.proposals"], size="3"),
            proposals_table(t, S.proposals, S.ask_decision, S.withdraw, S.tz),
            rx.heading(t["finance.attention"], size="3"),
            rx.cond(S.list_error != "", rx.callout(S.list_error, color_scheme="red")),
            paged_table(
                t,
                HEAD,
                S.rows,
                attention_row(t, S.check_with_stripe, S.ask_refund, S.tz),
                total=S.total,
                page=S.page,
                page_count=S.page_count,
                on_page=S.go_to_page,
                table_id="attention",
            ),
            rx.heading(t["finance.overdue"], size="3"),
            overdue_invoices(
                t,
                S.overdue,
                S.overdue_loaded,
                pager(
                    t,
                    total=S.overdue_total,
                    page=S.overdue_page,
                    page_count=S.overdue_pages,
                    on_page=S.go_to_overdue_page,
                    pager_id="overdue",
                ),
                S.ask_write_off,
            ),
            refund_dialog(t, S.refund_for != 0, S.refund, S.close_refund, S.form_error),
            write_off_dialog(t, S.write_off_for, S.write_off, S.close_write_off, S.form_error),
            decision_dialog(t, S.decide_mode, S.decide, S.close_decision, S.form_error),
            width="100%",
            spacing="3",
        ),
    )

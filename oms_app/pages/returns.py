"""/returns: returns to decide on and to receive, filtered by status and paged on the server."""

from __future__ import annotations

import reflex as rx

from components.data_table import filter_select
from components.returns import STATUSES, reject_dialog, return_row
from components.warehouse_forms import paged_table
from oms_app.pages.layout import shell
from state.returns import ReturnsState as S

HEAD = [
    "returns.col_number",
    "returns.col_order",
    "returns.col_customer",
    "returns.col_status",
    "returns.col_reason",
    "returns.col_value",
    "returns.col_requested_by",
    "returns.col_created",
    "returns.col_actions",
]
STATUS_OPTIONS = [(s, f"returns.status.{s}") for s in STATUSES]


def returns_page() -> rx.Component:
    t = S.t
    return shell(
        "returns.title",
        rx.vstack(
            rx.hstack(
                filter_select(t, STATUS_OPTIONS, S.filter_value, S.set_filter, "returns-filter"),
                width="100%",
            ),
            rx.cond(S.list_error != "", rx.callout(S.list_error, color_scheme="red")),
            paged_table(
                t,
                HEAD,
                S.rows,
                return_row(
                    t,
                    S.tz,
                    on_approve=S.approve,
                    on_ask_reject=S.ask_reject,
                    on_receive=S.receive,
                    on_close=S.close,
                ),
                total=S.total,
                page=S.page,
                page_count=S.page_count,
                on_page=S.go_to_page,
                table_id="returns",
            ),
            reject_dialog(
                t,
                is_open=S.reject_for != "",
                error=S.reject_error,
                on_submit=S.reject,
                on_close=S.close_reject,
                on_open_change=S.set_reject_open,
            ),
            width="100%",
            spacing="3",
        ),
    )

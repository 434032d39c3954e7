"""How returns look: a status badge, an order's returns, the request form, the returns list's
rows with their decision buttons, and the reject dialog."""

from __future__ import annotations

import reflex as rx

RETURN_COLORS = {
    "requested": "amber",
    "approved": "blue",
    "received": "green",
    "closed": "gray",
    "rejected": "red",
    "cancelled": "gray",
}
STATUSES = list(RETURN_COLORS)
REASONS = ["damaged", "wrong_item", "not_as_described", "no_longer_needed", "other"]


def return_badge(t: rx.Var, status: rx.Var) -> rx.Component:
    return rx.badge(
        t["returns.status." + status],
        color_scheme=rx.match(status, *[(k, v) for k, v in RETURN_COLORS.items()], "gray"),
        variant="soft",
        class_name="return-status",
    )


def _order_return_row(t: rx.Var, r: rx.Var, tz: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(r["number"], weight="bold"), white_space="nowrap"),
        rx.table.cell(return_badge(t, r["status"].to(str))),
        rx.table.cell(t["returns.reason." + r["reason_code"].to(str)]),
        rx.table.cell(r["value"]),
        rx.table.cell(rx.moment(r["created_at"], format="YYYY-MM-DD HH:mm", tz=tz), size="1"),
        class_name="order-return-row",
    )


def order_returns(t: rx.Var, rows: rx.Var, tz: rx.Var, request_button: rx.Component):
    """The order's returns with their status, and the button that opens the request form."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(t["returns.order_returns"], size="3"),
                rx.spacer(),
                request_button,
                width="100%",
                align="center",
            ),
            rx.cond(
                rows.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(t[h])
                                for h in (
                                    "returns.col_number",
                                    "returns.col_status",
                                    "returns.col_reason",
                                    "returns.col_value",
                                    "returns.col_created",
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(rows, lambda r: _order_return_row(t, r, tz))),
                    size="1",
                    width="100%",
                    id="order-returns",
                ),
                rx.text(t["returns.none"], color_scheme="gray", size="2"),
            ),
            width="100%",
        ),
        width="100%",
    )


def _form_line(t: rx.Var, line: rx.Var, on_qty) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(line["sku"], weight="bold"), rx.text(line["name"], size="1")),
        rx.table.cell(line["shipped"]),
        rx.table.cell(line["returnable"]),
        rx.table.cell(
            rx.input(
                value=line["quantity"].to(str),
                on_change=lambda v: on_qty(line["sku"].to(str), v),
                input_mode="numeric",
                width="6em",
                disabled=line["returnable"].to(int) <= 0,
                class_name="return-qty",
            )
        ),
    )


def return_request_dialog(
    t: rx.Var,
    *,
    is_open: rx.Var,
    lines: rx.Var,
    errors: rx.Var,
    on_open_change,
    on_close,
    on_qty,
    on_submit,
) -> rx.Component:
    """The request form: a quantity per shipped line, a reason and a note."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t["returns.request_title"]),
            rx.text(t["returns.request_hint"], size="2", color_scheme="gray"),
            rx.form(
                rx.vstack(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell(t["col.sku"]),
                                rx.table.column_header_cell(t["returns.shipped"]),
                                rx.table.column_header_cell(t["returns.returnable"]),
                                rx.table.column_header_cell(t["returns.quantity"]),
                            )
                        ),
                        rx.table.body(rx.foreach(lines, lambda ln: _form_line(t, ln, on_qty))),
                        size="1",
                        width="100%",
                    ),
                    rx.text(t["returns.reason"], size="2"),
                    rx.select.root(
                        rx.select.trigger(placeholder=t["returns.reason"], id="return-reason"),
                        rx.select.content(
                            *[rx.select.item(t[f"returns.reason.{r}"], value=r) for r in REASONS]
                        ),
                        name="reason",
                    ),
                    rx.text_area(
                        name="note", placeholder=t["returns.note"], max_length=1000, width="100%"
                    ),
                    rx.foreach(errors, lambda e: rx.text(e, color_scheme="red", size="2")),
                    rx.hstack(
                        rx.button(
                            t["returns.dismiss"], variant="soft", type="button", on_click=on_close
                        ),
                        rx.button(t["returns.submit"], type="submit", id="return-submit"),
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=on_submit,
                reset_on_submit=False,
            ),
        ),
        open=is_open,
        on_open_change=on_open_change,
    )


def return_row(t: rx.Var, tz: rx.Var, *, on_approve, on_ask_reject, on_receive, on_close):
    """One return in the list, with the buttons its status allows."""

    def row(r: rx.Var) -> rx.Component:
        actions = r["actions"].to(list[str])
        number = r["number"].to(str)
        return rx.table.row(
            rx.table.cell(rx.text(number, weight="bold"), white_space="nowrap"),
            rx.table.cell(rx.link(r["order_number"], href="/orders/" + r["order_number"].to(str))),
            rx.table.cell(r["customer"]),
            rx.table.cell(return_badge(t, r["status"].to(str))),
            rx.table.cell(
                t["returns.reason." + r["reason_code"].to(str)],
                rx.cond(r["note"].to(str) != "", rx.text(r["note"], size="1", color="gray")),
            ),
            rx.table.cell(r["value"]),
            rx.table.cell(r["requested_by"]),
            rx.table.cell(rx.moment(r["created_at"], format="YYYY-MM-DD HH:mm", tz=tz), size="1"),
            rx.table.cell(
                rx.hstack(
                    rx.cond(
                        actions.contains("approve"),
                        rx.button(t["returns.approve"], size="1", on_click=on_approve(number)),
                    ),
                    rx.cond(
                        actions.contains("reject"),
                        rx.button(
                            t["returns.reject"],
                            size="1",
                            color_scheme="red",
                            variant="soft",
                            on_click=on_ask_reject(number),
                        ),
                    ),
                    rx.cond(
                        actions.contains("receive"),
                        rx.button(t["returns.receive"], size="1", on_click=on_receive(number)),
                    ),
                    rx.cond(
                        actions.contains("close"),
                        rx.button(
                            t["returns.close"],
                            size="1",
                            variant="soft",
                            on_click=on_close(number),
                        ),
                    ),
                )
            ),
            class_name="return-row",
        )

    return row


def reject_dialog(
    t: rx.Var, *, is_open: rx.Var, error: rx.Var, on_submit, on_close, on_open_change
):
    """Ask why before a return is rejected."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t["returns.reject"]),
            rx.form(
                rx.vstack(
                    rx.input(
                        name="reason", placeholder=t["returns.reject_reason"], id="reject-reason"
                    ),
                    rx.cond(error != "", rx.text(error, color_scheme="red", size="2")),
                    rx.hstack(
                        rx.button(
                            t["returns.dismiss"], variant="soft", type="button", on_click=on_close
                        ),
                        rx.button(t["returns.reject"], type="submit", color_scheme="red"),
                    ),
                    spacing="2",
                ),
                on_submit=on_submit,
            ),
        ),
        open=is_open,
        on_open_change=on_open_change,
    )

"""/warehouse/receiving: keyboard-first goods receipt."""

from __future__ import annotations

import reflex as rx

from components.order_form import field_error
from components.warehouse_forms import (
    expected_receipts,
    receipt_entry,
    receipt_lines,
    receipt_result,
    warehouse_picker,
)
from oms_app.pages.layout import shell
from state.receiving import ReceivingState as S


def _header() -> rx.Component:
    t = S.t
    return rx.hstack(
        rx.text(t["col.warehouse"], weight="bold"),
        warehouse_picker(t, S.warehouses, S.warehouse, S.pick_warehouse, "receive-warehouse"),
        rx.input(
            value=S.reference,
            on_change=S.set_reference,
            placeholder=t["receiving.reference"] + " · " + S.auto_reference,
            aria_label=t["receiving.reference"],
            id="receive-reference",
            width="22em",
        ),
        field_error(S.errors["reference"]),
        field_error(S.errors["warehouse"]),
        align="center",
        wrap="wrap",
        width="100%",
    )


def _actions() -> rx.Component:
    t = S.t
    return rx.hstack(
        rx.text(t["receiving.total"], ": ", S.total_quantity, id="receipt-total"),
        rx.cond(
            S.expected_id != 0,
            rx.badge(
                t["receiving.against"],
                " #",
                S.expected_id,
                rx.icon("x", size=12, on_click=S.clear_expected, cursor="pointer"),
                color_scheme="green",
            ),
        ),
        field_error(S.errors["expected_receipt_id"]),
        field_error(S.errors["lines"]),
        field_error(S.errors["form"]),
        rx.spacer(),
        rx.button(t["receiving.clear"], variant="soft", on_click=S.clear, id="receipt-clear"),
        rx.button(
            t["receiving.receive"],
            on_click=S.receive,
            loading=S.busy,
            disabled=(S.lines.length() == 0) | (S.warehouse == ""),
            id="receipt-post",
        ),
        width="100%",
        align="center",
    )


def _form() -> rx.Component:
    t = S.t
    return rx.cond(
        S.warehouse == "",
        rx.callout(t["receiving.pick_first"], id="receive-pick-first"),
        rx.vstack(
            receipt_entry(t, S.errors, S.bin_text, S.set_bin_text, S.scan),
            receipt_lines(t, S.lines, S.line_errors, S.set_line, S.remove_line),
            _actions(),
            receipt_result(t, S.result, S.allocated),
            rx.heading(t["receiving.expected"], size="3", margin_top="1em"),
            expected_receipts(t, S.expected, S.expected_id, S.receive_against),
            width="100%",
        ),
    )


def receiving_page() -> rx.Component:
    return shell("receiving.title", rx.vstack(_header(), _form(), width="100%", spacing="3"))

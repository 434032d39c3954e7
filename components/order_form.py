"""Pieces of the order entry screen: customer picker, line grid, totals."""

from __future__ import annotations

import reflex as rx

from components.data_table import translated
from components.money import yuan


def field_error(message: rx.Var) -> rx.Component:
    return rx.cond(
        message, rx.text(message, color_scheme="red", size="1", class_name="field-error")
    )


def customer_picker(t, query, options, code, name, on_search, on_pick, error) -> rx.Component:
    option = lambda c: rx.box(  # noqa: E731
        rx.text(c["code"], " · ", c["name"], " · ", c["city"], size="2"),
        on_click=on_pick(c["code"]),
        cursor="pointer",
        padding="0.3em 0.5em",
        _hover={"background": rx.color("accent", 3)},
        class_name="customer-option",
    )
    return rx.vstack(
        rx.text(t["entry.customer"], weight="bold"),
        rx.cond(code != "", rx.badge(code, " · ", name, size="2", id="picked-customer")),
        rx.input(
            placeholder=t["entry.customer_search"],
            value=query,
            on_change=on_search,
            debounce_timeout=250,
            id="customer-search",
            width="100%",
        ),
        rx.cond(
            options.length() > 0,
            rx.box(
                rx.foreach(options, option),
                width="100%",
                border=f"1px solid {rx.color('gray', 5)}",
                border_radius="6px",
            ),
        ),
        field_error(error),
        width="100%",
        spacing="1",
    )


def line_grid(t, lines, priced, line_errors, on_set, on_remove) -> rx.Component:
    def row(line, i):
        info = priced[i]
        return rx.table.row(
            rx.table.cell(
                rx.vstack(
                    rx.text(line["sku"], weight="bold"),
                    rx.text(info["name"], size="1"),
                    rx.text(info["specs"], size="1", color_scheme="gray", class_name="specs"),
                    spacing="0",
                )
            ),
            rx.table.cell(
                rx.input(
                    value=line["quantity"],
                    width="80px",
                    class_name="qty",
                    debounce_timeout=300,
                    on_change=lambda v: on_set(i, "quantity", v),
                )
            ),
            rx.table.cell(rx.text(translated(t, "unit.", info["unit"].to(str)))),
            rx.table.cell(
                rx.input(
                    value=line["unit_price"],
                    placeholder=info["list_price"],
                    width="100px",
                    debounce_timeout=300,
                    on_change=lambda v: on_set(i, "unit_price", v),
                )
            ),
            rx.table.cell(
                rx.input(
                    value=line["discount"],
                    placeholder="0",
                    width="60px",
                    debounce_timeout=300,
                    on_change=lambda v: on_set(i, "discount", v),
                )
            ),
            rx.table.cell(rx.text(info["line_total"])),
            rx.table.cell(
                rx.vstack(
                    field_error(line_errors[i]),
                    rx.input(
                        value=line["reason"],
                        placeholder=t["entry.price_reason"],
                        debounce_timeout=300,
                        on_change=lambda v: on_set(i, "reason", v),
                        width="160px",
                        size="1",
                    ),
                    spacing="1",
                )
            ),
            rx.table.cell(
                rx.icon_button(rx.icon("x", size=14), variant="ghost", on_click=on_remove(i))
            ),
            class_name="entry-line",
        )

    head = [
        "col.sku",
        "col.quantity",
        "col.unit",
        "col.price",
        "col.discount",
        "col.line_total",
        "entry.check",
        "",
    ]
    return rx.table.root(
        rx.table.header(
            rx.table.row(*[rx.table.column_header_cell(t[h] if h else "") for h in head])
        ),
        rx.table.body(rx.foreach(lines, row)),
        size="1",
        width="100%",
        id="entry-lines",
    )


def totals_card(t, totals) -> rx.Component:
    def row(label: str, key: str, strong: bool = False):
        return rx.hstack(
            rx.text(t[label], weight="bold" if strong else "regular"),
            rx.spacer(),
            rx.text(yuan(totals[key]), weight="bold" if strong else "regular"),
            width="100%",
        )

    return rx.card(
        rx.vstack(
            row("order.subtotal", "subtotal"),
            row("order.discount", "discount_total"),
            row("order.tax", "tax_total"),
            row("order.shipping", "shipping_fee"),
            rx.divider(),
            row("order.total", "grand_total", strong=True),
            width="100%",
            id="entry-totals",
        ),
        width="100%",
    )


def split_switch(t, checked, on_change, disabled) -> rx.Component:
    """May the order ship from several warehouses when no single one can fill it."""
    return rx.text(
        rx.flex(
            rx.switch(checked=checked, on_change=on_change, disabled=disabled, id="allow-split"),
            t["entry.allow_split"],
            spacing="2",
            align="center",
        ),
        as_="label",
        size="2",
    )

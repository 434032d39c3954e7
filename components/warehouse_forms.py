"""Pieces of the warehouse screens: receipt entry and lines, suggestion and rule tables."""

from __future__ import annotations

import reflex as rx

from components.date_field import date_field
from components.order_form import field_error


def warehouse_picker(t, options, value, on_change, select_id: str, all_option: bool = False):
    """A select of warehouses (code · name); with `all_option`, "all" clears the choice."""
    items = [rx.select.item(t["list.all"], value="all")] if all_option else []
    return rx.select.root(
        rx.select.trigger(placeholder=t["receiving.pick_warehouse"], id=select_id),
        rx.select.content(
            *items,
            rx.foreach(
                options,
                lambda w: rx.select.item(
                    w["code"].to(str) + " · " + w["name"].to(str), value=w["code"]
                ),
            ),
        ),
        value=rx.cond(value == "", "all", value) if all_option else value,
        on_change=on_change,
    )


def receipt_entry(t, errors, bin_value, on_bin, on_scan) -> rx.Component:
    """SKU or barcode, quantity, bin; Enter adds the line and returns to the SKU box."""
    return rx.form(
        rx.hstack(
            rx.vstack(
                rx.input(
                    name="sku",
                    placeholder=t["receiving.scan"],
                    id="receive-sku",
                    auto_focus=True,
                    auto_complete="off",
                    width="18em",
                ),
                field_error(errors["scan_sku"]),
                spacing="1",
            ),
            rx.vstack(
                rx.input(
                    name="quantity",
                    default_value="1",
                    input_mode="numeric",
                    aria_label=t["col.quantity"],
                    id="receive-quantity",
                    width="7em",
                ),
                field_error(errors["scan_quantity"]),
                spacing="1",
            ),
            rx.input(
                name="bin",
                value=bin_value,
                on_change=on_bin,
                placeholder=t["receiving.bin_hint"],
                aria_label=t["col.bin"],
                id="receive-bin",
                width="10em",
            ),
            rx.button(t["receiving.add"], type="submit", id="receive-add"),
            align="start",
            wrap="wrap",
        ),
        on_submit=on_scan,
        reset_on_submit=True,
        id="receive-entry",
        width="100%",
    )


def receipt_lines(t, lines, line_errors, on_set, on_remove) -> rx.Component:
    def row(line, i):
        return rx.table.row(
            rx.table.cell(rx.text(line["sku"], weight="bold")),
            rx.table.cell(line["name"]),
            rx.table.cell(
                rx.input(
                    value=line["quantity"],
                    on_change=lambda v: on_set(i, "quantity", v),
                    input_mode="numeric",
                    width="7em",
                    class_name="receipt-qty",
                )
            ),
            rx.table.cell(
                rx.input(
                    value=line["bin"],
                    placeholder=t["receiving.bin_hint"],
                    on_change=lambda v: on_set(i, "bin", v),
                    width="9em",
                    class_name="receipt-bin",
                )
            ),
            rx.table.cell(field_error(line_errors[i])),
            rx.table.cell(
                rx.icon_button(rx.icon("x", size=14), variant="ghost", on_click=on_remove(i))
            ),
            class_name="receipt-line",
        )

    head = ["col.sku", "col.name", "col.quantity", "col.bin", "receiving.check", ""]
    return rx.table.root(
        rx.table.header(
            rx.table.row(*[rx.table.column_header_cell(t[h] if h else "") for h in head])
        ),
        rx.table.body(rx.foreach(lines, row)),
        size="1",
        width="100%",
        id="receipt-lines",
    )


def expected_receipts(t, rows, selected_id, on_pick) -> rx.Component:
    """Open expected receipts of the warehouse; "receive" puts one on the receipt."""

    def row(r):
        return rx.table.row(
            rx.table.cell(r["sku"]),
            rx.table.cell(r["name"]),
            rx.table.cell(r["remaining"], text_align="right"),
            rx.table.cell(r["expected_on"]),
            rx.table.cell(
                rx.cond(
                    selected_id == r["id"],
                    rx.badge(t["receiving.against"], color_scheme="green"),
                    rx.button(
                        t["receiving.receive_this"],
                        size="1",
                        variant="soft",
                        on_click=on_pick(r["id"]),
                    ),
                )
            ),
            class_name="expected-receipt",
        )

    head = ["col.sku", "col.name", "col.remaining", "col.expected_on", ""]
    return rx.cond(
        rows.length() > 0,
        rx.table.root(
            rx.table.header(
                rx.table.row(*[rx.table.column_header_cell(t[h] if h else "") for h in head])
            ),
            rx.table.body(rx.foreach(rows, row)),
            size="1",
            width="100%",
            id="expected-receipts",
        ),
        rx.text(t["receiving.none_expected"], size="2", color_scheme="gray"),
    )


def receipt_result(t, result, allocated) -> rx.Component:
    """The last receipt: its reference and the backorders it allocated."""
    return rx.cond(
        result.contains("reference"),
        # the root, not rx.callout: its text is a <p>, which may not hold these lines
        rx.callout.root(
            rx.vstack(
                rx.text(t["receiving.received"], " ", result["reference"], weight="bold"),
                rx.cond(
                    allocated.length() > 0,
                    rx.hstack(
                        rx.text(t["receiving.allocated"]),
                        rx.foreach(allocated, lambda n: rx.link(n, href="/orders/" + n)),
                        wrap="wrap",
                    ),
                    rx.text(t["receiving.no_backorders"]),
                ),
                spacing="1",
            ),
            color_scheme="green",
            id="receipt-result",
            width="100%",
        ),
    )


def paged_table(t, head: list[str], rows, row, *, total, page, page_count, on_page, table_id):
    """A table of rows with inputs in them, and a pager (paging happens on the server)."""
    return rx.vstack(
        rx.table.root(
            rx.table.header(
                rx.table.row(*[rx.table.column_header_cell(t[h] if h else "") for h in head])
            ),
            rx.table.body(rx.foreach(rows, row)),
            size="1",
            width="100%",
            variant="surface",
            id=table_id,
        ),
        pager(t, total=total, page=page, page_count=page_count, on_page=on_page, pager_id=table_id),
        width="100%",
    )


def pager(t, *, total, page, page_count, on_page, pager_id: str) -> rx.Component:
    """Total, previous, page of pages, next (the pages come from the server)."""
    return rx.hstack(
        rx.text(t["list.total"], ": ", total, id=f"{pager_id}-total"),
        rx.spacer(),
        rx.button("‹", on_click=on_page(page - 1), disabled=page <= 1, variant="soft"),
        rx.text(page, " / ", page_count, id=f"{pager_id}-page"),
        rx.button("›", on_click=on_page(page + 1), disabled=page >= page_count, variant="soft"),
        width="100%",
        align="center",
    )


def suggestion_row(t, on_qty, on_date, on_accept, on_dismiss):
    def row(s):
        return rx.table.row(
            rx.table.cell(rx.text(s["sku"], weight="bold")),
            rx.table.cell(s["name"]),
            rx.table.cell(s["warehouse"]),
            rx.table.cell(s["available"], text_align="right"),
            rx.table.cell(s["reorder_point"], text_align="right"),
            rx.table.cell(
                rx.input(
                    default_value=s["quantity"].to(str),
                    on_change=lambda v: on_qty(s["id"], v),
                    input_mode="numeric",
                    width="7em",
                    class_name="suggestion-qty",
                )
            ),
            rx.table.cell(
                date_field(
                    t,
                    on_change=lambda v: on_date(s["id"], v),
                    class_name="suggestion-date",
                    width="9em",
                )
            ),
            rx.table.cell(
                rx.hstack(
                    rx.button(t["replenishment.accept"], size="1", on_click=on_accept(s["id"])),
                    rx.button(
                        t["replenishment.dismiss"],
                        size="1",
                        variant="soft",
                        color_scheme="gray",
                        on_click=on_dismiss(s["id"]),
                    ),
                )
            ),
            key=s["id"],  # a fresh row for a fresh suggestion: typed values do not carry over
            class_name="suggestion",
        )

    return row


def rule_row(t, on_edit, on_save):
    def number(r, field: str):
        return rx.input(
            default_value=r[field].to(str),
            on_change=lambda v: on_edit(r["id"], field, v),
            input_mode="numeric",
            width="6em",
            class_name=f"rule-{field}",
        )

    def row(r):
        source = rx.cond(
            r["source"] == "manual",
            rx.badge(t["replenishment.source_manual"], color_scheme="blue"),
            rx.badge(t["replenishment.source_computed"], color_scheme="gray"),
        )
        return rx.table.row(
            rx.table.cell(rx.text(r["sku"], weight="bold")),
            rx.table.cell(r["name"]),
            rx.table.cell(r["warehouse"]),
            rx.table.cell(number(r, "reorder_point")),
            rx.table.cell(number(r, "reorder_qty")),
            rx.table.cell(number(r, "lead_time_days")),
            rx.table.cell(source),
            rx.table.cell(r["updated"]),
            rx.table.cell(rx.button(t["replenishment.save"], size="1", on_click=on_save(r["id"]))),
            key=r["id"].to(str) + r["updated"].to(str),
            class_name="reorder-rule",
        )

    return row


def rule_form(t, warehouse_options, on_submit, error, form_key) -> rx.Component:
    """A manual rule for a SKU that has none yet (or to replace one)."""

    def number(name: str, label: str):
        return rx.input(
            name=name,
            placeholder=t[label],
            aria_label=t[label],
            input_mode="numeric",
            width="8em",
            id=f"rule-new-{name}",
        )

    return rx.form(
        rx.hstack(
            rx.select.root(
                rx.select.trigger(placeholder=t["receiving.pick_warehouse"], id="rule-new-wh"),
                rx.select.content(
                    rx.foreach(
                        warehouse_options,
                        lambda w: rx.select.item(w["code"], value=w["code"]),
                    )
                ),
                name="warehouse",
            ),
            rx.input(name="sku", placeholder=t["col.sku"], width="10em", id="rule-new-sku"),
            number("reorder_point", "col.reorder_point"),
            number("reorder_qty", "col.reorder_qty"),
            number("lead_time_days", "col.lead_time"),
            rx.button(t["replenishment.add_rule"], type="submit", id="rule-new-save"),
            wrap="wrap",
            align="center",
        ),
        rx.cond(error != "", rx.callout(error, color_scheme="red", id="rule-new-error")),
        on_submit=on_submit,
        key=form_key,
        width="100%",
    )


def choose_warehouse_first(t: rx.Var, element_id: str) -> rx.Component:
    """Shown before a warehouse is chosen, in place of "nothing here" lists."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("warehouse")),
        rx.callout.text(t["floor.choose_warehouse"], weight="bold"),
        rx.callout.text(t["floor.choose_warehouse_hint"], size="1"),
        id=element_id,
        class_name="choose-warehouse",
    )

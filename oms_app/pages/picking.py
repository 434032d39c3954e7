"""/warehouse/picking"""

from __future__ import annotations

import reflex as rx

from components.data_table import translated
from oms_app.pages.layout import shell
from oms_app.pages.waves import warehouse_select, wave_badge
from state.picking import PickingState as S

FLASH = {"ok": rx.color("green", 3), "error": rx.color("red", 4)}


def _wave_bar() -> rx.Component:
    t = S.t
    return rx.hstack(
        warehouse_select(t, S.warehouses, S.warehouse, S.pick_warehouse, "pick-warehouse"),
        rx.select.root(
            rx.select.trigger(placeholder=t["picking.choose_wave"], id="pick-wave-select"),
            rx.select.content(
                rx.foreach(S.open_waves, lambda w: rx.select.item(w["label"], value=w["number"]))
            ),
            value=S.wave,
            on_change=S.choose_wave,
        ),
        rx.cond(S.wave != "", wave_badge(t, S.wave_status)),
        rx.cond(S.cutoff != "", rx.text(t["waves.cutoff"], ": ", S.cutoff, size="2")),
        rx.cond(
            S.wave_status == "planned",
            rx.button(t["picking.start"], on_click=S.start_wave, variant="soft", id="start-wave"),
        ),
        rx.spacer(),
        rx.text(t["picking.progress"], ": ", rx.text.strong(S.progress), id="pick-progress"),
        width="100%",
        align="center",
        spacing="3",
        wrap="wrap",
    )


def _card() -> rx.Component:
    t = S.t
    line = S.current
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(t["picking.bin"], size="3", color_scheme="gray"),
                rx.heading(line["bin"], size="9", id="pick-bin"),
                rx.cond(S.step == "item", rx.icon("circle-check", color="green", size=32)),
                align="center",
                spacing="4",
            ),
            rx.hstack(
                rx.text(t["picking.sku"], size="3", color_scheme="gray"),
                rx.heading(line["sku"], size="7", id="pick-sku"),
                rx.text(line["barcode"], size="2", color_scheme="gray"),
                align="center",
                spacing="4",
            ),
            rx.text(line["name"], size="5"),
            rx.hstack(
                rx.text(t["picking.to_pick"], size="3", color_scheme="gray"),
                rx.heading(
                    line["remaining"],
                    " ",
                    translated(t, "unit.", line["unit"].to(str)),
                    size="8",
                    id="pick-quantity",
                ),
                rx.text(line["shipment"], " · ", line["order"], size="2", color_scheme="gray"),
                align="center",
                spacing="4",
            ),
            spacing="3",
        ),
        background=rx.match(S.flash, *FLASH.items(), rx.color("gray", 1)),
        transition="background 0.4s",
        width="100%",
        id="pick-card",
    )


def _scanner() -> rx.Component:
    t = S.t
    return rx.vstack(
        rx.form(
            rx.hstack(
                rx.input(
                    name="scan",
                    placeholder=rx.cond(
                        S.step == "bin", t["picking.scan_bin"], t["picking.scan_item"]
                    ),
                    auto_focus=True,
                    id="scan-input",
                    size="3",
                    width="24em",
                ),
                rx.input(
                    value=S.quantity,
                    on_change=S.set_quantity,
                    placeholder=t["picking.quantity_hint"],
                    id="pick-qty",
                    name="quantity",
                    size="3",
                    width="11em",
                ),
                rx.button(t["picking.confirm"], type="submit", size="3", loading=S.busy),
                rx.cond(
                    S.step == "item",
                    rx.button(
                        t["picking.rescan_bin"], on_click=S.clear_bin, variant="soft", size="3"
                    ),
                ),
                rx.button(
                    t["picking.short"],
                    on_click=S.open_short,
                    color_scheme="orange",
                    variant="soft",
                    size="3",
                    disabled=S.step == "bin",
                    id="short-pick",
                ),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            on_submit=S.scan,
            reset_on_submit=True,
        ),
        width="100%",
    )


def _short_dialog() -> rx.Component:
    t = S.t
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t["picking.short_title"]),
            rx.dialog.description(
                S.current["bin"],
                " · ",
                S.current["sku"],
                " · ",
                t["picking.to_pick"],
                " ",
                S.current["remaining"],
            ),
            rx.vstack(
                rx.input(
                    value=S.short_found,
                    on_change=S.set_short_found,
                    placeholder=t["picking.short_found"],
                    id="short-found",
                    width="100%",
                ),
                rx.input(
                    value=S.short_reason,
                    on_change=S.set_short_reason,
                    placeholder=t["picking.short_reason"],
                    id="short-reason",
                    width="100%",
                ),
                rx.cond(S.error != "", rx.text(S.error, color_scheme="red", size="2")),
                rx.hstack(
                    rx.dialog.close(rx.button(t["picking.cancel"], variant="soft")),
                    rx.button(
                        t["picking.short_confirm"],
                        on_click=S.report_short,
                        color_scheme="orange",
                        id="short-confirm",
                    ),
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                margin_top="1em",
            ),
        ),
        open=S.short_open,
        on_open_change=S.set_short_open,
    )


def _line(line) -> rx.Component:
    done = line["state"] != "open"
    style = rx.cond(done, "line-through", "none")
    return rx.table.row(
        rx.table.cell(line["seq"], white_space="nowrap"),
        rx.table.cell(line["bin"], white_space="nowrap"),
        rx.table.cell(line["sku"], white_space="nowrap"),
        rx.table.cell(line["name"]),
        rx.table.cell(
            line["picked"],
            " / ",
            line["quantity"],
            " ",
            translated(S.t, "unit.", line["unit"].to(str)),
            white_space="nowrap",
        ),
        rx.table.cell(line["shipment"], white_space="nowrap"),
        rx.table.cell(
            rx.cond(
                line["state"] == "short",
                rx.badge(S.t["picking.state_short"], color_scheme="orange"),
            )
        ),
        text_decoration=style,
        opacity=rx.cond(done, "0.55", "1"),
        class_name="pick-line",
    )


def _lines() -> rx.Component:
    t = S.t
    heads = ["picking.seq", "picking.bin", "picking.sku", "picking.name", "picking.picked_of"]
    heads += ["picking.shipment", "picking.state"]
    return rx.table.root(
        rx.table.header(
            rx.table.row(*[rx.table.column_header_cell(t[k], white_space="nowrap") for k in heads])
        ),
        rx.table.body(rx.foreach(S.lines, _line)),
        width="100%",
        id="pick-lines",
    )


def picking_page() -> rx.Component:
    t = S.t
    return shell(
        "nav.warehouse_picking",
        _wave_bar(),
        rx.cond(
            S.wave == "",
            rx.text(t["picking.no_wave"], color_scheme="gray", id="pick-no-wave"),
            rx.vstack(
                rx.cond(
                    S.has_current,
                    rx.vstack(_card(), _scanner(), width="100%", spacing="3"),
                    rx.callout(
                        t["picking.wave_done"],
                        icon="party-popper",
                        color_scheme="green",
                        id="pick-wave-done",
                    ),
                ),
                rx.cond(
                    S.error != "",
                    rx.callout(S.error, icon="triangle-alert", color_scheme="red", id="scan-error"),
                ),
                rx.cond(
                    S.ok != "", rx.callout(S.ok, icon="check", color_scheme="green", id="scan-ok")
                ),
                _lines(),
                width="100%",
                spacing="4",
            ),
        ),
        _short_dialog(),
    )

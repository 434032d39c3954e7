"""/warehouse/packing"""

from __future__ import annotations

import reflex as rx

from components.data_table import translated
from components.warehouse_forms import choose_warehouse_first
from oms_app.pages.layout import shell
from oms_app.pages.waves import warehouse_select
from state.links import backend_url
from state.packing import PackingState as S

STATUS_KEY, METHOD_KEY = "packing.status_", "packing.method_"  # + the code
PACK_COLORS = {"picked": "cyan", "packing": "iris", "packed": "violet", "shipped": "green"}


def _badge(status) -> rx.Component:
    return rx.badge(
        S.t[STATUS_KEY + status.to(str)],
        color_scheme=rx.match(status, *PACK_COLORS.items(), "gray"),
    )


def _queue_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.link(row["number"], on_click=S.open_shipment(row["number"]), cursor="pointer")
        ),
        rx.table.cell(row["order"]),
        rx.table.cell(row["customer"]),
        rx.table.cell(_badge(row["status"])),
        rx.table.cell(S.t[METHOD_KEY + row["delivery_method"]]),
        rx.table.cell(row["carrier"]),
        class_name="pack-queue-row",
    )


def _queue() -> rx.Component:
    t = S.t
    heads = ["packing.shipment", "packing.order", "packing.customer", "packing.status"]
    heads += ["packing.delivery_method", "packing.carrier"]
    return rx.vstack(
        rx.hstack(
            warehouse_select(t, S.warehouses, S.warehouse, S.pick_warehouse, "pack-warehouse"),
            rx.form(
                rx.input(
                    name="shipment",
                    placeholder=t["packing.scan_shipment"],
                    auto_focus=True,
                    id="pack-shipment-input",
                    width="20em",
                ),
                on_submit=S.scan_shipment,
                reset_on_submit=True,
            ),
            rx.button(rx.icon("refresh-cw", size=16), on_click=S.load, variant="soft"),
            spacing="3",
            align="center",
        ),
        rx.cond(
            S.shipments.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(t[k], white_space="nowrap") for k in heads]
                    )
                ),
                rx.table.body(rx.foreach(S.shipments, _queue_row)),
                width="100%",
                size="1",
                id="pack-queue",
            ),
            rx.cond(
                S.warehouse == "",
                choose_warehouse_first(t, "pack-choose-warehouse"),
                rx.text(t["packing.empty"], color_scheme="gray", id="pack-queue-empty"),
            ),
        ),
        width="100%",
    )


def _line(line) -> rx.Component:
    return rx.table.row(
        rx.table.cell(line["sku"]),
        rx.table.cell(line["name"]),
        rx.table.cell(
            rx.text.strong(line["packed"]),
            " / ",
            line["picked"],
            " ",
            translated(S.t, "unit.", line["unit"].to(str)),
        ),
        rx.table.cell(line["left"], class_name="pack-left"),
        rx.table.cell(rx.cond(line["done"] == "1", rx.icon("check", color="green", size=16))),
        class_name="pack-line",
    )


def _parcel(p) -> rx.Component:
    t = S.t
    return rx.table.row(
        rx.table.cell("#", p["no"]),
        rx.table.cell(p["items"]),
        rx.table.cell(rx.cond(p["weight"] != "", p["weight"] + " g", "")),
        rx.table.cell(rx.cond(p["size"] != "", p["size"] + " cm", "")),
        rx.table.cell(
            rx.cond(
                p["closed"] == "1",
                rx.badge(t["packing.parcel_closed_badge"], color_scheme="green"),
                rx.badge(t["packing.parcel_open"], color_scheme="amber"),
            )
        ),
        class_name="pack-parcel",
    )


def _measure(name: str, unit: str) -> rx.Component:
    t = S.t
    return rx.vstack(
        rx.text(t["packing." + name], " (", unit, ")", size="1"),
        rx.input(
            value=S.parcel[name],
            on_change=lambda v: S.set_measure(name, v),
            id=f"parcel-{name}",
            width="7em",
        ),
        spacing="1",
    )


def _scan_and_parcels() -> rx.Component:
    t = S.t
    heads = ["packing.sku", "packing.name", "packing.packed_picked", "packing.left"]
    heads += ["packing.done"]
    return rx.vstack(
        rx.hstack(
            # one field in the form, so the scanner's Enter submits it
            rx.form(
                rx.input(
                    name="barcode",
                    placeholder=t["packing.scan_item"],
                    id="pack-scan-input",
                    size="3",
                    width="24em",
                    max_width="100%",
                ),
                on_submit=S.scan_item,
                reset_on_submit=True,
                width="auto",
                max_width="100%",
            ),
            rx.el.label(
                rx.text(t["packing.quantity"], size="2"),
                rx.input(
                    value=S.quantity,
                    on_change=S.set_quantity,
                    type="number",
                    min="1",
                    id="pack-qty",
                    size="3",
                    width="6em",
                ),
                display="flex",
                align_items="center",
                gap="0.5em",
            ),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[rx.table.column_header_cell(t[k], white_space="nowrap") for k in heads]
                )
            ),
            rx.table.body(rx.foreach(S.lines, _line)),
            width="100%",
            id="pack-lines",
        ),
        rx.table.root(
            rx.table.body(rx.foreach(S.parcels, _parcel)), width="100%", id="pack-parcels"
        ),
        rx.hstack(
            _measure("weight", "g"),
            _measure("length", "cm"),
            _measure("width", "cm"),
            _measure("height", "cm"),
            rx.button(t["packing.close_parcel"], on_click=S.close_parcel, id="close-parcel"),
            align="end",
            spacing="3",
        ),
        width="100%",
    )


def _finish_and_ship() -> rx.Component:
    t = S.t
    number = S.shipment["number"]
    return rx.hstack(
        rx.cond(
            S.status == "packing",
            rx.hstack(
                rx.cond(
                    ~S.is_pickup,
                    rx.select.root(
                        rx.select.trigger(placeholder=t["packing.carrier"], id="pack-carrier"),
                        rx.select.content(
                            rx.foreach(
                                S.carriers, lambda c: rx.select.item(c["name"], value=c["code"])
                            )
                        ),
                        value=S.carrier,
                        on_change=S.set_carrier,
                    ),
                ),
                rx.button(
                    t["packing.finish"],
                    on_click=S.finish_packing,
                    loading=S.busy,
                    id="finish-packing",
                ),
                spacing="3",
            ),
        ),
        rx.cond(
            S.status == "packed",
            rx.hstack(
                rx.cond(
                    S.is_pickup,
                    rx.input(
                        value=S.pickup_code,
                        on_change=S.set_pickup_code,
                        placeholder=t["packing.pickup_code"],
                        id="pickup-code",
                        width="12em",
                    ),
                ),
                rx.button(
                    rx.icon("truck", size=16),
                    t["packing.ship"],
                    on_click=S.ship,
                    loading=S.busy,
                    color_scheme="green",
                    id="ship-button",
                ),
                spacing="3",
            ),
        ),
        rx.cond(
            S.shipment["tracking_no"] != "",
            rx.text(
                t["packing.tracking_no"],
                ": ",
                rx.text.strong(S.shipment["tracking_no"], id="tracking-no"),
            ),
        ),
        rx.spacer(),
        rx.cond(
            S.slip_ready,
            rx.link(
                t["packing.packing_slip"],
                href=backend_url("/api/v1/shipments/") + number + "/packing-slip.pdf",
                is_external=True,
                id="packing-slip-link",
            ),
        ),
        rx.cond(
            S.label_ready,
            rx.link(
                t["packing.label"],
                href=backend_url("/api/v1/shipments/") + number + "/label.pdf",
                is_external=True,
                id="label-link",
            ),
            rx.text(t["packing.label_after_ship"], size="1", color_scheme="gray"),
        ),
        width="100%",
        align="center",
        spacing="3",
    )


def _shipment() -> rx.Component:
    t = S.t
    s = S.shipment
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(s["number"], size="6", id="pack-number"),
                _badge(S.status),
                rx.text(
                    s["order"],
                    " · ",
                    s["customer"],
                    " · ",
                    t[METHOD_KEY + s["delivery_method"]],
                ),
                align="center",
                spacing="3",
            ),
            rx.cond(
                (S.status == "packing") | (S.status == "picked"),
                _scan_and_parcels(),
                rx.table.root(rx.table.body(rx.foreach(S.parcels, _parcel)), width="100%"),
            ),
            _finish_and_ship(),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="pack-card",
    )


def _confirm_quantity() -> rx.Component:
    t = S.t
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t["packing.confirm_quantity_title"]),
            rx.dialog.description(S.confirm_text, id="pack-confirm-text"),
            rx.hstack(
                rx.dialog.close(rx.button(t["packing.cancel"], variant="soft")),
                rx.button(
                    t["packing.confirm"], on_click=S.confirm_quantity, id="pack-confirm-quantity"
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
        open=S.confirm_open,
        on_open_change=S.set_confirm_open,
    )


def packing_page() -> rx.Component:
    return shell(
        "nav.warehouse_packing",
        _queue(),
        rx.cond(
            S.error != "",
            rx.callout(S.error, icon="triangle-alert", color_scheme="red", id="pack-error"),
        ),
        rx.cond(S.ok != "", rx.callout(S.ok, icon="check", color_scheme="green", id="pack-ok")),
        rx.cond(S.number != "", _shipment()),
        _confirm_quantity(),
    )

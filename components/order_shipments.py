"""The order page's warehouse side: its shipments and, for approvers, where it would ship."""

from __future__ import annotations

import reflex as rx

from components.data_table import translated

SHIPMENT_COLORS = {
    "allocated": "gray",
    "picking": "blue",
    "picked": "blue",
    "packing": "iris",
    "packed": "iris",
    "shipped": "green",
    "delivered": "green",
    "cancelled": "red",
}


def _when(t: rx.Var, label: str, moment: rx.Var, tz: rx.Var) -> rx.Component:
    """A UTC time from the shared state, shown in the viewer's zone."""
    return rx.cond(
        moment.to(str) != "",
        rx.text(
            t[label],
            ": ",
            rx.moment(moment, format="YYYY-MM-DD HH:mm", tz=tz),
            size="1",
            color_scheme="gray",
        ),
    )


def _shipment_lines(t: rx.Var, lines: rx.Var) -> rx.Component:
    head = ["col.sku", "col.name", "col.quantity", "shipment.picked", "shipment.packed"]
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(t[h]) for h in head])),
        rx.table.body(
            rx.foreach(
                lines,
                lambda ln: rx.table.row(
                    rx.table.cell(ln["sku"]),
                    rx.table.cell(ln["name"]),
                    rx.table.cell(ln["quantity"], " ", translated(t, "unit.", ln["unit"].to(str))),
                    rx.table.cell(ln["picked"]),
                    rx.table.cell(ln["packed"]),
                ),
            )
        ),
        size="1",
        width="100%",
    )


def _shipment(t: rx.Var, s, codes: rx.Var, tz: rx.Var, staff: rx.Var) -> rx.Component:
    number = s["number"].to(str)
    status = s["status"].to(str)
    return rx.vstack(
        rx.hstack(
            rx.text(number, weight="bold"),
            rx.badge(s["warehouse"], variant="outline"),
            rx.badge(
                t["shipment_status." + status],
                color_scheme=rx.match(status, *SHIPMENT_COLORS.items(), "gray"),
            ),
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            s["carrier"].to(str) != "",
            rx.text(
                t["packing.carrier"],
                ": ",
                s["carrier"],
                rx.cond(
                    s["tracking_no"].to(str) != "",
                    rx.fragment(" · ", t["packing.tracking_no"], ": ", s["tracking_no"]),
                ),
                size="2",
            ),
        ),
        # Pickup codes come from a state only staff link to, never from the shared order.
        rx.cond(
            staff & codes.contains(number),
            rx.text(
                t["packing.pickup_code"], ": ", codes[number], size="2", class_name="pickup-code"
            ),
        ),
        _when(t, "shipment.shipped_at", s["shipped_at"], tz),
        _when(t, "shipment.delivered_at", s["delivered_at"], tz),
        _shipment_lines(t, s["lines"].to(list[dict])),
        spacing="1",
        width="100%",
        id="shipment-" + number,
        class_name="order-shipment",
    )


def shipment_list(
    t: rx.Var, shipments: rx.Var, codes: rx.Var, tz: rx.Var, staff: rx.Var
) -> rx.Component:
    """The order's shipments, oldest first: where from, how far along, how it travels."""
    return rx.cond(
        shipments.length() > 0,
        rx.card(
            rx.vstack(
                rx.heading(t["order.shipments"], size="3"),
                rx.foreach(
                    shipments,
                    lambda s: rx.fragment(rx.divider(), _shipment(t, s, codes, tz, staff)),
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
            id="order-shipments",
        ),
    )


def allocation_preview(t: rx.Var, parts: rx.Var, split: rx.Var, short: rx.Var) -> rx.Component:
    """Where the goods would come from if the order were approved now, and what would wait."""

    def part(p) -> rx.Component:
        return rx.vstack(
            rx.text(p["warehouse"], " · ", p["name"], weight="medium", size="2"),
            rx.foreach(
                p["lines"].to(list[dict]),
                lambda ln: rx.text(ln["sku"], " × ", ln["quantity"], size="1"),
            ),
            spacing="0",
            class_name="preview-part",
        )

    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(t["allocation.preview"], weight="bold"),
                rx.cond(split, rx.badge(t["allocation.split"], color_scheme="amber")),
                align="center",
            ),
            rx.foreach(parts, part),
            rx.cond(
                short.length() > 0,
                # the root, not rx.callout: its text is a <p>, which may not hold these lines
                rx.callout.root(
                    rx.callout.icon(rx.icon("triangle_alert")),
                    rx.vstack(
                        rx.text(t["allocation.short"], weight="medium"),
                        rx.foreach(
                            short, lambda ln: rx.text(ln["sku"], " × ", ln["quantity"], size="1")
                        ),
                        spacing="0",
                    ),
                    color_scheme="amber",
                    size="1",
                    id="allocation-short",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="allocation-preview",
    )

"""/warehouse/waves"""

from __future__ import annotations

import reflex as rx

from components.progress import percent_bar
from components.warehouse_forms import choose_warehouse_first
from oms_app.pages.layout import shell
from state.links import backend_url
from state.waves import WavesState as S

STATUS_KEY = "waves.status_"  # + the wave status
WAVE_COLORS = {"planned": "amber", "picking": "iris", "done": "green", "cancelled": "gray"}


def wave_badge(t, status) -> rx.Component:
    return rx.badge(
        t[STATUS_KEY + status.to(str)],
        color_scheme=rx.match(status, *WAVE_COLORS.items(), "gray"),
    )


def warehouse_select(t, warehouses, value, on_change, element_id: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder=t["waves.warehouse"], id=element_id),
        rx.select.content(
            rx.foreach(
                warehouses,
                lambda w: rx.select.item(w["code"] + " · " + w["name"], value=w["code"]),
            )
        ),
        value=value,
        on_change=on_change,
    )


def _row(row) -> rx.Component:
    t = S.t
    number = row["number"]
    return rx.table.row(
        rx.table.cell(
            rx.link(number, href="/warehouse/picking?wave=" + number, id="wave-" + number),
            white_space="nowrap",
        ),
        rx.table.cell(wave_badge(t, row["status"])),
        rx.table.cell(
            rx.vstack(
                rx.text(row["progress"], size="2"),
                percent_bar(row["percent"], width="8em", class_name="wave-bar"),
                spacing="1",
            )
        ),
        rx.table.cell(row["zone"]),
        rx.table.cell(row["carrier"]),
        rx.table.cell(row["cutoff"], white_space="nowrap"),
        rx.table.cell(
            rx.cond(
                (row["status"] == "planned") | (row["status"] == "picking"),
                rx.select(
                    S.pickers,
                    value=row["picker"],
                    placeholder=t["waves.choose_picker"],
                    on_change=lambda who: S.assign(number, who),
                    size="1",
                    id="picker-" + number,
                ),
                rx.text(row["picker"]),
            )
        ),
        rx.table.cell(
            rx.link(
                rx.hstack(rx.icon("printer", size=14), rx.text(t["waves.print"])),
                href=backend_url("/api/v1/waves/") + number + "/pick-list.pdf",
                is_external=True,
                class_name="wave-print",
            )
        ),
        class_name="wave-row",
    )


def waves_page() -> rx.Component:
    t = S.t
    heads = ["waves.number", "waves.status", "waves.progress", "waves.zone", "waves.carrier"]
    heads += ["waves.cutoff", "waves.picker", "waves.print"]
    return shell(
        "nav.warehouse_waves",
        rx.hstack(
            warehouse_select(t, S.warehouses, S.warehouse, S.pick_warehouse, "waves-warehouse"),
            rx.button(
                rx.icon("layers", size=16),
                t["waves.build"],
                on_click=S.build_waves,
                loading=S.busy,
                disabled=S.warehouse == "",
                id="build-waves",
            ),
            rx.button(
                rx.icon("refresh-cw", size=16),
                t["waves.refresh"],
                on_click=S.load,
                variant="soft",
                id="refresh-waves",
            ),
            spacing="3",
            align="center",
        ),
        rx.cond(
            S.rows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(t[key], white_space="nowrap")
                            for key in heads
                        ]
                    )
                ),
                rx.table.body(rx.foreach(S.rows, _row)),
                width="100%",
                id="waves-table",
            ),
            rx.cond(
                S.warehouse == "",
                choose_warehouse_first(t, "waves-choose-warehouse"),
                rx.text(t["waves.empty"], color_scheme="gray", id="waves-empty"),
            ),
        ),
    )

"""Pieces of the live finance panel: the figures table, the receivable tiles and the ageing
chart card."""

from __future__ import annotations

import reflex as rx

from components.charts import chart_card


def figures_table(t, rows: rx.Var) -> rx.Component:
    """Sales, cost, gross profit, margin and cash received: today and this month."""
    heads = ("", "finance.panel.today", "finance.panel.month")

    def row(r):
        return rx.table.row(
            rx.table.cell(t["finance.panel." + r["key"].to(str)]),
            rx.table.cell(r["today"], text_align="right", class_name="panel-today"),
            rx.table.cell(r["month"], text_align="right", class_name="panel-month"),
            id="panel-" + r["key"].to(str),
        )

    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *[rx.table.column_header_cell(t[h] if h else "", text_align="right") for h in heads]
            )
        ),
        rx.table.body(rx.foreach(rows, row)),
        size="2",
        width="100%",
        variant="surface",
        id="panel-figures",
    )


def tile(label: rx.Var, value, tile_id: str, color: str = "gray") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="2", color_scheme="gray"),
            rx.heading(value, size="6", color_scheme=color, id=tile_id),
            spacing="1",
        ),
        min_width="180px",
    )


def receivable_tiles(t, total, orders, overdue, buckets: rx.Var) -> rx.Component:
    """Open receivables, each age bucket and the overdue invoices count."""
    return rx.flex(
        tile(t["finance.panel.receivables"], total, "panel-receivables"),
        rx.foreach(
            buckets,
            lambda b: tile(
                t["finance.panel.bucket." + b["key"].to(str)],
                b["amount"],
                "panel-bucket-" + b["key"].to(str),
            ),
        ),
        tile(
            t["finance.panel.overdue_alerts"],
            overdue,
            "panel-overdue",
            color=rx.cond(overdue > 0, "red", "gray"),
        ),
        wrap="wrap",
        spacing="3",
        width="100%",
    )


def ageing_card(t, figure: rx.Var, ready: rx.Var) -> rx.Component:
    return chart_card(t["finance.panel.ageing"], figure, ready, "panel-ageing", wide=True)

"""/finance: the live finance panel (figures move as payments and shipments post)."""

from __future__ import annotations

import reflex as rx

from components.finance_panel import ageing_card, figures_table, receivable_tiles
from oms_app.pages.layout import KEEP_ALIVE_MS, shell
from state.base import SessionState
from state.finance_panel import FinancePanelState as P


def finance_panel_page() -> rx.Component:
    t = SessionState.t
    return shell(
        "finance.panel.title",
        rx.vstack(
            rx.hstack(
                rx.text(t["finance.panel.updated"], size="1", color_scheme="gray"),
                rx.cond(  # no time before the first figures came: no "Invalid date" either
                    P.updated_at != "",
                    rx.moment(P.updated_at, format="YYYY-MM-DD HH:mm:ss", tz=SessionState.tz),
                    rx.text("—", size="1", color_scheme="gray"),
                ),
                spacing="2",
            ),
            figures_table(t, P.rows),
            receivable_tiles(
                t, P.receivables_total, P.receivables_orders, P.overdue_invoices, P.buckets
            ),
            ageing_card(t, P.chart, P.loaded),
            rx.moment(interval=KEEP_ALIVE_MS, on_change=P.connect, display="none"),
            width="100%",
            spacing="4",
        ),
    )

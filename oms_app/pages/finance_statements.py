"""/finance/statements: the three statements for any dates, with drill-down and files."""

from __future__ import annotations

import reflex as rx

from components.finance_statements import date_form, export_links, kind_switch, statement_view
from oms_app.pages.layout import KEEP_ALIVE_MS, shell
from state.finance_statements import FinanceStatementsState as S
from state.finance_statements import LedgerPulseState as L


def ledger_follower() -> rx.Component:
    """Hidden: a new key when the ledger posts re-mounts the box, whose mount rebuilds the
    statement on screen; the timer keeps the link to the shared pulse alive."""
    return rx.fragment(
        rx.fragment(rx.box(on_mount=S.refresh, display="none"), key=L.posted),
        rx.moment(interval=KEEP_ALIVE_MS, on_change=L.connect, display="none"),
    )


def finance_statements_page() -> rx.Component:
    t = S.t
    return shell(
        "finance.st.title",
        rx.vstack(
            rx.hstack(
                kind_switch(t, S.kind, S.show_kind),
                rx.spacer(),
                export_links(t, S.pdf_href, S.xlsx_href),
                width="100%",
                align="center",
            ),
            date_form(t, S.date_from, S.date_to, S.apply_dates),
            rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", id="statement-error")),
            rx.hstack(
                rx.heading(S.title, size="4"),
                rx.text(S.period, color_scheme="gray", id="statement-period"),
                rx.cond(
                    S.balanced,
                    rx.badge(t["finance.st.balanced"], color_scheme="green"),
                    rx.badge(t["finance.st.unbalanced"], color_scheme="red"),
                ),
                align="center",
                spacing="3",
            ),
            statement_view(t, S.head_text, S.head_money, S.rows),
            ledger_follower(),
            width="100%",
            spacing="3",
        ),
    )

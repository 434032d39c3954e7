"""Pieces of the statements screen: the kind switch, the date form, the export links and the
statement table whose lines link to their account's journal."""

from __future__ import annotations

import reflex as rx

from components.date_field import date_field

KIND_LABELS = (
    ("income", "ledger.is.title"),
    ("balance", "ledger.bs.title"),
    ("trial", "ledger.tb.title"),
)


def kind_switch(t, kind: rx.Var, on_change) -> rx.Component:
    """Income statement, balance sheet or trial balance."""
    return rx.segmented_control.root(
        *[rx.segmented_control.item(t[label], value=key) for key, label in KIND_LABELS],
        value=kind,
        on_change=on_change,
        id="statement-kind",
    )


def date_form(t, date_from: rx.Var, date_to: rx.Var, on_submit) -> rx.Component:
    """The statement's dates (the balance sheet is taken at the end date)."""
    return rx.form(
        rx.hstack(
            rx.text(t["finance.st.from"], size="2"),
            date_field(t, name="from", default_value=date_from, id="statement-from"),
            rx.text(t["finance.st.to"], size="2"),
            date_field(t, name="to", default_value=date_to, id="statement-to"),
            rx.button(t["finance.st.show"], type="submit", id="statement-show"),
            align="center",
            spacing="2",
        ),
        on_submit=on_submit,
        key=date_from + date_to,
    )


def export_links(t, pdf_href: rx.Var, xlsx_href: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.link(
            rx.button(t["finance.st.pdf"], variant="soft"),
            href=pdf_href,
            is_external=True,
            id="statement-pdf",
        ),
        rx.link(
            rx.button(t["finance.st.xlsx"], variant="soft"),
            href=xlsx_href,
            is_external=True,
            id="statement-xlsx",
        ),
    )


def _line(t):
    def row(r):
        weight = rx.cond(r["bold"], "bold", "regular")
        return rx.table.row(
            rx.foreach(r["text"].to(list[str]), lambda c: rx.table.cell(rx.text(c, weight=weight))),
            rx.foreach(
                r["money"].to(list[str]),
                lambda c: rx.table.cell(
                    rx.text(c, weight=weight), text_align="right", white_space="nowrap"
                ),
            ),
            rx.table.cell(
                rx.cond(
                    r["href"].to(str) != "",
                    rx.link(t["finance.st.drill"], href=r["href"].to(str), class_name="drill"),
                )
            ),
            class_name="statement-line",
        )

    return row


def statement_view(t, head_text: rx.Var, head_money: rx.Var, rows: rx.Var) -> rx.Component:
    """The statement: text columns, money columns right-aligned, a drill-down link per line."""
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.foreach(head_text, lambda h: rx.table.column_header_cell(h)),
                rx.foreach(
                    head_money, lambda h: rx.table.column_header_cell(h, text_align="right")
                ),
                rx.table.column_header_cell(""),
            )
        ),
        rx.table.body(rx.foreach(rows, _line(t))),
        size="1",
        width="100%",
        variant="surface",
        id="statement",
    )

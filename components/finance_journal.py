"""Pieces of the journal screen: the filter form, an entry row and the entry's dialog."""

from __future__ import annotations

from functools import partial

import reflex as rx

from components.date_field import date_field

SOURCE_TYPES = (
    "shipment",
    "payment",
    "refund",
    "return",
    "goods_receipt",
    "stock_adjustment",
    "expense",
    "reversal",
)
HEAD = [
    "finance.journal.number",
    "finance.journal.date",
    "finance.journal.source",
    "finance.journal.order",
    "finance.journal.memo",
    "finance.journal.amount",
    "",
]


def _field(label, name: str, value, box=rx.input, **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1"),
        box(name=name, default_value=value, id=f"journal-{name}", **props),
        spacing="1",
    )


def _date(t, label, name: str, value) -> rx.Component:
    return _field(label, name, value, box=partial(date_field, t), width="9em")


def journal_filters(t, values: dict, form_key, on_submit, on_clear) -> rx.Component:
    """Dates, account code, source type and order number."""
    return rx.form(
        rx.hstack(
            _date(t, t["finance.st.from"], "from", values["from"]),
            _date(t, t["finance.st.to"], "to", values["to"]),
            _field(t["finance.journal.account"], "account", values["account"], width="8em"),
            rx.vstack(
                rx.text(t["finance.journal.source_type"], size="1"),
                rx.select.root(
                    rx.select.trigger(id="journal-source", min_width="140px"),
                    rx.select.content(
                        rx.select.item(t["finance.journal.all_sources"], value="all"),
                        *[rx.select.item(t[f"ledger.source.{s}"], value=s) for s in SOURCE_TYPES],
                    ),
                    name="source",
                    default_value=rx.cond(values["source"] == "", "all", values["source"]),
                ),
                spacing="1",
            ),
            _field(t["finance.journal.order"], "order", values["order"], width="10em"),
            rx.button(t["finance.journal.filter"], type="submit", id="journal-apply"),
            rx.button(t["finance.journal.clear"], type="button", variant="soft", on_click=on_clear),
            align="end",
            spacing="2",
            wrap="wrap",
        ),
        on_submit=on_submit,
        key=form_key,
    )


def entry_row(t, on_open):
    def row(e):
        return rx.table.row(
            rx.table.cell(
                rx.link(e["number"], on_click=on_open(e["id"]), cursor="pointer"),
                class_name="entry-number",
            ),
            rx.table.cell(e["entry_date"], white_space="nowrap"),
            rx.table.cell(t["ledger.source." + e["source_type"].to(str)], " ", e["source_key"]),
            rx.table.cell(
                rx.cond(
                    e["href"].to(str) != "",
                    rx.link(
                        rx.cond(
                            e["order_number"].to(str) != "", e["order_number"], e["source_key"]
                        ),
                        href=e["href"].to(str),
                    ),
                )
            ),
            rx.table.cell(e["memo"]),
            rx.table.cell(e["amount"], text_align="right", white_space="nowrap"),
            rx.table.cell(
                rx.button(
                    t["finance.journal.lines"], size="1", variant="soft", on_click=on_open(e["id"])
                )
            ),
            class_name="entry-row",
        )

    return row


def _line(line) -> rx.Component:
    return rx.table.row(
        rx.table.cell(line["account"]),
        rx.table.cell(line["name"]),
        rx.table.cell(line["debit"], text_align="right"),
        rx.table.cell(line["credit"], text_align="right"),
    )


def entry_dialog(t, entry, is_open, on_close, tz) -> rx.Component:
    """One entry: its source (linked), when it was posted, and its debit and credit lines."""
    heads = (
        "finance.st.code",
        "finance.st.account",
        "finance.journal.debit",
        "finance.journal.credit",
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(entry["number"].to(str)),
            rx.vstack(
                rx.hstack(
                    rx.text(entry["entry_date"].to(str)),
                    rx.text(t["ledger.source." + entry["source_type"].to(str)]),
                    rx.cond(
                        entry["source_href"].to(str) != "",
                        rx.link(
                            t["finance.journal.open_source"],
                            href=entry["source_href"].to(str),
                            id="entry-source-link",
                        ),
                        rx.text(entry["source_key"].to(str)),
                    ),
                    spacing="3",
                ),
                rx.text(entry["memo"].to(str), color_scheme="gray"),
                rx.hstack(
                    rx.text(t["finance.journal.posted_at"], size="1"),
                    rx.moment(entry["posted_at"].to(str), format="YYYY-MM-DD HH:mm", tz=tz),
                ),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(*[rx.table.column_header_cell(t[h]) for h in heads])
                    ),
                    rx.table.body(rx.foreach(entry["lines"].to(list[dict]), _line)),
                    size="1",
                    width="100%",
                    id="entry-lines",
                ),
                rx.button(t["finance.journal.close"], on_click=on_close, variant="soft"),
                width="100%",
                spacing="3",
            ),
            max_width="720px",
        ),
        open=is_open,
        on_open_change=lambda _open: on_close(),
    )

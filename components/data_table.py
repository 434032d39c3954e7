"""A server-paged table: sortable headers, a search box, a filter and a pager."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx


@dataclass(frozen=True)
class Column:
    key: str  # the row field
    label_key: str  # translation key of the header
    sort: str = ""  # the server's sort name, empty when not sortable
    align: str = "left"
    badge: bool = False  # show the value as a status badge (translated via "status.<value>")
    translate: str = ""  # show t[translate + value] instead of the raw code, e.g. "channel."
    link: str = ""  # make the value a link to link + value, e.g. "/orders/"


# Only free text wraps in a cell; codes, figures, dates and statuses stay on one line (on a
# tablet the table then scrolls inside its card instead of breaking "2026-12-03 18:17" or
# "销售录入" in two).
FREE_TEXT_KEYS = frozenset(("customer", "name", "reason", "specs", "address", "note", "title"))

STATUS_COLORS = {
    "draft": "gray",
    "pending_approval": "amber",
    "approved": "blue",
    "allocated": "cyan",
    "picking": "iris",
    "packed": "violet",
    "shipped": "indigo",
    "delivered": "teal",
    "completed": "green",
    "rejected": "red",
    "on_hold": "orange",
    "cancelled": "gray",
}


def status_badge(t: rx.Var, status: rx.Var) -> rx.Component:
    return rx.badge(
        t["status." + status.to(str)], color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray")
    )


def _header(t: rx.Var, col: Column, sort: rx.Var, descending: rx.Var, on_sort) -> rx.Component:
    label = rx.text(t[col.label_key], white_space="nowrap")
    if not col.sort:
        return rx.table.column_header_cell(label, text_align=col.align)
    arrow = rx.cond(sort == col.sort, rx.cond(descending, "▼", "▲"), "")
    return rx.table.column_header_cell(
        rx.hstack(label, rx.text(arrow, size="1")),
        on_click=on_sort(col.sort),
        cursor="pointer",
        text_align=col.align,
    )


def _cell(t: rx.Var, row: rx.Var, col: Column) -> rx.Component:
    if col.badge:
        return rx.table.cell(status_badge(t, row[col.key]))
    wrap = "normal" if col.key in FREE_TEXT_KEYS else "nowrap"
    if col.link:
        value = row[col.key].to(str)
        return rx.table.cell(
            rx.link(value, href=col.link + value), text_align=col.align, white_space=wrap
        )
    if col.translate:
        return rx.table.cell(
            translated(t, col.translate, row[col.key].to(str)),
            text_align=col.align,
            white_space=wrap,
        )
    # free text keeps a readable measure: the table scrolls sideways before it wraps per word
    measure = "10em" if col.key in FREE_TEXT_KEYS else "0"
    return rx.table.cell(
        row[col.key].to(str), text_align=col.align, white_space=wrap, min_width=measure
    )


def translated(t: rx.Var, prefix: str, value: rx.Var) -> rx.Var:
    """t[prefix + value], or the value itself when the catalogue has no name for it."""
    name = t[prefix + value]
    return rx.cond(name, name, value)


def data_table(
    t: rx.Var,
    columns: list[Column],
    rows: rx.Var,
    *,
    total: rx.Var,
    page: rx.Var,
    page_count: rx.Var,
    sort: rx.Var,
    descending: rx.Var,
    on_sort,
    on_page,
    on_search,
    filter_select: rx.Component | None = None,
    table_id: str = "data-table",
) -> rx.Component:
    toolbar = rx.hstack(
        rx.form(
            rx.hstack(
                rx.input(
                    name="search",
                    placeholder=t["list.search"],
                    width="260px",
                    id=f"{table_id}-search",
                ),
                rx.button(t["list.search_button"], type="submit"),
            ),
            on_submit=on_search,
        ),
        filter_select or rx.fragment(),
        rx.spacer(),
        rx.text(t["list.total"], ": ", total, id=f"{table_id}-total", white_space="nowrap"),
        width="100%",
        align="center",
    )
    body = rx.table.root(
        rx.table.header(rx.table.row(*[_header(t, c, sort, descending, on_sort) for c in columns])),
        rx.table.body(
            rx.foreach(rows, lambda row: rx.table.row(*[_cell(t, row, c) for c in columns]))
        ),
        width="100%",
        variant="surface",
        size="1",
        id=table_id,
    )
    pager = rx.hstack(
        rx.button("‹", on_click=on_page(page - 1), disabled=page <= 1, variant="soft"),
        rx.text(page, " / ", page_count, id=f"{table_id}-page"),
        rx.button("›", on_click=on_page(page + 1), disabled=page >= page_count, variant="soft"),
        justify="end",
        width="100%",
    )
    return rx.vstack(toolbar, body, pager, width="100%")


def filter_select(
    t: rx.Var, options: list[tuple[str, str]], value: rx.Var, on_change, select_id: str
) -> rx.Component:
    """A select whose options are (value, translation key); "all" clears the filter."""
    return rx.select.root(
        rx.select.trigger(placeholder=t["list.filter"], id=select_id),
        rx.select.content(
            rx.select.item(t["list.all"], value="all"),
            *[rx.select.item(t[label], value=val) for val, label in options],
        ),
        value=rx.cond(value == "", "all", value),
        on_change=on_change,
    )

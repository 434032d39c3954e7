"""The operations report's pieces: filter bar, group-by switch, figures table, charts."""

from __future__ import annotations

import reflex as rx

from components.date_field import date_field

# (row field, translation key of the header), in the order the columns appear.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("group", "operations.group"),
    ("submitted", "operations.submitted"),
    ("submit_to_approval", "operations.submit_to_approval"),
    ("approval_to_pick", "operations.approval_to_pick"),
    ("pick_to_ship", "operations.pick_to_ship"),
    ("rejection_rate", "operations.rejection_rate"),
    ("correction_rate", "operations.correction_rate"),
    ("short_pick_rate", "operations.short_pick_rate"),
)
# (grouping, translation key of its label) for the group-by switch.
GROUPINGS: tuple[tuple[str, str], ...] = (
    ("team", "operations.by_team"),
    ("day", "operations.by_day"),
    ("week", "operations.by_week"),
    ("month", "operations.by_month"),
)


def filter_bar(t: rx.Var, date_from, date_to, warehouse, loading, on_submit) -> rx.Component:
    """Period and warehouse, applied together."""
    return rx.form(
        rx.hstack(
            rx.text(t["operations.from"], size="2"),
            date_field(t, name="from", default_value=date_from, id="ops-from", width="9em"),
            rx.text(t["operations.to"], size="2"),
            date_field(t, name="to", default_value=date_to, id="ops-to", width="9em"),
            rx.input(
                name="warehouse",
                default_value=warehouse,
                placeholder=t["operations.warehouse"],
                max_length=16,
                width="9em",
                id="ops-warehouse",
            ),
            rx.button(t["operations.apply"], type="submit", loading=loading, id="ops-apply"),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
    )


def grouping_switch(t: rx.Var, value, on_change) -> rx.Component:
    """Team, day, week or month."""
    return rx.hstack(
        rx.text(t["operations.group_by"], size="2"),
        rx.segmented_control.root(
            *[rx.segmented_control.item(t[label], value=name) for name, label in GROUPINGS],
            value=value,
            on_change=on_change,
            id="ops-group-by",
        ),
        align="center",
        spacing="3",
    )


def _row(row) -> rx.Component:
    return rx.table.row(*[rx.table.cell(row[key]) for key, _ in COLUMNS])


def _total_row(row) -> rx.Component:
    return rx.table.row(*[rx.table.cell(row[key]) for key, _ in COLUMNS], font_weight="bold")


def figures_table(t: rx.Var, rows, total) -> rx.Component:
    """One line per group and a total line; durations read 'median / average (count)'."""
    return rx.vstack(
        rx.table.root(
            rx.table.header(
                rx.table.row(*[rx.table.column_header_cell(t[label]) for _, label in COLUMNS])
            ),
            rx.table.body(
                rx.foreach(rows, _row),
                rx.foreach(total, _total_row),
            ),
            variant="surface",
            size="1",
            width="100%",
            id="ops-table",
        ),
        rx.text(t["operations.table_hint"], size="1", color_scheme="gray"),
        width="100%",
    )


def chart_card(t: rx.Var, title_key: str, figure, element_id: str) -> rx.Component:
    return rx.card(
        rx.text(t[title_key], size="2", weight="medium"),
        rx.plotly(data=figure, use_resize_handler=True, width="100%"),
        width="100%",
        id=element_id,
    )


def satisfaction_note(t: rx.Var) -> rx.Component:
    return rx.callout(
        t["operations.satisfaction_no_data"],
        icon="info",
        color_scheme="gray",
        id="ops-satisfaction",
    )

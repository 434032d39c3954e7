"""The report centre's pieces: the request form, a run's progress row, the history table."""

from __future__ import annotations

import reflex as rx

from components.date_field import date_field

# (kind, translation key of its name) in the order the form offers them.
KINDS: tuple[tuple[str, str], ...] = (
    ("daily_operations", "report.kind.daily_operations"),
    ("weekly_sales", "report.kind.weekly_sales"),
    ("monthly_management", "report.kind.monthly_management"),
)
STATUS_COLORS = {"queued": "gray", "running": "blue", "done": "green", "failed": "red"}
HISTORY_HEADS = (
    "reports.col.id",
    "reports.col.kind",
    "reports.col.period",
    "reports.col.requested_by",
    "reports.col.created",
    "reports.col.status",
    "reports.col.files",
    "reports.col.emailed_to",
)


def request_form(t: rx.Var, kind, on_kind, on_submit) -> rx.Component:
    """Kind, optional period and recipients, and the generate button."""
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t["reports.request_title"], size="3"),
                rx.hstack(
                    rx.text(t["reports.kind"], size="2"),
                    rx.select.root(
                        rx.select.trigger(id="report-kind"),
                        rx.select.content(
                            *[rx.select.item(t[label], value=name) for name, label in KINDS]
                        ),
                        value=kind,
                        on_change=on_kind,
                    ),
                    rx.text(t["reports.from"], size="2"),
                    date_field(t, name="from", id="report-from", width="9em"),
                    rx.text(t["reports.to"], size="2"),
                    date_field(t, name="to", id="report-to", width="9em"),
                    align="center",
                    spacing="3",
                    wrap="wrap",
                ),
                rx.text(t["reports.period_hint"], size="1", color_scheme="gray"),
                rx.hstack(
                    rx.input(
                        name="email_to",
                        placeholder=t["reports.email_to"],
                        max_length=500,
                        width="28em",
                        id="report-email-to",
                    ),
                    rx.button(t["reports.generate"], type="submit", id="report-generate"),
                    spacing="3",
                    wrap="wrap",
                ),
                spacing="3",
            ),
            on_submit=on_submit,
            reset_on_submit=False,
        ),
        width="100%",
    )


def status_badge(t: rx.Var, row) -> rx.Component:
    status = row["status"].to(str)
    return rx.badge(
        row["status_label"], color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray")
    )


def downloads(t: rx.Var, row) -> rx.Component:
    """PDF and XLSX links once the run is done."""
    return rx.cond(
        row["pdf"].to(str) != "",
        rx.hstack(
            rx.link(
                rx.hstack(rx.icon("file-text", size=14), rx.text(t["reports.download_pdf"])),
                href=row["pdf"].to(str),
                is_external=True,
                class_name="report-pdf",
            ),
            rx.link(
                rx.hstack(rx.icon("sheet", size=14), rx.text(t["reports.download_xlsx"])),
                href=row["xlsx"].to(str),
                is_external=True,
                class_name="report-xlsx",
            ),
            spacing="3",
        ),
        rx.text(row["error"].to(str), size="1", color_scheme="red"),
    )


def _active_row(t: rx.Var, row) -> rx.Component:
    return rx.hstack(
        rx.text("#", row["id"].to(str), weight="bold"),
        rx.text(row["kind"].to(str)),
        rx.text(row["period"].to(str), color_scheme="gray", size="2"),
        status_badge(t, row),
        rx.progress(value=row["progress"].to(int), max=100, width="12em", class_name="report-bar"),
        rx.text(row["progress"].to(str), "%", size="1", class_name="report-pct"),
        downloads(t, row),
        align="center",
        spacing="3",
        wrap="wrap",
        width="100%",
        class_name="report-active",
        id="report-run-" + row["id"].to(str),
    )


def active_runs(t: rx.Var, rows) -> rx.Component:
    """The runs this page asked for, with their progress bars."""
    return rx.cond(
        rows.length() > 0,
        rx.card(
            rx.vstack(
                rx.heading(t["reports.mine"], size="3"),
                rx.foreach(rows, lambda row: _active_row(t, row)),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
    )


def _history_row(t: rx.Var, row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["id"].to(str)),
        rx.table.cell(row["kind"].to(str)),
        rx.table.cell(row["period"].to(str)),
        rx.table.cell(row["requested_by"].to(str)),
        rx.table.cell(row["created"].to(str)),
        rx.table.cell(status_badge(t, row)),
        rx.table.cell(downloads(t, row)),
        rx.table.cell(row["emailed_to"].to(str)),
        class_name="report-history-row",
    )


def history_table(t: rx.Var, rows, page_label, on_previous, on_next) -> rx.Component:
    """Every run, newest first, a page at a time."""
    return rx.vstack(
        rx.heading(t["reports.history"], size="3"),
        rx.cond(
            rows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(*[rx.table.column_header_cell(t[h]) for h in HISTORY_HEADS])
                ),
                rx.table.body(rx.foreach(rows, lambda row: _history_row(t, row))),
                width="100%",
                id="report-history",
            ),
            rx.text(t["reports.empty"], color_scheme="gray"),
        ),
        rx.hstack(
            rx.button(t["reports.prev"], on_click=on_previous, variant="soft", size="1"),
            rx.text(page_label, size="2", id="report-page"),
            rx.button(t["reports.next"], on_click=on_next, variant="soft", size="1"),
            align="center",
            spacing="3",
        ),
        width="100%",
        spacing="3",
    )

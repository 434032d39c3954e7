"""Pieces of the budgets screen: an execution bar with its forecast marker and alert badges,
the adjustment request form, pending requests with approve / reject, the forecast panel."""

from __future__ import annotations

import reflex as rx

from components.charts import chart_plot
from components.progress import percent_bar

MONTHS = [str(m) for m in range(1, 13)]
KINDS = ("increase", "decrease", "transfer")


def execution_bar(row) -> rx.Component:
    """% used as a bar, the run-rate forecast as a thin mark on it (red when over)."""
    return rx.box(
        percent_bar(row["bar"], width="100%"),
        rx.box(
            position="absolute",
            top="-3px",
            left=row["marker"].to(str),
            width="3px",
            height="14px",
            background=rx.cond(row["over"].to(str) != "", "var(--red-9)", "var(--gray-9)"),
            class_name="forecast-marker",
        ),
        position="relative",
        width="100%",
    )


def budget_card(t):
    def card(row) -> rx.Component:
        return rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text(row["label"], weight="bold"),
                    rx.badge(t["budgets.policy." + row["policy"].to(str)], variant="soft"),
                    rx.foreach(
                        row["alerts"].to(list[str]),
                        lambda key: rx.badge(t[key], color_scheme="red", class_name="alert-badge"),
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
                execution_bar(row),
                rx.hstack(
                    rx.text(t["budgets.used"], ": ", row["percent"], " %", size="2"),
                    rx.text(row["actual"], " / ", row["budget"], size="2"),
                    rx.text(t["budgets.forecast_end"], ": ", row["forecast"], size="2"),
                    rx.text(
                        t["budgets.this_month"],
                        ": ",
                        row["month_text"],
                        " (",
                        row["month_percent"],
                        " %)",
                        size="2",
                    ),
                    spacing="4",
                    wrap="wrap",
                ),
                width="100%",
                spacing="2",
            ),
            width="100%",
            class_name="budget-card",
        )

    return card


def _labelled(label: rx.Var, control: rx.Component) -> rx.Component:
    """A select with its visible name above it (the label element names it for readers too)."""
    return rx.el.label(
        rx.text(label, size="1", color_scheme="gray"),
        control,
        display="flex",
        flex_direction="column",
        gap="2px",
    )


def _select(t, name: str, items, label_prefix: str = "") -> rx.Component:
    return rx.el.select(
        rx.foreach(
            items,
            lambda v: rx.el.option(t[label_prefix + v] if label_prefix else v, value=v),
        ),
        name=name,
    )


def adjustment_form(t, budgets: rx.Var, on_submit, form_key: rx.Var) -> rx.Component:
    """Ask for an increase, decrease or transfer of one month of a budget."""
    options = rx.foreach(budgets, lambda b: rx.el.option(b["label"], value=b["id"].to(str)))
    return rx.form(
        rx.hstack(
            _labelled(t["budgets.col.budget"], rx.el.select(options, name="budget_id")),
            _labelled(t["budgets.col.kind"], _select(t, "kind", list(KINDS), "budgets.kind.")),
            _labelled(t["budgets.col.month"], _select(t, "month", MONTHS)),
            rx.input(name="amount", placeholder=t["budgets.amount"], width="8em"),
            _labelled(
                t["budgets.col.to_budget"],
                rx.el.select(rx.el.option("-", value=""), options, name="to_budget"),
            ),
            rx.input(name="reason", placeholder=t["budgets.reason"], width="16em"),
            rx.button(t["budgets.request"], type="submit"),
            spacing="2",
            wrap="wrap",
            align="end",
        ),
        key=form_key,
        on_submit=on_submit,
        reset_on_submit=True,
        class_name="adjustment-form",
    )


def budget_form(t, on_submit, form_key: rx.Var) -> rx.Component:
    """Open a budget of this year: cost centre, expense account, policy, annual amount, spread."""
    return rx.form(
        rx.hstack(
            rx.input(name="cost_centre", placeholder=t["budgets.cost_centre"], width="10em"),
            rx.input(name="account_code", placeholder=t["budgets.account"], width="7em"),
            _labelled(
                t["budgets.label.policy"],
                _select(t, "policy", ["warn", "block"], "budgets.policy."),
            ),
            rx.input(name="annual", placeholder=t["budgets.annual"], width="9em"),
            _labelled(
                t["budgets.label.spread"],
                _select(t, "spread", ["even", "last_year"], "budgets.spread."),
            ),
            rx.button(t["budgets.create"], type="submit", variant="soft"),
            spacing="2",
            wrap="wrap",
            align="end",
        ),
        key=form_key,
        on_submit=on_submit,
        reset_on_submit=True,
        class_name="budget-form",
    )


def pending_requests(t, rows: rx.Var, can_decide: rx.Var, on_decide) -> rx.Component:
    """Requests waiting for a decision, with approve / reject for finance managers."""

    def row(a) -> rx.Component:
        return rx.table.row(
            rx.table.cell(a["budget"]),
            rx.table.cell(a["kind"]),
            rx.table.cell(a["to_budget"]),
            rx.table.cell(a["month"]),
            rx.table.cell(a["amount"], text_align="right"),
            rx.table.cell(a["reason"]),
            rx.table.cell(a["requested_by"]),
            rx.table.cell(
                rx.cond(
                    can_decide,
                    rx.hstack(
                        rx.button(
                            t["budgets.approve"], size="1", on_click=on_decide(a["id"], True)
                        ),
                        rx.button(
                            t["budgets.reject"],
                            size="1",
                            color_scheme="red",
                            variant="soft",
                            on_click=on_decide(a["id"], False),
                        ),
                    ),
                )
            ),
            class_name="pending-adjustment",
        )

    heads = ["budget", "kind", "to_budget", "month", "amount", "reason", "requested_by", "actions"]
    return rx.table.root(
        rx.table.header(
            rx.table.row(*[rx.table.column_header_cell(t["budgets.col." + h]) for h in heads])
        ),
        rx.table.body(rx.foreach(rows, row)),
        width="100%",
    )


ADJUSTMENT_COLORS = {"approved": "green", "rejected": "red"}


def recent_decisions(t, rows: rx.Var) -> rx.Component:
    """The latest decided adjustment requests with what became of them."""

    def row(a) -> rx.Component:
        status = a["status"].to(str)
        return rx.table.row(
            rx.table.cell(a["budget"]),
            rx.table.cell(a["kind"]),
            rx.table.cell(a["to_budget"]),
            rx.table.cell(a["month"]),
            rx.table.cell(a["amount"], text_align="right"),
            rx.table.cell(a["reason"]),
            rx.table.cell(a["requested_by"]),
            rx.table.cell(
                rx.badge(
                    t["budgets.adjustment." + status],
                    color_scheme=rx.match(status, *ADJUSTMENT_COLORS.items(), "gray"),
                    class_name="adjustment-status",
                )
            ),
            class_name="decided-adjustment",
        )

    heads = ["budget", "kind", "to_budget", "month", "amount", "reason", "requested_by", "status"]
    return rx.cond(
        rows.length() > 0,
        rx.table.root(
            rx.table.header(
                rx.table.row(*[rx.table.column_header_cell(t["budgets.col." + h]) for h in heads])
            ),
            rx.table.body(rx.foreach(rows, row)),
            width="100%",
        ),
        rx.text(t["budgets.no_decisions"], color_scheme="gray", size="2"),
    )


def forecast_panel(t, figure, ready, mape, method, kind, on_choose) -> rx.Component:
    """The forecast chart with the backtest error beside it."""
    return rx.hstack(
        rx.box(chart_plot(figure, ready), flex="3"),
        rx.vstack(
            rx.segmented_control.root(
                rx.segmented_control.item(t["budgets.series.revenue"], value="revenue"),
                rx.segmented_control.item(t["budgets.series.cash_in"], value="cash_in"),
                value=kind,
                on_change=on_choose,
            ),
            rx.text(t["budgets.backtest_mape"], size="2", color_scheme="gray"),
            rx.heading(mape, size="6", class_name="forecast-mape"),
            rx.text(method, size="2"),
            rx.text(t["budgets.forecast_hint"], size="1", color_scheme="gray"),
            flex="1",
        ),
        width="100%",
        align="start",
    )

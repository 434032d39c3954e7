"""/reports/operations: processing times and error rates by team or period, as a table and
two charts."""

from __future__ import annotations

import reflex as rx

from components.operations import (
    chart_card,
    figures_table,
    filter_bar,
    grouping_switch,
    satisfaction_note,
)
from oms_app.pages.layout import shell
from state.operations_report import OperationsReportState as S


def operations_report_page() -> rx.Component:
    t = S.t
    return shell(
        "nav.operations_report",
        filter_bar(t, S.date_from, S.date_to, S.warehouse, S.loading, S.set_filters),
        grouping_switch(t, S.group_by, S.choose_grouping),
        rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", id="ops-error")),
        rx.cond(
            S.loading,
            rx.hstack(rx.spinner(), rx.text(t["operations.loading"]), id="ops-loading"),
        ),
        figures_table(t, S.rows, S.total),
        rx.grid(
            chart_card(t, "operations.stage_chart", S.stage_chart, "ops-stage-chart"),
            chart_card(t, "operations.rate_chart", S.rate_chart, "ops-rate-chart"),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="3",
            width="100%",
        ),
        satisfaction_note(t),
    )

"""/reports: the report centre — ask for a report, watch it being made, download it."""

from __future__ import annotations

import reflex as rx

from components.reports import active_runs, history_table, request_form
from oms_app.pages.layout import shell
from state.reports import ReportsState as S


def reports_page() -> rx.Component:
    t = S.t
    return shell(
        "nav.reports",
        request_form(t, S.kind, S.choose_kind, S.request_report),
        rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", id="report-error")),
        active_runs(t, S.active),
        history_table(t, S.rows, S.page_label, S.previous_page, S.next_page),
    )

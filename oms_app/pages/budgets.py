"""/budgets: budgets with execution bars and alerts, adjustment requests, and forecasts."""

from __future__ import annotations

import reflex as rx

from components.budgets import (
    adjustment_form,
    budget_card,
    budget_form,
    forecast_panel,
    pending_requests,
    recent_decisions,
)
from oms_app.pages.layout import shell
from state.budgets import BudgetForecastState as F
from state.budgets import BudgetsState as S


def budgets_page() -> rx.Component:
    t = S.t
    return shell(
        "budgets.title",
        rx.vstack(
            rx.cond(
                S.error != "", rx.callout(S.error, color_scheme="red", class_name="budget-error")
            ),
            rx.cond(S.notice != "", rx.callout(S.notice, color_scheme="green")),
            rx.cond(
                S.rows.length() > 0,
                rx.grid(rx.foreach(S.rows, budget_card(t)), columns="2", spacing="3", width="100%"),
                rx.text(t["budgets.none"], color_scheme="gray"),
            ),
            rx.cond(S.can_decide, budget_form(t, S.create_budget, S.form_key)),
            rx.heading(t["budgets.adjustments"], size="4"),
            adjustment_form(t, S.rows, S.request_adjustment, S.form_key),
            pending_requests(t, S.pending, S.can_decide, S.decide),
            rx.heading(t["budgets.recent_decisions"], size="3"),
            recent_decisions(t, S.decided),
            rx.heading(t["budgets.forecasts"], size="4"),
            forecast_panel(t, F.figure, F.ready, F.mape, F.method, F.kind, F.choose),
            width="100%",
            spacing="3",
        ),
    )

"""/dashboard: KPI tiles for a period, each with its change against the period before and
the same period last year."""

from __future__ import annotations

import reflex as rx

from oms_app.pages.layout import shell
from state.dashboard import DashboardState as S


def _change(label_key: str, value, lower_is_better) -> rx.Component:
    fell = value.to(str).startswith("-")
    good = rx.cond(lower_is_better == "1", fell, ~fell)
    return rx.cond(
        value != "",
        rx.text(
            S.t[label_key],
            " ",
            rx.text.span(
                value,
                color=rx.cond(good, "var(--green-11)", "var(--red-11)"),
                weight="medium",
            ),
            size="1",
            color_scheme="gray",
        ),
    )


def _tile(tile) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(S.t["kpi." + tile["key"]], size="2", color_scheme="gray"),
            rx.cond(
                tile["no_data"] == "1",
                rx.text(S.t["kpi.no_data"], size="3", color_scheme="gray"),
                rx.heading(tile["value"], size="7"),
            ),
            _change("kpi.vs_previous", tile["vs_previous"], tile["lower_is_better"]),
            _change("kpi.vs_last_year", tile["vs_last_year"], tile["lower_is_better"]),
            spacing="1",
        ),
        min_width="210px",
        id="kpi-" + tile["key"],
    )


def dashboard_page() -> rx.Component:
    t = S.t
    return shell(
        "nav.dashboard",
        rx.form(
            rx.hstack(
                rx.text(t["dashboard.from"], size="2"),
                rx.input(type="date", name="from", default_value=S.date_from, id="period-from"),
                rx.text(t["dashboard.to"], size="2"),
                rx.input(type="date", name="to", default_value=S.date_to, id="period-to"),
                rx.button(
                    t["dashboard.apply"], type="submit", loading=S.loading, id="period-apply"
                ),
                align="center",
                spacing="3",
            ),
            on_submit=S.set_period,
            reset_on_submit=False,
        ),
        rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", id="dashboard-error")),
        rx.flex(rx.foreach(S.tiles, _tile), wrap="wrap", gap="3", id="kpi-tiles"),
    )

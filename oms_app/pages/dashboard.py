"""/dashboard: KPI tiles for a period, each with its change against the period before and
the same period last year, then the charts; warehouse, category, channel and rep narrow both."""

from __future__ import annotations

import reflex as rx

from components.charts import chart_card, chart_plot, choice_select, live_badge, option_items
from components.date_field import date_field
from oms_app.orders.rules import CHANNELS
from oms_app.pages.layout import KEEP_ALIVE_MS, shell
from state import dashboard_charts as C
from state.dashboard import DashboardState as S
from state.dashboard_live import DashboardLiveState as Live


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


def _filters() -> rx.Component:
    t = S.t
    return rx.form(
        rx.flex(
            rx.text(t["dashboard.from"], size="2"),
            date_field(t, name="from", default_value=S.date_from, id="period-from", width="9em"),
            rx.text(t["dashboard.to"], size="2"),
            date_field(t, name="to", default_value=S.date_to, id="period-to", width="9em"),
            choice_select(
                "warehouse",
                t["chart.filter.warehouse"],
                t["chart.filter.all"],
                [option_items(S.warehouse_options)],
                S.warehouse,
                "filter-warehouse",
            ),
            choice_select(
                "category",
                t["chart.filter.category"],
                t["chart.filter.all"],
                [option_items(S.category_options)],
                S.category,
                "filter-category",
            ),
            choice_select(
                "channel",
                t["chart.filter.channel"],
                t["chart.filter.all"],
                [rx.select.item(t[f"channel.{c}"], value=c) for c in CHANNELS],
                S.channel,
                "filter-channel",
            ),
            choice_select(
                "rep",
                t["chart.filter.rep"],
                t["chart.filter.all"],
                [option_items(S.rep_options)],
                S.rep,
                "filter-rep",
            ),
            rx.button(t["dashboard.apply"], type="submit", loading=S.loading, id="period-apply"),
            align="center",
            wrap="wrap",
            spacing="3",
        ),
        on_submit=S.apply_filters,
        reset_on_submit=False,
    )


def _plot(state, key: str, clickable: bool) -> rx.Component:
    """The shared live chart in the default view, the viewer's own once they narrow it."""
    live_click = (lambda points: Live.open_orders(key, points)) if clickable else None
    return rx.cond(
        S.live,
        chart_plot(getattr(Live, key), Live.loaded, on_click=live_click),
        chart_plot(state.figure, state.ready, on_click=state.open_orders if clickable else None),
    )


def _charts() -> rx.Component:
    t = S.t
    hint = t["chart.click_hint"]

    def card(state, key: str, title: str, clickable: bool = True, wide: bool = False):
        return chart_card(
            t[title],
            state.figure,
            state.ready,
            "chart-" + key.replace("_", "-"),
            hint=hint if clickable else None,
            wide=wide,
            plot=_plot(state, key, clickable),
        )

    return rx.grid(
        card(C.RevenueTrendState, "trend", "chart.title.trend", wide=True),
        card(C.TopProductsState, "products", "chart.title.products"),
        card(C.TopCategoriesState, "categories", "chart.title.categories"),
        card(C.ProvinceSalesState, "provinces", "chart.title.provinces"),
        card(C.RepSalesState, "reps", "chart.title.reps"),
        card(C.StatusFunnelState, "funnel", "chart.title.funnel"),
        card(C.StageTimesState, "stage_times", "chart.title.stage_times", clickable=False),
        card(C.PaymentMixState, "payment_mix", "chart.title.payment_mix", clickable=False),
        columns=rx.breakpoints(initial="1", lg="2"),
        spacing="3",
        width="100%",
        id="dashboard-charts",
    )


def dashboard_page() -> rx.Component:
    return shell(
        "nav.dashboard",
        _filters(),
        rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", id="dashboard-error")),
        live_badge(S.live, S.t["dashboard.live.on"], S.t["dashboard.live.off"]),
        rx.flex(
            rx.foreach(rx.cond(S.live, Live.tiles, S.tiles), _tile),
            wrap="wrap",
            spacing="3",
            id="kpi-tiles",
        ),
        rx.moment(interval=KEEP_ALIVE_MS, on_change=S.keep_alive, display="none"),
        _charts(),
    )

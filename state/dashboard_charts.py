"""The dashboard's charts, each in its own small state so a change resends only its figure.

Each reads the period and filters of DashboardState, queries in a thread, keeps the figure and,
for clickable charts, the order-list parameters of each bar, so a click opens those orders.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import reflex as rx

from oms_app.analytics import charts, drilldown, figures, flow
from oms_app.analytics.scope import DashboardFilter
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import DomainError
from oms_app.core.i18n import catalogue
from oms_app.core.permissions import Actor
from state.base import SessionState
from state.dashboard import DashboardState

Figure = tuple[go.Figure, list[str]]


def _link(flt: DashboardFilter, **narrower: str) -> str:
    return drilldown.orders_url({**drilldown.filter_params(flt), **narrower})


def _trend(rows, flt: DashboardFilter, lang: str) -> Figure:
    days = [r["day"].isoformat() for r in rows if r["in_period"]]
    fig = figures.trend_figure(rows, catalogue(lang))
    return fig, [_link(flt, **{"from": day, "to": day}) for day in days]


def _products(ranked, flt: DashboardFilter, lang: str) -> Figure:
    rows = ranked["rows"]
    names = [f"{r['sku']} {figures.localized_name(r, lang)}" for r in rows]
    revenue = [r["revenue"] for r in rows]
    fig = figures.pareto_figure(names, revenue, ranked["total"], catalogue(lang))
    return fig, [_link(flt, sku=r["sku"]) for r in rows]


def _categories(ranked, flt: DashboardFilter, lang: str) -> Figure:
    rows = ranked["rows"]
    names = [figures.localized_name(r, lang) for r in rows]
    revenue = [r["revenue"] for r in rows]
    fig = figures.pareto_figure(names, revenue, ranked["total"], catalogue(lang))
    return fig, [_link(flt, category=r["code"]) for r in rows]


def _provinces(rows, flt: DashboardFilter, lang: str) -> Figure:
    labels = catalogue(lang)
    names = [r["province"] or labels["chart.unknown_province"] for r in rows]
    fig = figures.bar_figure(names, [r["revenue"] for r in rows], labels)
    return fig, [_link(flt, province=r["province"]) if r["province"] else "" for r in rows]


def _reps(rows, flt: DashboardFilter, lang: str) -> Figure:
    labels = catalogue(lang)
    names = [r["display_name"] or labels["chart.unknown_rep"] for r in rows]
    fig = figures.bar_figure(names, [r["revenue"] for r in rows], labels)
    return fig, [_link(flt, rep=r["username"]) if r["username"] else "" for r in rows]


def _funnel(rows, flt: DashboardFilter, lang: str) -> Figure:
    targets = [drilldown.orders_url(drilldown.stage_params(flt, r["stage"])) for r in rows]
    return figures.funnel_figure(rows, catalogue(lang)), targets


def _stage_times(rows, flt: DashboardFilter, lang: str) -> Figure:
    return figures.stage_box_figure(rows, catalogue(lang)), []


def _payment_mix(rows, flt: DashboardFilter, lang: str) -> Figure:
    return figures.payment_mix_figure(rows, catalogue(lang)), []


@dataclass(frozen=True)
class Chart:
    """One dashboard chart: the query behind it and how its rows are drawn in a language."""

    key: str
    query: Callable[..., Any]  # (uow, *, actor, flt) -> rows
    draw: Callable[[Any, DashboardFilter, str], Figure]

    def rows(self, uow: UnitOfWork, actor: Actor, flt: DashboardFilter) -> Any:
        return self.query(uow, actor=actor, flt=flt)


CHARTS: dict[str, Chart] = {
    chart.key: chart
    for chart in (
        Chart("trend", charts.revenue_trend, _trend),
        Chart("products", charts.top_products, _products),
        Chart("categories", charts.top_categories, _categories),
        Chart("provinces", charts.sales_by_province, _provinces),
        Chart("reps", charts.sales_by_rep, _reps),
        Chart("funnel", flow.status_funnel, _funnel),
        Chart("stage_times", flow.stage_times, _stage_times),
        Chart("payment_mix", flow.payment_mix, _payment_mix),
    )
}


def pick_target(targets: list[str], points: list[dict]) -> str:
    """The order-list URL of the clicked point ("" for none)."""
    if not points:
        return ""
    index = points[0].get("pointIndex", points[0].get("pointNumber"))
    if not isinstance(index, int) or not 0 <= index < len(targets):
        return ""
    return targets[index]


class ChartState(rx.State, mixin=True):
    """One chart: its figure and where each of its points leads."""

    figure: go.Figure = go.Figure()
    ready: bool = False  # loaded at least once
    _targets: list[str] = []  # per clicked point index: the /orders URL ("" for none)

    def _chart(self) -> Chart:
        raise NotImplementedError

    @rx.event
    async def load(self):
        actor = await self._actor()
        if actor is None:
            return
        dashboard = await self.get_state(DashboardState)
        chart = self._chart()
        try:
            flt = dashboard.dashboard_filter()
            rows = await asyncio.to_thread(chart.rows, self._uow(), actor, flt)
        except (ValueError, DomainError):
            self.figure, self._targets = figures.empty_figure(catalogue(self.lang)), []
            return
        self.figure, self._targets = chart.draw(rows, flt, self.lang)
        self.ready = True

    @rx.event
    def open_orders(self, points: list[dict]):
        """A click on a bar: open the order list narrowed to it."""
        target = pick_target(self._targets, points)
        return rx.redirect(target) if target else None


class RevenueTrendState(SessionState, ChartState):
    def _chart(self) -> Chart:
        return CHARTS["trend"]


class TopProductsState(SessionState, ChartState):
    def _chart(self) -> Chart:
        return CHARTS["products"]


class TopCategoriesState(SessionState, ChartState):
    def _chart(self) -> Chart:
        return CHARTS["categories"]


class ProvinceSalesState(SessionState, ChartState):
    def _chart(self) -> Chart:
        return CHARTS["provinces"]


class RepSalesState(SessionState, ChartState):
    def _chart(self) -> Chart:
        return CHARTS["reps"]


class StatusFunnelState(SessionState, ChartState):
    def _chart(self) -> Chart:
        return CHARTS["funnel"]


class StageTimesState(SessionState, ChartState):
    def _chart(self) -> Chart:
        return CHARTS["stage_times"]


class PaymentMixState(SessionState, ChartState):
    def _chart(self) -> Chart:
        return CHARTS["payment_mix"]


CHART_STATES: tuple[type[ChartState], ...] = (
    RevenueTrendState,
    TopProductsState,
    TopCategoriesState,
    ProvinceSalesState,
    RepSalesState,
    StatusFunnelState,
    StageTimesState,
    PaymentMixState,
)

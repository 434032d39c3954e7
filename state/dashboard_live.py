"""/dashboard's default view (the last 30 business days, no filters), shared by every viewer.

The event consumer rebuilds it after order, approval, shipment and payment events, once per
burst, so an open dashboard updates by itself; only the tiles and figures that changed are
assigned, so Reflex sends each linked tab just those. One shared state per language, as the
figures carry their labels.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import date, timedelta

import plotly.graph_objects as go
import reflex as rx

from oms_app.analytics import kpis as kpi_service
from oms_app.analytics.scope import DashboardFilter
from oms_app.analytics.tiles import build_tiles
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.db import UnitOfWork
from oms_app.core.i18n import SUPPORTED
from oms_app.core.permissions import SYSTEM_ACTOR, Permission
from state.base import SessionState
from state.coalesce import Coalescer, fan_out_finished
from state.dashboard import DEFAULT_DAYS
from state.dashboard_charts import CHARTS, Figure, pick_target

DEFAULT_VIEW = "default"
BURST_SECONDS = 0.3  # events this close together become one rebuild
MIN_INTERVAL_SECONDS = 1.0  # rest after a rebuild; events meanwhile make one more
STALE_SECONDS = 300.0  # opened (or kept alive) older than this: refreshed, at most this often


def business_today() -> date:
    return utcnow().astimezone(business_zone()).date()


def default_filter(today: date | None = None) -> DashboardFilter:
    """The default view's period: the last 30 business days ending today; no narrowing."""
    last = today or business_today()
    return DashboardFilter(date_from=last - timedelta(days=DEFAULT_DAYS - 1), date_to=last)


def live_lang(lang: str) -> str:
    return lang if lang in SUPPORTED else "en"


def live_token(lang: str) -> str:
    return "dashboard:default:" + live_lang(lang).replace("_", "-")  # no "_" in link tokens


@dataclass(frozen=True)
class DefaultView:
    """The default view as every viewer sees it: tiles, and each chart drawn per language."""

    flt: DashboardFilter
    tiles: list[dict[str, str]]
    drawn: dict[str, dict[str, Figure]]  # language -> chart key -> (figure, click targets)


def load_default_view(today: date | None = None) -> DefaultView:
    """Compute the default view from the database (as the system: it is the same for all)."""
    flt = default_filter(today)
    figures = kpi_service.compute_kpis(
        UnitOfWork(), actor=SYSTEM_ACTOR, date_from=flt.date_from, date_to=flt.date_to, today=today
    )
    rows = {key: chart.rows(UnitOfWork(), SYSTEM_ACTOR, flt) for key, chart in CHARTS.items()}
    drawn = {
        lang: {key: chart.draw(rows[key], flt, lang) for key, chart in CHARTS.items()}
        for lang in SUPPORTED
    }
    return DefaultView(flt, build_tiles(figures), drawn)


class DashboardLiveState(rx.SharedState):
    """The shared default view: tiles and one figure var per chart (named as CHARTS keys)."""

    period_from: str = ""
    period_to: str = ""
    tiles: list[dict[str, str]] = []
    trend: go.Figure = go.Figure()
    products: go.Figure = go.Figure()
    categories: go.Figure = go.Figure()
    provinces: go.Figure = go.Figure()
    reps: go.Figure = go.Figure()
    funnel: go.Figure = go.Figure()
    stage_times: go.Figure = go.Figure()
    payment_mix: go.Figure = go.Figure()
    loaded: bool = False
    _targets: dict[str, list[str]] = {}
    _built_at: float = 0.0

    def _fill(self, view: DefaultView, lang: str) -> None:
        """Assign only what changed, so linked tabs receive only those vars."""
        period = (view.flt.date_from.isoformat(), view.flt.date_to.isoformat())
        if (self.period_from, self.period_to) != period:
            self.period_from, self.period_to = period
        if self.tiles != view.tiles:
            self.tiles = view.tiles
        for key, (figure, _targets) in view.drawn[live_lang(lang)].items():
            if getattr(self, key).to_json() != figure.to_json():
                setattr(self, key, figure)
        self._targets = {key: t for key, (_f, t) in view.drawn[live_lang(lang)].items()}
        self._built_at = time.time()
        if not self.loaded:
            self.loaded = True

    @rx.event
    async def connect(self):
        """Link this tab to the shared default view of its language (dashboard viewers only)."""
        session = await self.get_state(SessionState)
        actor = await session._actor()
        if actor is None or not actor.can(Permission.DASHBOARD_VIEW):
            return
        token = live_token(session.lang)
        linked = await self._link_to(token)
        relinked = session._relinked(token)  # this tab reconnected: it may have missed events
        if not linked.loaded or linked.period_to != business_today().isoformat():
            linked._fill(await asyncio.to_thread(load_default_view), session.lang)
        elif relinked or time.time() - linked._built_at > STALE_SECONDS:
            DASHBOARD_REBUILDS.schedule(DEFAULT_VIEW)  # catch up on anything missed

    @rx.event
    def open_orders(self, chart: str, points: list[dict]):
        """A click on a bar of a shared chart: open the order list narrowed to it."""
        target = pick_target(self._targets.get(chart, []), points)
        return rx.redirect(target) if target else None


# --- pushed by the event consumer (state/live.py) -------------------------------------------


async def push_default_view(view: DefaultView) -> None:
    """Write the view into the shared state of every language; Reflex fans it out."""
    from oms_app.oms_app import app

    for lang in SUPPORTED:
        token = rx.BaseStateToken(ident=live_token(lang), cls=DashboardLiveState)
        async with app.modify_state(token) as root:
            live = await root.get_state(DashboardLiveState)
            live._fill(view, lang)


async def rebuild_dashboard(_key: str) -> None:
    """Recompute the default view in a thread, push it, then rest a moment."""
    view = await asyncio.to_thread(load_default_view)
    await push_default_view(view)
    await fan_out_finished()
    await asyncio.sleep(MIN_INTERVAL_SECONDS)  # a burst meanwhile makes exactly one more run


DASHBOARD_REBUILDS = Coalescer(rebuild_dashboard, delay=BURST_SECONDS)


async def on_business_event(data: dict) -> None:
    """Order, approval, shipment and payment events: rebuild the shared default view."""
    DASHBOARD_REBUILDS.schedule(DEFAULT_VIEW)

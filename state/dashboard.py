"""/dashboard: the executive's KPI tiles for a period and filters; the charts read the same."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import reflex as rx

from oms_app.analytics import charts as chart_service
from oms_app.analytics import kpis as kpi_service
from oms_app.analytics.scope import DashboardFilter
from oms_app.analytics.tiles import build_tiles
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import DomainError
from state.base import SessionState

DEFAULT_DAYS = 30
FILTER_FIELDS = ("warehouse", "category", "channel", "rep")


def _chart_loads() -> list:
    from state.dashboard_charts import CHART_STATES  # they read this state's filters

    return [chart.load for chart in CHART_STATES]


def _live_connect():
    from state.dashboard_live import DashboardLiveState  # it draws with the chart states

    return DashboardLiveState.connect


class DashboardState(SessionState):
    """The chosen period and filters, the tiles computed for them and the filters' choices."""

    date_from: str = ""
    date_to: str = ""
    warehouse: str = ""  # warehouse code
    category: str = ""  # category code
    channel: str = ""
    rep: str = ""  # username
    tiles: list[dict[str, str]] = []
    warehouse_options: list[dict[str, str]] = []  # {"value", "label"}
    category_options: list[dict[str, str]] = []
    rep_options: list[dict[str, str]] = []
    error: str = ""
    loading: bool = False
    live: bool = False  # showing the shared default view, which updates by itself

    def dashboard_filter(self) -> DashboardFilter:
        """The period and filters on screen (ValueError for a date that is not one)."""
        return DashboardFilter(
            date_from=date.fromisoformat(self.date_from),
            date_to=date.fromisoformat(self.date_to),
            warehouse=self.warehouse,
            category=self.category,
            channel=self.channel,
            rep=self.rep,
        )

    def _is_default_view(self) -> bool:
        """The last 30 business days ending today, nothing narrowed: the shared live view."""
        today = utcnow().astimezone(business_zone()).date()
        first = today - timedelta(days=DEFAULT_DAYS - 1)
        period = (self.date_from, self.date_to) == (first.isoformat(), today.isoformat())
        return period and not any(getattr(self, name) for name in FILTER_FIELDS)

    async def _show(self):
        """The shared live view for the default view, else this user's own figures."""
        self.live = self._is_default_view()
        if self.live:
            self.error = ""
            return _live_connect()
        if await self._compute():
            return _chart_loads()
        return None

    @rx.event
    async def load(self):
        """on_load: the last 30 days unless a period was chosen already; then the charts."""
        if not self.date_to:
            today = utcnow().astimezone(business_zone()).date()
            self.date_to = today.isoformat()
            self.date_from = (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat()
        await self._load_options()
        return await self._show()

    @rx.event
    def keep_alive(self):
        """Hidden timer: re-link the live view before its shared key can expire in Redis."""
        return _live_connect() if self.live else None

    @rx.event
    async def apply_filters(self, form: dict):
        """The filter form: from and to dates (YYYY-MM-DD) and the four choices ("all": none)."""
        field = {k: str(v or "").strip() for k, v in form.items()}
        self.date_from, self.date_to = field.get("from", ""), field.get("to", "")
        for name in FILTER_FIELDS:
            value = field.get(name, "")
            setattr(self, name, "" if value == "all" else value)
        return await self._show()

    async def _load_options(self) -> None:
        actor = await self._actor()
        if actor is None or self.warehouse_options:
            return
        try:
            options = await asyncio.to_thread(
                chart_service.filter_options, self._uow(), actor=actor
            )
        except DomainError:
            return
        zh = self.lang != "en"
        self.warehouse_options = [
            {"value": w["code"], "label": f"{w['code']} {w['name']}"} for w in options["warehouses"]
        ]
        self.category_options = [
            {"value": c["code"], "label": c["name_zh"] if zh else c["name_en"]}
            for c in options["categories"]
        ]
        self.rep_options = [
            {"value": r["username"], "label": r["display_name"] or r["username"]}
            for r in options["reps"]
        ]

    async def _compute(self) -> bool:
        """The tiles; True when the filters were valid and the charts may follow."""
        actor = await self._actor()
        if actor is None:
            return False
        self.loading, self.error = True, ""
        try:
            flt = self.dashboard_filter()
            figures = await asyncio.to_thread(
                kpi_service.compute_kpis,
                self._uow(),
                actor=actor,
                date_from=flt.date_from,
                date_to=flt.date_to,
                **{name: getattr(flt, name) for name in FILTER_FIELDS},
            )
            self.tiles = build_tiles(figures)
            return True
        except ValueError:
            self.error = self._tr("error.period.invalid")
        except DomainError as err:
            self.error = self._tr(err.code, **err.params)
        finally:
            self.loading = False
        return False

"""/dashboard: the executive's KPI tiles for a period, with comparisons."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import reflex as rx

from oms_app.analytics import kpis as kpi_service
from oms_app.analytics.tiles import build_tiles
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import DomainError
from state.base import SessionState

DEFAULT_DAYS = 30


class DashboardState(SessionState):
    """The chosen period and the tiles computed for it (in SQL, by the analytics service)."""

    date_from: str = ""
    date_to: str = ""
    tiles: list[dict[str, str]] = []
    error: str = ""
    loading: bool = False

    @rx.event
    async def load(self):
        """on_load: the last 30 days unless a period was chosen already."""
        if not self.date_to:
            today = utcnow().astimezone(business_zone()).date()
            self.date_to = today.isoformat()
            self.date_from = (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat()
        await self._compute()

    @rx.event
    async def set_period(self, form: dict):
        """The filter form: from and to dates (YYYY-MM-DD)."""
        self.date_from = str(form.get("from", "")).strip()
        self.date_to = str(form.get("to", "")).strip()
        await self._compute()

    async def _compute(self) -> None:
        actor = await self._actor()
        if actor is None:
            return
        self.loading, self.error = True, ""
        try:
            first, last = date.fromisoformat(self.date_from), date.fromisoformat(self.date_to)
            figures = await asyncio.to_thread(
                kpi_service.compute_kpis, self._uow(), actor=actor, date_from=first, date_to=last
            )
            self.tiles = build_tiles(figures)
        except ValueError:
            self.error = self._tr("error.period.invalid")
        except DomainError as err:
            self.error = self._tr(err.code, **err.params)
        finally:
            self.loading = False

"""/reports/operations: stage durations and error rates by team or period."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import plotly.graph_objects as go
import reflex as rx

from oms_app.analytics import operations as operations_service
from oms_app.analytics.operations_figures import rates_figure, stage_figure, table_rows
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import DomainError
from oms_app.core.i18n import catalogue
from state.base import SessionState

DEFAULT_DAYS = 30
GROUPINGS = ("team", "day", "week", "month")


class OperationsReportState(SessionState):
    """The chosen period and grouping, the table rows and the two charts built from them."""

    date_from: str = ""
    date_to: str = ""
    group_by: str = "team"
    warehouse: str = ""
    rows: list[dict[str, str]] = []
    total: list[dict[str, str]] = []
    stage_chart: go.Figure = go.Figure()
    rate_chart: go.Figure = go.Figure()
    error: str = ""
    loading: bool = False

    @rx.event
    async def load(self):
        """on_load: the last 30 days unless a period was chosen already."""
        if not self.date_to:
            today = utcnow().astimezone(business_zone()).date()
            self.date_to = today.isoformat()
            self.date_from = (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat()
        self.loading = True
        yield  # the period and "loading" show at once; the figures follow
        await self._compute()

    @rx.event
    async def set_filters(self, form: dict):
        """The filter form: from and to dates (YYYY-MM-DD) and a warehouse code."""
        self.date_from = str(form.get("from", "")).strip()
        self.date_to = str(form.get("to", "")).strip()
        self.warehouse = str(form.get("warehouse", "")).strip().upper()
        await self._compute()

    @rx.event
    async def choose_grouping(self, group_by: str | list[str]):
        """The group-by switch: team, day, week or month."""
        if isinstance(group_by, str) and group_by in GROUPINGS:
            self.group_by = group_by
            await self._compute()

    async def _compute(self) -> None:
        actor = await self._actor()
        if actor is None:
            return
        self.loading, self.error = True, ""
        try:
            first, last = date.fromisoformat(self.date_from), date.fromisoformat(self.date_to)
            report = await asyncio.to_thread(
                operations_service.compute_operations,
                self._uow(),
                actor=actor,
                date_from=first,
                date_to=last,
                group_by=self.group_by,
                warehouse=self.warehouse,
            )
            self._show(report)
        except ValueError:
            self.error = self._tr("error.period.invalid")
        except DomainError as err:
            self.error = self._tr(err.code, **err.params)
        finally:
            self.loading = False

    def _show(self, report: dict) -> None:
        labels = catalogue(self.lang)
        self.rows = table_rows(report["rows"], labels)
        self.total = table_rows([report["total"]], labels)
        self.stage_chart = stage_figure(report["rows"], labels)
        self.rate_chart = rates_figure(report["rows"], labels)

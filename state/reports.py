"""/reports: ask for a report, watch its progress bar, download it; the history of all runs."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

import reflex as rx

from oms_app.core.clock import format_local
from oms_app.core.errors import DomainError, NotFound
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import Actor
from oms_app.reports import queries as report_queries
from oms_app.reports import service as reports_service
from state.base import SessionState
from state.links import backend_url
from tasks.reports import enqueue_report

PAGE_SIZE = 10
POLL_SECONDS = 1.0
KINDS = ("daily_operations", "weekly_sales", "monthly_management")
FINISHED = ("done", "failed")


class ReportsState(SessionState):
    """The request form, the runs this page asked for (polled while running), the history."""

    kind: str = KINDS[0]
    error: str = ""
    watching: list[int] = []
    active: list[dict] = []
    rows: list[dict] = []
    page: int = 1
    total: int = 0
    polling: bool = False

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @rx.var
    def page_label(self) -> str:
        return self._tr("reports.page_of", page=self.page, pages=self.pages, total=self.total)

    @rx.event
    async def load(self):
        """on_load: the first page of the history; resume watching runs still going."""
        self.page, self.error = 1, ""
        await self._load_history()
        if self.watching:
            self.polling = False  # a watcher of a restarted backend is gone with it
            return ReportsState.watch
        return None

    @rx.event
    def choose_kind(self, kind: str):
        if kind in KINDS:
            self.kind = kind

    @rx.event
    async def request_report(self, form: dict):
        """The form: optional from / to dates and e-mail addresses; queue the run."""
        actor = await self._actor()
        if actor is None:
            return None
        self.error = ""
        try:
            run_id = await asyncio.to_thread(
                reports_service.request_report,
                self._uow(),
                actor=actor,
                kind=self.kind,
                date_from=_date(form.get("from")),
                date_to=_date(form.get("to")),
                email_to=str(form.get("email_to", "")),
            )
        except ValueError:
            self.error = self._tr("error.period.invalid")
            return None
        except DomainError as err:
            self.error = self._error_text(err)
            return None
        await asyncio.to_thread(enqueue_report, run_id)
        self.watching = [*self.watching, run_id]
        await self._refresh_active(actor)
        await self._load_history()
        return [rx.toast.success(self._tr("reports.requested", id=run_id)), ReportsState.watch]

    @rx.event(background=True)
    async def watch(self):
        """Poll the watched runs' progress every second until every one has finished."""
        async with self:
            if self.polling:
                return
            self.polling = True
        try:
            while True:
                await asyncio.sleep(POLL_SECONDS)
                async with self:
                    actor = await self._actor()
                    if actor is None or not self.watching:
                        break
                    await self._refresh_active(actor)
                    if not self.watching:
                        await self._load_history()
                        break
        finally:
            async with self:
                self.polling = False

    @rx.event
    async def next_page(self):
        if self.page < self.pages:
            self.page += 1
            await self._load_history()

    @rx.event
    async def previous_page(self):
        if self.page > 1:
            self.page -= 1
            await self._load_history()

    async def _refresh_active(self, actor: Actor) -> None:
        ids = sorted({*self.watching, *(row["id"] for row in self.active)}, reverse=True)
        runs = await asyncio.to_thread(_read_runs, self._uow(), actor, ids)
        self.active = [self._view(run) for run in runs]
        self.watching = [r["id"] for r in runs if r["status"] not in FINISHED]

    async def _load_history(self) -> None:
        actor = await self._actor()
        if actor is None:
            return
        try:
            runs, self.total = await asyncio.to_thread(
                report_queries.list_runs,
                self._uow(),
                actor=actor,
                page=PageRequest(page=self.page, page_size=PAGE_SIZE),
            )
        except DomainError as err:
            self.error = self._error_text(err)
            return
        self.rows = [self._view(run) for run in runs]

    def _view(self, run: dict) -> dict:
        """A run as the page shows it: labels in the user's language, times in their zone."""
        files = run["files"]
        return {
            "id": run["id"],
            "kind": self._tr(f"report.kind.{run['kind']}"),
            "period": f"{run['from']} – {run['to']}",
            "status": run["status"],
            "status_label": self._tr(f"reports.status.{run['status']}"),
            "progress": run["progress"],
            "requested_by": run["requested_by"] or self._tr("reports.scheduled"),
            "created": format_local(datetime.fromisoformat(run["created_at"]), self.tz),
            "pdf": backend_url(files["pdf"]) if files.get("pdf") else "",
            "xlsx": backend_url(files["xlsx"]) if files.get("xlsx") else "",
            "emailed_to": run["emailed_to"],
            "error": run["error"],
        }


def _read_runs(uow, actor: Actor, ids: list[int]) -> list[dict]:
    runs = []
    for run_id in ids:
        try:
            runs.append(report_queries.get_run(uow, actor=actor, run_id=run_id))
        except NotFound:  # emptied by an administrator meanwhile
            continue
    return runs


def _date(value) -> date | None:
    text = str(value or "").strip()
    return date.fromisoformat(text) if text else None

"""/admin/audit: the read-only audit log (filtered and paged on the server, exported as a file)
and finance's queue of proposed master-data changes."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

import reflex as rx

from oms_app.audit import export as audit_export
from oms_app.audit import queries as audit_queries
from oms_app.changes import queries as change_queries
from oms_app.changes import service as change_service
from oms_app.core.clock import format_local, utcnow
from oms_app.core.errors import DomainError, ValidationFailed
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import Actor
from state.base import SessionState
from state.lists import ListState

FILTER_FIELDS = ("who", "action", "entity", "entity_id", "date_from", "date_to")


def _day(field: str, text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationFailed(field, "error.invalid") from None


def audit_filter_of(values: dict[str, str]) -> audit_queries.AuditFilter:
    return audit_queries.AuditFilter(
        who=values["who"],
        action=values["action"],
        entity=values["entity"],
        entity_id=values["entity_id"],
        date_from=_day("date_from", values["date_from"]),
        date_to=_day("date_to", values["date_to"]),
    )


def _audit_file(uow, actor: Actor, flt, fmt: str, sort: str, desc: bool, locale: str) -> bytes:
    rows = audit_queries.export_audit_entries(uow, actor=actor, flt=flt, sort=sort, descending=desc)
    return audit_export.render(rows, fmt, locale)[0]


class AuditLogState(SessionState, ListState):
    """One page of audit entries; the filters live on the server, as do sorting and paging."""

    sort: str = "at"
    descending: bool = True
    page_size: int = 50
    filters: dict[str, str] = {k: "" for k in FILTER_FIELDS}
    filter_form_key: int = 0  # a new key re-mounts the form with the cleared values
    detail: dict = {}

    def _filter(self) -> audit_queries.AuditFilter:
        return audit_filter_of(self.filters)

    def _fetch(self, actor: Actor, request: PageRequest) -> dict:
        return audit_queries.list_audit_entries(
            self._uow(), actor=actor, request=request, flt=self._filter()
        )

    @rx.event
    def apply_filters(self, form: dict):
        self.filters = {k: (form.get(k) or "").strip() for k in FILTER_FIELDS}
        self.page = 1
        return AuditLogState.load

    @rx.event
    def clear_filters(self):
        self.filters = {k: "" for k in FILTER_FIELDS}
        self.page, self.filter_form_key = 1, self.filter_form_key + 1
        return AuditLogState.load

    @rx.event
    def show_detail(self, entry_id: int):
        found = [r for r in self.rows if r["id"] == entry_id]
        self.detail = found[0] if found else {}

    @rx.event
    def close_detail(self):
        self.detail = {}

    @rx.event
    async def export(self, fmt: str):
        """Download every entry the filters match (not just this page) as CSV or XLSX."""
        actor = await self._actor()
        if actor is None or fmt not in audit_export.FORMATS:
            return None
        try:
            flt = self._filter()
            args = (self._uow(), actor, flt, fmt, self.sort, self.descending, self.lang)
            data = await asyncio.to_thread(_audit_file, *args)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        filename = f"audit-{format_local(utcnow(), actor.tz, '%Y-%m-%d')}.{fmt}"
        return rx.download(data=data, filename=filename, mime_type=audit_export.FORMATS[fmt][1])


class ChangeRequestsState(SessionState):
    """Proposals waiting for a decision; the service checks the rights and the four eyes."""

    rows: list[dict] = []
    reason: str = ""
    error: str = ""

    @rx.event
    async def load(self):
        actor = await self._actor()
        if actor is None:
            return
        try:
            result = await asyncio.to_thread(
                change_queries.list_change_requests,
                self._uow(),
                actor=actor,
                request=PageRequest(page_size=200),
                status="proposed",
            )
        except DomainError as err:  # a reader of the log who may not decide sees no queue
            self.rows, self.error = [], self._error_text(err)
            return
        self.error = ""
        self.rows = [
            {**r, "proposed_at": _local(r["proposed_at"], actor.tz)} for r in result["rows"]
        ]

    @rx.event
    def set_reason(self, value: str):
        self.reason = value

    async def _decide(self, func, message_key: str, **kwargs):
        actor = await self._actor()
        try:
            await asyncio.to_thread(func, self._uow(), actor=actor, **kwargs)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        self.reason = ""
        return [rx.toast.success(self._tr(message_key)), ChangeRequestsState.load]

    @rx.event
    async def approve(self, change_id: int):
        return await self._decide(
            change_service.approve_change_request,
            "audit.changes.approved",
            change_id=change_id,
            reason=self.reason,
        )

    @rx.event
    async def reject(self, change_id: int):
        return await self._decide(
            change_service.reject_change_request,
            "audit.changes.rejected",
            change_id=change_id,
            reason=self.reason,
        )


def _local(iso: str, tz: str) -> str:
    return format_local(datetime.fromisoformat(iso), tz) if iso else ""

"""Returns on screen: the order page's returns and request form, and the /returns list where
managers approve, reject, receive and close. Handlers call the returns service and queries;
the service checks every permission again."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.core.errors import DomainError, ValidationErrors
from oms_app.returns import queries, service
from oms_app.returns.rules import ReturnLineInput
from state.base import SessionState
from state.lists import ListState


def field_label(tr, field: str) -> str:
    """`lines[0].quantity` -> "Line 1 · Quantity" in the viewer's language."""
    if field.startswith("lines[") and "]" in field:
        index, _, rest = field[len("lines[") :].partition("]")
        head = tr("returns.line", n=int(index) + 1) if index.isdigit() else field
        return f"{head} · {tr('returns.field.' + rest.lstrip('.'))}" if rest else head
    return tr(f"returns.field.{field}")


def error_lines(tr, err: DomainError) -> list[str]:
    """Every problem of a refusal, each with the field it is about."""
    each = err.errors if isinstance(err, ValidationErrors) else [err]
    return [
        f"{field_label(tr, e.field)}: {tr(e.code, **e.params)}"
        if e.field
        else tr(e.code, **e.params)
        for e in each
    ]


class OrderReturnsState(SessionState):
    """The order page's returns, and the request form for staff and the order's customer."""

    rows: list[dict] = []
    can_request: bool = False
    form_open: bool = False
    form_lines: list[dict] = []
    errors: list[str] = []

    def _number(self) -> str:
        return self.router.page.params.get("number", "")

    @rx.event
    async def load(self):
        actor = await self._actor()
        if actor is None:
            return
        number = self._number()
        try:
            self.rows = await asyncio.to_thread(
                queries.list_order_returns, self._uow(), actor=actor, order_number=number
            )
        except DomainError:
            self.rows = []
        try:
            form = await asyncio.to_thread(
                queries.returnable_lines, self._uow(), actor=actor, order_number=number
            )
        except DomainError:
            self.can_request, self.form_lines = False, []
            return
        self.can_request = form["returnable"] and any(ln["returnable"] > 0 for ln in form["lines"])
        self.form_lines = [{**ln, "quantity": ""} for ln in form["lines"]]

    @rx.event
    def open_form(self):
        self.form_open, self.errors = True, []

    @rx.event
    def set_form_open(self, opened: bool):
        self.form_open = opened

    @rx.event
    def close_form(self):
        self.form_open = False

    @rx.event
    def set_quantity(self, sku: str, value: str):
        self.form_lines = [
            {**ln, "quantity": value.strip()} if ln["sku"] == sku else ln for ln in self.form_lines
        ]

    def _lines(self) -> list[ReturnLineInput]:
        lines = []
        for ln in self.form_lines:
            text = str(ln.get("quantity", "")).strip()
            if text:
                lines.append(ReturnLineInput(ln["sku"], int(text) if text.isdigit() else -1))
        return lines

    @rx.event
    async def submit(self, form: dict):
        actor = await self._actor()
        if actor is None:
            return None
        try:
            made = await asyncio.to_thread(
                service.request_return,
                self._uow(),
                actor=actor,
                order_number=self._number(),
                lines=self._lines(),
                reason=str(form.get("reason", "")),
                note=str(form.get("note", "")),
            )
        except DomainError as err:
            self.errors = error_lines(self._tr, err)
            return None
        self.form_open, self.errors = False, []
        return [
            rx.toast.success(self._tr("returns.requested", number=made["number"])),
            OrderReturnsState.load,
        ]


class ReturnsState(SessionState, ListState):
    """The returns list (paged and filtered by status on the server) and its decisions."""

    sort: str = "created"
    descending: bool = True
    reject_for: str = ""
    reject_error: str = ""

    def _fetch(self, actor, request):
        return queries.list_returns(
            self._uow(), actor=actor, request=request, status=self.filter_value
        )

    async def _act(self, func, **kwargs):
        actor = await self._actor()
        if actor is None:
            return None
        try:
            await asyncio.to_thread(func, self._uow(), actor=actor, **kwargs)
        except DomainError as err:
            return rx.toast.error("; ".join(error_lines(self._tr, err)))
        return [rx.toast.success(self._tr("returns.saved")), ReturnsState.load]

    @rx.event
    async def approve(self, number: str):
        return await self._act(service.approve_return, number=number)

    @rx.event
    async def receive(self, number: str):
        return await self._act(service.receive_return, number=number)

    @rx.event
    async def close(self, number: str):
        return await self._act(service.close_return, number=number)

    @rx.event
    def ask_reject(self, number: str):
        self.reject_for, self.reject_error = number, ""

    @rx.event
    def set_reject_open(self, opened: bool):
        if not opened:
            self.reject_for = ""

    @rx.event
    def close_reject(self):
        self.reject_for = ""

    @rx.event
    async def reject(self, form: dict):
        actor = await self._actor()
        if actor is None:
            return None
        try:
            await asyncio.to_thread(
                service.reject_return,
                self._uow(),
                actor=actor,
                number=self.reject_for,
                reason=str(form.get("reason", "")),
            )
        except DomainError as err:
            self.reject_error = "; ".join(error_lines(self._tr, err))
            return None
        self.reject_for = ""
        return [rx.toast.success(self._tr("returns.saved")), ReturnsState.load]

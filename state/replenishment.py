"""/warehouse/replenishment: open suggestions to accept or dismiss, and the reorder rules."""

from __future__ import annotations

import asyncio
from datetime import date

import reflex as rx

from oms_app.core.errors import DomainError
from oms_app.inventory import replenishment, warehouse_queries
from state.base import SessionState
from state.lists import ListState

RULE_FIELDS = ("reorder_point", "reorder_qty", "lead_time_days")


def _number(text: object) -> int | str:
    """A whole number, or the text itself so the service names what is wrong with it."""
    text = str(text).strip()
    return int(text) if text.isdigit() else text


class WarehouseListState(rx.State, mixin=True):
    """A paged list filtered by warehouse, with the warehouse choices for its picker."""

    warehouse_options: list[dict[str, str]] = []

    async def _run(self, func, **kwargs):
        actor = await self._actor()
        return await asyncio.to_thread(func, self._uow(), actor=actor, **kwargs)

    @rx.event
    async def open_page(self):
        try:
            self.warehouse_options = await self._run(warehouse_queries.list_warehouse_options)
        except DomainError as err:
            self.list_error = self._error_text(err)
            return None
        return type(self).load


class SuggestionsState(SessionState, ListState, WarehouseListState):
    """Open replenishment suggestions; each row may change its quantity and date first."""

    sort: str = "created"
    qty_edits: dict[str, str] = {}
    date_edits: dict[str, str] = {}

    def _fetch(self, actor, request):
        return warehouse_queries.list_suggestions(
            self._uow(), actor=actor, request=request, warehouse=self.filter_value
        )

    @rx.event
    def set_qty(self, suggestion_id: int, value: str):
        self.qty_edits[str(suggestion_id)] = value

    @rx.event
    def set_date(self, suggestion_id: int, value: str):
        self.date_edits[str(suggestion_id)] = value

    @rx.event
    async def accept(self, suggestion_id: int):
        key = str(suggestion_id)
        qty_text = self.qty_edits.get(key, "").strip()
        day_text = self.date_edits.get(key, "").strip()
        try:
            expected_on = date.fromisoformat(day_text) if day_text else None
        except ValueError:
            return rx.toast.error(self._tr("error.date.invalid"))
        try:
            await self._run(
                replenishment.accept_suggestion,
                suggestion_id=suggestion_id,
                quantity=_number(qty_text) if qty_text else None,
                expected_on=expected_on,
            )
        except DomainError as err:
            return [rx.toast.error(self._error_text(err)), SuggestionsState.load]
        self.qty_edits.pop(key, None)
        self.date_edits.pop(key, None)
        return [rx.toast.success(self._tr("replenishment.accepted")), SuggestionsState.load]

    @rx.event
    async def dismiss(self, suggestion_id: int):
        try:
            await self._run(replenishment.dismiss_suggestion, suggestion_id=suggestion_id)
        except DomainError as err:
            return [rx.toast.error(self._error_text(err)), SuggestionsState.load]
        return [rx.toast.success(self._tr("replenishment.dismissed")), SuggestionsState.load]

    @rx.event
    async def check_now(self):
        """Run the suggestion round now instead of waiting for the beat."""
        try:
            created = await self._run(replenishment.suggest_replenishment)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        message = self._tr("replenishment.checked", count=len(created))
        return [rx.toast.success(message), SuggestionsState.load]


class ReorderRulesState(SessionState, ListState, WarehouseListState):
    """Reorder rules: edited in place (which makes them manual), or recomputed from demand."""

    sort: str = "sku"
    edits: dict[str, str] = {}  # "<rule id>.<field>" -> typed text
    form_error: str = ""
    form_key: int = 0

    def _fetch(self, actor, request):
        return warehouse_queries.list_reorder_rules(
            self._uow(), actor=actor, request=request, warehouse=self.filter_value
        )

    @rx.event
    def set_edit(self, rule_id: int, field: str, value: str):
        if field in RULE_FIELDS:
            self.edits[f"{rule_id}.{field}"] = value

    async def _save(self, warehouse: str, sku: str, values: dict) -> str:
        """Save a manual rule; the error text, or "" when saved."""
        try:
            await self._run(
                replenishment.set_reorder_rule,
                warehouse_code=warehouse,
                sku=sku,
                **{name: _number(values.get(name, "")) for name in RULE_FIELDS},
            )
        except DomainError as err:
            return self._error_text(err)
        return ""

    @rx.event
    async def save_rule(self, rule_id: int):
        row = next((r for r in self.rows if r["id"] == rule_id), None)
        if row is None:
            return None
        values = {n: self.edits.get(f"{rule_id}.{n}", str(row[n])) for n in RULE_FIELDS}
        error = await self._save(row["warehouse"], row["sku"], values)
        if error:
            return rx.toast.error(error)
        self.edits = {k: v for k, v in self.edits.items() if not k.startswith(f"{rule_id}.")}
        return [rx.toast.success(self._tr("replenishment.rule_saved")), ReorderRulesState.load]

    @rx.event
    async def add_rule(self, form: dict):
        warehouse = str(form.get("warehouse") or "")
        self.form_error = await self._save(warehouse, str(form.get("sku") or ""), form)
        if self.form_error:
            return None
        self.form_key += 1
        return [rx.toast.success(self._tr("replenishment.rule_saved")), ReorderRulesState.load]

    @rx.event
    async def recompute(self):
        """Recompute every non-manual rule from the last 90 days of demand."""
        try:
            count = await self._run(replenishment.compute_reorder_rules)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        message = self._tr("replenishment.recomputed", count=count)
        return [rx.toast.success(message), ReorderRulesState.load]

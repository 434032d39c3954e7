"""/warehouse/waves: build pick waves for a warehouse and follow their progress."""

from __future__ import annotations

import asyncio
from datetime import datetime

import reflex as rx

from oms_app.accounts import service as accounts_service
from oms_app.core.clock import format_local
from oms_app.core.errors import DomainError
from oms_app.core.permissions import Actor, Permission
from oms_app.fulfillment import waves as wave_service
from oms_app.inventory import warehouse_queries
from state.base import SessionState


def local_time(iso: str, tz: str) -> str:
    """An ISO UTC time from a service, shown in the user's zone."""
    try:
        return format_local(datetime.fromisoformat(iso), tz) if iso else ""
    except ValueError:
        return ""


def opening_warehouse(codes: list[str], current: str, mine: str | None) -> str:
    """The warehouse a floor screen shows: the user's own when the tab opens (`mine`, given
    only then), else the one chosen in this browser, else the only one; "" asks the user."""
    for code in (mine, current):
        if code and code in codes:
            return code
    return codes[0] if len(codes) == 1 else ""


async def my_warehouse(state: SessionState, actor: Actor | None = None) -> str:
    """The signed-in user's own warehouse (set on /account)."""
    actor = actor or await state._actor()
    if actor is None:
        return ""
    return await asyncio.to_thread(accounts_service.get_my_warehouse, state._uow(), actor=actor)


class FloorState(SessionState):
    """What every floor screen shares: the warehouse being worked in."""

    warehouses: list[dict[str, str]] = []
    warehouse: str = rx.LocalStorage("", name="oms_floor_warehouse")
    _mine_applied: bool = False  # the user's own warehouse is applied once per tab

    def _msg(self, err: DomainError) -> str:
        return self._tr(err.code, **err.params)

    async def _run(self, func, **kwargs):
        actor = await self._actor()
        return await asyncio.to_thread(func, self._uow(), actor=actor, **kwargs)

    async def _load_warehouses(self) -> None:
        rows = await self._run(warehouse_queries.list_warehouse_options)
        self.warehouses = [{"code": w["code"], "name": w["name"]} for w in rows]
        mine = None if self._mine_applied else await my_warehouse(self)
        self._mine_applied = True
        self.warehouse = opening_warehouse(
            [w["code"] for w in self.warehouses], self.warehouse, mine
        )


class WavesState(FloorState):
    """The warehouse's waves, newest first."""

    rows: list[dict[str, str]] = []
    pickers: list[str] = []
    busy: bool = False

    @rx.event
    async def load(self):
        try:
            await self._load_warehouses()
            await self._load_rows()
            people = await self._run(
                accounts_service.people_with_permission, permission=Permission.ORDER_FULFIL
            )
            self.pickers = [p["username"] for p in people]
        except DomainError as err:
            return rx.toast.error(self._msg(err))
        return None

    async def _load_rows(self) -> None:
        if not self.warehouse:
            self.rows = []
            return
        found = await self._run(wave_service.list_waves, warehouse_code=self.warehouse)
        self.rows = [
            {
                "number": w["number"],
                "status": w["status"],
                "zone": w["zone"] or "",
                "carrier": w["carrier"] or "",
                "cutoff": local_time(w["cutoff_at"], self.tz),
                "priority": str(w["priority"]),
                "picker": w["picker"] or "",
                "progress": f"{w['done']} / {w['tasks']}",
                "percent": str(round(100 * w["done"] / w["tasks"]) if w["tasks"] else 0),
            }
            for w in found
        ]

    @rx.event
    async def pick_warehouse(self, code: str):
        self.warehouse = code
        return await self.load()

    @rx.event
    async def build_waves(self):
        """Put every allocated shipment without a wave into new waves."""
        if self.busy or not self.warehouse:
            return
        self.busy = True
        yield
        try:
            made = await self._run(wave_service.create_waves, warehouse_code=self.warehouse)
        except DomainError as err:
            self.busy = False
            yield rx.toast.error(self._msg(err))
            return
        await self._load_rows()
        self.busy = False
        if made:
            yield rx.toast.success(self._tr("waves.built", count=len(made)))
        else:
            yield rx.toast.info(self._tr("waves.nothing_to_build"))

    @rx.event
    async def assign(self, wave_number: str, picker: str):
        """Give a wave to a picker from the row's select."""
        try:
            await self._run(wave_service.assign_picker, wave_number=wave_number, picker=picker)
        except DomainError as err:
            return rx.toast.error(self._msg(err))
        await self._load_rows()
        return rx.toast.success(self._tr("waves.assigned", wave=wave_number, picker=picker))

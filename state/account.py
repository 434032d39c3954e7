"""/account: the user's language, time zone and own warehouse."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.accounts import service as accounts_service
from oms_app.core.errors import DomainError
from oms_app.core.permissions import Permission
from oms_app.inventory import warehouse_queries
from state.base import SessionState

COMMON_ZONES = [
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
]


NO_WAREHOUSE = "-"  # the select's value for "none" (a select item may not be empty)


class AccountState(SessionState):
    error: str = ""
    warehouse_options: list[dict[str, str]] = []  # empty: the user works in no warehouse
    my_warehouse: str = NO_WAREHOUSE

    @rx.event
    async def load(self):
        """on_load: the warehouses a floor worker may call their own."""
        actor = await self._actor()
        if actor is None or not actor.can(Permission.STOCK_VIEW):
            self.warehouse_options = []
            return
        rows = await asyncio.to_thread(
            warehouse_queries.list_warehouse_options, self._uow(), actor=actor
        )
        mine = await asyncio.to_thread(accounts_service.get_my_warehouse, self._uow(), actor=actor)
        self.warehouse_options = [
            {"code": r["code"], "label": f"{r['code']} · {r['name']}"} for r in rows
        ]
        self.my_warehouse = mine or NO_WAREHOUSE

    @rx.event
    async def save_my_warehouse(self, code: str):
        """The floor screens open on this warehouse from now on (in new tabs)."""
        actor = await self._actor()
        try:
            saved = await asyncio.to_thread(
                accounts_service.set_my_warehouse,
                self._uow(),
                actor=actor,
                warehouse_code="" if code == NO_WAREHOUSE else code,
            )
        except DomainError as err:
            self.error = self._error_text(err)
            return None
        self.my_warehouse, self.error = saved or NO_WAREHOUSE, ""
        return rx.toast.success(self._tr("admin.saved"))

    @rx.var
    def zones(self) -> list[str]:
        return COMMON_ZONES if self.tz in COMMON_ZONES else [self.tz, *COMMON_ZONES]

    @rx.event
    async def save_zone(self, tz: str):
        actor = await self._actor()
        try:
            await asyncio.to_thread(
                accounts_service.update_preferences, self._uow(), actor=actor, tz=tz
            )
        except DomainError as err:
            self.error = self._error_text(err)
            return None
        self.tz, self.error = tz, ""
        return rx.toast.success(self._tr("admin.saved"))

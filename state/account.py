"""/account: the user's language and time zone."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.accounts import service as accounts_service
from oms_app.core.errors import DomainError
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


class AccountState(SessionState):
    error: str = ""

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

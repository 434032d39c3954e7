"""/admin/users: create users, assign roles, reset two-factor, create and revoke API keys."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.accounts import admin as accounts_admin
from oms_app.accounts import queries as account_queries
from oms_app.core.errors import DomainError
from oms_app.core.permissions import Role
from state.base import SessionState

ROLE_CODES = [r.value for r in Role]


class AdminUsersState(SessionState):
    users: list[dict] = []
    total: int = 0
    search: str = ""
    api_keys: list[dict] = []
    form_error: str = ""
    form_roles: list[str] = []
    edit_user_id: int = 0
    edit_roles: list[str] = []
    new_key: str = ""
    key_error: str = ""

    @rx.var
    def role_codes(self) -> list[str]:
        return ROLE_CODES

    async def _run(self, func, **kwargs):
        """Call an admin use case as the signed-in user (the service checks the permission)."""
        actor = await self._actor()
        return await asyncio.to_thread(func, self._uow(), actor=actor, **kwargs)

    @rx.event
    async def load(self):
        try:
            result = await self._run(account_queries.list_users, search=self.search, page_size=100)
            self.api_keys = await self._run(account_queries.list_api_keys)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        self.users, self.total = result["rows"], result["total"]
        return None

    @rx.event
    def toggle_form_role(self, role: str):
        if role in self.form_roles:
            self.form_roles = [r for r in self.form_roles if r != role]
        else:
            self.form_roles = [*self.form_roles, role]

    @rx.event
    async def create_user(self, form: dict):
        try:
            await self._run(
                accounts_admin.create_user,
                username=form.get("username", ""),
                display_name=form.get("display_name", ""),
                password=form.get("password", ""),
                email=form.get("email", ""),
                roles=list(self.form_roles),
            )
        except DomainError as err:
            self.form_error = self._error_text(err)
            return None
        self.form_error, self.form_roles = "", []
        return [rx.toast.success(self._tr("admin.user_created")), AdminUsersState.load]

    async def _act(self, func, message_key: str, **kwargs):
        try:
            await self._run(func, **kwargs)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        return [rx.toast.success(self._tr(message_key)), AdminUsersState.load]

    @rx.event
    async def reset_totp(self, user_id: int):
        return await self._act(accounts_admin.reset_totp, "admin.totp_reset", user_id=user_id)

    @rx.event
    async def unlock(self, user_id: int):
        return await self._act(accounts_admin.unlock_user, "admin.unlocked", user_id=user_id)

    @rx.event
    async def set_active(self, user_id: int, active: bool):
        return await self._act(
            accounts_admin.set_active, "admin.saved", user_id=user_id, active=active
        )

    @rx.event
    def start_role_edit(self, user_id: int, roles: str):
        self.edit_user_id = user_id
        self.edit_roles = [r.strip() for r in roles.split(",") if r.strip()]

    @rx.event
    def toggle_edit_role(self, role: str):
        if role in self.edit_roles:
            self.edit_roles = [r for r in self.edit_roles if r != role]
        else:
            self.edit_roles = [*self.edit_roles, role]

    @rx.event
    async def save_roles(self):
        return await self._act(
            accounts_admin.set_roles,
            "admin.saved",
            user_id=self.edit_user_id,
            roles=list(self.edit_roles),
        )

    @rx.event
    async def create_key(self, form: dict):
        try:
            self.new_key = await self._run(accounts_admin.create_api_key, name=form.get("name", ""))
        except DomainError as err:
            self.key_error, self.new_key = self._error_text(err), ""
            return None
        self.key_error = ""
        return AdminUsersState.load

    @rx.event
    async def revoke_key(self, key_id: int):
        self.new_key = ""
        return await self._act(accounts_admin.revoke_api_key, "admin.key_revoked", key_id=key_id)

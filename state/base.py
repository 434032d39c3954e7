"""The signed-in session: who acts, in which language and zone. Every screen state extends it."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app import routes
from oms_app.accounts import service as accounts_service
from oms_app.core.config import get_settings
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import DomainError
from oms_app.core.i18n import catalogue, translate
from oms_app.core.permissions import Actor

SESSION_COOKIE = "oms_session"
NOT_CHECKED = "-"  # no path: no page's content shows before its access check passed

# route pattern -> what its page loads, run only once the access check let the user in
_PAGE_LOADERS: dict[str, tuple] = {}


def register_page_loaders(route: str, loaders: tuple) -> None:
    _PAGE_LOADERS[route] = tuple(loaders)


class SessionState(rx.State):
    """Session facts shown in the shell; permissions are re-checked on the server per action."""

    session_token: str = rx.Cookie(
        "", name=SESSION_COOKIE, same_site="strict", max_age=60 * 60 * 24
    )
    locale: str = rx.LocalStorage("", name="oms_locale")
    tz: str = "Asia/Shanghai"
    user_id: int = 0
    username: str = ""
    display_name: str = ""
    roles: list[str] = []
    permissions: list[str] = []
    pending_totp: bool = False
    # the browser path whose access check passed: the shell shows a page's content only then
    checked_path: str = NOT_CHECKED
    # link token of a live screen -> the socket that last linked it from this tab
    _link_sockets: dict[str, str] = {}

    @rx.var
    def lang(self) -> str:
        return self.locale or get_settings().default_locale

    @rx.var
    def t(self) -> dict[str, str]:
        """The catalogue of the current language, used by every label on screen."""
        return catalogue(self.lang)

    @rx.var
    def menu(self) -> list[dict[str, str]]:
        return routes.menu_for(frozenset(self.permissions))

    def _relinked(self, token: str) -> bool:
        """Whether this tab linked `token` before over another socket, i.e. it reconnected.

        Pushes sent while it was away reached the shared state, but an event missed meanwhile
        (a backend restarting mid-event) did not: a live screen re-reads its snapshot then.
        A new socket is a reconnect or a reload; a keep-alive re-link keeps the same one.
        """
        socket = self.router.session.session_id
        before = self._link_sockets.get(token)
        if before != socket:
            self._link_sockets = {**self._link_sockets, token: socket}
        return before is not None and before != socket

    def _uow(self) -> UnitOfWork:
        return UnitOfWork()

    def _tr(self, key: str, **params: object) -> str:
        return translate(key, self.lang, **params)

    def _error_text(self, err: DomainError) -> str:
        text = self._tr(err.code, **err.params)
        return f"{self._tr('field.' + err.field)}: {text}" if err.field else text

    async def _actor(self) -> Actor | None:
        """Resolve the user from the session token on the server (never from client data)."""
        return await asyncio.to_thread(
            accounts_service.resolve_session, self._uow(), token=self.session_token
        )

    def _remember(self, actor: Actor) -> None:
        self.user_id = actor.user_id or 0
        self.username = actor.username
        self.display_name = actor.extra.get("display_name", actor.username)
        self.roles = sorted(actor.roles)
        self.permissions = sorted(actor.permissions)
        self.pending_totp = bool(actor.extra.get("pending_totp"))
        self.tz = actor.tz
        self.locale = actor.locale

    def _forget(self) -> None:
        self.session_token = ""
        self.user_id, self.username, self.display_name = 0, "", ""
        self.roles, self.permissions, self.pending_totp = [], [], False

    @rx.event
    async def check_access(self):
        """on_load guard: signed in, second factor enrolled where required, route permitted.

        Only then does the page load its data (a loader never meets a user it would refuse,
        so no error reaches the screen) and the shell show its content.
        """
        self.checked_path = NOT_CHECKED
        actor = await self._actor()
        if actor is None:
            self._forget()
            return rx.redirect(routes.LOGIN)
        self._remember(actor)
        path = routes.normalize_route(self.router.route_id)  # the pattern: /orders/[number]
        if self.pending_totp and path != routes.ACCOUNT_2FA:
            return rx.redirect(routes.ACCOUNT_2FA)
        needed = routes.ROUTE_PERMISSIONS.get(path, "deny")
        if needed == "deny" or (needed is not None and not actor.can(needed)):
            return [
                rx.toast.error(self._tr("access.page_not_allowed")),
                rx.redirect(routes.landing_route(actor.permissions)),
            ]
        self.checked_path = self.router.url.path.rstrip("/") or "/"
        return list(_PAGE_LOADERS.get(path, ()))

    @rx.event
    async def set_language(self, locale: str):
        """Switch the interface language and keep the choice on the user."""
        if locale not in ("zh_CN", "en"):
            return None
        self.locale = locale
        actor = await self._actor()
        if actor is not None:
            await asyncio.to_thread(
                accounts_service.update_preferences, self._uow(), actor=actor, locale=locale
            )
        return None

    @rx.event
    async def log_out(self):
        if self.session_token:
            await asyncio.to_thread(accounts_service.log_out, self._uow(), token=self.session_token)
        self._forget()
        return rx.redirect(routes.LOGIN)

"""The signed-in session: who acts, in which language and zone. Every screen state extends it."""

from __future__ import annotations

import asyncio
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode

import reflex as rx

from oms_app import routes
from oms_app.accounts import service as accounts_service
from oms_app.accounts.session_handoff import SESSION_COOKIE, issue_handoff_code
from oms_app.core.config import get_settings
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import DomainError
from oms_app.core.i18n import catalogue, translate
from oms_app.core.permissions import Actor
from state.links import backend_url

NOT_CHECKED = "-"  # no path: no page's content shows before its access check passed

# route pattern -> what its page loads, run only once the access check let the user in
_PAGE_LOADERS: dict[str, tuple] = {}


def register_page_loaders(route: str, loaders: tuple) -> None:
    _PAGE_LOADERS[route] = tuple(loaders)


class SessionState(rx.State):
    """Session facts shown in the shell; permissions are re-checked on the server per action."""

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
    # Where this tab must navigate in full (the session cookie's endpoints), and over which
    # socket that was decided: the page loaded after the navigation has a new one.
    _navigate_to: str = ""
    _navigate_socket: str = ""

    @rx.var
    def lang(self) -> str:
        return self.locale or get_settings().default_locale

    @rx.var
    def t(self) -> dict[str, str]:
        """The catalogue of the current language, used by every label on screen."""
        return catalogue(self.lang)

    @rx.var(cache=False)
    def full_navigation(self) -> str:
        """A backend URL the page opens as a whole new page, else ""; see hand_off_session."""
        if self._navigate_socket != self.router.session.session_id:
            return ""
        return self._navigate_to

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

    def _session_token(self) -> str:
        """The session token from the HttpOnly cookie the socket was opened with.

        Reflex fills the headers from the server's view of the websocket handshake, never from
        what the client sends with an event, and no script on the page can read or set them.
        """
        try:
            cookies = SimpleCookie(self.router.headers.cookie)
        except CookieError:
            return ""
        morsel = cookies.get(SESSION_COOKIE)
        return morsel.value if morsel else ""

    async def _actor(self) -> Actor | None:
        """Resolve the user from the session cookie on the server (never from client data)."""
        return await asyncio.to_thread(
            accounts_service.resolve_session, self._uow(), token=self._session_token()
        )

    def _navigate(self, url: str) -> None:
        self._navigate_to, self._navigate_socket = url, self.router.session.session_id

    async def _hand_off_session(self, token: str, target: str) -> None:
        """Have the browser trade a one-time code for the HttpOnly session cookie, then open
        `target`: a whole new page, whose socket carries the cookie."""
        code = await asyncio.to_thread(issue_handoff_code, token=token)
        query = urlencode({"code": code, "next": target})
        self._navigate(backend_url(f"/api/v1/session/claim?{query}"))

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
        """Revoke the session, then let the backend clear the cookie and open the log-in page."""
        token = self._session_token()
        if token:
            await asyncio.to_thread(accounts_service.log_out, self._uow(), token=token)
        self._forget()
        self._navigate(backend_url("/api/v1/session/end"))

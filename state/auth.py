"""Log-in and two-factor enrolment screens."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app import routes
from oms_app.accounts import service as accounts_service
from oms_app.core.config import get_settings
from oms_app.core.errors import DomainError, SecondFactorRequired
from oms_app.demo.accounts import DEMO_ACCOUNTS
from state.base import SessionState


class LoginState(SessionState):
    """The log-in form."""

    error: str = ""
    need_totp: bool = False
    busy: bool = False

    @rx.var
    def demo_accounts(self) -> list[dict[str, str]]:
        """Shown only where the demo data lives: the embedded mode, or OMS_DEMO=1."""
        settings = get_settings()
        if not (settings.embedded_database or settings.demo):
            return []
        return [
            {"username": a.username, "password": a.password, "role": a.role} for a in DEMO_ACCOUNTS
        ]

    @rx.event
    async def on_load_login(self):
        self.error, self.busy = "", False
        if await self._actor() is not None:
            return rx.redirect(routes.HOME)
        return None

    @rx.event
    async def submit(self, form: dict):
        self.busy, self.error = True, ""
        yield
        username = (form.get("username") or "").strip()
        password = form.get("password") or ""
        if not username or not password:
            self.error = self._tr("error.auth.missing_fields")
            self.busy = False
            return
        try:
            result = await asyncio.to_thread(
                accounts_service.log_in,
                self._uow(),
                username=username,
                password=password,
                totp_code=form.get("totp_code") or "",
                client_address=self.router.session.client_ip,
            )
        except SecondFactorRequired as err:
            self.need_totp, self.busy = True, False
            self.error = self._tr(err.code) if form.get("totp_code") else ""
            return
        except DomainError as err:
            # One text for every failed log-in (and the wait when throttled): never which part
            self.error, self.busy = self._tr(err.code, **err.params), False
            return
        self._remember(result.actor)
        self.need_totp = False
        target = (
            routes.ACCOUNT_2FA
            if result.must_enrol_totp
            else routes.landing_route(result.actor.permissions)
        )
        # busy stays on: the page is left for the backend, which sets the cookie
        await self._hand_off_session(result.token, target)


class TwoFactorState(SessionState):
    """Enrolment in TOTP two-factor authentication (required for admin and finance), and the
    recovery codes: shown once after enrolment or renewal, never read back."""

    qr: str = ""
    secret: str = ""
    error: str = ""
    enabled: bool = False
    recovery_codes: list[str] = []
    codes_left: int = 0
    next_route: str = ""

    @rx.event
    async def start(self):
        actor = await self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN)
        self._remember(actor)
        self.error, self.recovery_codes = "", []
        try:
            data = await asyncio.to_thread(
                accounts_service.begin_totp_enrolment, self._uow(), actor=actor
            )
        except DomainError:
            self.enabled, self.qr, self.secret = True, "", ""
            self.codes_left = await asyncio.to_thread(
                accounts_service.recovery_codes_left, self._uow(), actor=actor
            )
            return None
        self.enabled, self.qr, self.secret = False, data["qr"], data["secret"]
        return None

    @rx.event
    async def confirm(self, form: dict):
        actor = await self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN)
        try:
            enrolment = await asyncio.to_thread(
                accounts_service.confirm_totp_enrolment,
                self._uow(),
                actor=actor,
                token=self._session_token(),
                code=form.get("totp_code") or "",
            )
        except DomainError as err:
            self.error = self._error_text(err)
            return None
        self._remember(enrolment.actor)
        self.enabled, self.qr, self.secret, self.error = True, "", "", ""
        self.recovery_codes = enrolment.recovery_codes
        self.codes_left = len(enrolment.recovery_codes)
        self.next_route = routes.landing_route(enrolment.actor.permissions)
        return rx.toast.success(self._tr("totp.enabled"))

    @rx.event
    async def renew_codes(self, form: dict):
        """Replace the recovery codes after a fresh authenticator code."""
        actor = await self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN)
        try:
            codes = await asyncio.to_thread(
                accounts_service.regenerate_recovery_codes,
                self._uow(),
                actor=actor,
                code=form.get("totp_code") or "",
            )
        except DomainError as err:
            self.error = self._error_text(err)
            return None
        self.error, self.recovery_codes, self.codes_left = "", codes, len(codes)
        self.next_route = ""
        return None

    @rx.event
    def codes_saved(self):
        """Hide the codes for good and go on."""
        self.recovery_codes = []
        target, self.next_route = self.next_route, ""
        return rx.redirect(target) if target else None

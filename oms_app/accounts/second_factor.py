"""Two-factor use cases: TOTP enrolment with recovery codes, and step-up before sensitive acts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from oms_app.accounts import factors, security
from oms_app.accounts.actors import actor_for_user, get_user
from oms_app.accounts.models import UserSession
from oms_app.audit import service as audit
from oms_app.core.clock import utcnow
from oms_app.core.errors import SecondFactorIncorrect, SecondFactorRequired, ValidationFailed
from oms_app.core.permissions import Actor


@dataclass(frozen=True)
class TotpEnrolment:
    actor: Actor
    recovery_codes: list[str]  # shown once; only their hashes are kept


def begin_totp_enrolment(uow, *, actor: Actor) -> dict:
    """Give the signed-in user a new secret and its QR code (active after confirmation)."""
    with uow:
        user = get_user(uow.session, actor.user_id, lock=True)
        if user.totp_enabled:
            raise ValidationFailed("totp_code", "error.totp.already_enabled")
        secret = security.new_totp_secret()
        user.totp_secret, user.totp_last_step = security.seal_secret(secret), None
        uri = security.totp_uri(secret, user.username)
        uow.commit()
        return {"secret": secret, "qr": security.qr_data_uri(uri)}


def confirm_totp_enrolment(
    uow, *, actor: Actor, token: str, code: str, now: datetime | None = None
) -> TotpEnrolment:
    """Turn on two-factor when the code matches and hand out fresh recovery codes.

    The current session counts as verified.
    """
    now = now or utcnow()
    with uow:
        s = uow.session
        user = get_user(s, actor.user_id, lock=True)
        if user.totp_enabled or not user.totp_secret:
            raise ValidationFailed("totp_code", "error.totp.invalid")
        if not factors.accept_totp(s, user, code, now):
            raise ValidationFailed("totp_code", "error.totp.invalid")
        user.totp_enabled = True
        codes = factors.replace_recovery_codes(s, user.id)
        s.execute(
            sa.update(UserSession)
            .where(UserSession.token_hash == security.token_hash(token))
            .values(second_factor_ok=True)
        )
        audit.record(uow, actor=actor, action="auth.totp_enabled", entity="user", entity_id=user.id)
        uow.commit()
        return TotpEnrolment(actor=actor_for_user(s, user), recovery_codes=codes)


def regenerate_recovery_codes(
    uow, *, actor: Actor, code: str, now: datetime | None = None
) -> list[str]:
    """Replace the actor's recovery codes (the old ones stop working) after a fresh TOTP code."""
    with uow:
        s = uow.session
        user = get_user(s, actor.user_id, lock=True)
        if not user.totp_enabled:
            raise SecondFactorRequired(field="totp_code", reason="not_enrolled")
        check_totp(s, user, code, now or utcnow())
        codes = factors.replace_recovery_codes(s, user.id)
        audit.record(
            uow, actor=actor, action="auth.recovery_codes_renewed", entity="user", entity_id=user.id
        )
        uow.commit()
        return codes


def check_totp(session, user, code: str, now: datetime) -> None:
    """Claim a fresh TOTP code: a missing one is asked for, a wrong or spent one is refused."""
    if not (code or "").strip():
        raise SecondFactorRequired(field="totp_code")
    if not factors.accept_totp(session, user, code.strip(), now):
        raise SecondFactorIncorrect(field="totp_code")


def recovery_codes_left(uow, *, actor: Actor) -> int:
    """How many unused recovery codes the actor still has."""
    with uow:
        return factors.recovery_codes_left(uow.session, actor.user_id)


def verify_step_up(uow, *, actor: Actor, code: str, now: datetime | None = None) -> None:
    """Ask for a fresh TOTP code before a sensitive action (step-up); each code counts once.

    Inside the caller's unit of work the step is claimed in its transaction (the row lock makes
    a parallel use of the same code wait, then fail); on its own it is committed at once.
    """
    with uow:
        user = get_user(uow.session, actor.user_id)
        if not user.totp_enabled:
            raise SecondFactorRequired(field="totp_code", reason="not_enrolled")
        check_totp(uow.session, user, code, now or utcnow())
        uow.commit()

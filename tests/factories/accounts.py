"""Users for tests, made through the real admin service."""

from __future__ import annotations

import pyotp
import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.accounts import security
from oms_app.accounts import service as accounts_service
from oms_app.accounts.models import User
from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR, Actor

DEFAULT_PASSWORD = "correct-horse-1"


def make_user(
    uow, *, username: str, roles: list[str], password: str = DEFAULT_PASSWORD, **kw
) -> int:
    return accounts_admin.create_user(
        uow,
        actor=SYSTEM_ACTOR,
        username=username,
        display_name=username.title(),
        password=password,
        roles=roles,
        **kw,
    )


def make_admin(uow, *, username: str = "admin1") -> Actor:
    """An administrator with an enrolled second factor, as they work day to day."""
    user_id = make_user(uow, username=username, roles=["admin"])
    enable_totp(uow, user_id, "JBSWY3DPEHPK3PXP")
    return actor_of(uow, user_id)


def actor_of(uow, user_id: int) -> Actor:
    with uow:
        return accounts_service.actor_for_user(uow.session, uow.session.get(User, user_id))


def make_actor(uow, *, username: str, roles: list[str]) -> Actor:
    return actor_of(uow, make_user(uow, username=username, roles=roles))


def enable_totp(uow, user_id: int, secret: str) -> None:
    """Give a user an enrolled second factor (as a confirmed enrolment would)."""
    with uow:
        uow.session.execute(
            sa.update(User).where(User.id == user_id).values(totp_secret=secret, totp_enabled=True)
        )
        uow.commit()


def fresh_totp_code(secret: str) -> str:
    """The current code of `secret`, after forgetting the last accepted step of its users.

    Each code counts once, so a test that steps up twice within one 30-s window would wait;
    this lets it go on. Only tests forget steps: the product never does.
    """
    uow = UnitOfWork()
    with uow:
        users = uow.session.execute(
            sa.select(User.id, User.totp_secret).where(User.totp_secret.is_not(None))
        ).all()
        ids = [uid for uid, stored in users if security.reveal_secret(stored) == secret]
        if ids:
            uow.session.execute(sa.update(User).where(User.id.in_(ids)).values(totp_last_step=None))
        uow.commit()
    return pyotp.TOTP(secret).now()

"""Users for tests, made through the real admin service."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.accounts import service as accounts_service
from oms_app.accounts.models import User
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

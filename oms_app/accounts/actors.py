"""The acting user built from the database: roles, grants and a pending second factor."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.accounts.models import RolePermission, User, UserRole
from oms_app.core.errors import NotFound
from oms_app.core.permissions import ROLES_REQUIRING_TOTP, Actor


def roles_of(session, user_id: int) -> frozenset[str]:
    return frozenset(
        session.scalars(sa.select(UserRole.role_code).where(UserRole.user_id == user_id))
    )


def needs_totp(roles: frozenset[str]) -> bool:
    return any(role in ROLES_REQUIRING_TOTP for role in roles)


def actor_for_user(
    session, user: User, *, second_factor_ok: bool = True, api_key: bool = False
) -> Actor:
    """The acting user with grants read from the database; none until a required 2FA is set.

    API keys are exempt: a key is a credential of its own, made by an administrator.
    """
    roles = roles_of(session, user.id)
    pending_totp = (
        not api_key and needs_totp(roles) and not (user.totp_enabled and second_factor_ok)
    )
    perms: frozenset[str] = frozenset()
    if not pending_totp:
        perms = frozenset(
            session.scalars(
                sa.select(RolePermission.permission_code).where(RolePermission.role_code.in_(roles))
            )
        )
    return Actor(
        user_id=user.id,
        username=user.username,
        roles=roles,
        permissions=perms,
        locale=user.locale,
        tz=user.tz,
        customer_id=user.customer_id,
        extra={"display_name": user.display_name, "pending_totp": pending_totp},
    )


def get_user(session, user_id: int | None, *, lock: bool = False) -> User:
    """The user by id (row-locked when asked); NotFound otherwise."""
    user = None
    if user_id is not None:
        user = (
            session.get(User, user_id, with_for_update=lock) if lock else session.get(User, user_id)
        )
    if user is None:
        raise NotFound(entity="user", id=user_id)
    return user

"""Administration use cases: users, roles, two-factor resets and API keys."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.accounts import factors, rules, security, throttle
from oms_app.accounts.models import ApiKey, User, UserRole, UserSession
from oms_app.accounts.service import LOCALES, _get_user, actor_for_user
from oms_app.audit import service as audit
from oms_app.core.clock import is_known_zone, utcnow
from oms_app.core.config import get_settings
from oms_app.core.errors import AuthenticationFailed, NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, Role, require

API_KEY_PREFIX = "oms_"


def check_password(password: str, *, username: str) -> None:
    """Refuse a new password that is short, common or contains the username."""
    if problem := rules.password_problem(password, username=username):
        raise ValidationFailed("password", problem, min=rules.MIN_PASSWORD_LENGTH)


def _check_roles(roles: list[str]) -> list[str]:
    known = {r.value for r in Role}
    if not roles:
        raise ValidationFailed("roles", "error.required")
    unknown = [r for r in roles if r not in known]
    if unknown:
        raise ValidationFailed("roles", "error.role.unknown", value=", ".join(unknown))
    return sorted(set(roles))


def create_user(
    uow,
    *,
    actor: Actor,
    username: str,
    display_name: str,
    password: str,
    roles: list[str],
    email: str = "",
    locale: str | None = None,
    tz: str | None = None,
    customer_id: int | None = None,
    enforce_password_policy: bool = True,
) -> int:
    """Create an account with its roles; the password is stored as an argon2 hash.

    Only the demo loader turns the password policy off: its published passwords are known
    anyway, and a production start refuses while any of them is still set.
    """
    require(actor, Permission.USER_ADMIN)
    settings = get_settings()
    username = username.strip().lower()
    if problem := rules.username_problem(username):
        raise ValidationFailed("username", problem)
    if not display_name.strip():
        raise ValidationFailed("display_name", "error.required")
    if enforce_password_policy:
        check_password(password, username=username)
    roles = _check_roles(roles)
    locale = locale or settings.default_locale
    if locale not in LOCALES:
        raise ValidationFailed("locale", "error.choice", choices=", ".join(LOCALES))
    if tz and not is_known_zone(tz):
        raise ValidationFailed("tz", "error.tz.unknown", value=tz)
    with uow:
        s = uow.session
        if s.scalar(sa.select(User.id).where(User.username == username)):
            raise ValidationFailed("username", "error.username.taken", value=username)
        user = User(
            username=username,
            display_name=display_name.strip(),
            email=email.strip(),
            password_hash=security.hash_password(password),
            locale=locale,
            tz=tz or settings.default_tz,
            customer_id=customer_id,
        )
        s.add(user)
        s.flush()
        s.add_all(UserRole(user_id=user.id, role_code=r) for r in roles)
        audit.record(
            uow,
            actor=actor,
            action="user.created",
            entity="user",
            entity_id=user.id,
            roles=",".join(roles),
        )
        uow.commit()
        return user.id


def set_roles(uow, *, actor: Actor, user_id: int, roles: list[str]) -> None:
    """Replace a user's roles."""
    require(actor, Permission.USER_ADMIN)
    roles = _check_roles(roles)
    with uow:
        user = _get_user(uow.session, user_id)
        uow.session.execute(sa.delete(UserRole).where(UserRole.user_id == user.id))
        uow.session.add_all(UserRole(user_id=user.id, role_code=r) for r in roles)
        audit.record(
            uow,
            actor=actor,
            action="user.roles_set",
            entity="user",
            entity_id=user.id,
            roles=",".join(roles),
        )
        uow.commit()


def reset_totp(uow, *, actor: Actor, user_id: int) -> None:
    """Turn off a user's second factor (lost phone); they enrol again at the next log-in."""
    require(actor, Permission.USER_ADMIN)
    with uow:
        user = _get_user(uow.session, user_id)
        factors.drop_second_factor(uow.session, user)
        uow.session.execute(
            sa.update(UserSession).where(UserSession.user_id == user.id).values(revoked_at=utcnow())
        )
        audit.record(uow, actor=actor, action="user.totp_reset", entity="user", entity_id=user.id)
        uow.commit()


def set_active(uow, *, actor: Actor, user_id: int, active: bool) -> None:
    """Enable or disable an account; disabling also ends its sessions and unlocks nothing."""
    require(actor, Permission.USER_ADMIN)
    with uow:
        user = _get_user(uow.session, user_id)
        if user.id == actor.user_id and not active:
            raise ValidationFailed("active", "error.user.cannot_disable_self")
        user.is_active = active
        if not active:
            uow.session.execute(
                sa.update(UserSession)
                .where(UserSession.user_id == user.id)
                .values(revoked_at=utcnow())
            )
        audit.record(
            uow,
            actor=actor,
            action="user.active_set",
            entity="user",
            entity_id=user.id,
            active=active,
        )
        uow.commit()


def unlock_user(uow, *, actor: Actor, user_id: int) -> None:
    """Lift the account's log-in throttle before it runs out."""
    require(actor, Permission.USER_ADMIN)
    with uow:
        user = _get_user(uow.session, user_id)
        throttle.clear([throttle.account(user.username)])
        audit.record(uow, actor=actor, action="user.unlocked", entity="user", entity_id=user.id)
        uow.commit()


def create_api_key(uow, *, actor: Actor, name: str, user_id: int | None = None) -> str:
    """Create a key acting as `user_id` (default: the creator). Returns it once, in clear."""
    require(actor, Permission.APIKEY_ADMIN)
    if not name.strip():
        raise ValidationFailed("name", "error.required")
    with uow:
        owner_id = user_id or actor.user_id
        if owner_id is None:  # the CLI acts as system: the key belongs to the first admin
            owner_id = uow.session.scalar(
                sa.select(UserRole.user_id)
                .where(UserRole.role_code == Role.ADMIN.value)
                .order_by(UserRole.user_id)
                .limit(1)
            )
            if owner_id is None:
                raise ValidationFailed("user", "error.apikey.no_admin")
        _get_user(uow.session, owner_id)
        key = API_KEY_PREFIX + security.new_token(30)
        row = ApiKey(
            name=name.strip(), prefix=key[:12], key_hash=security.token_hash(key), user_id=owner_id
        )
        uow.session.add(row)
        uow.session.flush()
        audit.record(
            uow,
            actor=actor,
            action="apikey.created",
            entity="api_key",
            entity_id=row.id,
            name=row.name,
        )
        uow.commit()
    return key


def revoke_api_key(uow, *, actor: Actor, key_id: int) -> None:
    require(actor, Permission.APIKEY_ADMIN)
    with uow:
        row = uow.session.get(ApiKey, key_id)
        if row is None:
            raise NotFound(entity="api_key", id=key_id)
        row.revoked_at = row.revoked_at or utcnow()
        audit.record(uow, actor=actor, action="apikey.revoked", entity="api_key", entity_id=row.id)
        uow.commit()


def key_fingerprint(key: str) -> str:
    """A short stable id of a key for counters (never the key itself)."""
    return security.token_hash(key or "")[:24]


def resolve_api_key(uow, *, key: str) -> Actor:
    """The actor an API key acts as; AuthenticationFailed when unknown or revoked."""
    with uow:
        row = uow.session.scalar(
            sa.select(ApiKey).where(
                ApiKey.key_hash == security.token_hash(key or ""), ApiKey.revoked_at.is_(None)
            )
        )
        user = uow.session.get(User, row.user_id) if row else None
        if user is None or not user.is_active:
            raise AuthenticationFailed(field="api_key")
        row.last_used_at = utcnow()
        actor = actor_for_user(uow.session, user, api_key=True)
        uow.commit()
        return actor

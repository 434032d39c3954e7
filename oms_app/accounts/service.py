"""Accounts use cases: log-in, sessions, two-factor, users, roles and API keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from oms_app.accounts import rules, security
from oms_app.accounts.models import (
    PermissionRow,
    Role,
    RolePermission,
    User,
    UserRole,
    UserSession,
)
from oms_app.audit import service as audit
from oms_app.core.clock import is_known_zone, utcnow
from oms_app.core.config import get_settings
from oms_app.core.errors import (
    AccountLocked,
    AuthenticationFailed,
    NotFound,
    SecondFactorRequired,
    ValidationFailed,
)
from oms_app.core.permissions import (
    ROLE_PERMISSIONS,
    ROLES_REQUIRING_TOTP,
    SYSTEM_ACTOR,
    Actor,
    Permission,
    require,
)
from oms_app.core.permissions import Role as RoleCode

ROLE_NAMES = {
    RoleCode.ADMIN: ("系统管理员", "Administrator"),
    RoleCode.SALES: ("销售", "Sales"),
    RoleCode.SALES_MANAGER: ("销售经理", "Sales manager"),
    RoleCode.FINANCE: ("财务", "Finance"),
    RoleCode.WAREHOUSE: ("仓库", "Warehouse"),
    RoleCode.EXECUTIVE: ("管理层", "Executive"),
    RoleCode.CUSTOMER: ("客户", "Customer"),
}
LOCALES = ("zh_CN", "en")


@dataclass(frozen=True)
class LoginResult:
    token: str
    actor: Actor
    must_enrol_totp: bool


def sync_roles(uow) -> None:
    """Make the roles and grants tables match the code's grant table (idempotent)."""
    with uow:
        s = uow.session
        for perm in Permission:
            s.merge(PermissionRow(code=perm.value))
        for role, (zh, en) in ROLE_NAMES.items():
            s.merge(Role(code=role.value, name_zh=zh, name_en=en))
        s.flush()
        s.execute(sa.delete(RolePermission))
        s.add_all(
            RolePermission(role_code=role.value, permission_code=perm.value)
            for role, perms in ROLE_PERMISSIONS.items()
            for perm in perms
        )
        uow.commit()


def _roles_of(session, user_id: int) -> frozenset[str]:
    return frozenset(
        session.scalars(sa.select(UserRole.role_code).where(UserRole.user_id == user_id))
    )


def _needs_totp(roles: frozenset[str]) -> bool:
    return any(role in ROLES_REQUIRING_TOTP for role in roles)


def actor_for_user(
    session, user: User, *, second_factor_ok: bool = True, api_key: bool = False
) -> Actor:
    """The acting user with grants read from the database; none until a required 2FA is set.

    API keys are exempt: a key is a credential of its own, made by an administrator.
    """
    roles = _roles_of(session, user.id)
    pending_totp = (
        not api_key and _needs_totp(roles) and not (user.totp_enabled and second_factor_ok)
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


def log_in(
    uow, *, username: str, password: str, totp_code: str = "", now: datetime | None = None
) -> LoginResult:
    """Check the credentials, apply lock-out, and open a server-side session."""
    settings, now = get_settings(), now or utcnow()
    with uow:
        s = uow.session
        user = s.scalar(
            sa.select(User).where(User.username == username.strip().lower()).with_for_update()
        )
        if user is None or not user.is_active:
            security.verify_password(security.DUMMY_HASH, password)
            raise AuthenticationFailed()
        if rules.is_locked(user.locked_until, now):
            raise AccountLocked(until=user.locked_until.isoformat())
        if not security.verify_password(user.password_hash, password):
            _record_failure(uow, user, now, settings)
            raise AuthenticationFailed()
        if user.totp_enabled and not security.verify_totp(user.totp_secret, totp_code):
            if totp_code:
                _record_failure(uow, user, now, settings)
            raise SecondFactorRequired(field="totp_code")
        user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
        token = security.new_token()
        s.add(
            UserSession(
                token_hash=security.token_hash(token),
                user_id=user.id,
                created_at=now,
                last_seen_at=now,
                second_factor_ok=user.totp_enabled,
                expires_at=now + timedelta(hours=settings.session_absolute_hours),
            )
        )
        actor = actor_for_user(s, user, second_factor_ok=user.totp_enabled)
        audit.record(uow, actor=actor, action="auth.login", entity="user", entity_id=user.id)
        uow.commit()
    return LoginResult(token=token, actor=actor, must_enrol_totp=actor.extra["pending_totp"])


def _record_failure(uow, user: User, now: datetime, settings) -> None:
    """Count a failed attempt and commit it even though the log-in is refused."""
    user.failed_logins += 1
    user.locked_until = rules.lock_after_failure(
        user.failed_logins,
        now,
        attempts=settings.lockout_attempts,
        minutes=settings.lockout_minutes,
    )
    if user.locked_until:
        user.failed_logins = 0
    audit.record(
        uow,
        actor=SYSTEM_ACTOR,
        action="auth.login_failed",
        entity="user",
        entity_id=user.id,
        locked=bool(user.locked_until),
    )
    uow.commit()


def resolve_session(uow, *, token: str, now: datetime | None = None) -> Actor | None:
    """The actor behind a session token, or None when unknown, revoked or expired."""
    if not token:
        return None
    settings, now = get_settings(), now or utcnow()
    with uow:
        s = uow.session
        row = s.scalar(
            sa.select(UserSession).where(
                UserSession.token_hash == security.token_hash(token),
                UserSession.revoked_at.is_(None),
            )
        )
        if row is None or rules.session_expired(
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            now=now,
            idle_minutes=settings.session_idle_minutes,
            absolute_hours=settings.session_absolute_hours,
        ):
            return None
        user = s.get(User, row.user_id)
        if user is None or not user.is_active:
            return None
        if now - row.last_seen_at > timedelta(minutes=1):  # spare a write per click
            row.last_seen_at = now
        actor = actor_for_user(s, user, second_factor_ok=row.second_factor_ok)
        uow.commit()
    return actor


def log_out(uow, *, token: str) -> None:
    with uow:
        uow.session.execute(
            sa.update(UserSession)
            .where(UserSession.token_hash == security.token_hash(token))
            .values(revoked_at=utcnow())
        )
        uow.commit()


def begin_totp_enrolment(uow, *, actor: Actor) -> dict:
    """Give the signed-in user a new secret and its QR code (active after confirmation)."""
    with uow:
        user = _get_user(uow.session, actor.user_id)
        if user.totp_enabled:
            raise ValidationFailed("totp_code", "error.totp.already_enabled")
        user.totp_secret = security.new_totp_secret()
        uri = security.totp_uri(user.totp_secret, user.username)
        uow.commit()
        return {"secret": user.totp_secret, "qr": security.qr_data_uri(uri)}


def confirm_totp_enrolment(uow, *, actor: Actor, token: str, code: str) -> Actor:
    """Turn on two-factor when the code matches; the current session counts as verified."""
    with uow:
        user = _get_user(uow.session, actor.user_id)
        if not user.totp_secret or not security.verify_totp(user.totp_secret, code):
            raise ValidationFailed("totp_code", "error.totp.invalid")
        user.totp_enabled = True
        uow.session.execute(
            sa.update(UserSession)
            .where(UserSession.token_hash == security.token_hash(token))
            .values(second_factor_ok=True)
        )
        audit.record(uow, actor=actor, action="auth.totp_enabled", entity="user", entity_id=user.id)
        uow.commit()
        return actor_for_user(uow.session, user)


def update_preferences(
    uow, *, actor: Actor, locale: str | None = None, tz: str | None = None
) -> None:
    """Keep the user's language and time zone."""
    if locale is not None and locale not in LOCALES:
        raise ValidationFailed("locale", "error.choice", choices=", ".join(LOCALES))
    if tz is not None and not is_known_zone(tz):
        raise ValidationFailed("tz", "error.tz.unknown", value=tz)
    with uow:
        user = _get_user(uow.session, actor.user_id)
        user.locale = locale or user.locale
        user.tz = tz or user.tz
        uow.commit()


def _get_user(session, user_id: int | None) -> User:
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise NotFound(entity="user", id=user_id)
    return user


def user_ids_with_role(uow, *, role: str) -> list[int]:
    with uow:
        return list(
            uow.session.scalars(
                sa.select(User.id)
                .join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role_code == role, User.is_active.is_(True))
                .order_by(User.id)
            )
        )


def people_with_permission(uow, *, actor: Actor, permission: Permission) -> list[dict]:
    """Active users whose roles grant `permission` (the pickers a supervisor can choose)."""
    require(actor, permission)
    roles = sorted(str(r) for r, granted in ROLE_PERMISSIONS.items() if permission in granted)
    with uow:
        rows = uow.session.execute(
            sa.select(User.username, User.display_name)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role_code.in_(roles), User.is_active.is_(True))
            .distinct()
            .order_by(User.username)
        ).all()
    return [{"username": u, "name": n or u} for u, n in rows]


def verify_step_up(uow, *, actor: Actor, code: str) -> None:
    """Ask for the actor's current TOTP code before a sensitive action (step-up)."""
    with uow:
        user = _get_user(uow.session, actor.user_id)
        if not user.totp_enabled:
            raise SecondFactorRequired(field="totp_code", reason="not_enrolled")
        if not security.verify_totp(user.totp_secret, code):
            raise SecondFactorRequired(field="totp_code")


def get_preferences(uow, *, user_id: int) -> tuple[str, str]:
    """The user's language and time zone (for messages made outside their session)."""
    with uow:
        user = _get_user(uow.session, user_id)
        return user.locale, user.tz


def actor_by_id(uow, *, user_id: int) -> Actor:
    """The actor of a user for work done on their behalf (recurring drafts)."""
    with uow:
        return actor_for_user(uow.session, _get_user(uow.session, user_id), api_key=True)


def active_user_with_permission(uow, *, username: str, permission: Permission) -> Actor:
    """The active user by this name who holds `permission` (e.g. a picker for a wave)."""
    with uow:
        user = uow.session.scalar(
            sa.select(User).where(User.username == (username or "").strip(), User.is_active)
        )
        if user is None:
            raise NotFound(entity="user", field="picker", value=username)
        actor = actor_for_user(uow.session, user, api_key=True)
    if not actor.can(permission):
        raise ValidationFailed("picker", "error.picker.not_allowed", username=actor.username)
    return actor

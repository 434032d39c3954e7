"""Accounts use cases: log-in, sessions, two-factor, users, roles and API keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from oms_app.accounts import factors, rules, security, throttle
from oms_app.accounts.actors import actor_for_user
from oms_app.accounts.actors import get_user as _get_user
from oms_app.accounts.models import (
    PermissionRow,
    Role,
    RolePermission,
    User,
    UserRole,
    UserSession,
)
from oms_app.accounts.my_warehouse import get_my_warehouse, set_my_warehouse  # noqa: F401

# The two-factor use cases live in second_factor; other areas reach them through this door.
from oms_app.accounts.second_factor import (  # noqa: F401
    TotpEnrolment,
    begin_totp_enrolment,
    confirm_totp_enrolment,
    recovery_codes_left,
    regenerate_recovery_codes,
    verify_step_up,
)
from oms_app.audit import service as audit
from oms_app.core.clock import is_known_zone, utcnow
from oms_app.core.config import get_settings
from oms_app.core.errors import (
    AuthenticationFailed,
    NotFound,
    SecondFactorIncorrect,
    SecondFactorRequired,
    ValidationFailed,
)
from oms_app.core.permissions import (
    ROLE_PERMISSIONS,
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


def log_in(
    uow,
    *,
    username: str,
    password: str,
    totp_code: str = "",
    client_address: str = "",
    now: datetime | None = None,
) -> LoginResult:
    """Check the credentials under throttling and open a server-side session.

    Every refusal reads the same whether or not the username exists; the throttle counts
    failures per account name and per client address in Redis and always runs out.
    """
    username = username.strip().lower()
    subjects = [throttle.account(username)]
    subjects += [throttle.address(client_address)] if client_address else []
    throttle.refuse_while_locked(subjects)
    try:
        result = _check_and_open_session(
            uow, username=username, password=password, totp_code=totp_code, now=now or utcnow()
        )
    except AuthenticationFailed:
        throttle.record_failure(subjects)
        raise
    except SecondFactorRequired:
        if totp_code:
            throttle.record_failure(subjects)
        raise
    throttle.clear(subjects[:1])
    return result


def _check_and_open_session(
    uow, *, username: str, password: str, totp_code: str, now: datetime
) -> LoginResult:
    settings = get_settings()
    with uow:
        s = uow.session
        user = s.scalar(sa.select(User).where(User.username == username).with_for_update())
        if user is None or not user.is_active:
            security.verify_password(security.DUMMY_HASH, password)
            raise AuthenticationFailed()
        if not security.verify_password(user.password_hash, password):
            _audit_failure(uow, user.id, reason="password")
            raise AuthenticationFailed()
        if user.totp_enabled and not _second_factor_ok(uow, user, totp_code, now):
            if not totp_code:
                raise SecondFactorRequired(field="totp_code")
            _audit_failure(uow, user.id, reason="second_factor")
            raise SecondFactorIncorrect(field="totp_code")
        user.last_login_at = now
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


def _second_factor_ok(uow, user: User, code: str, now: datetime) -> bool:
    """A fresh TOTP code, or an unused recovery code (spent now, and audited)."""
    if not factors.looks_like_recovery_code(code):
        return factors.accept_totp(uow.session, user, code, now)
    if not factors.accept_recovery_code(uow.session, user.id, code, now):
        return False
    audit.record(
        uow,
        actor=SYSTEM_ACTOR,
        action="auth.recovery_code_used",
        entity="user",
        entity_id=user.id,
        left=factors.recovery_codes_left(uow.session, user.id),
    )
    return True


def _audit_failure(uow, user_id: int, *, reason: str) -> None:
    """Keep an audit row of a failed attempt even though the log-in is refused."""
    audit.record(
        uow,
        actor=SYSTEM_ACTOR,
        action="auth.login_failed",
        entity="user",
        entity_id=user_id,
        reason=reason,
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


def get_preferences(uow, *, user_id: int) -> tuple[str, str]:
    """The user's language and time zone (for messages made outside their session)."""
    with uow:
        user = _get_user(uow.session, user_id)
        return user.locale, user.tz


def has_totp(uow, *, actor: Actor) -> bool:
    """Whether the actor has an authenticator enrolled (step-up screens offer enrolment if not)."""
    with uow:
        return bool(
            uow.session.scalar(sa.select(User.totp_enabled).where(User.id == actor.user_id))
        )


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

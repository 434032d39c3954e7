"""Read side of accounts: user and API key lists for the admin screens."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.accounts import throttle
from oms_app.accounts.models import ApiKey, User, UserRole
from oms_app.core.clock import format_local
from oms_app.core.permissions import Actor, Permission, require

USER_SORTS = {"username": User.username, "created": User.created_at, "name": User.display_name}


def list_users(
    uow,
    *,
    actor: Actor,
    search: str = "",
    page: int = 1,
    page_size: int = 20,
    sort: str = "username",
) -> dict:
    """Users filtered by name, sorted and paged in SQL."""
    require(actor, Permission.USER_ADMIN)
    stmt = sa.select(User)
    if search.strip():
        like = f"%{search.strip()}%"
        stmt = stmt.where(sa.or_(User.username.ilike(like), User.display_name.ilike(like)))
    with uow:
        s = uow.session
        total = s.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
        users = s.scalars(
            stmt.order_by(USER_SORTS.get(sort, User.username), User.id)
            .offset((max(page, 1) - 1) * page_size)
            .limit(page_size)
        ).all()
        roles = _roles_by_user(s, [u.id for u in users])
        locked = throttle.locked_accounts([u.username for u in users])
        rows = [
            {
                "id": u.id,
                "username": u.username,
                "display_name": u.display_name,
                "email": u.email,
                "roles": ", ".join(roles.get(u.id, [])),
                "active": u.is_active,
                "totp": u.totp_enabled,
                "locked": u.username in locked,
                "last_login": format_local(u.last_login_at, actor.tz),
            }
            for u in users
        ]
    return {"rows": rows, "total": total, "page": page, "page_size": page_size}


def _roles_by_user(session, user_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for user_id, role in session.execute(
        sa.select(UserRole.user_id, UserRole.role_code)
        .where(UserRole.user_id.in_(user_ids))
        .order_by(UserRole.role_code)
    ):
        out.setdefault(user_id, []).append(role)
    return out


def list_api_keys(uow, *, actor: Actor) -> list[dict]:
    require(actor, Permission.APIKEY_ADMIN)
    with uow:
        rows = uow.session.execute(
            sa.select(ApiKey, User.username)
            .join(User, User.id == ApiKey.user_id)
            .order_by(ApiKey.id.desc())
        ).all()
        return [
            {
                "id": k.id,
                "name": k.name,
                "prefix": k.prefix,
                "owner": username,
                "created": format_local(k.created_at, actor.tz),
                "last_used": format_local(k.last_used_at, actor.tz),
                "revoked": k.revoked_at is not None,
            }
            for k, username in rows
        ]


def enabled_user_emails(uow, *, addresses: list[str]) -> set[str]:
    """Which of the addresses (lower-cased) belong to enabled users; in the caller's unit of
    work (reports may be mailed only to people of the system, or to allowed domains)."""
    wanted = {a.strip().lower() for a in addresses if a.strip()}
    if not wanted:
        return set()
    rows = uow.session.scalars(
        sa.select(sa.func.lower(User.email)).where(
            User.is_active.is_(True), sa.func.lower(User.email).in_(wanted)
        )
    )
    return set(rows)

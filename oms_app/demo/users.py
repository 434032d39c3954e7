"""Demo users, one per role (passwords in oms_app/demo/accounts.py and the README)."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.accounts import security
from oms_app.accounts.models import User, UserRole
from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.demo.accounts import DEMO_ACCOUNTS

DEMO_CUSTOMER_CODE = "C00001"


def create_demo_users(uow: UnitOfWork) -> int:
    """Create the demo accounts that do not exist yet; the customer log-in buys for C00001."""
    customer_id = _customer_id(uow, DEMO_CUSTOMER_CODE)
    created = 0
    for account in DEMO_ACCOUNTS:
        with uow:
            if uow.session.scalar(sa.select(User.id).where(User.username == account.username)):
                continue
        accounts_admin.create_user(
            uow,
            actor=SYSTEM_ACTOR,
            username=account.username,
            password=account.password,
            display_name=account.display_name,
            roles=[account.role],
            locale=account.locale,
            customer_id=customer_id if account.role == "customer" else None,
            enforce_password_policy=False,  # the published demo passwords are known anyway
        )
        created += 1
    return created


def _customer_id(uow: UnitOfWork, code: str) -> int | None:
    customers = sa.table("customers", sa.column("id"), sa.column("code"))
    with uow:
        return uow.session.scalar(sa.select(customers.c.id).where(customers.c.code == code))


def accounts_with_demo_passwords(uow: UnitOfWork) -> list[str]:
    """The enabled accounts whose password is still the published demo password of that name."""
    published = {a.username: a.password for a in DEMO_ACCOUNTS}
    with uow:
        rows = uow.session.execute(
            sa.select(User.username, User.password_hash).where(
                User.username.in_(published), User.is_active.is_(True)
            )
        ).all()
    # argon2 on purpose: the check must hold whatever salt the hash was made with.
    return sorted(
        name for name, hashed in rows if security.verify_password(hashed, published[name])
    )


def has_active_admin(uow: UnitOfWork) -> bool:
    """Whether an enabled account holds the administrator role."""
    with uow:
        return bool(
            uow.session.scalar(
                sa.select(sa.func.count())
                .select_from(User)
                .join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role_code == "admin", User.is_active.is_(True))
            )
        )

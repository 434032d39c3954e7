"""Demo users, one per role (passwords in oms_app/demo/accounts.py and the README)."""

from __future__ import annotations

import json

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


# Who entered the history's orders: the sales reps (never the manager, who decides them: four
# eyes).
ORDER_TAKERS = ("sales", "sales2", "sales3")
_ORDERS_ENTERED = """
    WITH takers AS (
        SELECT array_agg(id ORDER BY username) FILTER (WHERE username = ANY(:reps)) AS reps
        FROM users)
    UPDATE orders o SET created_by = t.reps[1 + (o.id * 7 + o.customer_id) % cardinality(t.reps)]
    FROM takers t
    WHERE o.created_by IS NULL AND o.channel = 'sales' AND cardinality(t.reps) > 0"""
_ENTRIES_SIGNED = """
    UPDATE order_events e SET actor_id = o.created_by, actor_name = u.username
    FROM orders o JOIN users u ON u.id = o.created_by
    WHERE e.order_id = o.id AND e.action = 'submit' AND e.actor_id IS NULL"""


# Who decided the history's approval levels, by the level's role.
DECIDERS = {"sales_manager": "manager", "finance": "finance"}
_DECISIONS_SIGNED = (
    """UPDATE approval_requests r SET decided_by = u.username FROM users u
    WHERE r.decided_by = 'demo' AND u.username = CAST(:deciders AS json) ->> r.role""",
    """UPDATE approval_events e SET actor_id = u.id, actor_name = u.username
    FROM approval_requests r JOIN users u ON u.username = r.decided_by
    WHERE e.request_id = r.id AND e.actor_name = 'demo'""",
    # the order's own approve or reject step is the last level's decision, at the same moment
    """UPDATE order_events e SET actor_id = a.actor_id, actor_name = a.actor_name
    FROM approval_events a
    WHERE a.order_id = e.order_id AND a.at = e.at AND e.action IN ('approve', 'reject')
      AND e.actor_id IS NULL AND a.actor_id IS NOT NULL""",
)


def attribute_history_orders(uow: UnitOfWork) -> int:
    """Sign the history's approval decisions by the demo manager and finance, and give the
    history's orders taken by the sales team (channel "sales"; the portal's, API's
    and shop's were entered by nobody on staff) the demo rep who entered them, their submit
    step signed by that rep, so the sales by rep read as a team's; returns how many."""
    with uow:
        entered = uow.session.execute(
            sa.text(_ORDERS_ENTERED), {"reps": list(ORDER_TAKERS)}
        ).rowcount
        uow.session.execute(sa.text(_ENTRIES_SIGNED))
        for statement in _DECISIONS_SIGNED:
            uow.session.execute(sa.text(statement), {"deciders": json.dumps(DECIDERS)})
        uow.commit()
    return entered


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

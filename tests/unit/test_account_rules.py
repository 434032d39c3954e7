"""Pure account rules: passwords, lock-out, session expiry, permissions, money."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from oms_app import routes
from oms_app.accounts import rules
from oms_app.core.errors import PermissionDenied
from oms_app.core.money import format_money, to_money
from oms_app.core.permissions import ROLE_PERMISSIONS, Actor, Permission, Role, require

NOW = datetime(2026, 11, 11, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short1", "error.password.too_short"),
        ("password1", "error.password.too_short"),
        ("letters-and-1", None),
        ("123456789012", "error.password.too_simple"),
        ("onlylettersabc", "error.password.too_simple"),
        ("password1234", "error.password.common"),
        ("Qwertyuiop123", "error.password.common"),
        ("iloveyou!!2024", "error.password.common"),
        ("WangFang-2026!", "error.password.contains_username"),
        ("wangfang1wangfang1", "error.password.contains_username"),
        ("tea-kettle-river-9", None),
    ],
)
def test_password_policy_names_the_problem(password, problem):
    assert rules.password_problem(password, username="wangfang") == problem


def test_the_common_password_list_is_the_one_zxcvbn_ships():
    assert len(rules.common_passwords()) >= 10_000
    assert {"password", "123456", "qwerty", "iloveyou"} <= rules.common_passwords()


def test_failed_log_ins_cost_nothing_at_first_then_a_doubling_wait_up_to_the_longest():
    waits = [rules.lock_seconds_after(n, free=5, longest=900) for n in range(1, 18)]
    assert waits[:4] == [0, 0, 0, 0]
    assert waits[4:10] == [1, 2, 4, 8, 16, 32]
    assert waits[-1] == 900 and max(waits) == 900
    assert rules.lock_seconds_after(10_000, free=5, longest=900) == 900


def test_sessions_expire_when_idle_or_too_old():
    fresh = dict(created_at=NOW, last_seen_at=NOW, idle_minutes=120, absolute_hours=24)
    assert not rules.session_expired(now=NOW + timedelta(minutes=119), **fresh)
    assert rules.session_expired(now=NOW + timedelta(minutes=121), **fresh)
    busy = dict(fresh, last_seen_at=NOW + timedelta(hours=24, minutes=30))
    assert rules.session_expired(now=NOW + timedelta(hours=24, minutes=31), **busy)


def test_an_actor_without_the_grant_is_denied():
    sales = Actor(
        user_id=1,
        username="s",
        permissions=frozenset(p.value for p in ROLE_PERMISSIONS[Role.SALES]),
    )
    require(sales, Permission.ORDER_CREATE)
    with pytest.raises(PermissionDenied):
        require(sales, Permission.USER_ADMIN)
    with pytest.raises(PermissionDenied):
        require(None, Permission.ORDER_VIEW)


def test_each_role_sees_only_its_menu():
    def menu(role: Role) -> set[str]:
        perms = frozenset(p.value for p in ROLE_PERMISSIONS[role])
        return {item["route"] for item in routes.menu_for(perms)}

    assert routes.ADMIN_USERS in menu(Role.ADMIN)
    assert routes.ADMIN_USERS not in menu(Role.SALES)
    assert routes.STOCK in menu(Role.WAREHOUSE) and routes.CUSTOMERS not in menu(Role.WAREHOUSE)
    assert menu(Role.CUSTOMER) == {routes.PORTAL, routes.ACCOUNT}


def test_money_is_decimal_and_refuses_floats():
    assert to_money("19.995") == Decimal("20.00")
    assert format_money(Decimal("1234.5")) == "¥1,234.50"
    with pytest.raises(TypeError):
        to_money(0.1)


def test_route_ids_are_matched_to_the_permission_table():
    assert routes.normalize_route("index") == routes.HOME
    assert routes.normalize_route("/") == routes.HOME
    assert routes.normalize_route("orders/[number]") == routes.ORDER_DETAIL
    assert routes.normalize_route("/approvals/") == routes.APPROVALS

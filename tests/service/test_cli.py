"""The command line, as an operator runs it: real processes on the run's own database."""

from __future__ import annotations

import os
import subprocess
import sys

import sqlalchemy as sa

from oms_app.accounts.models import ApiKey, User
from tests.factories.accounts import make_user


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "oms_app.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_migrate_says_the_schema_is_current(clean_db):
    result = run_cli("migrate")
    assert result.returncode == 0 and "newest schema" in result.stdout


def test_create_user_takes_the_password_from_the_named_variable(uow):
    result = run_cli(
        "create-user",
        "wangfang",
        "--role",
        "sales",
        "--role",
        "sales_manager",
        "--password-env",
        "NEW_PW",
        NEW_PW="spring-2026-pw",
    )
    assert result.returncode == 0, result.stderr
    with uow:
        user = uow.session.scalar(sa.select(User).where(User.username == "wangfang"))
        assert user is not None and user.password_hash.startswith("$argon2")


def test_create_user_names_the_field_of_bad_input_and_writes_nothing(uow):
    unset = run_cli("create-user", "lisi", "--role", "sales", "--password-env", "NOT_SET_PW")
    bad_role = run_cli(
        "create-user", "lisi", "--role", "pilot", "--password-env", "PW", PW="long-enough-1"
    )
    short = run_cli("create-user", "lisi", "--role", "sales", "--password-env", "PW", PW="x1")
    assert unset.returncode == 2 and "NOT_SET_PW" in unset.stderr
    assert bad_role.returncode == 2 and "roles: unknown role: pilot" in bad_role.stderr
    assert short.returncode == 2 and "password: must have at least 12 characters" in short.stderr
    with uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_create_api_key_prints_the_key_once_and_stores_only_its_hash(uow):
    make_user(uow, username="root", roles=["admin"])
    result = run_cli("create-api-key", "ERP sync")
    key = result.stdout.strip()
    assert result.returncode == 0 and key.startswith("oms_")
    with uow:
        stored = uow.session.scalar(sa.select(ApiKey))
        assert stored.name == "ERP sync" and key not in (stored.key_hash, stored.prefix)


def test_seed_demo_refuses_a_negative_count():
    result = run_cli("seed-demo", "--orders", "-5")
    assert result.returncode == 2 and "--orders" in result.stderr


def test_rebuild_rollups_recomputes_the_dashboards_days_from_the_orders(uow):
    from oms_app.analytics.models import SalesDaily
    from tests.factories.dashboard import add_order, make_shop, utc

    # given: a booked order whose rollup row was lost
    shop = make_shop(uow)
    add_order(uow, shop, {"status": "approved", "created": utc(2026, 3, 2, 4)})
    with uow:
        uow.session.execute(sa.delete(SalesDaily))
        uow.commit()
    # when
    result = run_cli("rebuild-rollups")
    # then
    assert result.returncode == 0, result.stderr
    assert "dashboard rollups rebuilt" in result.stdout and "2 rows" in result.stdout
    with uow:
        assert uow.session.scalar(sa.select(SalesDaily.orders)) == 1


def test_rebuild_rollups_refuses_a_reversed_span_or_a_bad_date(clean_db):
    reversed_span = run_cli("rebuild-rollups", "--from", "2026-03-02", "--to", "2026-03-01")
    assert reversed_span.returncode == 2 and "--to" in reversed_span.stderr
    bad = run_cli("rebuild-rollups", "--from", "2026-02-30")
    assert bad.returncode == 2 and "not a date" in bad.stderr


def run_cli_with_input(text: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "oms_app.cli", *args],
        input=text,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_create_user_reads_the_password_from_stdin_and_says_what_comes_next(uow):
    result = run_cli_with_input(
        "first-admin-pw-1\n", "create-user", "boss", "--role", "admin", "--password-stdin"
    )
    assert result.returncode == 0, result.stderr
    assert "created user boss" in result.stdout
    assert "sign in as boss at http://localhost:" in result.stdout
    assert "enrol two-factor" in result.stdout
    with uow:
        user = uow.session.scalar(sa.select(User).where(User.username == "boss"))
        assert user is not None and user.password_hash.startswith("$argon2")


def test_create_user_from_stdin_keeps_the_password_policy_and_never_asks_without_a_terminal(uow):
    short = run_cli_with_input(
        "short\n", "create-user", "boss", "--role", "admin", "--password-stdin"
    )
    no_terminal = run_cli_with_input("", "create-user", "boss", "--role", "admin")
    assert short.returncode == 2 and "password: must have at least 12 characters" in short.stderr
    assert no_terminal.returncode == 2 and "--password-stdin" in no_terminal.stderr
    with uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_disable_user_stops_an_account_from_signing_in(uow):
    make_user(uow, username="admin", roles=["admin"])
    result = run_cli("disable-user", "admin")
    missing = run_cli("disable-user", "nobody")
    assert result.returncode == 0 and "disabled user admin" in result.stdout
    assert missing.returncode == 2 and "no user nobody" in missing.stderr
    with uow:
        assert uow.session.scalar(sa.select(User.is_active)) is False

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
    assert short.returncode == 2 and "password: must have at least 8 characters" in short.stderr
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

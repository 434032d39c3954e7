"""No demo data unless asked: a production start (OMS_DATABASE_URL set) creates no log-in and no
customer, refuses to run while an account keeps a published demo password, and says how to
create the first administrator. OMS_DEMO=1 loads the demo company on purpose."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa

from oms_app import launcher, runtime
from oms_app.accounts.models import User
from oms_app.core.config import reset_settings_cache
from oms_app.customers.models import Customer
from oms_app.demo.accounts import DEMO_ACCOUNTS
from oms_app.demo.users import create_demo_users
from tests.factories.accounts import make_user
from tests.service.launcher_infra import launcher_env

HINT = "python -m oms_app.cli create-user <username> --role admin"


@pytest.fixture
def production(monkeypatch, tmp_path, clean_db):
    """The run's own PostgreSQL and Redis as external servers, a fresh data folder."""
    monkeypatch.setenv("OMS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OMS_DEMO_ORDERS", "40")
    monkeypatch.delenv("OMS_DEMO", raising=False)
    reset_settings_cache()
    yield
    monkeypatch.undo()
    reset_settings_cache()


def count(uow, table) -> int:
    with uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(table))


def start(*, demo: bool = False) -> bool:
    return runtime.prepare(demo=demo, create_admin_hint=launcher.CREATE_ADMIN)


def test_a_production_start_creates_no_log_in_and_no_customer(production, uow, capsys):
    # when: OMS_DEMO_ORDERS is set but the demo was not asked for
    demo = start()
    # then
    assert demo is False
    assert count(uow, User) == 0 and count(uow, Customer) == 0
    assert f"no administrator yet: create the first one with\n    {HINT}" in capsys.readouterr().out


def test_a_database_with_a_demo_password_refuses_to_start(production, uow, tmp_path):
    # given: the demo log-ins, as a first start used to create them
    create_demo_users(uow)
    # when
    result = subprocess.run(
        [sys.executable, "-m", "oms_app.launcher", "--backend-only"],
        env=launcher_env(OMS_DATA_DIR=str(tmp_path / "data")),
        capture_output=True,
        text=True,
        timeout=180,
    )
    # then: it stops before starting anything, names the accounts and the way out
    assert result.returncode == 2, result.stdout + result.stderr
    assert "refusing to start" in result.stderr
    assert ", ".join(sorted(a.username for a in DEMO_ACCOUNTS)) in result.stderr
    assert HINT in result.stderr and "disable-user" in result.stderr
    assert "supervisor:" not in result.stdout


def test_after_creating_an_administrator_and_disabling_the_demo_log_ins_the_start_proceeds(
    production, uow, capsys
):
    # given
    create_demo_users(uow)
    with pytest.raises(runtime.StartRefused):
        start()
    # when: the operator follows the message
    created = subprocess.run(
        [sys.executable, "-m", "oms_app.cli", "create-user", "boss", "--role", "admin"]
        + ["--password-stdin"],
        input="Spring-2026-pw\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    for account in DEMO_ACCOUNTS:
        disabled = subprocess.run(
            [sys.executable, "-m", "oms_app.cli", "disable-user", account.username],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert disabled.returncode == 0, disabled.stderr
    capsys.readouterr()
    # then
    assert start() is False
    assert "no administrator yet" not in capsys.readouterr().out


def test_a_demo_username_with_its_own_password_does_not_block_the_start(production, uow):
    make_user(uow, username="admin", roles=["admin"], password="not-the-demo-1")
    assert start() is False


def test_oms_demo_loads_the_demo_company_and_its_log_ins(production, uow, monkeypatch):
    # given
    monkeypatch.setenv("OMS_DEMO", "1")
    reset_settings_cache()
    # when
    demo = start()
    # then
    assert demo is True
    assert count(uow, Customer) > 0
    assert count(uow, User) == len(DEMO_ACCOUNTS)


def test_the_embedded_default_keeps_its_demo_and_a_server_needs_to_ask():
    assert runtime.wants_demo(embedded_database=True, asked=False) is True
    assert runtime.wants_demo(embedded_database=False, asked=False) is False
    assert runtime.wants_demo(embedded_database=False, asked=True) is True


def test_the_banner_shows_the_demo_log_ins_only_when_the_demo_is_loaded(capsys):
    launcher.banner(launcher.BACKEND, demo=False)
    without = capsys.readouterr().out
    launcher.banner(launcher.RUN, demo=True)
    with_demo = capsys.readouterr().out
    assert "admin-demo-1" not in without and "demo log-ins" not in without
    assert "admin-demo-1" in with_demo

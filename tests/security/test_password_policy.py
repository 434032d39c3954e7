"""Finding 10: weak passwords are refused at every door, with the field and reason in the
user's language; the demo log-ins still load."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.accounts.models import User
from oms_app.core.errors import ValidationFailed
from oms_app.core.i18n import translate
from oms_app.core.permissions import SYSTEM_ACTOR


def users(uow) -> int:
    with uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(User))


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("password1", "error.password.too_short"),
        ("wangfang1", "error.password.too_short"),
        ("password1234", "error.password.common"),
        ("qwertyuiop12", "error.password.common"),
        ("WangFang2026!", "error.password.contains_username"),
        ("wangfang-0001", "error.password.contains_username"),
    ],
)
def test_the_admin_service_refuses_a_weak_password_and_stores_nothing(uow, password, code):
    with pytest.raises(ValidationFailed) as refused:
        accounts_admin.create_user(
            uow,
            actor=SYSTEM_ACTOR,
            username="wangfang",
            display_name="王芳",
            password=password,
            roles=["sales"],
        )
    assert (refused.value.field, refused.value.code) == ("password", code)
    assert users(uow) == 0


def test_the_reasons_read_in_chinese_and_in_english():
    for code in ("error.password.common", "error.password.contains_username"):
        zh, en = translate(code, "zh_CN"), translate(code, "en")
        assert zh != code and en != code and zh != en
    assert "12" in translate("error.password.too_short", "en", min=12)


def test_a_strong_password_is_accepted(uow):
    user_id = accounts_admin.create_user(
        uow,
        actor=SYSTEM_ACTOR,
        username="wangfang",
        display_name="王芳",
        password="tea-kettle-river-9",
        roles=["sales"],
    )
    assert user_id and users(uow) == 1


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "oms_app.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_the_create_user_command_refuses_a_common_password_or_one_with_the_username(uow):
    common = run_cli(
        "create-user", "lisi", "--role", "sales", "--password-env", "PW", PW="password1234"
    )
    named = run_cli(
        "create-user", "lisi", "--role", "sales", "--password-env", "PW", PW="LiSi-secret-77"
    )
    assert common.returncode == 2 and "password:" in common.stderr, common.stderr
    assert "common" in common.stderr
    assert named.returncode == 2 and "username" in named.stderr, named.stderr
    assert users(uow) == 0

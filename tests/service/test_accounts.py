"""Accounts on real PostgreSQL: log-in, lock-out, sessions, two-factor, admin, API keys."""

from __future__ import annotations

import time
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.accounts import service as accounts_service
from oms_app.accounts import throttle
from oms_app.accounts.models import User, UserSession
from oms_app.accounts.throttle import TooManyAttempts
from oms_app.audit.models import AuditEntry
from oms_app.core.clock import utcnow
from oms_app.core.errors import (
    AuthenticationFailed,
    PermissionDenied,
    SecondFactorRequired,
    ValidationFailed,
)
from oms_app.core.permissions import Permission
from tests.factories.accounts import DEFAULT_PASSWORD, actor_of, enable_totp, make_admin, make_user


def count(uow, model) -> int:
    with uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_user_logs_in_and_the_session_resolves_to_them(uow):
    make_user(uow, username="wangfang", roles=["sales"])
    result = accounts_service.log_in(uow, username="WangFang", password=DEFAULT_PASSWORD)
    actor = accounts_service.resolve_session(uow, token=result.token)
    assert actor.username == "wangfang"
    assert actor.can(Permission.ORDER_CREATE) and not actor.can(Permission.USER_ADMIN)
    assert count(uow, UserSession) == 1


def test_the_stored_password_is_an_argon2_hash(uow):
    make_user(uow, username="hashme", roles=["sales"])
    with uow:
        stored = uow.session.scalar(sa.select(User.password_hash))
    assert stored.startswith("$argon2") and DEFAULT_PASSWORD not in stored


def test_a_wrong_password_is_refused_without_a_session(uow):
    make_user(uow, username="liqiang", roles=["sales"])
    with pytest.raises(AuthenticationFailed):
        accounts_service.log_in(uow, username="liqiang", password="wrong-password-1")
    with pytest.raises(AuthenticationFailed):
        accounts_service.log_in(uow, username="nobody", password="wrong-password-1")
    assert count(uow, UserSession) == 0


def test_five_failures_hold_back_even_the_right_password_until_the_wait_runs_out(uow):
    make_user(uow, username="zhangmin", roles=["sales"])
    throttle.clear([throttle.account("zhangmin")])
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            accounts_service.log_in(uow, username="zhangmin", password="bad-guess-1")
    with pytest.raises(TooManyAttempts) as held:
        accounts_service.log_in(uow, username="zhangmin", password=DEFAULT_PASSWORD)
    assert 1 <= held.value.retry_after <= 2
    time.sleep(held.value.retry_after + 0.1)
    assert accounts_service.log_in(uow, username="zhangmin", password=DEFAULT_PASSWORD).token
    with uow:
        failures = uow.session.scalars(
            sa.select(AuditEntry.action).where(AuditEntry.action == "auth.login_failed")
        ).all()
    assert len(failures) == 5


def test_an_expired_or_revoked_session_no_longer_resolves(uow):
    make_user(uow, username="liuyang", roles=["warehouse"])
    now = utcnow()
    token = accounts_service.log_in(
        uow, username="liuyang", password=DEFAULT_PASSWORD, now=now
    ).token
    assert accounts_service.resolve_session(uow, token=token, now=now + timedelta(minutes=5))
    assert accounts_service.resolve_session(uow, token=token, now=now + timedelta(hours=3)) is None
    accounts_service.log_out(uow, token=token)
    assert accounts_service.resolve_session(uow, token=token) is None


def test_finance_has_no_permissions_until_two_factor_is_enrolled(uow):
    user_id = make_user(uow, username="caiwu", roles=["finance"])
    result = accounts_service.log_in(uow, username="caiwu", password=DEFAULT_PASSWORD)
    assert result.must_enrol_totp and result.actor.permissions == frozenset()
    enrolment = accounts_service.begin_totp_enrolment(uow, actor=result.actor)
    assert enrolment["qr"].startswith("data:image/png;base64,")
    with pytest.raises(ValidationFailed):
        accounts_service.confirm_totp_enrolment(
            uow, actor=result.actor, token=result.token, code="000000"
        )
    code = pyotp.TOTP(enrolment["secret"]).now()
    actor = accounts_service.confirm_totp_enrolment(
        uow, actor=result.actor, token=result.token, code=code
    ).actor
    assert actor.can(Permission.FINANCE_VIEW)
    assert accounts_service.resolve_session(uow, token=result.token).can(Permission.FINANCE_VIEW)
    assert actor_of(uow, user_id).can(Permission.FINANCE_VIEW)


def test_an_enrolled_user_needs_the_current_code_to_log_in(uow):
    user_id = make_user(uow, username="boss", roles=["admin"])
    secret = pyotp.random_base32()
    enable_totp(uow, user_id, secret)
    with pytest.raises(SecondFactorRequired):
        accounts_service.log_in(uow, username="boss", password=DEFAULT_PASSWORD)
    result = accounts_service.log_in(
        uow, username="boss", password=DEFAULT_PASSWORD, totp_code=pyotp.TOTP(secret).now()
    )
    assert result.actor.can(Permission.USER_ADMIN)


def test_only_an_admin_may_create_users_and_bad_input_writes_nothing(uow):
    sales = actor_of(uow, make_user(uow, username="seller", roles=["sales"]))
    before = count(uow, User)
    with pytest.raises(PermissionDenied):
        accounts_admin.create_user(
            uow,
            actor=sales,
            username="newbie",
            display_name="N",
            password=DEFAULT_PASSWORD,
            roles=["sales"],
        )
    admin = make_admin(uow, username="root1")
    bad = [
        dict(username="x", roles=["sales"]),
        dict(username="okname", roles=["pilot"]),
        dict(username="okname", roles=["sales"], password="short"),
        dict(username="seller", roles=["sales"]),
    ]
    for case in bad:
        with pytest.raises(ValidationFailed) as err:
            accounts_admin.create_user(
                uow, actor=admin, display_name="N", **{"password": DEFAULT_PASSWORD, **case}
            )
        assert err.value.field in {"username", "roles", "password"}
    assert count(uow, User) == before + 1  # only the admin made above


def test_an_api_key_acts_as_its_owner_until_revoked(uow):
    admin = make_admin(uow, username="keymaster")
    key = accounts_admin.create_api_key(uow, actor=admin, name="ERP sync")
    assert accounts_admin.resolve_api_key(uow, key=key).username == "keymaster"
    key_id = accounts_admin_key_id(uow)
    accounts_admin.revoke_api_key(uow, actor=admin, key_id=key_id)
    with pytest.raises(AuthenticationFailed):
        accounts_admin.resolve_api_key(uow, key=key)


def accounts_admin_key_id(uow) -> int:
    from oms_app.accounts.models import ApiKey

    with uow:
        return uow.session.scalar(sa.select(ApiKey.id))


def test_the_audit_log_refuses_changes(uow):
    make_user(uow, username="audited", roles=["sales"])
    with uow, pytest.raises(sa.exc.DBAPIError, match="append-only"):
        uow.session.execute(sa.delete(AuditEntry))

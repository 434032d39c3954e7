"""Finding 4: recovery codes at enrolment, each usable once in place of a TOTP code."""

from __future__ import annotations

import time

import pyotp
import pytest
import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.accounts import service as accounts_service
from oms_app.accounts.models import RecoveryCode
from oms_app.core.errors import SecondFactorRequired
from oms_app.core.permissions import SYSTEM_ACTOR, Permission
from tests.factories.accounts import DEFAULT_PASSWORD, make_user


def enrol(uow, username: str):
    """Sign in as a new finance user and turn on two-factor; the secret and the enrolment."""
    make_user(uow, username=username, roles=["finance"])
    first = accounts_service.log_in(uow, username=username, password=DEFAULT_PASSWORD)
    secret = accounts_service.begin_totp_enrolment(uow, actor=first.actor)["secret"]
    enrolment = accounts_service.confirm_totp_enrolment(
        uow, actor=first.actor, token=first.token, code=pyotp.TOTP(secret).now()
    )
    return secret, enrolment


def test_enrolment_hands_out_ten_codes_that_are_stored_only_as_hashes(uow):
    _, enrolment = enrol(uow, "rc-one")
    codes = enrolment.recovery_codes
    assert len(codes) == 10 and len(set(codes)) == 10
    with uow:
        stored = uow.session.scalars(sa.select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and all(h.startswith("$argon2") for h in stored)
    assert not set(codes) & set(stored)


def test_a_recovery_code_signs_in_once_in_place_of_the_authenticator_code(uow):
    _, enrolment = enrol(uow, "rc-two")
    code = enrolment.recovery_codes[3]
    typed = code.upper().replace("-", " ")  # as read aloud or typed from paper
    result = accounts_service.log_in(
        uow, username="rc-two", password=DEFAULT_PASSWORD, totp_code=typed
    )
    assert result.actor.can(Permission.FINANCE_VIEW)
    with pytest.raises(SecondFactorRequired):
        accounts_service.log_in(uow, username="rc-two", password=DEFAULT_PASSWORD, totp_code=code)
    with pytest.raises(SecondFactorRequired):
        accounts_service.log_in(
            uow, username="rc-two", password=DEFAULT_PASSWORD, totp_code="abcde-fghjk"
        )
    assert accounts_service.recovery_codes_left(uow, actor=result.actor) == 9


def test_new_codes_need_a_fresh_authenticator_code_and_the_old_ones_stop_working(uow):
    secret, enrolment = enrol(uow, "rc-three")
    actor = enrolment.actor
    with pytest.raises(SecondFactorRequired):
        accounts_service.regenerate_recovery_codes(uow, actor=actor, code="000000")
    # the code that confirmed the enrolment is spent: the next window's code renews
    next_code = pyotp.TOTP(secret).at(int(time.time()) + 30)
    renewed = accounts_service.regenerate_recovery_codes(uow, actor=actor, code=next_code)
    assert len(renewed) == 10 and not set(renewed) & set(enrolment.recovery_codes)
    with pytest.raises(SecondFactorRequired):
        accounts_service.log_in(
            uow,
            username="rc-three",
            password=DEFAULT_PASSWORD,
            totp_code=enrolment.recovery_codes[0],
        )
    assert accounts_service.log_in(
        uow, username="rc-three", password=DEFAULT_PASSWORD, totp_code=renewed[0]
    ).token


def test_an_admin_reset_of_two_factor_drops_the_recovery_codes(uow):
    _, enrolment = enrol(uow, "rc-four")
    accounts_admin.reset_totp(uow, actor=SYSTEM_ACTOR, user_id=enrolment.actor.user_id)
    with uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0

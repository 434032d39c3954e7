"""A missing authenticator code is asked for; a wrong one is called incorrect (log-in, step-up,
renewing recovery codes), and the wrong one is still refused like any wrong code."""

from __future__ import annotations

import pyotp
import pytest

from oms_app.accounts import service as accounts_service
from oms_app.audit.models import AuditEntry
from oms_app.core.errors import SecondFactorIncorrect, SecondFactorRequired
from oms_app.core.i18n import translate
from tests.factories.accounts import DEFAULT_PASSWORD, actor_of, enable_totp, make_user


@pytest.fixture
def enrolled(uow) -> tuple[int, str]:
    user_id = make_user(uow, username="wording", roles=["finance"])
    secret = pyotp.random_base32()
    enable_totp(uow, user_id, secret)
    return user_id, secret


def wrong_code(secret: str) -> str:
    good = pyotp.TOTP(secret).now()
    return f"{(int(good) + 1) % 1_000_000:06d}"


def failed_logins(uow) -> int:
    with uow:
        return uow.session.query(AuditEntry).filter_by(action="auth.login_failed").count()


def test_a_step_up_without_a_code_asks_for_it_and_with_a_wrong_one_says_it_is_incorrect(
    uow, enrolled
):
    user_id, secret = enrolled
    actor = actor_of(uow, user_id)
    with pytest.raises(SecondFactorRequired) as missing:
        accounts_service.verify_step_up(uow, actor=actor, code="  ")
    with pytest.raises(SecondFactorIncorrect) as wrong:
        accounts_service.verify_step_up(uow, actor=actor, code=wrong_code(secret))
    assert type(missing.value) is SecondFactorRequired
    assert (missing.value.code, missing.value.field) == ("error.auth.totp_required", "totp_code")
    assert (wrong.value.code, wrong.value.field) == ("error.auth.totp_incorrect", "totp_code")
    assert translate(wrong.value.code, "zh_CN") == "验证码不正确"
    assert translate(wrong.value.code, "en") == "The authenticator code is incorrect"
    # the right code still passes
    accounts_service.verify_step_up(uow, actor=actor, code=pyotp.TOTP(secret).now())


def test_log_in_without_a_code_asks_for_it_and_with_a_wrong_one_says_it_is_incorrect(uow, enrolled):
    _, secret = enrolled
    before = failed_logins(uow)
    with pytest.raises(SecondFactorRequired) as missing:
        accounts_service.log_in(uow, username="wording", password=DEFAULT_PASSWORD, totp_code="")
    assert type(missing.value) is SecondFactorRequired
    assert failed_logins(uow) == before  # asking for the code is no failed attempt
    with pytest.raises(SecondFactorIncorrect):
        accounts_service.log_in(
            uow, username="wording", password=DEFAULT_PASSWORD, totp_code=wrong_code(secret)
        )
    assert failed_logins(uow) == before + 1


def test_renewing_recovery_codes_with_a_wrong_code_says_it_is_incorrect(uow, enrolled):
    user_id, secret = enrolled
    actor = actor_of(uow, user_id)
    with pytest.raises(SecondFactorIncorrect):
        accounts_service.regenerate_recovery_codes(uow, actor=actor, code=wrong_code(secret))
    with pytest.raises(SecondFactorRequired) as missing:
        accounts_service.regenerate_recovery_codes(uow, actor=actor, code="")
    assert missing.value.code == "error.auth.totp_required"

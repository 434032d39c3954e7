"""Finding 4: a TOTP code counts once, at log-in and at every step-up; secrets are encrypted."""

from __future__ import annotations

import threading
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from oms_app.accounts import security
from oms_app.accounts import service as accounts_service
from oms_app.accounts.models import User
from oms_app.approvals.models import ApprovalRequest
from oms_app.core.clock import utcnow
from oms_app.core.config import reset_settings_cache
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import SecondFactorRequired
from oms_app.orders import service as order_service
from oms_app.orders.rules import LineInput, OrderInput
from oms_app.payments import receipts, refunds, release, write_offs
from tests.factories.accounts import DEFAULT_PASSWORD, actor_of, enable_totp, make_user
from tests.factories.payments import (
    order_total,
    payable_order,
    second_finance,
    second_totp,
    totp_now,
)
from tests.factories.sales import FINANCE_SECRET, make_world


def enrolled_admin(uow, username: str) -> tuple[int, str]:
    user_id = make_user(uow, username=username, roles=["admin"])
    secret = pyotp.random_base32()
    enable_totp(uow, user_id, secret)
    return user_id, secret


def test_a_code_that_signed_in_once_does_not_sign_in_again(uow):
    _, secret = enrolled_admin(uow, "replay1")
    code = pyotp.TOTP(secret).now()
    assert accounts_service.log_in(
        uow, username="replay1", password=DEFAULT_PASSWORD, totp_code=code
    )
    with pytest.raises(SecondFactorRequired):
        accounts_service.log_in(uow, username="replay1", password=DEFAULT_PASSWORD, totp_code=code)


def test_a_step_up_code_counts_once_and_an_older_code_never_after_a_newer_one(uow):
    user_id, secret = enrolled_admin(uow, "replay2")
    actor, now, totp = actor_of(uow, user_id), utcnow(), pyotp.TOTP(secret)
    accounts_service.verify_step_up(uow, actor=actor, code=totp.at(now), now=now)
    with pytest.raises(SecondFactorRequired):
        accounts_service.verify_step_up(uow, actor=actor, code=totp.at(now), now=now)
    # the next window's code is fine (one window of clock drift is allowed) ...
    accounts_service.verify_step_up(uow, actor=actor, code=totp.at(now + timedelta(seconds=30)))
    # ... and after it, the previous window's code is refused although still within the drift
    with pytest.raises(SecondFactorRequired):
        accounts_service.verify_step_up(uow, actor=actor, code=totp.at(now - timedelta(seconds=30)))


def test_two_parallel_step_ups_with_one_code_let_exactly_one_through(uow):
    user_id, secret = enrolled_admin(uow, "replay3")
    actor, code = actor_of(uow, user_id), pyotp.TOTP(secret).now()
    barrier, outcomes = threading.Barrier(6), []

    def step_up() -> None:
        barrier.wait()
        try:
            accounts_service.verify_step_up(UnitOfWork(), actor=actor, code=code)
            outcomes.append("passed")
        except SecondFactorRequired:
            outcomes.append("refused")

    threads = [threading.Thread(target=step_up) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["passed"] + ["refused"] * 5


def test_the_code_that_signed_in_is_refused_by_every_step_up(uow):
    """Receipts and the release of refunds and write-offs all spend the code once."""
    world, number = payable_order(uow)
    paid = receipts.record_bank_receipt(
        uow,
        actor=world.finance,
        order_number=number,
        amount="10.00",
        reference="R-0",
        totp_code=totp_now(),
    )
    refund = refunds.propose_refund(
        uow, actor=world.finance, payment_id=paid["id"], amount="1.00", reason="r"
    )
    write_off = write_offs.propose_write_off(
        uow, actor=world.finance, order_number=number, amount="1.00", reason="bad debt"
    )
    checker = second_finance(uow)
    checker_code = second_totp()
    accounts_service.log_in(
        uow, username="finance-2", password=DEFAULT_PASSWORD, totp_code=checker_code
    )
    code = totp_now()
    accounts_service.log_in(uow, username="finance", password=DEFAULT_PASSWORD, totp_code=code)
    total = order_total(uow, number)
    calls = {
        "receipt": lambda: receipts.record_bank_receipt(
            uow,
            actor=world.finance,
            order_number=number,
            amount=total - 10,
            reference="R-1",
            totp_code=code,
        ),
        "write_off": lambda: release.release_proposal(
            uow, actor=checker, proposal_id=write_off["id"], totp_code=checker_code
        ),
        "refund": lambda: release.release_proposal(
            uow, actor=checker, proposal_id=refund["id"], totp_code=checker_code
        ),
    }
    for name, call in calls.items():
        with pytest.raises(SecondFactorRequired):
            call()
        print(name, "refused the replayed code")


def test_approving_a_large_order_twice_with_one_code_is_refused(uow, monkeypatch):
    monkeypatch.setenv("OMS_APPROVAL_STEP_UP_AMOUNT", "1000")
    reset_settings_cache()
    try:
        world = make_world(uow, stock=5000)
        numbers = [
            order_service.create_order(
                uow,
                actor=world.rep,
                submit=True,
                cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0002", 2500)]),
            )
            for _ in range(2)
        ]
        with uow:  # finance decides the first level of both, above the step-up amount
            uow.session.execute(
                sa.update(ApprovalRequest)
                .where(ApprovalRequest.level_no == 1)
                .values(role="finance")
            )
            uow.commit()
        code = pyotp.TOTP(FINANCE_SECRET).now()
        order_service.approve_order(uow, actor=world.finance, number=numbers[0], totp_code=code)
        with pytest.raises(SecondFactorRequired):
            order_service.approve_order(uow, actor=world.finance, number=numbers[1], totp_code=code)
    finally:
        reset_settings_cache()


def test_totp_secrets_are_stored_encrypted_and_enrolment_shows_the_plain_one(uow):
    result = accounts_service.log_in(
        uow,
        username=make_user(uow, username="cipher", roles=["finance"]) and "cipher",
        password=DEFAULT_PASSWORD,
    )
    enrolment = accounts_service.begin_totp_enrolment(uow, actor=result.actor)
    with uow:
        stored = uow.session.scalar(sa.select(User.totp_secret).where(User.username == "cipher"))
    assert enrolment["secret"] not in stored and security.is_sealed(stored)
    assert security.reveal_secret(stored) == enrolment["secret"]
    # a different OMS_SECRET_KEY cannot read it, so no code could match
    assert security.reveal_secret(stored, signing_key="another-key") == ""


def test_a_plaintext_secret_from_before_the_upgrade_still_works_and_is_sealed_on_use(uow):
    user_id, secret = enrolled_admin(uow, "legacy")  # the factory writes it in plain text
    accounts_service.log_in(
        uow, username="legacy", password=DEFAULT_PASSWORD, totp_code=pyotp.TOTP(secret).now()
    )
    with uow:
        stored = uow.session.get(User, user_id).totp_secret
    assert security.is_sealed(stored) and security.reveal_secret(stored) == secret

"""Pure payment rules: the transition table, the order's derived payment status, minor units,
the payer-facing failure reasons, and signed payment links."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from oms_app.core.clock import utcnow
from oms_app.core.errors import IllegalTransition
from oms_app.payments import links
from oms_app.payments.rules import (
    claimable,
    failure_reason,
    from_minor_units,
    order_payment_status,
    to_minor_units,
)
from oms_app.payments.status import PAYMENT_MACHINE, PaymentAction, PaymentStatus

S, A = PaymentStatus, PaymentAction
D = Decimal

EXPECTED = {
    (S.PENDING, A.REQUIRE_ACTION): S.REQUIRES_ACTION,
    (S.PENDING, A.PROCESS): S.PROCESSING,
    (S.PENDING, A.AUTHORIZE): S.AUTHORIZED,
    (S.PENDING, A.SUCCEED): S.SUCCEEDED,
    (S.PENDING, A.FAIL): S.FAILED,
    (S.PENDING, A.CANCEL): S.CANCELLED,
    (S.REQUIRES_ACTION, A.PROCESS): S.PROCESSING,
    (S.REQUIRES_ACTION, A.AUTHORIZE): S.AUTHORIZED,
    (S.REQUIRES_ACTION, A.SUCCEED): S.SUCCEEDED,
    (S.REQUIRES_ACTION, A.FAIL): S.FAILED,
    (S.REQUIRES_ACTION, A.CANCEL): S.CANCELLED,
    (S.PROCESSING, A.AUTHORIZE): S.AUTHORIZED,
    (S.PROCESSING, A.SUCCEED): S.SUCCEEDED,
    (S.PROCESSING, A.FAIL): S.FAILED,
    (S.AUTHORIZED, A.CAPTURE): S.SUCCEEDED,
    (S.AUTHORIZED, A.SUCCEED): S.SUCCEEDED,
    (S.AUTHORIZED, A.CANCEL): S.CANCELLED,
    (S.FAILED, A.RETRY): S.PENDING,
    (S.FAILED, A.SUCCEED): S.SUCCEEDED,
    (S.FAILED, A.CANCEL): S.CANCELLED,
    (S.SUCCEEDED, A.REFUND_PART): S.PARTIALLY_REFUNDED,
    (S.SUCCEEDED, A.REFUND_ALL): S.REFUNDED,
    (S.PARTIALLY_REFUNDED, A.REFUND_PART): S.PARTIALLY_REFUNDED,
    (S.PARTIALLY_REFUNDED, A.REFUND_ALL): S.REFUNDED,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(A))
def test_every_status_and_action_pair_moves_as_the_table_says_or_is_refused(status, action):
    if (status, action) in EXPECTED:
        assert PAYMENT_MACHINE.next(status, action) is EXPECTED[(status, action)]
    else:
        with pytest.raises(IllegalTransition):
            PAYMENT_MACHINE.next(status, action)


def test_a_failed_payment_can_still_record_that_the_money_arrived_but_nothing_else_revives_it():
    # a decline heard after the charge that followed it must not leave a charged payment failed
    assert PAYMENT_MACHINE.next(S.FAILED, A.SUCCEED) is S.SUCCEEDED
    for action in (A.REQUIRE_ACTION, A.PROCESS, A.AUTHORIZE, A.CAPTURE, A.FAIL):
        assert not PAYMENT_MACHINE.can(S.FAILED, action)
    # money that went back, or never moved, is not brought back by a late success
    for status in (S.CANCELLED, S.REFUNDED, S.PARTIALLY_REFUNDED):
        assert not PAYMENT_MACHINE.can(status, A.SUCCEED)


def test_a_paid_payment_never_goes_back_to_waiting_or_failing():
    for action in (A.REQUIRE_ACTION, A.PROCESS, A.FAIL, A.CANCEL, A.RETRY, A.SUCCEED):
        assert not PAYMENT_MACHINE.can(S.SUCCEEDED, action)


@pytest.mark.parametrize(
    "payments, expected",
    [
        ([], "unpaid"),
        ([(S.PENDING, D("100"), D("0"))], "unpaid"),
        ([(S.SUCCEEDED, D("30"), D("0"))], "partially_paid"),
        ([(S.SUCCEEDED, D("30"), D("0")), (S.SUCCEEDED, D("70"), D("0"))], "paid"),
        ([(S.PARTIALLY_REFUNDED, D("100"), D("10"))], "partially_paid"),
        ([(S.REFUNDED, D("100"), D("100"))], "refunded"),
        ([(S.FAILED, D("100"), D("0")), (S.SUCCEEDED, D("100"), D("0"))], "paid"),
        ([(S.AUTHORIZED, D("100"), D("0"))], "unpaid"),
    ],
)
def test_the_order_payment_status_follows_the_money_kept(payments, expected):
    assert order_payment_status(D("100.00"), payments).value == expected


def test_what_a_new_payment_may_claim_never_goes_below_zero():
    assert claimable(D("100.00"), D("30.00")) == D("70.00")
    assert claimable(D("100.00"), D("130.00")) == D("0.00")


def test_amounts_go_to_stripe_in_fen_and_come_back_exact():
    assert to_minor_units(D("74.24"), "CNY") == 7424
    assert from_minor_units(7424, "cny") == D("74.24")
    assert to_minor_units(D("500"), "JPY") == 500


def test_the_payer_sees_the_most_precise_reason():
    assert failure_reason("card_declined", "insufficient_funds") == "insufficient_funds"
    assert failure_reason("card_declined") == "declined"
    assert failure_reason("expired_card") == "expired_card"
    assert failure_reason("something_new") == "declined"
    assert failure_reason("") == "unknown"


def test_a_payment_link_names_its_order_and_refuses_tampering_and_age():
    token = links.make_pay_token("SO-2026-000123")
    assert links.read_pay_token(token) == "SO-2026-000123"
    number, expires, signature = token.rsplit(".", 2)
    assert links.read_pay_token(f"SO-2026-000124.{expires}.{signature}") is None
    assert links.read_pay_token(f"{number}.{int(expires) + 1}.{signature}") is None
    assert links.read_pay_token(token, now=utcnow() + timedelta(days=31)) is None
    assert links.read_pay_token("garbage") is None

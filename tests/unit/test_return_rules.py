"""Return requests are checked before anything is stored, and the return machine allows only
its table's moves."""

from __future__ import annotations

import itertools

import pytest

from oms_app.core.errors import IllegalTransition
from oms_app.returns.rules import (
    REASON_CODES,
    LineAllowance,
    ReturnLineInput,
    decision_reason_errors,
    is_returnable_order,
    request_errors,
    returnable_quantity,
)
from oms_app.returns.status import RETURN_MACHINE, RETURN_TRANSITIONS, ReturnAction, ReturnStatus

PEN = {"OFF-0001": LineAllowance(shipped=4, returned=1)}


def codes(errors) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in errors]


def test_only_shipped_delivered_or_completed_orders_take_returns():
    assert all(is_returnable_order(s) for s in ("shipped", "delivered", "completed"))
    for status in ("draft", "approved", "picking", "partially_shipped", "cancelled"):
        errors = request_errors(status, [ReturnLineInput("OFF-0001", 1)], "damaged", "", PEN)
        assert codes(errors) == [("order", "returns.error.order_not_returnable")]


def test_a_valid_request_has_no_errors():
    lines = [ReturnLineInput("off-0001", 3)]
    assert request_errors("delivered", lines, "damaged", "box crushed", PEN) == []


def test_returnable_is_shipped_less_claimed_never_negative():
    assert returnable_quantity(4, 1) == 3
    assert returnable_quantity(2, 5) == 0


def test_more_than_shipped_less_returned_is_refused_with_the_line_path():
    errors = request_errors("shipped", [ReturnLineInput("OFF-0001", 4)], "other", "", PEN)
    assert codes(errors) == [("lines[0].quantity", "returns.error.exceeds_returnable")]
    assert errors[0].params == {"sku": "OFF-0001", "returnable": 3, "shipped": 4}


@pytest.mark.parametrize("quantity", [0, -2, 1.5, "2", True])
def test_a_quantity_must_be_a_positive_whole_number(quantity):
    errors = request_errors("shipped", [ReturnLineInput("OFF-0001", quantity)], "other", "", PEN)
    assert [e.field for e in errors] == ["lines[0].quantity"]
    assert errors[0].code in {"error.number.min", "error.number.whole"}


def test_every_problem_is_reported_at_once():
    lines = [
        ReturnLineInput("NOPE-1", 1),
        ReturnLineInput("OFF-0001", 1),
        ReturnLineInput("OFF-0001", 1),
        ReturnLineInput("", 1),
    ]
    errors = request_errors("shipped", lines, "", "x" * 1001, PEN)
    assert codes(errors) == [
        ("reason", "error.required"),
        ("note", "error.too_long"),
        ("lines[0].sku", "returns.error.not_on_order"),
        ("lines[2].sku", "returns.error.duplicate_line"),
        ("lines[3].sku", "error.required"),
    ]


def test_at_least_one_line_and_a_known_reason_are_required():
    assert codes(request_errors("shipped", [], "damaged", "", PEN)) == [
        ("lines", "returns.error.no_lines")
    ]
    errors = request_errors("shipped", [ReturnLineInput("OFF-0001", 1)], "changed_mind", "", PEN)
    assert codes(errors) == [("reason", "error.choice")]
    assert set(REASON_CODES) == {
        "damaged",
        "wrong_item",
        "not_as_described",
        "no_longer_needed",
        "other",
    }


def test_a_rejection_needs_a_reason():
    assert codes(decision_reason_errors("  ", required=True)) == [
        ("reason", "returns.error.reason_required")
    ]
    assert decision_reason_errors("", required=False) == []
    assert codes(decision_reason_errors("x" * 301, required=False)) == [
        ("reason", "error.too_long")
    ]


EXPECTED = {
    (ReturnStatus.REQUESTED, ReturnAction.APPROVE): ReturnStatus.APPROVED,
    (ReturnStatus.REQUESTED, ReturnAction.REJECT): ReturnStatus.REJECTED,
    (ReturnStatus.REQUESTED, ReturnAction.CANCEL): ReturnStatus.CANCELLED,
    (ReturnStatus.APPROVED, ReturnAction.RECEIVE): ReturnStatus.RECEIVED,
    (ReturnStatus.RECEIVED, ReturnAction.CLOSE): ReturnStatus.CLOSED,
}


@pytest.mark.parametrize("status,action", list(itertools.product(ReturnStatus, ReturnAction)))
def test_every_status_and_action_pair_follows_the_table(status, action):
    if (status, action) in EXPECTED:
        assert RETURN_MACHINE.next(status, action) is EXPECTED[(status, action)]
    else:
        with pytest.raises(IllegalTransition):
            RETURN_MACHINE.next(status, action)


def test_the_table_is_exactly_the_documented_one_and_ends_are_final():
    assert RETURN_TRANSITIONS == EXPECTED
    for end in (ReturnStatus.CLOSED, ReturnStatus.REJECTED, ReturnStatus.CANCELLED):
        assert RETURN_MACHINE.allowed_actions(end) == []

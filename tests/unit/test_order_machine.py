"""The order lifecycle: every (status, action) pair is either the documented move or refused."""

from __future__ import annotations

import pytest

from oms_app.core.errors import IllegalTransition
from oms_app.orders.status import ORDER_MACHINE, OrderAction, OrderStatus

S, A = OrderStatus, OrderAction

# The lifecycle as the business describes it; written out here, independently of the code.
EXPECTED = {
    (S.DRAFT, A.SUBMIT): S.PENDING_APPROVAL,
    (S.DRAFT, A.CANCEL): S.CANCELLED,
    (S.PENDING_APPROVAL, A.APPROVE): S.APPROVED,
    (S.PENDING_APPROVAL, A.REJECT): S.REJECTED,
    (S.PENDING_APPROVAL, A.CANCEL): S.CANCELLED,
    (S.REJECTED, A.REVISE): S.DRAFT,
    (S.REJECTED, A.CANCEL): S.CANCELLED,
    (S.APPROVED, A.ALLOCATE): S.ALLOCATED,
    (S.APPROVED, A.HOLD): S.ON_HOLD,
    (S.APPROVED, A.CANCEL): S.CANCELLED,
    (S.ALLOCATED, A.START_PICKING): S.PICKING,
    (S.ALLOCATED, A.HOLD): S.ON_HOLD,
    (S.ALLOCATED, A.CANCEL): S.CANCELLED,
    (S.PICKING, A.PACK): S.PACKED,
    (S.PICKING, A.HOLD): S.ON_HOLD,
    (S.PICKING, A.CANCEL): S.CANCELLED,
    (S.PACKED, A.SHIP): S.SHIPPED,
    (S.ALLOCATED, A.SHIP_PART): S.PARTIALLY_SHIPPED,
    (S.PICKING, A.SHIP_PART): S.PARTIALLY_SHIPPED,
    (S.PACKED, A.SHIP_PART): S.PARTIALLY_SHIPPED,
    (S.PARTIALLY_SHIPPED, A.SHIP): S.SHIPPED,
    (S.SHIPPED, A.DELIVER): S.DELIVERED,
    (S.DELIVERED, A.COMPLETE): S.COMPLETED,
    (S.ON_HOLD, A.RELEASE): S.APPROVED,
    (S.ON_HOLD, A.CANCEL): S.CANCELLED,
}
ALL_PAIRS = [(s, a) for s in OrderStatus for a in OrderAction]


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS)
def test_each_status_and_action_pair_moves_as_documented_or_is_refused(status, action):
    if (status, action) in EXPECTED:
        assert ORDER_MACHINE.next(status, action) is EXPECTED[(status, action)]
        assert action in ORDER_MACHINE.allowed_actions(status)
    else:
        with pytest.raises(IllegalTransition) as refused:
            ORDER_MACHINE.next(status, action)
        assert refused.value.params == {"current": status.value, "action": action.value}
        assert action not in ORDER_MACHINE.allowed_actions(status)


def test_finished_orders_allow_no_action():
    for status in (S.COMPLETED, S.CANCELLED):
        assert ORDER_MACHINE.allowed_actions(status) == []


def test_a_shipped_order_can_no_longer_be_cancelled():
    assert not ORDER_MACHINE.can(S.SHIPPED, A.CANCEL)


def test_every_status_is_reachable_from_draft():
    reached, frontier = {S.DRAFT}, [S.DRAFT]
    while frontier:
        current = frontier.pop()
        for action in ORDER_MACHINE.allowed_actions(current):
            target = ORDER_MACHINE.next(current, action)
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(OrderStatus)

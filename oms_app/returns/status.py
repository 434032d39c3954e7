"""The lifecycle of a return: statuses, actions and the transition table."""

from __future__ import annotations

from enum import StrEnum

from oms_app.core.state_machine import StateMachine


class ReturnStatus(StrEnum):
    REQUESTED = "requested"  # asked for by the customer or a rep; waiting for a decision (待审核)
    APPROVED = "approved"  # accepted; the goods may be sent back (已同意)
    RECEIVED = "received"  # the warehouse got the goods back: restocked and booked (已收货)
    CLOSED = "closed"  # settled; nothing further happens (已关闭)
    REJECTED = "rejected"  # refused with a reason; its quantities may be asked for again (已拒绝)
    CANCELLED = "cancelled"  # withdrawn by whoever asked, before a decision (已撤销)


class ReturnAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    RECEIVE = "receive"
    CLOSE = "close"
    CANCEL = "cancel"


S, A = ReturnStatus, ReturnAction
RETURN_TRANSITIONS: dict[tuple[ReturnStatus, ReturnAction], ReturnStatus] = {
    (S.REQUESTED, A.APPROVE): S.APPROVED,
    (S.REQUESTED, A.REJECT): S.REJECTED,
    (S.REQUESTED, A.CANCEL): S.CANCELLED,
    (S.APPROVED, A.RECEIVE): S.RECEIVED,
    (S.RECEIVED, A.CLOSE): S.CLOSED,
}
RETURN_MACHINE: StateMachine[ReturnStatus, ReturnAction] = StateMachine(
    "return", RETURN_TRANSITIONS
)
# Returns that still claim their quantities of the order's shipped goods.
CLAIMING = frozenset({S.REQUESTED, S.APPROVED, S.RECEIVED, S.CLOSED})
# Returns whose goods came back (restocked and booked).
CAME_BACK = frozenset({S.RECEIVED, S.CLOSED})

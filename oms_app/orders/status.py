"""The order lifecycle: statuses, actions and the transition table."""

from __future__ import annotations

from enum import StrEnum

from oms_app.core.state_machine import StateMachine


class OrderStatus(StrEnum):
    DRAFT = "draft"  # being entered; not visible to approvers
    PENDING_APPROVAL = "pending_approval"  # submitted, waiting in an approval queue (待审核)
    APPROVED = "approved"  # every required approval given (已审核)
    ALLOCATED = "allocated"  # stock reserved in a warehouse
    PICKING = "picking"  # on a pick wave in the warehouse
    PACKED = "packed"  # packed, waiting for the carrier
    PARTIALLY_SHIPPED = "partially_shipped"  # some goods left, the rest still to come (部分发货)
    SHIPPED = "shipped"  # handed to the carrier (已发货)
    DELIVERED = "delivered"  # the customer received it
    COMPLETED = "completed"  # paid and closed; returns use their own lifecycle
    REJECTED = "rejected"  # an approver refused it; can be revised back to draft
    ON_HOLD = "on_hold"  # paused (credit, stock, customer request); reservations released
    CANCELLED = "cancelled"  # ended before shipping; nothing further happens


class OrderAction(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    REVISE = "revise"
    ALLOCATE = "allocate"
    START_PICKING = "start_picking"
    PACK = "pack"
    SHIP_PART = "ship_part"
    SHIP = "ship"
    DELIVER = "deliver"
    COMPLETE = "complete"
    HOLD = "hold"
    RELEASE = "release"
    CANCEL = "cancel"


S, A = OrderStatus, OrderAction
_CANCELLABLE = (
    S.DRAFT,
    S.PENDING_APPROVAL,
    S.APPROVED,
    S.ALLOCATED,
    S.PICKING,
    S.ON_HOLD,
    S.REJECTED,
)
_HOLDABLE = (S.APPROVED, S.ALLOCATED, S.PICKING)

ORDER_TRANSITIONS: dict[tuple[OrderStatus, OrderAction], OrderStatus] = {
    (S.DRAFT, A.SUBMIT): S.PENDING_APPROVAL,
    (S.PENDING_APPROVAL, A.APPROVE): S.APPROVED,
    (S.PENDING_APPROVAL, A.REJECT): S.REJECTED,
    (S.REJECTED, A.REVISE): S.DRAFT,
    (S.APPROVED, A.ALLOCATE): S.ALLOCATED,
    (S.ALLOCATED, A.START_PICKING): S.PICKING,
    (S.PICKING, A.PACK): S.PACKED,
    (S.PACKED, A.SHIP): S.SHIPPED,
    # a split or short-picked order leaves in parts
    **{(status, A.SHIP_PART): S.PARTIALLY_SHIPPED for status in (S.ALLOCATED, S.PICKING, S.PACKED)},
    (S.PARTIALLY_SHIPPED, A.SHIP): S.SHIPPED,
    (S.SHIPPED, A.DELIVER): S.DELIVERED,
    (S.DELIVERED, A.COMPLETE): S.COMPLETED,
    (S.ON_HOLD, A.RELEASE): S.APPROVED,  # re-allocated after release
    **{(status, A.HOLD): S.ON_HOLD for status in _HOLDABLE},
    **{(status, A.CANCEL): S.CANCELLED for status in _CANCELLABLE},
}

ORDER_MACHINE: StateMachine[OrderStatus, OrderAction] = StateMachine("order", ORDER_TRANSITIONS)

# Statuses in which an order still needs work from somebody.
OPEN_STATUSES = frozenset(set(OrderStatus) - {S.COMPLETED, S.CANCELLED, S.REJECTED})

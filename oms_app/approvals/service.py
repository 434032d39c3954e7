"""Approval use cases: route an order through the decision table, decide levels, escalate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from oms_app.accounts import service as accounts_service
from oms_app.approvals import (
    lifecycle,  # noqa: F401  (registers the approval machine)
    rules,
)
from oms_app.approvals.models import ApprovalEvent, ApprovalRequest, ApprovalRule
from oms_app.approvals.status import ApprovalAction, ApprovalStatus
from oms_app.audit import service as audit
from oms_app.core.clock import utcnow
from oms_app.core.errors import (
    FourEyesRefused,
    NotFound,
    PermissionDenied,
    ValidationErrors,
    ValidationFailed,
)
from oms_app.core.permissions import SYSTEM_ACTOR, Actor, Permission, require
from oms_app.core.state_machine import apply_transition
from oms_app.notifications import service as notifications_service


@dataclass(frozen=True)
class Decision:
    outcome: str  # "next" (another level follows), "approved" or "rejected"
    role: str  # the level just decided
    next_role: str = ""


def active_rules(session) -> list[dict]:
    rows = session.scalars(
        sa.select(ApprovalRule)
        .where(ApprovalRule.is_active.is_(True))
        .order_by(ApprovalRule.priority, ApprovalRule.id)
    ).all()
    return [
        {
            "priority": r.priority,
            "name": r.name,
            "conditions": r.conditions,
            "levels": r.levels,
            "sla_hours": r.sla_hours,
        }
        for r in rows
    ]


def plan_route(uow, *, facts: rules.OrderFacts) -> rules.Route:
    """The levels an order with these facts needs, by today's active rules."""
    with uow:
        return rules.route(active_rules(uow.session), facts)


def open_approvals(
    uow,
    *,
    order_id: int,
    number: str,
    facts: rules.OrderFacts,
    now: datetime | None = None,
    route: rules.Route | None = None,
    first_round: bool = False,
    notify: bool = True,
) -> list[ApprovalRequest]:
    """Create this submission's levels (first pending, the rest waiting); no commit here.

    `route` planned beforehand and `first_round` (an order just made has no earlier round)
    spare the two reads; with `notify=False` the caller rings the first level's bell itself
    (`notify_level`), once the order has its number.
    """
    now = now or utcnow()
    s = uow.session
    route = route or rules.route(active_rules(s), facts)
    last_round = (
        0
        if first_round
        else s.scalar(
            sa.select(sa.func.max(ApprovalRequest.round)).where(
                ApprovalRequest.order_id == order_id
            )
        )
        or 0
    )
    opened = [
        ApprovalRequest(
            order_id=order_id,
            round=last_round + 1,
            level_no=level_no,
            role=role,
            status=ApprovalStatus.PENDING if level_no == 1 else ApprovalStatus.WAITING,
            reasons=route.reasons[role],
            created_at=now,
            updated_at=now,
            due_at=now + timedelta(hours=route.sla_hours) if level_no == 1 else None,
        )
        for level_no, role in enumerate(route.levels, start=1)
    ]
    s.add_all(opened)
    s.flush()
    if route.levels and notify:
        notify_level(uow, route.levels[0], number)
    return opened


def notify_level(uow, role: str, number: str) -> None:
    """Tell the holders of `role` that an order waits for them."""
    notifications_service.notify_role(
        uow,
        actor=SYSTEM_ACTOR,
        role=role,
        kind="warning",
        link=f"/orders/{number}",
        title="notify.approval_needed",
        body="notify.approval_needed_body",
        params={"number": number, "role": role},
    )


def _pending(session, order_id: int, *, lock: bool = True) -> ApprovalRequest | None:
    stmt = (
        sa.select(ApprovalRequest)
        .where(
            ApprovalRequest.order_id == order_id, ApprovalRequest.status == ApprovalStatus.PENDING
        )
        .order_by(ApprovalRequest.round.desc(), ApprovalRequest.level_no)
        .limit(1)
    )
    return session.scalar(stmt.with_for_update() if lock else stmt)


def pending_role(uow, *, order_id: int) -> str | None:
    request = _pending(uow.session, order_id)
    return request.role if request else None


def decide(
    uow,
    *,
    order_id: int,
    number: str,
    actor: Actor,
    authors: rules.OrderAuthors,
    approve: bool,
    comment: str,
    now: datetime | None = None,
) -> Decision:
    """Approve or reject the pending level (the caller moves the order); no commit here."""
    require(actor, Permission.ORDER_APPROVE)
    s = uow.session
    request = _pending(s, order_id)
    if request is None:
        raise NotFound(entity="approval", field="order")
    if not rules.may_decide(actor.roles, request.role):
        raise PermissionDenied(field="role", role=request.role)
    _check_four_eyes(uow, request, actor=actor, authors=authors, comment=comment)
    request.decided_by, request.comment = actor.username, comment.strip()[:500]
    action = ApprovalAction.APPROVE if approve else ApprovalAction.REJECT
    apply_transition(uow, request, action, actor=actor, reason=comment)
    later = s.scalars(
        sa.select(ApprovalRequest)
        .where(
            ApprovalRequest.order_id == order_id,
            ApprovalRequest.round == request.round,
            ApprovalRequest.status == ApprovalStatus.WAITING,
        )
        .order_by(ApprovalRequest.level_no)
    ).all()
    if not approve:
        for waiting in later:
            apply_transition(
                uow, waiting, ApprovalAction.CANCEL, actor=actor, reason="earlier level rejected"
            )
        return Decision(outcome="rejected", role=request.role)
    if not later:
        return Decision(outcome="approved", role=request.role)
    nxt = later[0]
    nxt.due_at = (now or utcnow()) + (
        request.due_at - request.created_at if request.due_at else timedelta(hours=24)
    )
    apply_transition(uow, nxt, ApprovalAction.ACTIVATE, actor=actor)
    notify_level(uow, nxt.role, number)
    return Decision(outcome="next", role=request.role, next_role=nxt.role)


def check_decider(
    uow, *, order_id: int, actor: Actor, authors: rules.OrderAuthors, comment: str
) -> None:
    """Whether `actor` may decide the pending level, changing nothing: run before the step-up
    so that a refused decision never spends an authenticator code."""
    require(actor, Permission.ORDER_APPROVE)
    request = _pending(uow.session, order_id)
    if request is None:
        raise NotFound(entity="approval", field="order")
    if not rules.may_decide(actor.roles, request.role):
        raise PermissionDenied(field="role", role=request.role)
    if refusal := _refusal(uow, request, actor, authors):
        raise FourEyesRefused(refusal, field="order", role=request.role)
    if rules.is_stand_in(actor.roles, request.role) and not comment.strip():
        raise ValidationFailed("comment", "error.approval.stand_in_reason", role=request.role)


def _check_four_eyes(
    uow, request: ApprovalRequest, *, actor: Actor, authors: rules.OrderAuthors, comment: str
) -> None:
    """Refuse the order's own authors and a second level by one person; audit a stand-in."""
    refusal = _refusal(uow, request, actor, authors)
    if refusal:
        raise FourEyesRefused(refusal, field="order", role=request.role)
    if rules.is_stand_in(actor.roles, request.role):
        if not comment.strip():
            raise ValidationFailed("comment", "error.approval.stand_in_reason", role=request.role)
        audit.record(
            uow,
            actor=actor,
            action="approval.stand_in",
            entity="order",
            entity_id=request.order_id,
            role=request.role,
            level=request.level_no,
            round=request.round,
            reason=comment.strip()[:500],
        )


def _refusal(
    uow, request: ApprovalRequest, actor: Actor, authors: rules.OrderAuthors
) -> str | None:
    return rules.four_eyes_refusal(
        actor_id=actor.user_id,
        authors=authors,
        decided_other_level=_decided_in_round(uow, request, actor),
    )


def four_eyes_refusal(
    uow, *, order_id: int, actor: Actor, authors: rules.OrderAuthors
) -> str | None:
    """Why this person may not decide the order's pending level (a code), so screens can say so."""
    request = _pending(uow.session, order_id, lock=False)
    return _refusal(uow, request, actor, authors) if request else None


def _decided_in_round(uow, request: ApprovalRequest, actor: Actor) -> bool:
    """Has this person already decided another level of this order in its current round?

    Per round, not per order's whole life: a resubmitted order is approved afresh at every
    level, so within the round that approves it each level still has its own pair of eyes,
    while whoever decided level 1 of a rejected round may decide level 1 again.
    """
    if actor.user_id is None:
        return False
    return bool(
        uow.session.scalar(
            sa.select(sa.func.count())
            .select_from(ApprovalEvent)
            .join(ApprovalRequest, ApprovalRequest.id == ApprovalEvent.request_id)
            .where(
                ApprovalRequest.order_id == request.order_id,
                ApprovalRequest.round == request.round,
                ApprovalRequest.id != request.id,
                ApprovalEvent.actor_id == actor.user_id,
                ApprovalEvent.action.in_([ApprovalAction.APPROVE, ApprovalAction.REJECT]),
            )
        )
    )


def cancel_open(uow, *, order_id: int, actor: Actor, reason: str) -> None:
    """The order ended: close whatever levels were still open."""
    open_requests = uow.session.scalars(
        sa.select(ApprovalRequest).where(
            ApprovalRequest.order_id == order_id,
            ApprovalRequest.status.in_([ApprovalStatus.PENDING, ApprovalStatus.WAITING]),
        )
    ).all()
    for request in open_requests:
        apply_transition(uow, request, ApprovalAction.CANCEL, actor=actor, reason=reason)


def escalate_stale(uow, *, now: datetime | None = None) -> list[int]:
    """Flag pending levels past their SLA and tell the managers and admins (beat task)."""
    now = now or utcnow()
    with uow:
        stale = uow.session.scalars(
            sa.select(ApprovalRequest)
            .where(
                ApprovalRequest.status == ApprovalStatus.PENDING,
                ApprovalRequest.due_at < now,
                ApprovalRequest.escalated_at.is_(None),
            )
            .with_for_update(skip_locked=True)
        ).all()
        numbers = _order_numbers(uow, {r.order_id for r in stale})
        for request in stale:
            request.escalated_at = now
            # the level's own role, its managers and the admins: each person told once
            user_ids = sorted(
                {
                    user_id
                    for role in (request.role, "sales_manager", "admin")
                    for user_id in accounts_service.user_ids_with_role(uow, role=role)
                }
            )
            notifications_service.notify_users(
                uow,
                actor=SYSTEM_ACTOR,
                user_ids=user_ids,
                kind="alert",
                title="notify.approval_overdue",
                body="notify.approval_overdue_body",
                params={
                    "number": numbers.get(request.order_id, ""),
                    "role": request.role,
                    "level": request.level_no,
                },
                link=f"/approvals?role={request.role}",
            )
        uow.commit()
        return [r.id for r in stale]


# The orders table as the approvals area reads it (the orders area depends on this one).
_ORDERS = sa.table("orders", sa.column("id"), sa.column("number"))


def _order_numbers(uow, order_ids: set[int]) -> dict[int, str]:
    """The numbers people know the orders by, for messages."""
    if not order_ids:
        return {}
    rows = uow.session.execute(
        sa.select(_ORDERS.c.id, _ORDERS.c.number).where(_ORDERS.c.id.in_(order_ids))
    )
    return dict(rows.all())


def ensure_default_policy(uow) -> None:
    """A new installation starts with the default decision table."""
    with uow:
        if uow.session.scalar(sa.select(sa.func.count()).select_from(ApprovalRule)):
            return
        uow.session.add_all(ApprovalRule(**row) for row in rules.DEFAULT_POLICY)
        uow.commit()


def save_rule(uow, *, actor: Actor, rule: dict, rule_id: int | None = None) -> int:
    """Add or change a row of the decision table."""
    require(actor, Permission.USER_ADMIN)
    if errors := rules.rule_errors(rule):
        raise ValidationErrors(errors)
    with uow:
        row = uow.session.get(ApprovalRule, rule_id) if rule_id else ApprovalRule(name="")
        if row is None:
            raise NotFound(entity="approval_rule", id=rule_id)
        for key in ("priority", "name", "conditions", "levels", "sla_hours", "is_active"):
            if key in rule:
                setattr(row, key, rule[key])
        row.updated_at = utcnow()
        uow.session.add(row)
        uow.commit()
        return row.id


def orders_with_open_levels() -> sa.Select:
    """Ids of orders with a waiting or pending level (a subquery for other areas' queries)."""
    return sa.select(ApprovalRequest.order_id).where(
        ApprovalRequest.status.in_([ApprovalStatus.PENDING, ApprovalStatus.WAITING])
    )


def tell_deciders(uow, *, order_id: int, number: str, codes: list[str]) -> None:
    """Warn the role whose turn it is that an order waiting for them has new anomalies."""
    role = pending_role(uow, order_id=order_id)
    if role:
        notifications_service.notify_role(
            uow,
            actor=SYSTEM_ACTOR,
            role=role,
            kind="alert",
            link=f"/orders/{number}",
            title="notify.new_anomalies",
            body="notify.new_anomalies_body",
            params={"number": number, "codes": ", ".join(codes)},
        )

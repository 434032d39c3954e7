"""The one place where a status changes.

A `StateMachine` is a table `{(from_status, action): to_status}`. `apply_transition` is the only
writer of `status`: in the caller's transaction it sets the status, writes the history row
(who, when, why, from, to) and queues the event that is published after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from oms_app.core.clock import utcnow
from oms_app.core.errors import IllegalTransition
from oms_app.core.events import DomainEvent
from oms_app.core.permissions import Actor

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)


class StateMachine(Generic[S, A]):
    """A transition table with lookups for the next status and the legal actions."""

    def __init__(self, name: str, table: dict[tuple[S, A], S]):
        self.name = name
        self.table = dict(table)

    def next(self, current: S, action: A) -> S:
        try:
            return self.table[(current, action)]
        except KeyError:
            raise IllegalTransition(str(current), str(action)) from None

    def can(self, current: S, action: A) -> bool:
        return (current, action) in self.table

    def allowed_actions(self, current: S) -> list[A]:
        return [action for (status, action) in self.table if status == current]

    def statuses(self) -> set[S]:
        return {s for s, _ in self.table} | set(self.table.values())


@dataclass(frozen=True)
class Transition:
    """What a history row and an event are made from."""

    entity: Any
    from_status: StrEnum
    to_status: StrEnum
    action: StrEnum
    actor: Actor
    reason: str
    params: dict
    at: datetime


def history_fields(t: Transition, *, with_params: bool = True) -> dict[str, Any]:
    """The who / when / why columns every history table shares, filled from a transition."""
    fields: dict[str, Any] = {
        "from_status": t.from_status,
        "to_status": t.to_status,
        "action": t.action,
        "actor_id": t.actor.user_id,
        "actor_name": t.actor.username,
        "reason": t.reason[:500],
        "at": t.at,
    }
    if with_params:
        fields["params"] = t.params
    return fields


@dataclass(frozen=True)
class Lifecycle:
    """Binds an entity type to its machine, its history table and its event."""

    machine: StateMachine
    history_row: Callable[[Transition], Any]
    event: Callable[[Transition], DomainEvent]


_LIFECYCLES: dict[type, Lifecycle] = {}


def register_lifecycle(entity_type: type, lifecycle: Lifecycle) -> None:
    _LIFECYCLES[entity_type] = lifecycle


def lifecycle_of(entity_type: type) -> Lifecycle:
    return _LIFECYCLES[entity_type]


def apply_transition(
    uow, entity: Any, action: StrEnum, *, actor: Actor, reason: str = "", params: dict | None = None
) -> Transition:
    """Move `entity` by `action`, record who/when/why and queue the event (no commit here)."""
    lifecycle = lifecycle_of(type(entity))
    current = entity.status
    target = lifecycle.machine.next(current, action)
    now = utcnow()
    entity.status = target
    if hasattr(entity, "updated_at"):
        entity.updated_at = now
    transition = Transition(
        entity=entity,
        from_status=current,
        to_status=target,
        action=action,
        actor=actor,
        reason=reason,
        params=dict(params or {}),
        at=now,
    )
    uow.session.add(entity)
    uow.session.flush()
    uow.session.add(lifecycle.history_row(transition))
    uow.add_event(lifecycle.event(transition))
    return transition

"""Binds ReportRun to its machine, its history table and its event."""

from __future__ import annotations

from oms_app.core.state_machine import Lifecycle, Transition, history_fields, register_lifecycle
from oms_app.reports.events import ReportRunStatusChanged
from oms_app.reports.models import ReportRun, ReportRunEvent
from oms_app.reports.status import REPORT_MACHINE


def _history_row(t: Transition) -> ReportRunEvent:
    return ReportRunEvent(run_id=t.entity.id, **history_fields(t, with_params=False))


def _event(t: Transition) -> ReportRunStatusChanged:
    run = t.entity
    return ReportRunStatusChanged(
        run_id=run.id,
        kind=run.kind,
        requested_by=run.requested_by,
        from_status=t.from_status,
        to_status=t.to_status,
        action=t.action,
        actor=t.actor.username,
        occurred_at=t.at,
    )


register_lifecycle(
    ReportRun, Lifecycle(machine=REPORT_MACHINE, history_row=_history_row, event=_event)
)

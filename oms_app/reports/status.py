"""What a report is, and the lifecycle of one run of it."""

from __future__ import annotations

from enum import StrEnum

from oms_app.core.state_machine import StateMachine


class ReportKind(StrEnum):
    DAILY_OPERATIONS = "daily_operations"  # yesterday, made at 01:00 Shanghai
    WEEKLY_SALES = "weekly_sales"  # last Monday to Sunday, made on Mondays
    MONTHLY_MANAGEMENT = "monthly_management"  # last calendar month, made on the 1st


class ReportStatus(StrEnum):
    QUEUED = "queued"  # asked for; a worker has not picked it up yet
    RUNNING = "running"  # a worker is gathering figures and drawing the files
    DONE = "done"  # both files are stored and can be downloaded
    FAILED = "failed"  # generation stopped; `error` says why


class ReportAction(StrEnum):
    START = "start"
    RESTART = "restart"  # a worker lost mid-run: the redelivered task starts over
    FINISH = "finish"
    FAIL = "fail"


S, A = ReportStatus, ReportAction
REPORT_MACHINE: StateMachine[ReportStatus, ReportAction] = StateMachine(
    "report_run",
    {
        (S.QUEUED, A.START): S.RUNNING,
        (S.RUNNING, A.RESTART): S.RUNNING,
        (S.RUNNING, A.FINISH): S.DONE,
        (S.QUEUED, A.FAIL): S.FAILED,
        (S.RUNNING, A.FAIL): S.FAILED,
    },
)

"""The report run's transition table, due days, recipients and the beat's UTC times."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import product

import pytest

from oms_app.core.errors import IllegalTransition, ValidationFailed
from oms_app.reports import rules
from oms_app.reports.status import REPORT_MACHINE, ReportAction, ReportKind, ReportStatus

S, A = ReportStatus, ReportAction
LEGAL = {
    (S.QUEUED, A.START): S.RUNNING,
    (S.RUNNING, A.RESTART): S.RUNNING,
    (S.RUNNING, A.FINISH): S.DONE,
    (S.QUEUED, A.FAIL): S.FAILED,
    (S.RUNNING, A.FAIL): S.FAILED,
}


@pytest.mark.parametrize(("status", "action"), list(product(ReportStatus, ReportAction)))
def test_every_status_and_action_pair_is_legal_only_as_the_table_says(status, action):
    if (status, action) in LEGAL:
        assert REPORT_MACHINE.next(status, action) is LEGAL[(status, action)]
    else:
        with pytest.raises(IllegalTransition):
            REPORT_MACHINE.next(status, action)


def test_a_finished_run_allows_no_action():
    assert REPORT_MACHINE.allowed_actions(S.DONE) == []
    assert REPORT_MACHINE.allowed_actions(S.FAILED) == []


@pytest.mark.parametrize(
    ("kind", "today", "due"),
    [
        (ReportKind.DAILY_OPERATIONS, date(2026, 3, 10), True),
        (ReportKind.WEEKLY_SALES, date(2026, 3, 9), True),  # a Monday
        (ReportKind.WEEKLY_SALES, date(2026, 3, 8), False),
        (ReportKind.MONTHLY_MANAGEMENT, date(2026, 3, 1), True),
        (ReportKind.MONTHLY_MANAGEMENT, date(2026, 2, 28), False),
    ],
)
def test_a_scheduled_report_is_due_daily_on_mondays_or_on_the_first(kind, today, due):
    assert rules.is_due(kind, today) is due


def test_recipients_are_split_trimmed_and_deduplicated():
    found = rules.parse_recipients(" a@x.cn; b@y.com ,a@x.cn,, ")
    assert found == ["a@x.cn", "b@y.com"]
    assert rules.parse_recipients("") == []


@pytest.mark.parametrize("text", ["nobody", "a@b", "a b@c.cn", "@c.cn"])
def test_a_malformed_address_is_refused(text):
    with pytest.raises(ValidationFailed) as refused:
        rules.parse_recipients(text)
    assert refused.value.code == "error.report.recipient"


def test_too_many_recipients_are_refused():
    many = ",".join(f"u{i}@x.cn" for i in range(rules.MAX_RECIPIENTS + 1))
    with pytest.raises(ValidationFailed):
        rules.parse_recipients(many)


def test_the_beat_fires_at_one_in_the_morning_shanghai_time():
    from tasks.celery_app import celery_app

    schedule = celery_app.conf.beat_schedule
    sunday_17_utc = datetime(2026, 3, 8, 17, 0, tzinfo=UTC)  # Monday 01:00 in Shanghai
    for name in ("daily-operations-report", "weekly-sales-report"):
        entry = schedule[name]["schedule"]
        assert 17 in entry.hour and 0 in entry.minute
        assert sunday_17_utc.isoweekday() % 7 in entry.day_of_week
    monthly = schedule["monthly-management-report"]["schedule"]
    assert {28, 29, 30, 31} == monthly.day_of_month  # the task keeps only the Shanghai 1st
    assert {e["args"][0] for e in schedule.values() if "args" in e} >= set(ReportKind)

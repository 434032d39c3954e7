"""Fault: a Celery worker killed outright (SIGKILL to it and its pool, like a host dying) in the
middle of a report task, then a new worker started. Nothing is lost (the report is made and
mailed) and nothing is doubled (one run, drawn once, one mail accepted, one "done" in its
history). The time from the kill to the finished task is printed.

The kill point is made certain, not timed: the report's SMTP server holds the first message's
DATA answer, so the worker is known to be inside the task, holding the run's row lock, with
the files stored and the mail not yet accepted, when it dies.
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from oms_app.core import health
from oms_app.reports import service as reports_service
from oms_app.reports.models import ReportRun, ReportRunEvent
from tasks import reports as report_tasks
from tests.celery_infra import kill, purge_queue, start_celery, wait_for
from tests.factories.accounts import make_actor, make_user
from tests.factories.dashboard import add_orders, make_shop, utc
from tests.smtp_infra import Mailbox, free_port

pytestmark = pytest.mark.fault

# Short for the test; production keeps 5 minutes (tasks/celery_app.py says why).
VISIBILITY_SECONDS = 10
START = 90
RECOVER = VISIBILITY_SECONDS + 90
WEEK = (date(2026, 3, 2), date(2026, 3, 8))


class StallingMailbox(Mailbox):
    """Accepts mail, except that it holds its answer to the first message until released."""

    def __init__(self) -> None:
        super().__init__()
        self.stalled, self.release = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        if not self.stalled.is_set():
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 sender went away"  # never answered 250: not delivered
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def stalling_smtp():
    mailbox, port = StallingMailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, mailbox
    mailbox.release.set()
    controller.stop()


@pytest.fixture
def workers(tmp_path, stalling_smtp):
    """Start real worker processes that mail through the stalling server; all killed after."""
    port, _ = stalling_smtp
    env = {
        "OMS_SMTP_HOST": "127.0.0.1",
        "OMS_SMTP_PORT": str(port),
        "OMS_SMTP_FROM": "reports@oms.test",
        "OMS_CELERY_VISIBILITY_TIMEOUT_SECONDS": str(VISIBILITY_SECONDS),
    }
    started = []

    def start(name: str):
        started.append(start_celery("worker", name=name, log_dir=tmp_path, extra_env=env))
        wait_for(
            lambda: any(w["pid"] == started[-1].pid for w in health.heartbeats(health.WORKER)),
            timeout=START,
            what=f"worker {name} to beat",
        )
        return started[-1]

    yield start
    for process in started:
        kill(process)
    purge_queue()


def report_run(uow, run_id: int) -> ReportRun:
    with uow:
        run = uow.session.get(ReportRun, run_id)
        uow.session.expunge(run)
        return run


def finishes(uow, run_id: int) -> int:
    with uow:
        return uow.session.scalar(
            sa.select(sa.func.count()).where(
                ReportRunEvent.run_id == run_id, ReportRunEvent.to_status == "done"
            )
        )


def test_a_worker_killed_mid_report_loses_nothing_and_doubles_nothing(uow, workers, stalling_smtp):
    # given a week of sales, a report asked for by mail, and a worker making it
    _, mailbox = stalling_smtp
    shop = make_shop(uow)
    add_orders(
        uow,
        shop,
        [
            {"status": "approved", "created": utc(2026, 3, d, 3), "lines": [line]}
            for d, line in [
                (2, ("OFF-0001", 2, Decimal("120.00"), Decimal("0"))),
                (4, ("ELE-0002", 1, Decimal("80.50"), Decimal("5"))),
            ]
        ],
    )
    executive = make_actor(uow, username="exec1", roles=["executive"])
    make_user(uow, username="boss", roles=["executive"], email="boss@example.com")  # a recipient
    first = workers("doomed")
    run_id = reports_service.request_report(
        uow,
        actor=executive,
        kind="weekly_sales",
        date_from=WEEK[0],
        date_to=WEEK[1],
        email_to="boss@example.com",
    )
    report_tasks.enqueue_report(run_id)
    # when the worker dies in the middle of the task (files stored, the mail in flight)
    assert mailbox.stalled.wait(timeout=START), "the worker never reached the mail"
    drawn = report_run(uow, run_id)
    kill(first)
    killed_at = time.monotonic()
    mailbox.release.set()
    workers("fresh")
    done = wait_for(
        lambda: (run := report_run(uow, run_id)).emailed_at is not None and run,
        timeout=RECOVER,
        what="the report to be mailed by the new worker",
    )
    recovered = time.monotonic() - killed_at
    print(
        f"\nworker killed mid-task: recovered in {recovered:.1f} s "
        f"(visibility timeout {VISIBILITY_SECONDS} s)"
    )
    # then nothing lost: the run is done and mailed, once
    assert (drawn.status, drawn.emailed_at) == ("done", None)
    assert done.status == "done" and done.emailed_to == "boss@example.com"
    assert [recipients for recipients, _ in mailbox.messages] == [["boss@example.com"]]
    # and nothing doubled: one run, drawn once (the new worker did not draw it again)
    assert finishes(uow, run_id) == 1
    assert done.finished_at == drawn.finished_at and done.pdf == drawn.pdf
    with uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(ReportRun)) == 1

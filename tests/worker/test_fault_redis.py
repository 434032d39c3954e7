"""Fault: Redis killed with SIGKILL while users work, then restarted (from its append-only file,
or empty). A real redis-server of the test's own (the embedded configuration: AOF, fsync every
second) carries the event stream and the Celery broker of a real worker with beat; events are
written before, during and after the outage. Afterwards every event is on the stream, every
webhook reached its receiver once, and the rollups count every order. The time to recover is
printed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from oms_app.analytics.models import SalesDaily
from oms_app.core import embedded
from oms_app.core.config import get_settings, reset_settings_cache
from oms_app.core.events import OutboxMessage, decode_stream_entry
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.core.redis_client import get_redis, reset_redis_clients
from oms_app.core.state_machine import apply_transition
from oms_app.notifications import service as notifications_service
from oms_app.notifications.models import Notification
from oms_app.orders.models import Order
from oms_app.orders.status import OrderAction
from oms_app.webhooks import service as webhooks_service
from tests.factories.accounts import make_actor, make_admin, make_user
from tests.factories.orders import make_customer, make_draft_order
from tests.smtp_infra import free_port
from tests.worker.webhook_receiver import EventReceiver

pytestmark = pytest.mark.fault

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 24  # each: an order drafted, submitted, approved, and a notification
CONFIRMED_ROUNDS = 5  # rounds whose events are confirmed on the stream before the kill
KILL_AFTER, RESTART_AFTER = 10, 16  # rounds written before the kill, before the restart
RECOVERY_LIMIT = 240.0  # seconds; the lost Celery messages wait for the minute's sweep


class OwnRedisAndWorker:
    """The test's own Redis (embedded config) with a Celery worker + beat on it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="oms-fault-redis-"))
        self.server = embedded.start_redis(self.dir, port)
        self.url = self.server.url
        self.log = self.dir / "worker.log"
        self.processes: list[subprocess.Popen] = []

    def start_worker(self) -> None:
        """A worker and a beat as `make run` starts them (oms_app/launcher.py)."""
        env = os.environ | {"OMS_REDIS_URL": self.url, "OMS_WEBHOOK_BACKOFF_BASE_SECONDS": "0.5"}
        celery = [sys.executable, "-m", "celery", "-A", "tasks.celery_app"]
        worker = [*celery, "worker", "--concurrency=2", "-n", f"fault{self.port}@%h"]
        beat = [*celery, "beat", "--schedule", str(self.dir / "beat-schedule")]
        with open(self.log, "wb") as log:
            for command in (worker, beat):
                self.processes.append(
                    subprocess.Popen(
                        [*command, "--loglevel=WARNING"], cwd=ROOT, env=env, stdout=log, stderr=log
                    )
                )

    def kill_redis(self) -> None:
        os.kill(self.server.pid, signal.SIGKILL)
        while embedded.port_is_open("127.0.0.1", self.port):
            time.sleep(0.05)

    def restart_redis(self, *, empty: bool) -> None:
        if empty:  # as a Redis without persistence, or with its files lost, comes back
            for name in ("appendonly.aof", "redis.db"):
                (self.dir / name).unlink(missing_ok=True)
        self.server = embedded.start_redis(self.dir, self.port)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.server.stop()

    def worker_log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


@pytest.fixture
def own_redis(uow):
    """The test process and the worker both on the test's own Redis, for this test only."""
    # A port the kernel says is free: a fixed one may be another run's Redis, which
    # embedded.start_redis would shut down as stale and then share.
    rig = OwnRedisAndWorker(free_port())
    previous = os.environ.get("OMS_REDIS_URL")
    os.environ["OMS_REDIS_URL"] = rig.url
    reset_settings_cache()
    reset_redis_clients()
    rig.start_worker()
    try:
        yield rig
    finally:
        rig.stop()
        if previous is not None:
            os.environ["OMS_REDIS_URL"] = previous
        reset_settings_cache()
        reset_redis_clients()


class Company:
    """Users doing their day: orders through approval, notifications to a colleague."""

    def __init__(self, uow) -> None:
        self.uow = uow
        self.manager = make_actor(uow, username="faultmgr", roles=["sales_manager"])
        self.colleague = make_user(uow, username="faultbell", roles=["sales"])
        self.customers = [make_customer(uow, code=f"C9{n:04d}") for n in range(4)]
        self.rounds = 0

    def work_one_round(self) -> None:
        n, uow = self.rounds, self.uow
        order_id = make_draft_order(uow, customer_id=self.customers[n % 4], number=f"SO-F-{n:04d}")
        for action in (OrderAction.SUBMIT, OrderAction.APPROVE):
            with uow:
                order = uow.session.get(Order, order_id, with_for_update=True)
                apply_transition(uow, order, action, actor=self.manager)
                uow.commit()
        notifications_service.notify_users(
            uow, actor=SYSTEM_ACTOR, user_ids=[self.colleague], title=f"SO-F-{n:04d} approved"
        )
        self.rounds += 1


def outbox_rows(uow) -> list[tuple[str, str, bool]]:
    with uow:
        return [
            (r.event_id, r.event_type, r.confirmed_at is not None)
            for r in uow.session.scalars(sa.select(OutboxMessage))
        ]


def webhook_event_ids(uow) -> set[str]:
    return {
        event_id
        for event_id, event_type, _ in outbox_rows(uow)
        if event_type.startswith(("order.", "notification."))
    }


def stream_counts() -> Counter:
    client = get_redis()
    entries = client.xrange(get_settings().event_stream)
    return Counter(decode_stream_entry(fields)[0] for _, fields in entries)


def rollup_totals(uow) -> tuple[int, Decimal]:
    with uow:
        orders, revenue = uow.session.execute(
            sa.select(sa.func.sum(SalesDaily.orders), sa.func.sum(SalesDaily.revenue))
        ).one()
    return int(orders or 0), Decimal(revenue or 0)


def recovered(uow, receiver: EventReceiver, rounds: int) -> bool:
    """Every event confirmed on the stream, every webhook received, every order rolled up."""
    try:
        rows = outbox_rows(uow)
        return (
            all(confirmed for _, _, confirmed in rows)
            and webhook_event_ids(uow) <= set(receiver.received())
            and rollup_totals(uow)[0] == rounds
        )
    except Exception:  # noqa: BLE001  (the database is fine; only Redis blinked)
        return False


def wait_until_confirmed(uow) -> str:
    """Wait until every event so far is confirmed on the stream; the newest one's entry id.

    Both from one snapshot: the worker writes events of its own at any moment (the rollup
    pump's `analytics.rollups_refreshed`), so a second query may find a newer row that is
    committed but not yet published, with no stream id.
    """
    deadline = time.monotonic() + RECOVERY_LIMIT
    while True:
        with uow:
            rows = uow.session.execute(
                sa.select(OutboxMessage.stream_id, OutboxMessage.confirmed_at).order_by(
                    OutboxMessage.id
                )
            ).all()
        if rows and all(confirmed_at is not None for _, confirmed_at in rows):
            return rows[-1].stream_id
        assert time.monotonic() < deadline, "events never confirmed before the fault"
        time.sleep(0.2)


def wait_until_recovered(uow, receiver, rounds: int) -> float:
    started = time.monotonic()
    while not recovered(uow, receiver, rounds):
        if time.monotonic() - started > RECOVERY_LIMIT:
            break
        time.sleep(0.5)
    return time.monotonic() - started


@pytest.mark.parametrize("empty", [False, True], ids=["from-aof", "restarted-empty"])
def test_redis_killed_and_restarted_loses_no_event_webhook_or_rollup(uow, own_redis, empty):
    # given: a webhook subscription to a real receiver, and a company at work
    receiver = EventReceiver().start()
    try:
        webhooks_service.create_subscription(
            uow,
            actor=make_admin(uow),
            name="ERP",
            url=receiver.url,
            event_types=["order.*", "notification.*"],
        )
        company = Company(uow)
        # when: some events are confirmed on the stream, more are being written, and Redis is
        # killed mid-work (SIGKILL: no save); users go on; Redis comes back
        for _ in range(CONFIRMED_ROUNDS):
            company.work_one_round()
        confirmed_entry = wait_until_confirmed(uow)
        for _ in range(KILL_AFTER - CONFIRMED_ROUNDS):
            company.work_one_round()
        own_redis.kill_redis()
        down_at = time.monotonic()
        for _ in range(RESTART_AFTER - KILL_AFTER):
            company.work_one_round()  # commits succeed; their publish fails and waits
        own_redis.restart_redis(empty=empty)
        back_at = time.monotonic()
        # the append-only file brought back what was written before the kill
        survived = bool(get_redis().xrange(get_settings().event_stream, *[confirmed_entry] * 2))
        assert survived is not empty
        for _ in range(ROUNDS - RESTART_AFTER):
            company.work_one_round()
        after_last_write = wait_until_recovered(uow, receiver, ROUNDS)
        recover_seconds = time.monotonic() - back_at
        time.sleep(8)  # a few more beat cycles: nothing more may arrive
        # then
        try:
            check_nothing_lost_or_doubled(uow, receiver, empty=empty)
        except AssertionError:
            print(f"\n--- worker log ---\n{own_redis.worker_log_tail()}")
            raise
        print(
            f"Redis down {back_at - down_at:.1f} s; recovered {recover_seconds:.1f} s after it "
            f"came back ({after_last_write:.1f} s after the last write)"
        )
    finally:
        receiver.stop()


def check_nothing_lost_or_doubled(uow, receiver: EventReceiver, *, empty: bool) -> None:
    rows = outbox_rows(uow)
    in_stream = stream_counts()
    wanted = webhook_event_ids(uow)
    received = receiver.received()
    case = "restarted empty" if empty else "restarted from its AOF"
    print(
        f"\nRedis {case}: {len(rows)} events ({len(wanted)} for the webhook); the stream holds "
        f"{sum(in_stream.values())} entries of {len(in_stream)} events"
    )
    assert all(confirmed for _, _, confirmed in rows), "events never confirmed in the stream"
    missing = {event_id for event_id, _, _ in rows} - set(in_stream)
    assert missing == set(), f"{len(missing)} events missing from the stream"
    assert set(received) == wanted, "webhook deliveries lost or unexpected"
    assert [n for n in received.values() if n != 1] == [], "a webhook delivered twice"
    assert rollup_totals(uow) == (ROUNDS, Decimal("1000.00") * ROUNDS)
    with uow:
        notes = uow.session.scalar(sa.select(sa.func.count()).select_from(Notification))
    assert notes == ROUNDS

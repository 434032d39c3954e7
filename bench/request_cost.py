"""CPU cost per request of the production server, for sizing (docs/deployment.md).

Usage: python -m bench.request_cost [--history N] [--requests M] [--boards B]
       (defaults 20000 orders of demo history, 100 requests per kind, 5 live boards)

The app runs as the production server (tests/e2e/prod_server.py: `reflex run --env prod
--single-port`, one granian worker). For each kind of request the CPU seconds (user + system,
psutil) of the server's process tree and of the PostgreSQL backends serving this database are
read before and after M requests sent one after another; the difference per request is the cost.
Kinds: an order placed through the REST API (with what the backend's event consumer does after
it: approval board and dashboard view rebuilt, once per burst); a page of the order list
through the REST API (50 rows, default sort, over the whole history); a full load of the order
list screen in the browser (websocket, hydration, access check, query); a live approval-board
push (orders placed at a steady pace with B boards open, minus the same with none open, per
board update the tabs received). Then, in-process, where an order's CPU goes.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import psutil
import sqlalchemy as sa

from bench.board_push import CHROMIUM_ARGS
from bench.common import bench_environment, report
from bench.order_intake import order_bodies

PASSWORD = "request-cost-1"
PAGE_TIMEOUT_MS = 60_000


@dataclass
class Cost:
    app_ms: float  # CPU of the Reflex backend (API, websocket, event consumer) per request
    db_ms: float  # CPU of the PostgreSQL backends per request
    wall_ms: float  # wall time per request, one client

    def figures(self) -> dict[str, float]:
        return {
            "app_cpu_ms": self.app_ms,
            "db_cpu_ms": self.db_ms,
            "wall_ms": self.wall_ms,
            "per_core_app_req_s": 1000 / self.app_ms if self.app_ms else 0.0,
            "per_core_db_req_s": 1000 / self.db_ms if self.db_ms else 0.0,
        }


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def app_cpu(server_pid: int) -> float:
    """CPU seconds of the server process and all its descendants (granian workers)."""
    root = psutil.Process(server_pid)
    total = _cpu(root)
    for child in root.children(recursive=True):
        try:
            total += _cpu(child)
        except psutil.NoSuchProcess:
            pass
    return total


def db_cpu() -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend connected to this run's database, by pid."""
    from oms_app.core.db import get_engine

    query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
    with get_engine().connect() as conn:
        pids = conn.scalars(sa.text(query)).all()
    found = {}
    for pid in pids:
        try:
            found[pid] = _cpu(psutil.Process(pid))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return found


def measure(server_pid: int, count: int, one: Callable[[int], object]) -> Cost:
    """Run `one(i)` `count` times; CPU and wall milliseconds per call."""
    app_before, db_before = app_cpu(server_pid), db_cpu()
    started = time.perf_counter()
    for i in range(count):
        one(i)
    wall = time.perf_counter() - started
    app_after, db_after = app_cpu(server_pid), db_cpu()
    db_used = sum(cpu - db_before.get(pid, 0.0) for pid, cpu in db_after.items())
    per = 1000 / count
    return Cost((app_after - app_before) * per, max(db_used, 0.0) * per, wall * per)


def prepare(history: int) -> str:
    """Demo history (products, customers, orders), a rep with an API key, a sales manager."""
    from oms_app.accounts import admin as accounts_admin
    from oms_app.core.db import UnitOfWork, get_engine
    from oms_app.core.permissions import SYSTEM_ACTOR
    from oms_app.demo.seed import seed_demo

    seed_demo(get_engine(), orders=history, seed=7)
    ids = {
        role: accounts_admin.create_user(
            UnitOfWork(),
            actor=SYSTEM_ACTOR,
            username=f"cost-{role}",
            display_name=role,
            password=PASSWORD,
            roles=[role],
        )
        for role in ("sales", "sales_manager")
    }
    return accounts_admin.create_api_key(
        UnitOfWork(), actor=SYSTEM_ACTOR, name="cost", user_id=ids["sales"]
    )


def placing(base: str, key: str, bodies: list[dict]) -> Callable[[int], object]:
    client = httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=30)

    def one(i: int) -> None:
        reply = client.post(
            "/api/v1/orders", json=bodies[i], headers={"Idempotency-Key": uuid.uuid4().hex}
        )
        assert reply.status_code == 201, reply.text

    return one


def listing(base: str, key: str) -> Callable[[int], object]:
    client = httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=30)

    def one(i: int) -> None:
        reply = client.get("/api/v1/orders", params={"page": 1 + i % 20, "page_size": 50})
        assert reply.status_code == 200, reply.text

    return one


def open_boards(browser, base: str, count: int) -> list[int]:
    """Open `count` approval boards as the sales manager; each counts websocket frames."""
    received = [0] * count
    for n in range(count):
        page = browser.new_context().new_page()
        page.on(
            "websocket",
            lambda ws, n=n: ws.on("framereceived", lambda frame, n=n: _count(received, n, frame)),
        )
        log_in(page, base, "cost-sales_manager")
        page.goto(f"{base}/approvals")
        page.locator("#approval-queue").wait_for(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(2000)  # linked, hydrated, quiet
    return received


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login" not in url, timeout=PAGE_TIMEOUT_MS)


def bench_page_views(browser, pid: int, base: str, count: int) -> None:
    """Full loads of the order list screen in a signed-in tab: static files, a new websocket,
    hydration, the access check and the list query (as a user opening the screen)."""
    page = browser.new_context().new_page()
    log_in(page, base, "cost-sales")

    def view(_i: int) -> None:
        page.goto(f"{base}/orders")
        page.locator("#orders tbody tr").first.wait_for(timeout=PAGE_TIMEOUT_MS)

    view(0)  # warm
    report("order list screen, full page load (browser)", measure(pid, count, view).figures())

    def navigate(i: int) -> None:
        """A click in the menu: no page load, the screen's on_load events over the socket."""
        screen = ("products", "orders")[i % 2]
        page.click(f"#nav--{screen}")
        page.wait_for_url(f"**/{screen}**", timeout=PAGE_TIMEOUT_MS)
        page.locator(f"#{screen} tbody tr").first.wait_for(timeout=PAGE_TIMEOUT_MS)
        page.wait_for_timeout(300 if i < count - 1 else 1500)  # its load has run

    report("screen change from the menu (browser)", measure(pid, count, navigate).figures())
    page.context.close()


def _count(received: list[int], n: int, frame: str | bytes) -> None:
    """Count a frame that carries the approval board's state (not pings or other states)."""
    text = frame if isinstance(frame, str) else frame.decode(errors="ignore")
    if "approval_board_state" in text:
        received[n] += 1


def bench_pushes(browser, pid: int, base: str, key: str, args, bodies: list[dict]) -> None:
    """Orders placed at a steady pace with no board open, then with B boards open: the
    difference, per board update the tabs received, is the cost of one push to one tab."""
    n = args.requests
    pacer = browser.new_page()

    def paced(place: Callable[[int], object]) -> Callable[[int], object]:
        def one(i: int) -> None:
            place(i)
            pacer.wait_for_timeout(250)  # apart, so each order is its own board update

        return one

    control = measure(pid, n, paced(placing(base, key, bodies[n : 2 * n])))
    received = open_boards(browser, base, args.boards)
    frames_before = sum(received)
    with_boards = measure(pid, n, paced(placing(base, key, bodies[2 * n : 3 * n])))
    pacer.wait_for_timeout(3000)  # the last pushes arrive
    pushes = sum(received) - frames_before
    extra_app = max(with_boards.app_ms - control.app_ms, 0.0) * n
    extra_db = max(with_boards.db_ms - control.db_ms, 0.0) * n
    report("API order placement, paced (no board open)", control.figures())
    report(
        f"live board push ({args.boards} boards, per tab update)",
        {**Cost(extra_app / pushes, extra_db / pushes, 0.0).figures(), "updates": pushes},
    )


def cpu_of(count: int, one: Callable[[int], object]) -> Cost:
    """CPU of this process and of the database per call of `one`, in-process (no server)."""
    db_before, started, wall = db_cpu(), time.process_time(), time.perf_counter()
    for i in range(count):
        one(i)
    used, wall = time.process_time() - started, time.perf_counter() - wall
    db_used = sum(cpu - db_before.get(pid, 0.0) for pid, cpu in db_cpu().items())
    return Cost(used * 1000 / count, max(db_used, 0.0) * 1000 / count, wall * 1000 / count)


def bench_breakdown(bodies: list[dict], count: int) -> None:
    """Where an order's CPU goes: the use case itself, and the reactions the backends' event
    consumer runs after it (approval board and the dashboard's shared view, rebuilt per burst)."""
    from oms_app.accounts import service as accounts_service
    from oms_app.accounts.models import User
    from oms_app.core.db import UnitOfWork
    from oms_app.orders import service as order_service
    from oms_app.orders.rules import LineInput, OrderInput
    from state.approvals_board import load_board
    from state.dashboard_live import load_default_view

    uow = UnitOfWork()
    with uow:
        user = uow.session.scalars(sa.select(User).where(User.username == "cost-sales")).one()
        rep = accounts_service.actor_for_user(uow.session, user)

    def create(i: int) -> None:
        body = bodies[i % len(bodies)]
        lines = [LineInput(line["sku"], line["quantity"]) for line in body["lines"]]
        cmd = OrderInput(customer_code=body["customer"], lines=lines)
        order_service.create_order(UnitOfWork(), actor=rep, cmd=cmd, submit=True)

    create(0)  # warm
    report("  of which: create_order in-process", cpu_of(count, create).figures())
    board = cpu_of(10, lambda _i: load_board())
    dashboard = cpu_of(5, lambda _i: load_default_view())
    report("  reaction: approval board rebuild", board.figures())
    report("  reaction: dashboard view rebuild", dashboard.figures())


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.request_cost")
    parser.add_argument("--history", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--boards", type=int, default=5)
    parser.add_argument("--port", type=int, default=0, help="server port (default: any free)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.e2e import prod_server as prod

    if args.port:
        prod.free_port = lambda: args.port
    os.environ.setdefault("OMS_SECRET_KEY", "request-cost-bench")

    with bench_environment():
        key = prepare(args.history)
        bodies = order_bodies(3 * args.requests)
        with prod.prod_server(workers=1) as base, sync_playwright() as pw:
            pid = _server_pid(base)
            listing(base, key)(0)  # warm: first requests import and connect
            placing(base, key, bodies[:1])(0)
            place = measure(pid, args.requests, placing(base, key, bodies[: args.requests]))
            report("API order placement (3 lines)", place.figures())
            report(
                f"API order list page (50 of {args.history})",
                measure(pid, args.requests, listing(base, key)).figures(),
            )
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            bench_page_views(browser, pid, base, count=min(args.requests, 30))
            bench_pushes(browser, pid, base, key, args, bodies)
            browser.close()
        bench_breakdown(bodies, count=min(args.requests, 50))


def _server_pid(base: str) -> int:
    """The pid of `reflex run` serving this port (granian's supervisor; workers are children)."""
    port = base.rsplit(":", 1)[1]
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if any(part.endswith("reflex") for part in cmdline[:2]) and port in cmdline:
            return proc.pid
    raise RuntimeError(f"no reflex server on port {port}")


if __name__ == "__main__":
    main()

"""Fixtures of the two-host tests: the cluster, its trading world, a webhook receiver."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.hosts.netns import leftovers, why_not_available

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RECEIVER_PORT = 8530


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The test that kills host B runs after the other two-host tests (pytest may regroup the
    browser test by its parameter)."""
    killers = [item for item in items if "test_killing_host_b" in item.nodeid]
    hosts = [item for item in items if item.nodeid.startswith("tests/hosts/")]
    if not killers or len(hosts) == len(killers):
        return
    for item in killers:
        items.remove(item)
    after = items.index([item for item in hosts if item not in killers][-1]) + 1
    items[after:after] = killers


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@dataclass
class World:
    api_key: str
    subscription_id: int


class Receiver:
    """A webhook endpoint on the root side of host A's link; records event ids it was sent."""

    def __init__(self, address: str) -> None:
        self.event_ids: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.event_ids.append(self.headers.get("X-OMS-Event-Id", ""))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((address, RECEIVER_PORT), Handler)
        self.url = f"http://{address}:{RECEIVER_PORT}/hooks/oms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def cluster():
    if reason := why_not_available():
        pytest.skip(f"two hosts as network namespaces: {reason}")
    from tasks.celery_app import celery_app
    from tests.conftest import reset_business_tables
    from tests.hosts.cluster import two_hosts

    reset_business_tables()
    celery_app.control.purge()  # tasks queued by earlier layers must not act on this data
    with two_hosts() as built:
        print(
            f"\n[hosts] frontend build {built.figures['build_s']:.1f} s (once, shared); "
            f"two hosts serving after {built.figures['start_s']:.1f} s"
        )
        yield built
    assert not leftovers(built.run), "namespaces or veth links left behind"


@pytest.fixture(scope="module")
def receiver(cluster):
    server = Receiver(cluster.a.gateway)
    yield server
    server.close()


@pytest.fixture(scope="module")
def allow_private_receivers():
    """The receiver listens on a private veth address: allowed as for an on-premises ERP."""
    from oms_app.core.config import reset_settings_cache

    os.environ["OMS_WEBHOOK_ALLOW_PRIVATE"] = "1"
    reset_settings_cache()
    yield
    os.environ.pop("OMS_WEBHOOK_ALLOW_PRIVATE", None)
    reset_settings_cache()


@pytest.fixture(scope="module")
def world(cluster, receiver, allow_private_receivers) -> World:
    """Products, a customer, the people of tests/factories, an API key of the sales rep, and a
    webhook subscription to order and approval events."""
    from oms_app.accounts import admin as accounts_admin
    from oms_app.core.db import UnitOfWork
    from oms_app.webhooks import service as webhooks_service
    from tests.factories.accounts import make_admin
    from tests.factories.sales import make_world

    uow = UnitOfWork()
    people = make_world(uow, credit_limit=Decimal("100000000.00"), stock=1_000_000)
    admin = make_admin(uow)
    key = accounts_admin.create_api_key(uow, actor=admin, name="shop", user_id=people.rep.user_id)
    subscription = webhooks_service.create_subscription(
        uow, actor=admin, name="erp", url=receiver.url, event_types=["order.*", "approval.*"]
    )
    return World(api_key=key, subscription_id=subscription["id"])

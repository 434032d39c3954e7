"""The security migration empties what earlier delivery logs kept of receivers' answers and of
connection errors (those told open ports from closed ones)."""

from __future__ import annotations

import importlib.util

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from oms_app.core.config import PROJECT_ROOT
from oms_app.core.db import get_engine
from oms_app.webhooks import sender, service
from oms_app.webhooks.models import WebhookDelivery
from tests.factories.accounts import make_admin

MIGRATION = (
    PROJECT_ROOT
    / "oms_app/migrations/versions/0018_security_idempotency_hash_and_webhook_bodies.py"
)


def migration():
    spec = importlib.util.spec_from_file_location("security_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_logged_answers_and_connection_details_are_emptied(uow):
    # given a log written by the old sender
    service.create_subscription(
        uow, actor=make_admin(uow), name="ERP", url="https://erp.example.com/h", event_types=["*"]
    )
    old = {
        "e1": (500, "HTTP 500: <title>Jenkins</title> internal build server"),
        "e2": (None, "ConnectError: [Errno 111] Connection refused"),
        "e3": (None, "RemoteProtocolError: illegal status line: b'SSH-2.0-OpenSSH_9.2p1'"),
        "e4": (200, ""),
        "e5": (None, "subscription deactivated"),
    }
    for event_id, (status, error) in old.items():
        [delivery_id] = service.enqueue_event(uow, event_id=event_id, event_type="x", payload={})
        with uow:
            row = uow.session.get(WebhookDelivery, delivery_id)
            row.last_status_code, row.last_error = status, error
            uow.commit()
    # when the migration's clean-up runs
    module = migration()
    with get_engine().begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module.empty_logged_answers()
    # then only status codes and generic texts are left
    with uow:
        rows = dict(
            uow.session.execute(sa.select(WebhookDelivery.event_id, WebhookDelivery.last_error))
            .tuples()
            .all()
        )
    assert rows == {
        "e1": "HTTP 500",
        "e2": sender.CONNECTION_FAILED,
        "e3": sender.CONNECTION_FAILED,
        "e4": "",
        "e5": "subscription deactivated",
    }
    assert module.CONNECTION_FAILED == sender.CONNECTION_FAILED

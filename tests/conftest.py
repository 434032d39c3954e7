"""Test session: its own PostgreSQL database and Redis DB, migrated, and set in the environment.

Everything is decided in pytest_configure, before any app module reads its settings.
"""

from __future__ import annotations

import functools
import os

import pytest
import sqlalchemy as sa

from tests import infra

_RUN: dict[str, str] = {}

# A browser test fails on any console error of its pages (tests/browser_console.py).
pytest_plugins = ["tests.browser_console"]


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    admin = infra.admin_database_url()
    url = infra.create_database(admin)
    redis_url, _ = infra.claim_redis_db(infra.redis_server_url())
    _RUN.update(admin=admin, url=url, redis=redis_url)
    os.environ["OMS_DATABASE_URL"] = url
    os.environ["OMS_REDIS_URL"] = redis_url
    os.environ["OMS_SECRET_KEY"] = "test-secret"
    os.environ["OMS_DEFAULT_LOCALE"] = "zh_CN"
    from oms_app.core.config import reset_settings_cache
    from oms_app.runtime import migrate_and_sync

    reset_settings_cache()
    import oms_app.models  # noqa: F401

    migrate_and_sync()


def pytest_unconfigure(config: pytest.Config) -> None:
    if not _RUN:
        return
    from oms_app.core.db import dispose_engines

    dispose_engines()
    infra.drop_database(_RUN["admin"], _RUN["url"])
    infra.release_redis_db(_RUN["redis"])
    infra.stop_started()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: after Playwright starts, asyncio tests cannot run."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    items.sort(key=_stage)


def _stage(item: pytest.Item) -> int:
    """Where a test runs in the session.

    0. the asyncio and plain tests;
    1. the two-host tests: they use a browser too (so after every asyncio test), but must not
       meet the harness's worker and backend; their build is made for host A's address;
    2. the security tests of the production server, which build for a loopback port (sync
       tests; after the hosts' build, which would wipe theirs);
    3. the browser journeys on the harness;
    4. the scaled-out and the production servers, which share the run's Redis with the harness
       (the very end) and serve the build of stage 2 instead of making a third one;
    5. the one-build-any-port journey, whose own production build replaces the harness's pages
       and stage 2's build in `.web`: nothing may run after it on either.
    """
    path = str(item.fspath)
    if "/e2e/" in path:
        if "one_build_any_port" in item.nodeid:
            return 5
        return 4 if "two_workers" in item.nodeid or "production_policy" in item.nodeid else 3
    if item.nodeid.startswith("tests/hosts/"):
        return 1
    if "served_url" in getattr(item, "fixturenames", ()):
        return 2
    return 0


KEEP_TABLES = {"alembic_version", "roles", "permissions", "role_permissions"}
# The sequences of the business tables that handed out an id, set back to their start (as
# TRUNCATE ... RESTART IDENTITY would).
RESTART_USED_SEQUENCES = sa.text(
    """
    SELECT setval(format('%I.%I', ps.schemaname, ps.sequencename)::regclass, ps.start_value, false)
    FROM pg_sequences ps
    JOIN pg_class s ON s.relname = ps.sequencename AND s.relnamespace = ps.schemaname::regnamespace
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    JOIN pg_class t ON t.oid = d.refobjid
    WHERE ps.last_value IS NOT NULL AND t.relname = ANY(:tables)
    """
)


@functools.cache
def _business_tables() -> tuple[str, ...]:
    from sqlmodel import SQLModel

    return tuple(t.name for t in SQLModel.metadata.sorted_tables if t.name not in KEEP_TABLES)


@functools.cache
def _can_skip_triggers() -> bool:
    """Only a superuser may switch triggers and foreign-key checks off for a transaction."""
    from oms_app.core.db import get_engine

    with get_engine().connect() as conn:
        return bool(conn.scalar(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = user")))


def reset_business_tables() -> None:
    """Empty every business table and restart its ids; roles, grants, the default approval policy
    and the chart of accounts stay.

    A TRUNCATE of all the tables makes new files for each and took 1-2 s per test on a busy
    machine; deleting the rows of the few tables a test filled takes milliseconds. Triggers (the
    append-only audit log) and foreign-key checks are off for that transaction only: every
    business table ends empty, so no reference is left dangling.
    """
    from oms_app.approvals import service as approvals_service
    from oms_app.core.db import UnitOfWork, get_engine
    from oms_app.ledger import books as ledger_books

    tables = _business_tables()
    with get_engine().begin() as conn:
        if _can_skip_triggers():
            filled = " UNION ALL ".join(
                f"SELECT '{name}' WHERE EXISTS (SELECT FROM \"{name}\")" for name in tables
            )
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
            for name in conn.scalars(sa.text(filled)).all():
                conn.execute(sa.text(f'DELETE FROM "{name}"'))
            conn.execute(RESTART_USED_SEQUENCES, {"tables": list(tables)})
        else:
            conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    approvals_service.ensure_default_policy(UnitOfWork())
    ledger_books.ensure_chart(UnitOfWork())


@pytest.fixture
def clean_db():
    """A test starts from empty business tables."""
    reset_business_tables()
    yield


@pytest.fixture
def uow(clean_db):
    from oms_app.core.db import UnitOfWork

    return UnitOfWork()


@pytest.fixture
def redis_client():
    from oms_app.core.redis_client import get_redis

    return get_redis()


from tests.stripe_infra import localstripe_url, stripe_on  # noqa: E402, F401  (fixtures)

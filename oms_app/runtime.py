"""Bring up what the app needs: the database and Redis (external or embedded), schema, demo data.

Shared by the launcher (`make run`), the CLI and the test session. Embedded servers are started
here, once, in the parent process; children inherit OMS_DATABASE_URL / OMS_REDIS_URL.
"""

from __future__ import annotations

import os
import sys

import sqlalchemy as sa

from oms_app.core import embedded
from oms_app.core.config import get_settings, reset_settings_cache

EMBEDDED_REDIS_PORT = int(os.environ.get("OMS_EMBEDDED_REDIS_PORT", "6390"))
_RUNNING: list = []  # embedded servers started by this process


def _set_env(name: str, value: str) -> None:
    os.environ[name] = value
    reset_settings_cache()


def ensure_database() -> str:
    settings = get_settings()
    if settings.database_url:
        return settings.database_url
    server = embedded.start_postgres(settings.data_dir / "pg")
    _RUNNING.append(server)
    os.environ["OMS_EMBEDDED"] = "1"  # children still know: the demo log-ins may be shown
    _set_env("OMS_DATABASE_URL", server.url)
    return server.url


def ensure_redis(port: int = EMBEDDED_REDIS_PORT) -> str:
    settings = get_settings()
    if settings.redis_url:
        return settings.redis_url
    server = embedded.start_redis(settings.data_dir / "redis", port)
    _RUNNING.append(server)
    _set_env("OMS_REDIS_URL", server.url)
    return server.url


def stop_embedded() -> None:
    while _RUNNING:
        _RUNNING.pop().stop()


def migrate_and_sync() -> None:
    """Apply migrations, match roles and grants to the code, start the default approval policy,
    add the missing accounts of the chart, build the dashboard rollups if there are none."""
    from oms_app.accounts import service as accounts_service
    from oms_app.analytics import rollups
    from oms_app.approvals import service as approvals_service
    from oms_app.core.db import UnitOfWork
    from oms_app.core.migrate import upgrade_to_head
    from oms_app.ledger import books as ledger_books

    upgrade_to_head(get_settings().database_url)
    accounts_service.sync_roles(UnitOfWork())
    approvals_service.ensure_default_policy(UnitOfWork())
    ledger_books.ensure_chart(UnitOfWork())
    rollups.build_if_missing(UnitOfWork())


class StartRefused(RuntimeError):
    """A production start that must not go on (the message says what to do)."""


def wants_demo(*, embedded_database: bool, asked: bool) -> bool:
    """Demo data only in the embedded default, or when asked for (OMS_DEMO=1 / --demo)."""
    return embedded_database or asked


def prepare(*, demo: bool = False, demo_orders: int | None = None, create_admin_hint: str) -> bool:
    """Servers, schema, and the demo data when wanted; return whether the demo is loaded.

    A production start (no demo) is refused while an enabled account still has a published
    demo password.
    """
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)  # beat's schedule lives there
    print(
        "• database:", "embedded PostgreSQL" if settings.embedded_database else "OMS_DATABASE_URL"
    )
    ensure_database()
    print("• redis:", "embedded Redis" if get_settings().embedded_redis else "OMS_REDIS_URL")
    ensure_redis()
    settings = get_settings()
    settings.signing_key()  # generated into the data dir on the first run when unset
    migrate_and_sync()
    if wants_demo(embedded_database=settings.embedded_database, asked=demo or settings.demo):
        if not has_demo_data():
            orders = settings.demo_orders if demo_orders is None else demo_orders
            print(f"• loading demo data ({orders} orders, first start only)…", flush=True)
            load_demo_data(orders=orders, verbose=True)
        return True
    _refuse_demo_passwords(create_admin_hint)
    return False


def _refuse_demo_passwords(create_admin_hint: str) -> None:
    from oms_app.core.db import UnitOfWork
    from oms_app.demo.users import accounts_with_demo_passwords, has_active_admin

    if names := accounts_with_demo_passwords(UnitOfWork()):
        raise StartRefused(
            "refusing to start: these accounts still have the demo password published in the "
            f"README: {', '.join(names)}.\n"
            "  disable them: python -m oms_app.cli disable-user <username>\n"
            f"  create your administrator first if you have none: {create_admin_hint}\n"
            "  (OMS_DEMO=1 runs the demo company on this database on purpose)"
        )
    if not has_active_admin(UnitOfWork()):
        print(f"• no administrator yet: create the first one with\n    {create_admin_hint}")


def has_demo_data() -> bool:
    from oms_app.core.db import get_engine

    with get_engine().connect() as conn:
        return bool(conn.scalar(sa.text("SELECT EXISTS (SELECT 1 FROM customers)")))


def load_demo_data(*, orders: int, seed: int = 42, verbose: bool = False) -> dict[str, int]:
    """Load the demo company and the demo log-ins into an empty database."""
    from oms_app.analytics import rollups
    from oms_app.core.db import UnitOfWork, get_engine
    from oms_app.core.permissions import SYSTEM_ACTOR
    from oms_app.demo.seed import seed_demo
    from oms_app.demo.users import attribute_history_orders, create_demo_users
    from oms_app.orders import review as orders_review

    def progress(stage: str, done: int, total: int) -> None:
        if verbose:
            print(f"\r  {stage}: {done}/{total}", end="", file=sys.stderr, flush=True)

    counts = seed_demo(get_engine(), orders=orders, seed=seed, progress=progress)
    if verbose:
        print(file=sys.stderr)
    counts["users"] = create_demo_users(UnitOfWork())
    counts["attributed"] = attribute_history_orders(UnitOfWork())
    # the history's pending orders enter the approval queues like new ones would
    counts["routed"] = orders_review.route_unrouted_orders(UnitOfWork(), actor=SYSTEM_ACTOR)
    counts["rollup_rows"] = rollups.rebuild(UnitOfWork())
    return counts

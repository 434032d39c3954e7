"""The production web server of `make run` (oms_app/serve.py) on a free loopback port."""

from __future__ import annotations

import contextlib
import socket
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

from oms_app import frontend_build, launcher
from oms_app.core.config import PROJECT_ROOT
from oms_app.core.migrate import upgrade_to_head
from tests import infra
from tests.e2e.prod_server import free_port
from tests.service.launcher_infra import answers, launched, launcher_env

PARTNER_ORIGIN = "https://partner.example.test"
# Which backend address the last build of these tests was made for (Reflex's next build of any
# kind empties the folder, and this note with it).
BUILT_FOR = PROJECT_ROOT / frontend_build.BUILD_DIR / "oms-security-tests-api-url"


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _build_for_a_free_port() -> str:
    """The backend URL of a current build on a free port: the last one's when possible (a build
    bakes the backend's address in and takes minutes), else a new build."""
    if BUILT_FOR.is_file():
        base = BUILT_FOR.read_text().strip()
        port = urlsplit(base).port or 0
        if frontend_build.build_is_current(api_url=base) and _port_is_free(port):
            return base
    base = f"http://127.0.0.1:{free_port()}"
    frontend_build.ensure_frontend_build(api_url=base, env=launcher.child_env())
    BUILT_FOR.write_text(base + "\n")
    return base


@contextlib.contextmanager
def served_app(*, own_data: bool = True, workers: int = 1) -> Iterator[str]:
    """Build the frontend for the port (skipped while current), serve it, yield its URL.

    OMS_BASE_URL is the server's own address, and one more origin is trusted by
    OMS_CORS_ORIGINS: PARTNER_ORIGIN. With `own_data` it has a database and Redis of its own;
    without, the run's (a journey signing in as the run's people). `workers` backend processes
    share the Redis state, as a scaled-out deployment.
    """
    base = _build_for_a_free_port()
    port = urlsplit(base).port
    data = _own_database_and_redis() if own_data else contextlib.nullcontext(None)
    with data as own:
        stores = (
            {"OMS_DATABASE_URL": own[0], "OMS_REDIS_URL": own[1], "REFLEX_REDIS_URL": own[1]}
            if own
            else {}
        )
        env = launcher_env(
            REFLEX_API_URL=base,
            OMS_BASE_URL=base,
            OMS_CORS_ORIGINS=PARTNER_ORIGIN,
            GRANIAN_WORKERS=str(workers),
            **stores,
        )
        command = [
            sys.executable, "-m", "oms_app.serve", "--port", str(port), "--host", "127.0.0.1"
        ]  # fmt: skip
        with launched(command, env=env) as web:
            web.wait_for(lambda: answers(f"{base}/login"), timeout=240, what="/login")
            yield base


@contextlib.contextmanager
def _own_database_and_redis() -> Iterator[tuple[str, str]]:
    """A migrated database and a Redis DB of the server's own. On the run's, its event
    consumers would work on the other tests' events while those tests empty the tables: the
    two lock each other (a deadlocked TRUNCATE). These tests need no data."""
    admin_url = infra.admin_database_url()
    database_url = infra.create_database(admin_url)
    redis_url, _ = infra.claim_redis_db(infra.redis_server_url())
    try:
        upgrade_to_head(database_url)
        yield database_url, redis_url
    finally:
        infra.release_redis_db(redis_url)
        infra.drop_database(admin_url, database_url)

"""Two hosts of one deployment, each a network namespace with its own production Reflex backend
and Celery worker (host A also runs the one beat), on the test run's PostgreSQL and Redis.

Everything made here (namespaces, veth links, processes, the forwarder) is removed on exit,
also when the test fails.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import redis
import sqlalchemy as sa

from tests.hosts.forward import Forwarder
from tests.hosts.netns import Host, free_subnet, make_host, remove_host, remove_orphans

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
APP_PORT = 8500  # the same port in each namespace: each host has its own network stack
PG_PORT, REDIS_PORT = 8520, 8521  # the forwarder, on the root side of each veth link
START_TIMEOUT = 180


@dataclass
class Cluster:
    a: Host
    b: Host
    run: str
    logs: Path
    figures: dict[str, float] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)

    def url(self, host: Host) -> str:
        return f"http://{host.address}:{APP_PORT}"

    def worker_name(self, host: Host) -> str:
        return f"{host.name[-1]}@{self.run}"


def _forward_target(url: str, default_port: int) -> tuple[str, int]:
    parsed = sa.engine.make_url(url)
    return parsed.host or "127.0.0.1", parsed.port or default_port


def _through(url: str, host: Host, port: int) -> str:
    """The run's URL as seen from inside a host: the forwarder on its link's root side."""
    return sa.engine.make_url(url).set(host=host.gateway, port=port).render_as_string(False)


def host_env(cluster: Cluster, host: Host) -> dict[str, str]:
    """A production environment for one host: only what a deployment would set."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OMS_", "REFLEX_"))}
    front = cluster.url(cluster.a)  # the browser's host; the build points its socket there
    return base | {
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "OMS_DATABASE_URL": _through(os.environ["OMS_DATABASE_URL"], host, PG_PORT),
        "OMS_REDIS_URL": _through(os.environ["OMS_REDIS_URL"], host, REDIS_PORT),
        "OMS_SECRET_KEY": os.environ["OMS_SECRET_KEY"],  # one key for all hosts: sessions
        "OMS_DEFAULT_LOCALE": os.environ.get("OMS_DEFAULT_LOCALE", "zh_CN"),
        # The test's webhook receiver sits on a private veth address, as an on-premises ERP would.
        "OMS_WEBHOOK_ALLOW_PRIVATE": "1",
        "OMS_BASE_URL": front,
        "OMS_BACKEND_PORT": str(APP_PORT),
        "OMS_FRONTEND_PORT": str(APP_PORT),
        "REFLEX_USE_NPM": "1",
        "REFLEX_USE_GRANIAN": "1",
        "GRANIAN_WORKERS": os.environ.get("OMS_HOSTS_BACKEND_WORKERS", "1"),
        "REFLEX_API_URL": front,
        "REFLEX_DEPLOY_URL": front,
        "REFLEX_ENV_MODE": "prod",
        "REFLEX_SKIP_COMPILE": "true",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }


def build_frontend(env: dict[str, str], log: Path) -> float:
    """Build the production frontend once (in the root namespace, where npm can reach its
    registry); both hosts serve it. Returns the seconds it took."""
    started = time.monotonic()
    serve_only = ("REFLEX_ENV_MODE", "REFLEX_SKIP_COMPILE")
    build_env = {k: v for k, v in env.items() if k not in serve_only}
    with log.open("w") as out:
        subprocess.run(
            [str(VENV_BIN / "reflex"), "export", "--frontend-only", "--no-zip"],
            cwd=ROOT, env=build_env, stdout=out, stderr=subprocess.STDOUT, check=True,
        )  # fmt: skip
    return time.monotonic() - started


def start_processes(cluster: Cluster, host: Host, *, beat: bool) -> None:
    env = host_env(cluster, host)
    python = str(VENV_BIN / "python")
    celery = [python, "-m", "celery", "-A", "tasks.celery_app"]
    commands = {
        "backend": [python, "-m", "tests.hosts.serve_built", host.address, str(APP_PORT)],
        "worker": [*celery, "worker", "--loglevel=WARNING", "--concurrency=2",
                   "-n", cluster.worker_name(host)],
    }  # fmt: skip
    if beat:
        schedule = cluster.logs / "celerybeat-schedule"
        commands["beat"] = [*celery, "beat", "--loglevel=WARNING", "--schedule", str(schedule)]
    for name, argv in commands.items():
        with (cluster.logs / f"{host.name}-{name}.log").open("a") as log:
            cluster.processes.append(host.start(argv, env=env, log=log))


def wait_until_serving(cluster: Cluster, host: Host, deadline: float) -> None:
    """Until the host's backend answers /ping and its worker's heartbeat is in Redis."""
    client = redis.Redis.from_url(os.environ["OMS_REDIS_URL"])
    heartbeat = f"oms:worker:{cluster.worker_name(host)}"
    backend_up = False
    while time.monotonic() < deadline:
        if not backend_up:
            with contextlib.suppress(httpx.HTTPError):
                answer = httpx.get(f"{cluster.url(host)}/ping", timeout=2, follow_redirects=True)
                backend_up = answer.status_code == 200
        if backend_up and client.exists(heartbeat):
            return
        if not host.pids():
            break
        time.sleep(0.3)
    raise TimeoutError(f"{host.name} did not start: see the logs in {cluster.logs}")


def wait_for_consumer_groups(groups: set[str], deadline: float) -> None:
    """Until the live screens' group and the beat pumps' groups read the event stream."""
    from oms_app.core.config import get_settings
    from oms_app.core.redis_client import get_redis

    stream = get_settings().event_stream
    while time.monotonic() < deadline:
        with contextlib.suppress(redis.exceptions.ResponseError):
            names = {g["name"] for g in get_redis().xinfo_groups(stream)}
            if groups <= {n.decode() if isinstance(n, bytes) else n for n in names}:
                return
        time.sleep(0.3)
    raise TimeoutError(f"consumer groups {groups} did not appear on {stream}")


@contextlib.contextmanager
def two_hosts() -> Iterator[Cluster]:
    """Build host A and host B, start them, yield; always tear everything down."""
    remove_orphans()
    run = str(os.getpid())  # in every name: a later run can tell these orphans from live ones
    logs = Path(tempfile.mkdtemp(prefix=f"omsh-{run}-"))
    subnet = free_subnet()
    hosts: list[Host] = []
    forwarder = cluster = None
    try:
        hosts.append(make_host(run, "a", subnet, 0))
        hosts.append(make_host(run, "b", subnet, 1))
        cluster = Cluster(a=hosts[0], b=hosts[1], run=run, logs=logs)
        forwarder = Forwarder(
            [h.gateway for h in hosts],
            {
                PG_PORT: _forward_target(os.environ["OMS_DATABASE_URL"], 5432),
                REDIS_PORT: _forward_target(os.environ["OMS_REDIS_URL"], 6379),
            },
        ).start()
        build_log = logs / "build.log"
        cluster.figures["build_s"] = build_frontend(host_env(cluster, cluster.a), build_log)
        started = time.monotonic()
        start_processes(cluster, cluster.a, beat=True)
        start_processes(cluster, cluster.b, beat=False)
        deadline = started + START_TIMEOUT
        for host in hosts:
            wait_until_serving(cluster, host, deadline)
        wait_for_consumer_groups({"reflex-ui", "webhooks", "rollups"}, deadline)
        cluster.figures["start_s"] = time.monotonic() - started
        yield cluster
    finally:
        for host in hosts:
            remove_host(host)
        for process in cluster.processes if cluster else []:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        if forwarder:
            forwarder.stop()

"""Resident memory of our production backend per worker, against a blank Reflex app's.

    python -m bench.memory [--orders 3000] [--workers 2] [--port 8430]

Self-contained: a throwaway database with the demo company (`make run`'s demo data),
then our app and a blank app (`reflex init --template blank` in a temp dir, offline) each served
the way `make run` serves ours (oms_app.serve: granian, production mode, no compile; the app is
built once in granian's main process and the workers fork from it), one after the other on
loopback, with the same worker count and the same Redis. Once /ping answers and the workers
settled, it prints per app the processes, the RSS of each worker (what `ps` shows; pages shared
with the main process count in each), the unique memory per worker (USS: what one more worker
really costs) and the totals, and the ratios ours / blank. The frontend is not mounted: static
files add nothing to a worker's memory, and neither app needs a build for this.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil

from bench.common import bench_environment, report
from bench.page_time import blank_app
from tests.infra import stop_group

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SETTLE_SECONDS = 10  # lifespan tasks (event consumers, board rebuilds) start after /ping answers
MIB = 2**20


def serve_backend(folder: str, port: int) -> None:
    """In a child: the app in `folder` served as `make run` serves ours, frontend unmounted."""
    from oms_app.serve import serve_backend as serve

    serve(port=port, host="127.0.0.1", folder=Path(folder), mount_frontend=False)


@contextlib.contextmanager
def served(folder: Path, port: int, env: dict[str, str], log: Path) -> Iterator[psutil.Process]:
    command = [sys.executable, "-m", "bench.memory", "--serve", str(folder), str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for_ping(process, f"http://127.0.0.1:{port}", log)
        yield psutil.Process(process.pid)
    finally:
        stop_group(process, timeout=30)


def wait_for_ping(process: subprocess.Popen, url: str, log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited while starting; see {log}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/ping", timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer; see {log}")


def measure(server: psutil.Process) -> dict[str, float | int]:
    """RSS and USS of the serving tree: granian's main process and its workers."""
    workers = server.children(recursive=True)
    main_rss = server.memory_info().rss
    rss = [w.memory_info().rss for w in workers]
    uss = [w.memory_full_info().uss for w in workers]
    return {
        "processes": 1 + len(workers),
        "main_rss_mib": main_rss / MIB,
        "worker_rss_mib": statistics.median(rss) / MIB,
        "worker_uss_mib": statistics.median(uss) / MIB,
        "total_rss_mib": (main_rss + sum(rss)) / MIB,
    }


def measure_app(name: str, folder: Path, port: int, env: dict, log: Path) -> dict:
    with served(folder, port, env, log) as server:
        time.sleep(SETTLE_SECONDS)
        figures = measure(server)
    report(f"{name} backend at rest", figures)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8430, help="ours; the blank app takes +1")
    args = parser.parse_args()
    from oms_app.runtime import load_demo_data

    with bench_environment(), tempfile.TemporaryDirectory(prefix="oms-memory-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        load_demo_data(orders=args.orders)
        report("demo data", {"orders": args.orders, "seconds": time.perf_counter() - started})
        redis_url = os.environ["OMS_REDIS_URL"]
        env = dict(
            os.environ,
            PATH=f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
            PYTHONPATH=str(ROOT),
            REFLEX_USE_NPM="1",
            REFLEX_USE_GRANIAN="1",
            REFLEX_REDIS_URL=redis_url,
            GRANIAN_WORKERS=str(args.workers),
            OMS_SECRET_KEY=os.environ.get("OMS_SECRET_KEY", "bench-memory"),
        )
        blank_dir = blank_app(folder)
        ours = measure_app("ours", ROOT, args.port, env, folder / "ours.log")
        blank = measure_app("blank", blank_dir, args.port + 1, env, folder / "blank.log")
        ratios = {
            key.replace("_mib", "_ratio"): ours[key] / blank[key]
            for key in ("worker_rss_mib", "worker_uss_mib", "total_rss_mib")
        }
        report("ours / blank", ratios)
        print(json.dumps({"ours": ours, "blank": blank, **ratios}), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve_backend(sys.argv[2], int(sys.argv[3]))
    else:
        main()

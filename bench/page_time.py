"""Page time-to-interactive of our production build against a blank Reflex app's, in one run.

    python -m bench.page_time [--orders 3000] [--loads 5] [--port 8410]

Self-contained: a throwaway database with the demo company's history (no demo log-ins; one
bench user with the executive and warehouse roles), our app served by `reflex run --env prod
--single-port`, and a blank app (`reflex init --template blank` in a temp dir, offline) served
the same way, both on loopback. Chromium (Debian's) signs in once, then opens each page in a
fresh tab `--loads` times (warm HTTP cache, as for a returning user; the first, cold load is
reported apart). Time to interactive = from navigation to the websocket frame that says the
page's state is hydrated (Reflex sets it after the page's on_load handlers ran, so it includes
loading the page's data); "dom" = until the HTML is parsed (the frontend's own weight);
"first_frame" = until the server's first websocket answer (connect + hydrate);
"frames_to_hydrated" = state updates sent before that (one or more per on_load handler);
"content" = until the page's data is on screen. Printed per page with the ratio to the blank
app (goal <= 1.5x).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.common import bench_environment, report
from tests.infra import stop_group

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
HYDRATED = re.compile(r'is_hydrated_rx_state_\\?"\s*:\s*true')
# page -> what shows its own data (the blank app has none beyond hydration)
PAGES = {
    "/orders": "#orders tbody tr",
    "/warehouse/board": "[id^='card-']",
    "/dashboard": "#kpi-orders",
}
USER, PASSWORD = "timer", "Pages-quick-2026!"  # the policy refuses a password holding the username
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 60_000


def seed(orders: int) -> None:
    """The demo company's history, without its published log-ins, and the bench's own user."""
    from oms_app.accounts import admin as accounts_admin
    from oms_app.analytics import rollups
    from oms_app.core.db import UnitOfWork, get_engine
    from oms_app.core.permissions import SYSTEM_ACTOR
    from oms_app.demo.seed import seed_demo
    from oms_app.orders import review as orders_review

    started = time.perf_counter()
    counts = seed_demo(get_engine(), orders=orders, seed=7)
    orders_review.route_unrouted_orders(UnitOfWork(), actor=SYSTEM_ACTOR)
    rollups.rebuild(UnitOfWork())
    accounts_admin.create_user(
        UnitOfWork(),
        actor=SYSTEM_ACTOR,
        username=USER,
        display_name="Bench",
        password=PASSWORD,
        roles=["executive", "warehouse"],
    )
    report("seeded", {"orders": counts["orders"], "seconds": time.perf_counter() - started})


def reflex_env(port: int, **extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        PATH=f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        REFLEX_USE_NPM="1",
        REFLEX_USE_GRANIAN="1",
        GRANIAN_WORKERS="2",  # the same for both apps: one per core here
        REFLEX_API_URL=f"http://127.0.0.1:{port}",
        REFLEX_DEPLOY_URL=f"http://127.0.0.1:{port}",
        **extra,
    )


@contextlib.contextmanager
def served(name: str, cwd: Path, port: int, env: dict[str, str], log: Path) -> Iterator[str]:
    """`reflex run --env prod --single-port` in cwd; yield its URL once /ping answers."""
    command = [str(VENV_BIN / "reflex"), "run", "--env", "prod", "--single-port"]
    command += ["--frontend-port", str(port), "--backend-port", str(port)]
    command += ["--backend-host", "127.0.0.1"]
    started = time.perf_counter()
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(process, url, log)
        report(f"{name}: production build served", {"seconds": time.perf_counter() - started})
        yield url
    finally:
        stop_group(process)


def wait_ready(process: subprocess.Popen, url: str, log: Path, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited while starting; see {log}")
        with contextlib.suppress(httpx.HTTPError):
            ping = httpx.get(f"{url}/ping", timeout=2)
            home = httpx.get(url, follow_redirects=True, timeout=5)
            if ping.status_code == 200 and home.status_code == 200:
                return
        time.sleep(1)
    raise TimeoutError(f"{url} did not answer; see {log}")


def blank_app(folder: Path) -> Path:
    """A blank Reflex app, made offline by `reflex init --template blank`."""
    app = folder / "blankapp"
    app.mkdir()
    subprocess.run(
        [str(VENV_BIN / "reflex"), "init", "--template", "blank", "--loglevel", "error"],
        cwd=app,
        env=reflex_env(0),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return app


def open_timed(context, url: str, content: str | None) -> dict[str, float]:
    """Open url in a fresh tab; ms to the DOM parsed, the hydrated state, the data on screen."""
    page = context.new_page()
    seen: dict[str, float] = {}

    def on_frame(payload) -> None:
        seen.setdefault("first_frame", time.perf_counter())
        if "hydrated" not in seen:
            seen["frames"] = seen.get("frames", 0) + 1
        if "hydrated" not in seen and HYDRATED.search(str(payload)):
            seen["hydrated"] = time.perf_counter()

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    page.on("domcontentloaded", lambda _: seen.setdefault("dom", time.perf_counter()))
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    deadline = started + TIMEOUT_MS / 1000
    while "hydrated" not in seen and time.perf_counter() < deadline:
        page.wait_for_timeout(5)  # Playwright delivers events only while one of its calls runs
    if "hydrated" not in seen:
        raise TimeoutError(f"{url} never hydrated")
    if content:
        page.locator(content).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    seen["content"] = time.perf_counter()
    page.close()
    frames = seen.pop("frames")
    return {k: (at - started) * 1000 for k, at in seen.items()} | {"frames": frames}


def sign_in(context, base: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/login", timeout=TIMEOUT_MS)
    page.locator("#username").wait_for(state="visible", timeout=TIMEOUT_MS)
    page.fill("#username", USER)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login" not in url, timeout=TIMEOUT_MS)
    page.close()


def measure(ours: str, blank: str, loads: int) -> dict[str, dict[str, list[float]]]:
    """Cold first load, then `loads` warm loads of every page, interleaved round by round."""
    from playwright.sync_api import sync_playwright

    targets = {"blank /": (blank + "/", None)}
    targets |= {page: (ours + page, content) for page, content in PAGES.items()}
    samples: dict[str, dict[str, list[float]]] = {
        name: {k: [] for k in ("cold", "dom", "first_frame", "frames", "hydrated", "content")}
        for name in targets
    }
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        mine, theirs = browser.new_context(), browser.new_context()
        sign_in(mine, ours)
        for round_ in range(loads + 1):
            for name, (url, content) in targets.items():
                context = theirs if name == "blank /" else mine
                times = open_timed(context, url, content)
                if round_ == 0:
                    samples[name]["cold"].append(times["hydrated"])
                    continue
                for key in ("dom", "first_frame", "frames", "hydrated", "content"):
                    samples[name][key].append(times.get(key, times["hydrated"]))
        browser.close()
    return samples


def print_figures(samples: dict[str, dict[str, list[float]]]) -> None:
    blank = statistics.median(samples["blank /"]["hydrated"])
    blank_cold = samples["blank /"]["cold"][0]
    for name, figures in samples.items():
        hydrated = statistics.median(figures["hydrated"])
        report(
            f"page {name}",
            {
                "dom_p50_ms": statistics.median(figures["dom"]),
                "first_frame_p50_ms": statistics.median(figures["first_frame"]),
                "frames_to_hydrated": max(figures["frames"]),
                "tti_p50_ms": hydrated,
                "tti_max_ms": max(figures["hydrated"]),
                "content_p50_ms": statistics.median(figures["content"]),
                "cold_tti_ms": figures["cold"][0],
                "ratio": hydrated / blank,
                "cold_ratio": figures["cold"][0] / blank_cold,
            },
        )
    worst = max(statistics.median(f["hydrated"]) / blank for f in samples.values())
    print(f"worst ratio to the blank app: {worst:.2f}x (goal <= 1.5x)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=3000)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--port", type=int, default=8410, help="ours; the blank app takes +10")
    args = parser.parse_args()
    with bench_environment(), tempfile.TemporaryDirectory(prefix="oms-page-time-") as tmp:
        folder = Path(tmp)
        seed(args.orders)
        ours_env = reflex_env(
            args.port,
            OMS_BACKEND_PORT=str(args.port),
            OMS_FRONTEND_PORT=str(args.port),
            OMS_SECRET_KEY=os.environ.get("OMS_SECRET_KEY", "bench-page-time"),
        )
        blank_env = reflex_env(args.port + 10, REFLEX_REDIS_URL=os.environ["OMS_REDIS_URL"])
        blank_dir = blank_app(folder)
        with (
            served("ours", ROOT, args.port, ours_env, folder / "ours.log") as ours,
            served("blank", blank_dir, args.port + 10, blank_env, folder / "blank.log") as blank,
        ):
            print_figures(measure(ours, blank, args.loads))


if __name__ == "__main__":
    main()

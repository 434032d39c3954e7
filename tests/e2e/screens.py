"""Screenshots of every role's pages in both languages at desktop and tablet sizes, with a
report of what the browser finds wrong (see tests/e2e/page_findings.py).

    python -m tests.e2e.screens [--out /tmp/screens] [--orders 1500] [--roles sales,customer]

Self-contained: a throwaway database with the demo company and its log-ins, the app started as
the browser tests start it (AppHarness, Debian's Chromium). For each role it signs in through the
log-in form (admin and finance with a second factor made for the run), opens every page of the
sidebar, an order's detail page and the customer's pay page, first in Chinese, then in English
(switched in the top bar's language menu, as a user does). At each width the window is resized
without reloading. Pictures go to OUT/<lang>/<role>/<width>/<page>.png, findings to stdout and
OUT/report.txt.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

WIDTHS = {1280: 800, 1440: 900, 1920: 1080, 800: 1280}  # the last is a 10-inch tablet, portrait
USERS = {  # role -> demo log-in (oms_app/demo/accounts.py)
    "sales": "sales",
    "sales_manager": "manager",
    "finance": "finance",
    "warehouse": "warehouse",
    "executive": "exec",
    "admin": "admin",
    "customer": "customer",
}
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TIMEOUT = 90_000


def prepare_data(orders: int) -> dict[str, str]:
    """Demo company and log-ins; a second factor for the roles that must have one."""
    import sqlalchemy as sa

    from oms_app.accounts.models import User
    from oms_app.core.db import UnitOfWork
    from oms_app.payments.links import make_pay_token
    from oms_app.runtime import load_demo_data
    from tests.factories.accounts import enable_totp

    load_demo_data(orders=orders, seed=42)
    uow = UnitOfWork()
    with uow:
        ids = dict(uow.session.execute(sa.select(User.username, User.id)).all())
        number = uow.session.scalar(
            sa.text(
                "SELECT o.number FROM orders o JOIN customers c ON c.id = o.customer_id "
                "WHERE c.code = 'C00001' ORDER BY o.id DESC LIMIT 1"
            )
        )
    for name in ("admin", "finance"):
        enable_totp(uow, ids[name], TOTP_SECRET)
    with uow:  # the floor screens open on a warehouse, as for a picker who set "my warehouse"
        uow.session.execute(
            sa.update(User)
            .where(User.username.in_(("warehouse", "admin")))
            .values(my_warehouse="SH")
        )
        uow.commit()
    return {"order": number, "pay": f"/pay/{make_pay_token(number)}"}


def slug(route: str) -> str:
    """A file name for the page: the route's words, the order number and pay token left out."""
    parts = route.split("?")[0].strip("/").split("/")
    if parts[0] in ("orders", "pay") and len(parts) == 2 and parts[1] != "new":
        parts = [parts[0][:-1] if parts[0] == "orders" else parts[0], "detail"]
    return "_".join(p for p in parts if p) or "home"


class Shooter:
    """One browser page signed in as one role; shoots pages and collects findings."""

    def __init__(self, page, base: str, out: Path, report: list[str]):
        self.page, self.base, self.out, self.report = page, base, out, report
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def visit(self, lang: str, role: str, route: str, ready: str = "#page-title") -> None:
        from tests.e2e.page_findings import fit_findings, text_findings

        page = self.page
        self.errors.clear()
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(self.base + route, timeout=TIMEOUT)
        page.locator(ready).first.wait_for(timeout=TIMEOUT)
        settle(page)
        found = [f"all: {f}" for f in text_findings(page, lang)]
        for width, height in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(400)
            found += [f"{width}: {f}" for f in fit_findings(page)]
            folder = self.out / lang / role / str(width)
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{slug(route)}.png"), full_page=True)
        found += [f"console: {e[:160]}" for e in dict.fromkeys(self.errors)]
        name = route if not route.startswith("/pay/") else "/pay/<token>"
        line = f"[{lang}] {role:<13} {name:<24} " + ("ok" if not found else "")
        self.report.append(line + "".join(f"\n    {f}" for f in found))
        print(self.report[-1], flush=True)


def settle(page) -> None:
    """Until no spinner shows (data loaded), then a moment for charts to draw."""
    try:
        page.wait_for_function(
            "!document.querySelector('.rt-Spinner, [data-loading=true]')", timeout=15_000
        )
        # charts: each card's Plotly figure drawn (the library loads after the page)
        page.wait_for_function(
            "document.querySelectorAll('.js-plotly-plot').length >="
            " document.querySelectorAll('#dashboard-charts > *, [id^=ops-][id$=-chart]').length",
            timeout=20_000,
        )
    except Exception:  # noqa: BLE001  a page that keeps a spinner is shot as it is
        pass
    page.wait_for_timeout(700)


def switch_language(page, base: str, label: str) -> None:
    """Through the top bar's language menu, on the account page (the pay page has no top bar)."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base + "/account", timeout=TIMEOUT)
    page.click("#language-switch")
    page.get_by_role("option", name=label).click()
    page.wait_for_timeout(1200)


def shoot_role(browser, base: str, out: Path, role: str, extra: dict, langs, report) -> None:
    from tests.e2e.test_journeys import log_in
    from tests.factories.accounts import fresh_totp_code

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    user = USERS[role]
    code = fresh_totp_code(TOTP_SECRET) if role in ("admin", "finance") else None
    log_in(page, base, user, password=f"{user}-demo-1", code=code)
    # the menu is whole once the page's access check has passed (the permissions are loaded)
    page.goto(f"{base}/account", timeout=TIMEOUT)
    page.locator("#page-title").wait_for(timeout=TIMEOUT)
    settle(page)
    page.wait_for_function(
        "document.querySelectorAll('#sidebar a').length > 2 || location.pathname === '/portal'"
        " || !!document.querySelector('#nav--portal')",
        timeout=TIMEOUT,
    )
    routes = [a.get_attribute("href") for a in page.locator("#sidebar a").all()]
    routes.append(f"/orders/{extra['order']}")
    shooter = Shooter(page, base, out, report)
    for lang in langs:
        if lang == "en":
            switch_language(page, base, "English")
        for route in routes:
            shooter.visit(lang, role, route)
        if role == "customer":
            shooter.visit(lang, role, extra["pay"], ready="#pay-order")
    if "en" in langs:
        switch_language(page, base, "中文")  # the demo user as it was
    context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="/tmp/screens")
    parser.add_argument("--orders", type=int, default=1500)
    parser.add_argument("--roles", default=",".join(USERS))
    parser.add_argument("--langs", default="zh_CN,en")
    args = parser.parse_args(argv)
    # stopped by `kill`, it still stops the app and drops its database on the way out
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    from bench.common import bench_environment

    os.environ.setdefault("OMS_SECRET_KEY", "screens-secret")
    os.environ["OMS_DEFAULT_LOCALE"] = "zh_CN"
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    os.environ["REFLEX_USE_NPM"] = "1"
    with bench_environment():
        extra = prepare_data(args.orders)
        return shoot(args, extra)


def shoot(args, extra: dict) -> int:
    from playwright.sync_api import sync_playwright
    from reflex.testing import AppHarness

    import oms_app.oms_app  # noqa: F401  (state modules imported before the harness compiles)
    from tests.e2e.conftest import CHROMIUM_ARGS, ROOT, _trusted_ui_url

    out = Path(args.out)
    report: list[str] = []
    os.environ["REFLEX_REDIS_URL"] = os.environ["OMS_REDIS_URL"]
    with AppHarness.create(root=ROOT, app_name="oms_app") as harness, sync_playwright() as pw:
        base = _trusted_ui_url(harness.frontend_url)
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for role in args.roles.split(","):
            shoot_role(browser, base, out, role, extra, args.langs.split(","), report)
        browser.close()
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.txt").write_text("\n".join(report) + "\n")
    bad = sum(1 for line in report if not line.endswith("ok"))
    print(f"{len(report)} page visits, {bad} with findings; pictures under {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

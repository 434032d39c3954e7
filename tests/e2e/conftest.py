"""Browser journeys: the real app (AppHarness), a real worker, Debian's Chromium."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pyotp
import pytest
from celery.contrib.testing.worker import start_worker

import oms_app.oms_app  # noqa: F401  (state modules imported before the harness compiles)
from oms_app.core.db import UnitOfWork
from tests.conftest import reset_business_tables
from tests.factories.accounts import enable_totp, make_user
from tests.factories.orders import make_customer
from tests.factories.sales import add_default_address, make_catalogue
from tests.stripe_infra import API_KEY, PUBLISHABLE_KEY, WEBHOOK_SECRET, start_localstripe

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "journey-pass-1"
ADMIN_TOTP_SECRET = pyotp.random_base32()
ROLES = ["sales", "sales_manager", "finance", "warehouse", "executive", "customer"]


@pytest.fixture(autouse=True)
def close_pages_after_each_journey(browser):
    """A journey's tabs are closed when it ends: left open, their live updates keep the shared
    browser and the app busy for every later journey."""
    yield
    for context in list(browser.contexts):
        context.close()


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def people():
    """One user per role (admin with a second factor), and a second warehouse user."""
    reset_business_tables()
    uow = UnitOfWork()
    customer = make_customer(uow, code="C00001", name="华东贸易有限公司")
    ids = {
        role: make_user(
            uow,
            username=role.replace("_", "-"),
            roles=[role],
            password=PASSWORD,
            customer_id=customer if role == "customer" else None,
        )
        for role in ROLES
    }
    ids["warehouse2"] = make_user(
        uow, username="warehouse-2", roles=["warehouse"], password=PASSWORD
    )
    ids["admin"] = make_user(uow, username="admin", roles=["admin"], password=PASSWORD)
    enable_totp(uow, ids["admin"], ADMIN_TOTP_SECRET)
    ids["locked"] = make_user(uow, username="unlucky", roles=["sales"], password=PASSWORD)
    make_catalogue(uow, stock=1000)
    add_default_address(uow, customer)
    return ids


@pytest.fixture(scope="session")
def localstripe_for_app():
    """Stripe for the app under test: localstripe, which also serves a Stripe.js stand-in."""
    from oms_app.core.config import reset_settings_cache

    proc, url = start_localstripe()
    os.environ.update(
        OMS_STRIPE_API_KEY=API_KEY,
        OMS_STRIPE_PUBLISHABLE_KEY=PUBLISHABLE_KEY,
        OMS_STRIPE_API_BASE=url,
        OMS_STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        OMS_STRIPE_JS_URL=f"{url}/js.stripe.com/v3/",
    )
    reset_settings_cache()
    yield url
    proc.terminate()


@pytest.fixture(scope="session")
def oms_app_url(people, localstripe_for_app):
    from reflex.testing import AppHarness

    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    os.environ["REFLEX_USE_NPM"] = "1"
    os.environ["REFLEX_REDIS_URL"] = os.environ["OMS_REDIS_URL"]
    with AppHarness.create(root=ROOT, app_name="oms_app") as harness:
        yield _trusted_ui_url(harness.frontend_url)


def _trusted_ui_url(frontend_url: str) -> str:
    """The dev frontend's address on the backend's host, as the UI's base URL.

    The harness serves the backend on 127.0.0.1, where the session cookie is set: the pages must
    be opened on that host too (a cookie ignores the port, not the host). Its frontend port is
    known only once started; the backend runs in this process and reads the settings anew.
    """
    from oms_app.core.config import reset_settings_cache

    url = frontend_url.rstrip("/").replace("//localhost:", "//127.0.0.1:")
    os.environ["OMS_BASE_URL"] = url
    reset_settings_cache()
    return url


@pytest.fixture(scope="session")
def live_worker(oms_app_url):
    from tasks.celery_app import celery_app

    celery_app.control.purge()  # tasks queued by earlier layers must not act on this data
    with start_worker(
        celery_app, pool="threads", concurrency=1, perform_ping_check=False, loglevel="WARNING"
    ) as worker:
        yield worker

"""Stripe for the tests: a real localstripe process on 127.0.0.1 and settings pointing at it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

API_KEY = "sk_test_oms_local"
PUBLISHABLE_KEY = "pk_test_oms_local"
WEBHOOK_SECRET = "whsec_oms_test_secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_localstripe() -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.localstripe_runner", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, url
        except OSError as err:
            if proc.poll() is not None:
                raise RuntimeError("localstripe exited at start") from err
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("localstripe did not start")


@pytest.fixture(scope="session")
def localstripe_url():
    proc, url = start_localstripe()
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def stripe_on(localstripe_url, monkeypatch):
    """Settings that send Stripe calls to an emptied localstripe; yields its URL."""
    from oms_app.core.config import reset_settings_cache
    from oms_app.payments import providers

    httpx.delete(f"{localstripe_url}/_config/data", timeout=10)
    monkeypatch.setenv("OMS_STRIPE_API_KEY", API_KEY)
    monkeypatch.setenv("OMS_STRIPE_PUBLISHABLE_KEY", PUBLISHABLE_KEY)
    monkeypatch.setenv("OMS_STRIPE_API_BASE", localstripe_url)
    monkeypatch.setenv("OMS_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("OMS_STRIPE_JS_URL", f"{localstripe_url}/js.stripe.com/v3/")
    reset_settings_cache()
    providers._stripe.cache_clear()
    yield localstripe_url
    for name in ("API_KEY", "PUBLISHABLE_KEY", "API_BASE", "WEBHOOK_SECRET", "JS_URL"):
        os.environ.pop(f"OMS_STRIPE_{name}", None)
    reset_settings_cache()
    providers._stripe.cache_clear()


def card_payment_method(localstripe_url: str, number: str) -> str:
    """What Stripe.js does in the payer's browser: the card goes to Stripe with the publishable
    key, and only the id of the tokenised card comes back to us."""
    response = httpx.post(
        f"{localstripe_url}/v1/tokens",
        data={
            "key": PUBLISHABLE_KEY,
            "card[number]": number,
            "card[exp_month]": "12",
            "card[exp_year]": "2030",
            "card[cvc]": "123",
        },
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["card"]["id"]

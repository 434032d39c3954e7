"""One production build serves on any port and behind a proxy: its pages reach the backend at
their own origin (oms_app/same_origin.py), so the build `make run` makes needs no rebuild for
another port, host name or reverse proxy."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from oms_app import frontend_build, launcher
from tests.e2e.prod_server import free_port
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.hosts.forward import Forwarder
from tests.service.launcher_infra import answers, launched, launcher_env


@contextlib.contextmanager
def serving_the_build(port: int, public: str = "") -> Iterator[str]:
    """`make run`'s production server (oms_app.serve) of the current build on `port`; `public`
    is the address users reach it at (OMS_BASE_URL), its own by default."""
    base = f"http://127.0.0.1:{port}"
    env = launcher_env(OMS_BASE_URL=public or base)  # the deployment's; nothing of it is baked
    env.pop("REFLEX_API_URL", None)
    command = [sys.executable, "-m", "oms_app.serve", "--port", str(port), "--host", "127.0.0.1"]
    with launched(command, env=env) as web:
        web.wait_for(lambda: answers(f"{base}/login"), timeout=240, what="/login")
        yield public or base


@contextlib.contextmanager
def behind_a_proxy() -> Iterator[str]:
    """A second server reached only through a loopback TCP proxy on another port."""
    port, proxy_port = free_port(), free_port()
    proxy = Forwarder(["127.0.0.1"], {proxy_port: ("127.0.0.1", port)}).start()
    try:
        with serving_the_build(port, public=f"http://127.0.0.1:{proxy_port}") as public:
            yield public
    finally:
        proxy.stop()


@pytest.fixture(scope="module")
def one_build_on_two_ports(people):
    # given: the build of `make run` (no backend address: the page's own origin), made once
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("REFLEX_API_URL", raising=False)
        api_url = launcher.public_api_url()
        frontend_build.ensure_frontend_build(api_url=api_url, env=launcher.child_env())
    assert api_url == ""
    # served as it is on one port, and by another server behind a proxy on a third port
    with serving_the_build(free_port()) as direct, behind_a_proxy() as proxied:
        yield direct, proxied


def test_the_same_build_signs_in_and_goes_live_on_its_own_port_and_behind_a_proxy(
    browser, one_build_on_two_ports
):
    for base in one_build_on_two_ports:
        page = browser.new_context().new_page()
        sockets: list[str] = []
        page.on("websocket", lambda ws, seen=sockets: seen.append(ws.url))
        # when: someone signs in on the pages this address served
        log_in(page, base, "warehouse")
        # then: the sign-in went through the live connection to this very address
        expect(page.locator("#bell")).to_be_visible(timeout=TIMEOUT)
        own = urlsplit(base).netloc
        assert sockets and all(urlsplit(url).netloc == own for url in sockets), (base, sockets)
        assert all(urlsplit(url).path.startswith("/_event") for url in sockets), sockets
        page.context.close()

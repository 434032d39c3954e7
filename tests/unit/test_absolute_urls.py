"""Every absolute URL (pay links, the Stripe return page, mails) follows the UI's real address:
OMS_BASE_URL when set, else the port the UI is served on (OMS_FRONTEND_PORT)."""

from __future__ import annotations

import pytest

from oms_app.api.payments import _with_pay_link
from oms_app.core.config import get_settings, reset_settings_cache
from oms_app.payments import links
from state.order_detail import pay_url


@pytest.fixture
def frontend_port(monkeypatch):
    monkeypatch.delenv("OMS_BASE_URL", raising=False)
    monkeypatch.setenv("OMS_FRONTEND_PORT", "3123")
    reset_settings_cache()
    yield
    monkeypatch.undo()
    reset_settings_cache()


def test_a_pay_link_follows_the_frontend_port(frontend_port):
    link = pay_url("SO-2026-000042")
    assert link.startswith("http://localhost:3123/pay/SO-2026-000042.")
    assert links.read_pay_token(link.rsplit("/", 1)[1]) == "SO-2026-000042"


def test_the_api_hands_out_pay_links_on_the_frontend_port(frontend_port):
    answer = _with_pay_link({"order_number": "SO-2026-000042"})
    assert answer["pay_url"].startswith("http://localhost:3123/pay/")


def test_the_public_url_wins_over_the_port(frontend_port, monkeypatch):
    monkeypatch.setenv("OMS_BASE_URL", "https://oms.example.cn/")
    reset_settings_cache()
    assert get_settings().base_url == "https://oms.example.cn/"
    assert pay_url("SO-1").startswith("https://oms.example.cn/pay/SO-1.")


def test_the_production_pages_reach_their_backend_at_the_pages_own_origin(
    frontend_port, monkeypatch
):
    from oms_app import launcher

    # empty: the build resolves its backend against the page's address (oms_app/same_origin.py)
    monkeypatch.delenv("REFLEX_API_URL", raising=False)
    assert launcher.public_api_url() == ""
    monkeypatch.setenv("OMS_BASE_URL", "https://oms.example.cn/")
    reset_settings_cache()
    assert launcher.public_api_url() == ""
    monkeypatch.setenv("REFLEX_API_URL", "https://api.example.cn")
    assert launcher.public_api_url() == "https://api.example.cn"

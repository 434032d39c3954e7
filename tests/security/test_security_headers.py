"""Finding 14: security headers on API answers and on the pages `make run` serves."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx
import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from tests.factories.accounts import make_admin

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


def policy(answer: httpx.Response) -> dict[str, list[str]]:
    directives = [d.split() for d in answer.headers["content-security-policy"].split(";")]
    return {d[0]: d[1:] for d in directives if d}


def assert_hardened(answer: httpx.Response) -> None:
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert answer.headers["x-frame-options"] == "DENY"


@pytest.mark.asyncio
async def test_api_answers_with_personal_data_are_never_stored(uow):
    key = accounts_admin.create_api_key(uow, actor=make_admin(uow), name="erp")
    transport = httpx.ASGITransport(app=create_api())
    async with httpx.AsyncClient(transport=transport, base_url="http://oms") as http:
        me = await http.get("/api/v1/me", headers={"X-API-Key": key})
        refused = await http.get("/api/v1/me")
        health = await http.get("/api/v1/health")
    for answer in (me, refused):
        assert_hardened(answer)
        assert answer.headers["cache-control"] == "no-store"
        assert policy(answer) == {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}
    assert me.status_code == 200 and refused.status_code == 401
    assert_hardened(health)
    assert "no-store" not in health.headers.get("cache-control", "")


def test_a_served_page_allows_only_its_own_scripts(served_url):
    answer = httpx.get(f"{served_url}/login", follow_redirects=True)
    assert answer.status_code == 200 and "text/html" in answer.headers["content-type"]
    assert_hardened(answer)
    rules = policy(answer)
    inline = [s for s in INLINE_SCRIPT.findall(answer.text) if s.strip()]
    hashes = {
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline
    }
    assert inline, "Reflex's pages carry inline scripts: each must be allowed by its hash"
    assert hashes <= set(rules["script-src"])
    assert "'unsafe-inline'" not in rules["script-src"]
    assert "'unsafe-eval'" not in rules["script-src"]
    assert rules["frame-ancestors"] == ["'none'"] and rules["object-src"] == ["'none'"]
    assert rules["base-uri"] == ["'self'"] and rules["frame-src"] == ["'none'"]
    assert served_url.replace("http", "ws") in rules["connect-src"]
    assert not any("stripe" in source for source in rules["script-src"])


def test_the_pay_page_alone_may_load_stripe(served_url):
    answer = httpx.get(f"{served_url}/pay/some-link", follow_redirects=True)
    assert answer.status_code == 200
    assert_hardened(answer)
    rules = policy(answer)
    assert "https://js.stripe.com" in rules["script-src"]
    assert "https://js.stripe.com" in rules["frame-src"]
    assert "https://api.stripe.com" in rules["connect-src"]
    assert rules["frame-ancestors"] == ["'none'"]


def test_scripts_and_styles_of_the_build_are_not_sniffed(served_url):
    page = httpx.get(f"{served_url}/login", follow_redirects=True).text
    script = re.search(r'src="(/assets/[^"]+\.js)"', page) or re.search(
        r'href="(/assets/[^"]+\.js)"', page
    )
    assert script is not None
    asset = httpx.get(f"{served_url}{script[1]}")
    assert asset.status_code == 200
    assert_hardened(asset)
    assert "content-security-policy" not in asset.headers

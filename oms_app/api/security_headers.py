"""Security headers on every answer of the backend: the API, and the pages `make run` serves.

Pages get a content security policy that lets only this site's scripts run: the inline scripts
of each served page are allowed by their SHA-256 hash, computed once per page body. The pay page
alone may also run Stripe.js (and eval, which Reflex's `call_script` needs there).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oms_app.core.config import get_settings, origin_of

API_PREFIX = "/api/"
# API answers that carry no personal or financial data and may be cached.
CACHEABLE_API = ("/api/v1/health", "/api/v1/openapi.json", "/api/v1/docs")
# Swagger UI loads its own scripts and styles: it keeps no policy of ours.
API_DOCS = "/api/v1/docs"
PAY_PAGES = "/pay/"
# What Stripe documents for Stripe.js: its scripts and frames, its API, 3-D Secure frames.
STRIPE_ORIGINS = (
    "https://js.stripe.com",
    "https://*.js.stripe.com",
    "https://api.stripe.com",
    "https://hooks.stripe.com",
)
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.S | re.I)


def _websocket_origin(origin: str) -> str:
    return "ws" + origin.removeprefix("http") if origin.startswith("http") else origin


def _stripe_origins() -> list[str]:
    settings = get_settings()
    own = [origin_of(u) for u in (settings.stripe_js_url, settings.stripe_api_base) if u]
    return list(dict.fromkeys([*own, *STRIPE_ORIGINS]))


def page_policy(*, script_hashes: tuple[str, ...], pay_page: bool) -> str:
    """The content security policy of a page whose inline scripts have `script_hashes`."""
    base = origin_of(get_settings().base_url)
    scripts = ["'self'", *(f"'sha256-{h}'" for h in script_hashes)]
    connect = ["'self'", base, _websocket_origin(base)]
    frames = ["'none'"]
    if pay_page:
        stripe = _stripe_origins()
        scripts += ["'unsafe-eval'", *stripe]
        connect += stripe
        frames = stripe
    return "; ".join(
        [
            "default-src 'self'",
            "script-src " + " ".join(scripts),
            # Radix themes and emotion set inline styles on every element.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src " + " ".join(dict.fromkeys(connect)),
            "frame-src " + " ".join(frames),
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


@lru_cache(maxsize=256)
def inline_script_hashes(html: bytes) -> tuple[str, ...]:
    """The CSP hashes (base64 SHA-256) of a page's inline scripts."""
    return tuple(
        base64.b64encode(hashlib.sha256(body).digest()).decode()
        for body in INLINE_SCRIPT.findall(html)
        if body.strip()
    )


def api_headers(path: str) -> dict[str, str]:
    headers = dict(COMMON_HEADERS)
    if not path.startswith(API_DOCS):
        headers["Content-Security-Policy"] = API_POLICY
    if not path.startswith(CACHEABLE_API):
        headers["Cache-Control"] = "no-store"
    return headers


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(API_PREFIX):
            await self.app(scope, receive, _adding(send, api_headers(path)))
            return
        await self.app(scope, receive, _PageSender(send, pay_page=path.startswith(PAY_PAGES)))


def _adding(send: Send, headers: dict[str, str]) -> Send:
    async def sender(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer = MutableHeaders(scope=message)
            for name, value in headers.items():
                answer[name] = value
        await send(message)

    return sender


class _PageSender:
    """Holds back an HTML page until its body is complete, to hash its inline scripts."""

    def __init__(self, send: Send, *, pay_page: bool) -> None:
        self.send, self.pay_page = send, pay_page
        self.start: Message | None = None
        self.body: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in COMMON_HEADERS.items():
                headers[name] = value
            if headers.get("content-type", "").startswith("text/html"):
                self.start = message
                return
        elif message["type"] == "http.response.body" and self.start is not None:
            self.body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(self.body)
            message = {"type": "http.response.body", "body": body, "more_body": False}
            await self._send_page(body, message)
            return
        elif message["type"] == "http.response.pathsend" and self.start is not None:
            # granian sends static files by path: read the (small) page to hash its scripts
            await self._send_page(Path(message["path"]).read_bytes(), message)
            return
        await self.send(message)

    async def _send_page(self, body: bytes, message: Message) -> None:
        assert self.start is not None
        headers = MutableHeaders(scope=self.start)
        html = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
        headers["Content-Security-Policy"] = page_policy(
            script_hashes=inline_script_hashes(html), pay_page=self.pay_page
        )
        await self.send(self.start)
        await self.send(message)

"""Finding 6: only the UI's origin (OMS_BASE_URL) and OMS_CORS_ORIGINS may call the backend
with the user's cookie: the API (statements, reports, PDFs accept it) and the socket."""

from __future__ import annotations

import base64
import os
import socket
from urllib.parse import urlsplit

import httpx

from oms_app.core.config import Settings
from tests.security.served_app import PARTNER_ORIGIN

EVIL = "https://evil.example.test"
DOCUMENT = "/api/v1/finance/statements/trial.pdf"


def test_the_trusted_origins_are_the_base_urls_and_the_listed_ones():
    settings = Settings(base_url="https://OMS.example.test/app", cors_origins=" https://a.test, ")
    assert settings.allowed_origins == ("https://oms.example.test", "https://a.test")


def test_a_page_of_another_origin_gets_no_cors_answer(served_url):
    simple = httpx.get(f"{served_url}{DOCUMENT}", headers={"Origin": EVIL})
    preflight = httpx.options(
        f"{served_url}{DOCUMENT}",
        headers={"Origin": EVIL, "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in simple.headers
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers


def test_the_ui_and_the_listed_origins_may_call_with_credentials(served_url):
    for origin in (served_url, PARTNER_ORIGIN):
        answer = httpx.get(f"{served_url}/api/v1/health", headers={"Origin": origin})
        assert answer.headers["access-control-allow-origin"] == origin
        assert answer.headers["access-control-allow-credentials"] == "true"


def websocket_handshake(url: str, origin: str) -> int:
    """The status the socket endpoint answers a browser's handshake from `origin` with."""
    host = urlsplit(url).netloc
    name, port = host.split(":")
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n"
    )
    with socket.create_connection((name, int(port)), timeout=10) as conn:
        conn.sendall(request.encode())
        return int(conn.recv(1024).split()[1])


def test_only_trusted_pages_may_open_the_socket(served_url):
    assert websocket_handshake(served_url, EVIL) >= 400
    assert websocket_handshake(served_url, served_url) == 101
    assert websocket_handshake(served_url, PARTNER_ORIGIN) == 101

"""API authentication: `Authorization: Bearer <key>` or `X-API-Key: <key>`; documents the
browser opens also accept the signed-in session cookie."""

from __future__ import annotations

import asyncio

from fastapi import Request

from oms_app.accounts import admin as accounts_admin
from oms_app.accounts import service as accounts_service
from oms_app.accounts import throttle
from oms_app.accounts.session_handoff import SESSION_COOKIE
from oms_app.core.config import get_settings
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import AuthenticationFailed
from oms_app.core.permissions import Actor


def client_address(request: Request) -> str:
    """The peer address as the server sees it (behind a proxy: as its forwarded headers say)."""
    return request.client.host if request.client else ""


def _resolve_key_throttled(key: str, address: str) -> Actor:
    """The key's actor; bad keys are throttled per address, good ones spend a request budget."""
    subjects = [throttle.address(address)] if address else []
    throttle.refuse_while_locked(subjects, field="api_key")
    try:
        actor = accounts_admin.resolve_api_key(UnitOfWork(), key=key)
    except AuthenticationFailed:
        throttle.record_failure(subjects)
        raise
    throttle.count_request(
        "apikey:" + accounts_admin.key_fingerprint(key),
        limit=get_settings().api_requests_per_minute,
    )
    return actor


async def api_actor(request: Request) -> Actor:
    """Resolve the calling system's actor from its API key; 401 when missing or revoked, 429
    (with Retry-After) after too many bad keys from one address or requests on one key."""
    header = request.headers.get("authorization", "")
    key = header[7:].strip() if header.lower().startswith("bearer ") else ""
    key = key or request.headers.get("x-api-key", "").strip()
    if not key:
        raise AuthenticationFailed(field="api_key")
    return await asyncio.to_thread(_resolve_key_throttled, key, client_address(request))


async def api_or_session_actor(request: Request) -> Actor:
    """An API key when one is sent, else the browser's session cookie; 401 when neither works."""
    has_key = request.headers.get("authorization") or request.headers.get("x-api-key")
    token = request.cookies.get(SESSION_COOKIE, "")
    if has_key or not token:
        return await api_actor(request)
    actor = await asyncio.to_thread(accounts_service.resolve_session, UnitOfWork(), token=token)
    if actor is None:
        raise AuthenticationFailed(field="session")
    return actor

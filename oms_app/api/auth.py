"""API authentication: `Authorization: Bearer <key>` or `X-API-Key: <key>`."""

from __future__ import annotations

import asyncio

from fastapi import Request

from oms_app.accounts import admin as accounts_admin
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import AuthenticationFailed
from oms_app.core.permissions import Actor


async def api_actor(request: Request) -> Actor:
    """Resolve the calling system's actor from its API key; 401 when missing or revoked."""
    header = request.headers.get("authorization", "")
    key = header[7:].strip() if header.lower().startswith("bearer ") else ""
    key = key or request.headers.get("x-api-key", "").strip()
    if not key:
        raise AuthenticationFailed(field="api_key")
    return await asyncio.to_thread(accounts_admin.resolve_api_key, UnitOfWork(), key=key)

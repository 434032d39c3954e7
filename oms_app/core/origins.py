"""Which web pages may talk to the backend with the user's credentials."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oms_app.core.config import get_settings


def is_trusted_origin(origin: str | None, environ: Mapping[str, Any] | None = None) -> bool:
    """Whether a page from `origin` may open the websocket: OMS_BASE_URL's origin, one of
    OMS_CORS_ORIGINS, or the backend's own origin (`make run` serves both on one port)."""
    if not origin:
        return False
    origin = origin.lower()
    if origin in get_settings().allowed_origins:
        return True
    environ = environ or {}
    own = f"{environ.get('wsgi.url_scheme', '')}://{environ.get('HTTP_HOST', '')}".lower()
    return origin == own

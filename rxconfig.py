"""Reflex configuration, read from the OMS settings; nothing else."""

import os

import reflex as rx

from oms_app.core.config import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="oms_app",
    backend_port=_settings.backend_port,
    api_url=os.environ.get("REFLEX_API_URL", f"http://localhost:{_settings.backend_port}"),
    redis_url=_settings.redis_url or None,
    # Pages of other origins get no CORS answer: the API's documents accept the session cookie.
    cors_allowed_origins=list(_settings.allowed_origins),
    # Wall screens stay linked for a working day even if their keep-alive is delayed.
    redis_token_expiration=12 * 3600,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
)

"""Reflex configuration, read from the OMS settings; nothing else."""

import reflex as rx

from oms_app.core.config import get_settings
from oms_app.same_origin import SameOriginBackend

_settings = get_settings()

config = rx.Config(
    app_name="oms_app",
    backend_port=_settings.backend_port,
    # api_url is left to Reflex: localhost:backend_port for `make dev`, REFLEX_API_URL when set;
    # a production build without REFLEX_API_URL reaches the page's own origin (SameOriginBackend).
    redis_url=_settings.redis_url or None,
    # Pages of other origins get no CORS answer: the API's documents accept the session cookie.
    cors_allowed_origins=list(_settings.allowed_origins),
    # Wall screens stay linked for a working day even if their keep-alive is delayed.
    redis_token_expiration=12 * 3600,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium")),
        SameOriginBackend(),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)

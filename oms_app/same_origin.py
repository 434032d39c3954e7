"""A production build reaches its backend at the page's own origin: one build serves on any port,
any host name and behind a reverse proxy (pages and backend share one port in production).

Reflex bakes absolute backend URLs (`api_url` + `/_event`, `/ping`, `/_upload` ...) into
`env.json` at build time, and its frontend only swaps the host name (keeping the baked port) when
that is `localhost`. This plugin writes the endpoints as paths instead (`/_event`) and teaches
`getBackendURL` in `utils/state.js` to resolve a path against the page's address. An `api_url`
given explicitly (`REFLEX_API_URL`: a backend on another origin) and `make dev` (pages on
OMS_FRONTEND_PORT, backend on OMS_BACKEND_PORT) keep Reflex's absolute URLs.
"""

from __future__ import annotations

import os

from reflex_base import constants
from reflex_base.config import get_config
from reflex_base.environment import environment
from reflex_base.plugins import Plugin

STATE_JS = "utils/state.js"
ANCHOR = "  // Get backend URL object from the endpoint.\n  const endpoint = new URL(url_str);\n"
MARKER = "// OMS same-origin backend"
RESOLVE_PATHS = f"""  {MARKER}: a path is the page's own origin (no window while prerendering).
  if (String(url_str).startsWith("/")) {{
    return new URL(
      url_str,
      typeof window === "undefined" ? "http://localhost" : window.location.href,
    );
  }}
"""


def builds_for_same_origin() -> bool:
    """A production build whose api_url nobody set (Reflex's default, localhost:backend_port)."""
    config = get_config()
    default = f"http://localhost:{config.backend_port}"
    explicit = os.environ.get("REFLEX_API_URL", "").strip()
    production = environment.REFLEX_ENV_MODE.get() == constants.Env.PROD
    return production and not explicit and config.api_url.rstrip("/") == default


def backend_origin() -> str:
    """What links to the backend start with: empty (a path on the page's own origin) in a
    same-origin production app, else the api_url (`make dev`: the backend's own port)."""
    return "" if builds_for_same_origin() else get_config().api_url.rstrip("/")


def resolve_paths_against_the_page(state_js: str) -> str:
    """state.js with getBackendURL resolving a path against the page's address."""
    if MARKER in state_js:
        return state_js
    if ANCHOR not in state_js:
        msg = f"cannot patch {STATE_JS}: Reflex's getBackendURL changed; see oms_app/same_origin.py"
        raise RuntimeError(msg)
    return state_js.replace(ANCHOR, RESOLVE_PATHS + ANCHOR, 1)


def endpoint_paths() -> dict[str, str]:
    """Every backend endpoint of env.json as a path on the page's own origin."""
    config = get_config()
    return {e.name: config.prepend_backend_path(str(e)) for e in constants.Endpoint}


class SameOriginBackend(Plugin):
    """Production builds connect to the origin that served the page."""

    def pre_compile(self, **context) -> None:
        # Harmless for absolute URLs, so the patch stays whatever the mode.
        context["add_modify_task"](STATE_JS, resolve_paths_against_the_page)

    def update_env_json(self, **context) -> dict[str, str] | None:
        return endpoint_paths() if builds_for_same_origin() else None

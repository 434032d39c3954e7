"""Links to files the backend serves (PDFs, workbooks). They are absolute: under `make run` the
frontend and the backend listen on different ports, and a path alone would reach the frontend.
The browser's session cookie goes along, as the ports share the host."""

from __future__ import annotations

from reflex.config import get_config


def backend_url(path: str) -> str:
    """`/api/v1/...` on the backend the browser already talks to (Reflex's `api_url`)."""
    return get_config().api_url.rstrip("/") + path

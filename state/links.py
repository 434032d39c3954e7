"""Links to files and endpoints the backend serves (PDFs, workbooks, the session's). Paths on the
page's own origin in production (pages and backend share it); absolute under `make dev`, where
the frontend and the backend listen on different ports and a path alone would reach the
frontend. The browser's session cookie goes along, as the ports share the host."""

from __future__ import annotations

from oms_app.same_origin import backend_origin


def backend_url(path: str) -> str:
    """`/api/v1/...` on the backend the browser already talks to."""
    return backend_origin() + path

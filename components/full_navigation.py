"""Opening a URL as a whole new page, decided on the server."""

from __future__ import annotations

import reflex as rx


def full_navigation(url: rx.Var) -> rx.Component:
    """Open `url` as a new page as soon as it is set.

    A router redirect would stay on the page and keep its socket; the session cookie's endpoints
    must be navigated to, and the page after them must open a new socket that carries the
    cookie. A meta refresh does that without a script (the pages' policy forbids eval).
    """
    return rx.cond(url != "", rx.el.meta(http_equiv="refresh", content="0;url=" + url))

"""The browser's session cookie: set from a log-in's hand-off code, cleared at log-out.

Only the server writes the cookie, HttpOnly, so no script on any page (Stripe.js on the pay page
included) can read the session token. The screens navigate here; these answers redirect back.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from oms_app.accounts import service as accounts_service
from oms_app.accounts.session_handoff import SESSION_COOKIE, HandoffExpired, claim_handoff_code
from oms_app.core.config import get_settings, origin_of
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import ValidationFailed

router = APIRouter(prefix="/api/v1/session", tags=["auth"])
SAME_SITE = "strict"


def local_path(next_path: str) -> str:
    """`next_path` when it is a path on this site; anything that could leave it is refused."""
    parts = urlsplit(next_path)
    if (
        not next_path.startswith("/")
        or next_path.startswith("//")
        or "\\" in next_path
        or parts.scheme
        or parts.netloc
        or any(ord(c) < 32 for c in next_path)
    ):
        raise ValidationFailed("next", "error.session.next_not_local")
    return next_path


def _back_to_ui(path: str) -> RedirectResponse:
    # The UI may be served apart from the backend (`make dev`): go back to OMS_BASE_URL.
    answer = RedirectResponse(origin_of(get_settings().base_url) + path, status_code=303)
    answer.headers["Cache-Control"] = "no-store"
    return answer


@router.get("/claim")
async def claim_session(code: str, request: Request, next: str = "/") -> RedirectResponse:  # noqa: A002
    """Trade a log-in's one-time hand-off code (valid 30 s) for the session cookie
    (HttpOnly, SameSite=Strict, Secure when OMS_BASE_URL is https) and go on to `next`, a path
    of this site. 401 when the code is unknown, used or expired; 422 when `next` leaves the site.
    """
    target = local_path(next)
    token = await asyncio.to_thread(claim_handoff_code, code)
    if token is None:
        raise HandoffExpired(field="session")
    settings = get_settings()
    answer = _back_to_ui(target)
    answer.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_absolute_hours * 3600,
        path="/",
        httponly=True,
        secure=settings.secure_cookies,
        samesite=SAME_SITE,
    )
    return answer


@router.get("/end")
async def end_session(request: Request) -> RedirectResponse:
    """Log out: revoke the session in the cookie, clear the cookie, go to the log-in page."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        await asyncio.to_thread(accounts_service.log_out, UnitOfWork(), token=token)
    answer = _back_to_ui("/login")
    answer.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        secure=get_settings().secure_cookies,
        samesite=SAME_SITE,
    )
    return answer

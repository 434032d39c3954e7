"""Hand a new session from the log-in screen to the browser's HttpOnly cookie.

The log-in runs over the websocket, which cannot set cookies, and a cookie written by the page's
JavaScript could be read by any script on it. So the log-in stores a one-time code, valid a few
seconds, and the browser navigates to the backend, which trades the code for the cookie.
"""

from __future__ import annotations

import secrets

from oms_app.core.errors import AuthenticationFailed
from oms_app.core.redis_client import get_redis

SESSION_COOKIE = "oms_session"
HANDOFF_SECONDS = 30
_KEY = "oms:session-handoff:"


class HandoffExpired(AuthenticationFailed):
    code = "error.session.handoff_expired"


def issue_handoff_code(*, token: str) -> str:
    """A one-time code that the claim endpoint trades for `token` within HANDOFF_SECONDS."""
    code = secrets.token_urlsafe(32)
    get_redis().set(_KEY + code, token, ex=HANDOFF_SECONDS)
    return code


def claim_handoff_code(code: str) -> str | None:
    """The session token behind `code`, once: a used, expired or unknown code gives None."""
    if not code or len(code) > 100:
        return None
    return get_redis().getdel(_KEY + code)

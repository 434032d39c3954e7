"""The HTTP POST of one delivery. 2xx is success; anything else is an error to retry."""

from __future__ import annotations

import httpx

TIMEOUT_SECONDS = 10.0
RESPONSE_EXCERPT_CHARS = 200


def post_delivery(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float = TIMEOUT_SECONDS
) -> tuple[bool, int | None, str]:
    """POST the signed body; (ok, status code or None, error text) and never raise."""
    try:
        # Redirects are not followed: the receiver signed up with this exact URL.
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            response = client.post(url, content=body, headers=headers)
    except Exception as err:  # refused, timed out, malformed: logged on the delivery, retried
        return False, None, f"{type(err).__name__}: {err}"
    if 200 <= response.status_code < 300:
        return True, response.status_code, ""
    excerpt = response.text[:RESPONSE_EXCERPT_CHARS]
    return False, response.status_code, f"HTTP {response.status_code}: {excerpt}"

"""Pure account rules: password policy, lock-out and session expiry."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD_LENGTH = 8


def password_problem(password: str) -> str | None:
    """The translation key of what is wrong with a new password, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "error.password.too_short"
    if password.isdigit() or password.isalpha():
        return "error.password.too_simple"
    return None


def username_problem(username: str) -> str | None:
    if not USERNAME_PATTERN.match(username):
        return "error.username.format"
    return None


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now


def lock_after_failure(
    failed_logins: int, now: datetime, *, attempts: int, minutes: int
) -> datetime | None:
    """When the failure count reaches the limit, the time the lock-out ends."""
    return now + timedelta(minutes=minutes) if failed_logins >= attempts else None


def session_expired(
    *,
    created_at: datetime,
    last_seen_at: datetime,
    now: datetime,
    idle_minutes: int,
    absolute_hours: int,
) -> bool:
    return now - last_seen_at > timedelta(minutes=idle_minutes) or now - created_at > timedelta(
        hours=absolute_hours
    )

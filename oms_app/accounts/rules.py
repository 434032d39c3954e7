"""Pure account rules: password policy, log-in throttling delays and session expiry."""

from __future__ import annotations

import re
import string
from datetime import datetime, timedelta
from functools import lru_cache

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD_LENGTH = 12
_PADDING = string.digits + string.punctuation + " "


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of leaked sets, as shipped by zxcvbn."""
    # zxcvbn's word lists weigh about 12 MiB: loaded at the first password set, not per worker.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common_password(password: str) -> bool:
    """A listed password, also with digits or symbols padded around it (`password1234!`)."""
    lowered = password.lower()
    return any(
        candidate in common_passwords()
        for candidate in (lowered, lowered.strip(_PADDING), lowered.rstrip(_PADDING))
    )


def password_problem(password: str, *, username: str = "") -> str | None:
    """The translation key of what is wrong with a new password, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "error.password.too_short"
    if username.strip() and username.strip().lower() in password.lower():
        return "error.password.contains_username"
    if password.isdigit() or password.isalpha():
        return "error.password.too_simple"
    if is_common_password(password):
        return "error.password.common"
    return None


def username_problem(username: str) -> str | None:
    if not USERNAME_PATTERN.match(username):
        return "error.username.format"
    return None


def lock_seconds_after(failures: int, *, free: int, longest: int) -> int:
    """How long to refuse further tries after this many failures in a row.

    The first `free - 1` failures cost nothing; from the `free`-th on the wait doubles from one
    second up to `longest` seconds, and it always runs out by itself.
    """
    if failures < free:
        return 0
    return min(2 ** min(failures - free, 30), max(longest, 1))


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

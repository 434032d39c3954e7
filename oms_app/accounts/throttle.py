"""Throttling in Redis: growing delays after failed log-ins or bad API keys, per account and per
client address, and a request budget per API key. Every lock runs out by itself."""

from __future__ import annotations

import hashlib

from oms_app.accounts import rules
from oms_app.core.config import get_settings
from oms_app.core.errors import DomainError
from oms_app.core.redis_client import get_redis

PREFIX = "oms:throttle"
WINDOW_SECONDS = 60


class TooManyAttempts(DomainError):
    """Refused for now: too many failures or requests; `retry_after` says for how long."""

    code = "error.auth.throttled"
    status_code = 429

    def __init__(self, *, retry_after: int, field: str | None = None):
        self.retry_after = max(int(retry_after), 1)
        self.headers = {"Retry-After": str(self.retry_after)}
        super().__init__(field=field, seconds=self.retry_after)


def _subject(kind: str, value: str) -> str:
    # Hashed so any input makes a short, safe key; the same name always maps to the same key.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"{kind}:{digest}"


def account(username: str) -> str:
    return _subject("account", username)


def address(client_address: str) -> str:
    return _subject("address", client_address)


def _limits(subject: str) -> tuple[int, int]:
    """(failures before delays, longest lock in seconds) for this kind of subject."""
    settings = get_settings()
    free = (
        settings.login_address_attempts
        if subject.startswith("address:")
        else settings.lockout_attempts
    )
    return free, settings.lockout_minutes * 60


def wait_seconds(subjects: list[str]) -> int:
    """Seconds until every one of these subjects may try again (0 = now)."""
    if not subjects:
        return 0
    pipe = get_redis().pipeline(transaction=False)
    for subject in subjects:
        pipe.pttl(f"{PREFIX}:lock:{subject}")
    waits = [ms for ms in pipe.execute() if ms and ms > 0]
    return -(-max(waits) // 1000) if waits else 0


def refuse_while_locked(subjects: list[str], *, field: str | None = None) -> None:
    """Raise TooManyAttempts while any subject is locked."""
    if wait := wait_seconds(subjects):
        raise TooManyAttempts(retry_after=wait, field=field)


def record_failure(subjects: list[str]) -> int:
    """Count a failure for each subject and lock those past their free tries; the longest lock."""
    client, longest_lock = get_redis(), 0
    for subject in subjects:
        free, longest = _limits(subject)
        counter = f"{PREFIX}:fails:{subject}"
        pipe = client.pipeline()
        pipe.incr(counter)
        # Failures are forgotten after a quiet spell twice the longest lock.
        pipe.expire(counter, 2 * max(longest, 1))
        failures = pipe.execute()[0]
        if lock := rules.lock_seconds_after(failures, free=free, longest=longest):
            client.set(f"{PREFIX}:lock:{subject}", failures, ex=lock)
            longest_lock = max(longest_lock, lock)
    return longest_lock


def clear(subjects: list[str]) -> None:
    """Forget the failures and any lock of these subjects (a success, or an admin's unlock)."""
    if subjects:
        get_redis().delete(
            *[f"{PREFIX}:{part}:{subject}" for subject in subjects for part in ("fails", "lock")]
        )


def locked_accounts(usernames: list[str]) -> set[str]:
    """Which of these usernames are locked right now (for the admin list)."""
    if not usernames:
        return set()
    pipe = get_redis().pipeline(transaction=False)
    for name in usernames:
        pipe.exists(f"{PREFIX}:lock:{account(name)}")
    return {name for name, locked in zip(usernames, pipe.execute(), strict=True) if locked}


def count_request(subject: str, *, limit: int) -> None:
    """Spend one request of the subject's budget for this minute; TooManyAttempts past it."""
    if limit <= 0:
        return
    key = f"{PREFIX}:requests:{subject}"
    pipe = get_redis().pipeline()
    pipe.set(key, 0, ex=WINDOW_SECONDS, nx=True)  # opens the window; INCR keeps its expiry
    pipe.incr(key)
    pipe.ttl(key)
    _, used, ttl = pipe.execute()
    if used > limit:
        raise TooManyAttempts(retry_after=ttl if ttl and ttl > 0 else WINDOW_SECONDS)

"""The database: one engine per URL and a unit of work that rolls back unless committed."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import Field

from oms_app.core.clock import utcnow
from oms_app.core.config import get_settings


def money_field(default: Decimal | None = Decimal("0.00"), **kw: Any) -> Any:
    """A Numeric(18,2) column: money is exact."""
    nullable = default is None and kw.pop("nullable", True)
    return Field(default=default, sa_type=sa.Numeric(18, 2), nullable=nullable, **kw)


def utc_field(*, default_now: bool = False, **kw: Any) -> Any:
    """A timestamptz column; `default_now` stamps the row when it is created."""
    if default_now:
        return Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), **kw)
    return Field(default=None, sa_type=sa.DateTime(timezone=True), nullable=True, **kw)


def json_field(**kw: Any) -> Any:
    return Field(default_factory=dict, sa_type=sa.JSON, **kw)


def database_url() -> str:
    url = get_settings().database_url
    if not url:
        raise RuntimeError("OMS_DATABASE_URL is not set (the launcher sets it in embedded mode)")
    return url


_ENGINES: dict[str, sa.Engine] = {}


def get_engine() -> sa.Engine:
    url = database_url()
    if url not in _ENGINES:
        _ENGINES[url] = sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    return _ENGINES[url]


def dispose_engines() -> None:
    """Drop pooled connections (after a fork, between test databases)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


class UnitOfWork:
    """A transaction with collected domain events, published only after a successful commit.

    `with uow:` opens a session; leaving the block without `uow.commit()` rolls back.
    """

    def __init__(self, session_factory: Callable[[], Session] | None = None):
        self._session_factory = session_factory or (
            lambda: Session(get_engine(), expire_on_commit=False)
        )
        self.session: Session | None = None
        self._pending_events: list = []
        self._depth = 0

    def __enter__(self) -> UnitOfWork:
        if self._depth == 0:
            self.session = self._session_factory()
            self._pending_events = []
        self._depth += 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self.session is not None:
            self.session.rollback()
            self.session.close()
            self.session = None

    def add_event(self, event: Any) -> None:
        """Queue an event; core.events writes its outbox row in this same transaction."""
        from oms_app.core.events import write_outbox_row

        write_outbox_row(self.session, event)
        self._pending_events.append(event)

    def commit(self) -> None:
        """Commit, unless inside an enclosing `with uow:` block: the outermost block decides.

        So a use case that calls another area's service in the same unit of work stays one
        transaction: the inner service's commit defers to the caller's.
        """
        if self._depth > 1:
            self.session.flush()
            return
        self.session.commit()
        events, self._pending_events = self._pending_events, []
        if events:
            from oms_app.core.events import publish_after_commit

            publish_after_commit(self.session, events)

    def rollback(self) -> None:
        self.session.rollback()
        self._pending_events = []

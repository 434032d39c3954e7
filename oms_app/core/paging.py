"""Server-side paging, sorting and filtering shared by every list query."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000  # keeps OFFSET inside a bigint whatever the page size


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    page_size: int = 25
    sort: str = ""
    descending: bool = False
    search: str = ""

    def clamp(self) -> PageRequest:
        return PageRequest(
            page=min(max(1, self.page), MAX_PAGE),
            page_size=min(max(1, self.page_size), MAX_PAGE_SIZE),
            sort=self.sort,
            descending=self.descending,
            search=self.search.replace("\x00", "").strip(),  # PostgreSQL text holds no NUL
        )


def run_page(
    session,
    stmt: sa.Select,
    request: PageRequest,
    sorts: dict[str, object],
    default_sort: str,
    tiebreak,
    count_stmt: sa.Select | None = None,
) -> tuple[list, int]:
    """Count, sort by a whitelisted column, and fetch one page of `stmt`.

    `count_stmt` may give a cheaper statement with the same rows (without display joins).
    """
    req = request.clamp()
    counted = (count_stmt if count_stmt is not None else stmt).order_by(None).subquery()
    total = session.scalar(sa.select(sa.func.count()).select_from(counted))
    # `in`, not `or`: a column clause has no truth value
    column = sorts[req.sort] if req.sort in sorts else sorts[default_sort]
    order = column.desc() if req.descending else column.asc()
    rows = session.execute(
        stmt.order_by(order, tiebreak).offset((req.page - 1) * req.page_size).limit(req.page_size)
    ).all()
    return rows, total or 0

"""Path and query parameters shared by the endpoints, bounded so that nothing a client sends
can overflow a PostgreSQL column or an OFFSET: such values are a 422 naming the field, never
a 500."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

from oms_app.core.clock import EARLIEST_DAY, LATEST_DAY
from oms_app.core.paging import MAX_PAGE, MAX_PAGE_SIZE

MAX_ROW_ID = 2**31 - 1  # row ids are PostgreSQL `integer` columns
Day = Annotated[date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
BodyRowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]  # a row named inside a JSON body
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Search = Annotated[str, Query(max_length=100)]

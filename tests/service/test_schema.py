"""The migrations and the models describe the same schema on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import oms_app.models  # noqa: F401
from oms_app.core.db import get_engine


def test_autogenerate_finds_no_difference_between_models_and_migrations():
    with get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []

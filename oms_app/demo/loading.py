"""Bulk loading for the demo data: rows in memory, COPY into PostgreSQL, sequences after."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import psycopg
from psycopg import sql

SHANGHAI = ZoneInfo("Asia/Shanghai")
_SECONDARY_INDEXES = """
    SELECT n.nspname, c.relname, pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE i.indrelid = ANY (%s::text[]::regclass[]) AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
    ORDER BY c.relname"""
_FOREIGN_KEYS = """
    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
    FROM pg_constraint
    WHERE contype = 'f' AND conrelid = ANY (%s::text[]::regclass[])
    ORDER BY conname"""


class TableRows(NamedTuple):
    """Rows for one table, in the order of `columns`, ids included.

    With `binary_types` (PostgreSQL type names, one per column) the rows are copied in binary,
    which costs a third of the text format's CPU for narrow rows without numerics.
    """

    table: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    binary_types: tuple[str, ...] | None = None


def copy_rows(cursor: psycopg.Cursor[Any], batch: TableRows) -> int:
    """Load the rows with one COPY and return how many there were."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN {}").format(
        sql.Identifier(batch.table),
        sql.SQL(", ").join(map(sql.Identifier, batch.columns)),
        sql.SQL("(FORMAT BINARY)" if batch.binary_types else ""),
    )
    with cursor.copy(statement) as copy:
        if batch.binary_types:
            copy.set_types(batch.binary_types)
        write_row = copy.write_row
        for row in batch.rows:
            write_row(row)
    return len(batch.rows)


@contextmanager
def indexes_deferred(cursor: psycopg.Cursor[Any], tables: Iterable[str]) -> Iterator[None]:
    """Drop the secondary indexes and foreign keys of `tables` while loading, then rebuild them.

    One index build over all rows is several times faster than updating the index row by row,
    and an added foreign key is checked in one pass. The caller's transaction holds it all, so
    a failed load rolls the schema back with the rows.
    """
    cursor.execute(_SECONDARY_INDEXES, (list(tables),))
    indexes = cursor.fetchall()
    cursor.execute(_FOREIGN_KEYS, (list(tables),))
    foreign_keys = cursor.fetchall()
    for schema, name, _ in indexes:
        cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(schema, name)))
    for table, name, _ in foreign_keys:
        cursor.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.SQL(table), sql.Identifier(name)
            )
        )
    yield
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _, _, definition in indexes:
        cursor.execute(sql.SQL(definition))
    for table, name, definition in foreign_keys:
        cursor.execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.SQL(table), sql.Identifier(name), sql.SQL(definition)
            )
        )


def get_last_ids(cursor: psycopg.Cursor[Any], tables: Iterable[str]) -> dict[str, int]:
    """The highest id of each table, 0 when empty: new rows are numbered after it."""
    last = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(sql.Identifier(table)))
        last[table] = cursor.fetchone()[0]
    return last


def reset_sequences(cursor: psycopg.Cursor[Any], tables: Iterable[str]) -> None:
    """Move each id sequence past the ids that COPY wrote, so the app's inserts do not collide."""
    for table in tables:
        cursor.execute(
            sql.SQL("SELECT setval(pg_get_serial_sequence(%s, 'id'), max(id)) FROM {}").format(
                sql.Identifier(table)
            ),
            (table,),
        )


def local_to_utc(day: date, seconds: int) -> datetime:
    """A moment given as a Shanghai date and seconds after local midnight, in UTC."""
    return (datetime.combine(day, time(), SHANGHAI) + timedelta(seconds=seconds)).astimezone(UTC)

"""Order numbers: SO-<year>-<6 digits>, gap-free per year under concurrency.

The counter row is locked from the moment a number is taken until commit (that keeps numbers
gap-free), so intake takes it as its last step: until then a new order carries a provisional
number that no other transaction ever sees.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

_NEXT = sa.text("""
    INSERT INTO order_number_counters (year, last)
    VALUES (:year, COALESCE((SELECT max(substring(number FROM 9)::int) FROM orders
                             WHERE number LIKE :pattern), 0) + 1)
    ON CONFLICT (year) DO UPDATE SET last = order_number_counters.last + 1
    RETURNING last
""")


def next_order_number(session, *, year: int) -> str:
    """The next number of the year; the counter row lock serializes concurrent callers."""
    last = session.execute(_NEXT, {"year": year, "pattern": f"SO-{year}-%"}).scalar_one()
    return f"SO-{year}-{last:06d}"


def provisional_number() -> str:
    """A unique stand-in, replaced by `next_order_number` before the transaction commits."""
    return f"~{uuid.uuid4().hex[:24]}"  # orders.number holds 32

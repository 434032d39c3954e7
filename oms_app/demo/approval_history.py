"""The approval levels of the demo history: each decided order was decided by the levels the
default policy gives it, so the approval queues' history and the operations report's approver
rows are there from the first start.

The bulk loader writes an order's `approve` or `reject` event only. Here each decision gets its
levels: the sales manager, and for a large order (the default policy's ≥ ¥50,000) finance
after them, the manager half-way between the submission and the final decision. A large order
refused was refused by finance, after the manager's yes. Signed by "demo" here; the demo users
sign them once they exist (`users.attribute_history_orders`). Written in SQL inside the seeding
transaction, after the order history.
"""

from __future__ import annotations

from typing import Any

import psycopg

APPROVAL_TABLES = ("approval_requests", "approval_events")
LARGE_ORDER = 50_000  # the default policy's "Large order: finance" threshold
ACTOR_NAME = "demo"

_LEVELS = """
    WITH decided AS (
        SELECT o.id AS order_id, o.grand_total >= %(large)s AS large, e.action, e.reason,
               e.at AS decided_at, s.at AS submitted_at,
               row_number() OVER (PARTITION BY o.id ORDER BY e.at) AS round
        FROM orders o
        JOIN order_events e ON e.order_id = o.id AND e.action IN ('approve', 'reject')
        CROSS JOIN LATERAL (
            SELECT at FROM order_events p
            WHERE p.order_id = o.id AND p.action = 'submit' AND p.at <= e.at
            ORDER BY p.at DESC LIMIT 1) s
        WHERE o.id > %(after)s),
    levels AS (
        SELECT order_id, round, 1 AS level_no, 'sales_manager' AS role,
               CASE WHEN action = 'reject' AND NOT large THEN 'rejected' ELSE 'approved' END
                   AS status,
               CASE WHEN action = 'reject' AND NOT large THEN reason ELSE '' END AS comment,
               submitted_at,
               CASE WHEN large THEN submitted_at + (decided_at - submitted_at) / 2
                    ELSE decided_at END AS decided_at
        FROM decided
        UNION ALL
        SELECT order_id, round, 2, 'finance',
               CASE WHEN action = 'reject' THEN 'rejected' ELSE 'approved' END,
               CASE WHEN action = 'reject' THEN reason ELSE '' END,
               submitted_at, decided_at
        FROM decided WHERE large),
    written AS (
        INSERT INTO approval_requests (
            order_id, round, level_no, role, status, reasons, decided_by, comment, due_at,
            created_at, updated_at)
        SELECT order_id, round, level_no, role, status, '[]'::json, %(actor)s, comment,
               submitted_at + interval '24 hours', submitted_at, decided_at
        FROM levels ORDER BY order_id, round, level_no
        RETURNING id, order_id, status, comment, updated_at)
    INSERT INTO approval_events (
        request_id, order_id, from_status, to_status, action, actor_id, actor_name, reason, at)
    SELECT id, order_id, 'pending', status,
           CASE status WHEN 'approved' THEN 'approve' ELSE 'reject' END, NULL, %(actor)s,
           comment, updated_at
    FROM written"""


def write_approvals(cursor: psycopg.Cursor[Any], *, last_ids: dict[str, int]) -> dict[str, int]:
    """The approval levels and their decisions of the orders loaded after `last_ids`."""
    cursor.execute(
        _LEVELS, {"after": last_ids["orders"], "large": LARGE_ORDER, "actor": ACTOR_NAME}
    )
    events = cursor.rowcount
    return {"approval_requests": events, "approval_events": events}

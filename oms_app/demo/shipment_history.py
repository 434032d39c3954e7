"""The shipments of the demo history: every order that left the warehouse gets the shipment
that carried it, as the warehouse would have written it.

The bulk loader writes orders with their `ship` and `deliver` events (carrier and tracking
number in the ship event's params) but no shipment rows. Without them an order page shows a
delivered order that never shipped, and a customer's return rate divides the goods that came
back by almost nothing shipped. One shipment per order, all lines in full, numbered with the
key its journal entry was posted under (`demo_shipment_key`), so books and shipments agree.
Written in SQL inside the seeding transaction, after the order history.
"""

from __future__ import annotations

from typing import Any

import psycopg

from oms_app.demo.ledger_history import demo_shipment_key

SHIPMENT_TABLES = ("shipments", "shipment_lines", "shipment_events")
ACTOR_NAME = "demo"
_KEY_PREFIX = demo_shipment_key("")  # "SHP-": the rest is the order number

_SHIPMENTS = """
    INSERT INTO shipments (
        number, order_id, order_number, customer_name, warehouse_id, status, delivery_method,
        carrier, service, priority, ship_province, tracking_no, pickup_code, weight_grams,
        shipping_cost, shipped_at, delivered_at, created_at, updated_at)
    SELECT %(prefix)s || o.number, o.id, o.number, c.name, o.warehouse_id,
           CASE WHEN d.at IS NULL THEN 'shipped' ELSE 'delivered' END, o.delivery_method,
           coalesce(s.params ->> 'carrier', ''), 'standard', 2, o.ship_province,
           coalesce(s.params ->> 'tracking_no', ''), '', 0, 0,
           s.at, d.at, coalesce(a.at, s.at), coalesce(d.at, s.at)
    FROM orders o
    JOIN customers c ON c.id = o.customer_id
    JOIN order_events s ON s.order_id = o.id AND s.action = 'ship'
    LEFT JOIN order_events a ON a.order_id = o.id AND a.action = 'allocate'
    LEFT JOIN order_events d ON d.order_id = o.id AND d.action = 'deliver'
    WHERE o.id > %(after)s AND o.warehouse_id IS NOT NULL
    ORDER BY o.id"""
_LINES = """
    INSERT INTO shipment_lines (
        shipment_id, order_line_id, product_id, sku, barcode, name, unit, quantity, picked_qty,
        packed_qty)
    SELECT sh.id, l.id, l.product_id, l.sku, p.barcode, l.name, l.unit, l.quantity, l.quantity,
           l.quantity
    FROM shipments sh
    JOIN order_lines l ON l.order_id = sh.order_id
    JOIN products p ON p.id = l.product_id
    WHERE sh.order_id > %(after)s AND sh.number LIKE %(prefix)s || '%%'
    ORDER BY sh.id, l.line_no"""
# The two steps a shipment took after it left the packing bench: handed over, then signed for.
_EVENTS = """
    INSERT INTO shipment_events (
        shipment_id, from_status, to_status, action, actor_id, actor_name, reason, params, at)
    SELECT sh.id, step.from_status, step.to_status, step.action, NULL, %(actor)s, '',
           step.params, step.at
    FROM shipments sh
    CROSS JOIN LATERAL (VALUES
        ('packed', 'shipped', 'ship',
         json_build_object('carrier', sh.carrier, 'tracking_no', sh.tracking_no),
         sh.shipped_at),
        ('shipped', 'delivered', 'deliver', '{}'::json, sh.delivered_at)
    ) AS step(from_status, to_status, action, params, at)
    WHERE sh.order_id > %(after)s AND sh.number LIKE %(prefix)s || '%%' AND step.at IS NOT NULL
    ORDER BY sh.id, step.at"""


def write_shipments(cursor: psycopg.Cursor[Any], *, last_ids: dict[str, int]) -> dict[str, int]:
    """The shipments, lines and events of the orders loaded after `last_ids`; rows per table."""
    values = {"after": last_ids["orders"], "prefix": _KEY_PREFIX, "actor": ACTOR_NAME}
    counts = {}
    for table, statement in zip(SHIPMENT_TABLES, (_SHIPMENTS, _LINES, _EVENTS), strict=True):
        cursor.execute(statement, values)
        counts[table] = cursor.rowcount
    return counts

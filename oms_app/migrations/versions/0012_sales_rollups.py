"""dashboard rollups: sales_daily and sales_daily_category (rewritten per business day by
analytics.rollups), an index finding an order's first event of a status, and a covering index
summing stock balances from movements

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 04:40:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

MEASURES = (
    ("orders", sa.Integer()),
    ("revenue", sa.Numeric(18, 2)),
    ("cost", sa.Numeric(18, 2)),
    ("shipped_late", sa.Integer()),
    ("lead_orders", sa.Integer()),
    ("lead_seconds", sa.Numeric(20, 3)),
)


def _keys() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=True),
        sa.Column("open_due", sa.Date(), nullable=True),
    ]


def _measures() -> list[sa.Column]:
    return [sa.Column(name, kind, nullable=False) for name, kind in MEASURES]


def upgrade() -> None:
    op.create_table("sales_daily", *_keys(), *_measures(), sa.PrimaryKeyConstraint("id"))
    op.create_index(op.f("ix_sales_daily_day"), "sales_daily", ["day"], unique=False)
    op.create_table(
        "sales_daily_category",
        *_keys(),
        sa.Column("category_id", sa.Integer(), nullable=False),
        *_measures(),
        sa.Column("line_revenue", sa.Numeric(18, 2), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_sales_daily_category_day"), "sales_daily_category", ["day"], unique=False
    )
    op.create_index(
        op.f("ix_sales_daily_category_category_id"),
        "sales_daily_category",
        ["category_id"],
        unique=False,
    )
    op.create_index(
        "ix_order_events_order_status_at",
        "order_events",
        ["order_id", "to_status", "at"],
        unique=False,
    )
    op.create_index(
        "ix_stock_movements_balance",
        "stock_movements",
        ["product_id", "warehouse_id", "bin_id"],
        unique=False,
        postgresql_include=["on_hand_delta", "reserved_delta"],
    )


def downgrade() -> None:
    op.drop_index("ix_stock_movements_balance", table_name="stock_movements")
    op.drop_index("ix_order_events_order_status_at", table_name="order_events")
    op.drop_table("sales_daily_category")
    op.drop_table("sales_daily")

"""budgets: budgets per cost centre x expense account x year, their month amounts, adjustment
requests with their history, and the alerts already sent

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 02:01:08.813963
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "budgets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cost_centre", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("account_code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("policy", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("owner_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cost_centre", "account_code", "year", name="uq_budgets_scope"),
    )
    op.create_index(op.f("ix_budgets_account_code"), "budgets", ["account_code"], unique=False)
    op.create_index(op.f("ix_budgets_year"), "budgets", ["year"], unique=False)
    op.create_table(
        "budget_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("to_budget_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_id"],
            ["budgets.id"],
        ),
        sa.ForeignKeyConstraint(
            ["to_budget_id"],
            ["budgets.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_budget_adjustments_budget_id"), "budget_adjustments", ["budget_id"], unique=False
    )
    op.create_index(
        op.f("ix_budget_adjustments_created_at"), "budget_adjustments", ["created_at"], unique=False
    )
    op.create_table(
        "budget_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("threshold", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("percent_used", sa.Numeric(precision=9, scale=1), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_id"],
            ["budgets.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("budget_id", "month", "threshold", name="uq_budget_alerts_once"),
    )
    op.create_index(
        op.f("ix_budget_alerts_budget_id"), "budget_alerts", ["budget_id"], unique=False
    )
    op.create_table(
        "budget_months",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_id"],
            ["budgets.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("budget_id", "month", name="uq_budget_months"),
    )
    op.create_index(
        op.f("ix_budget_months_budget_id"), "budget_months", ["budget_id"], unique=False
    )
    op.create_table(
        "budget_adjustment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("adjustment_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("to_status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["adjustment_id"],
            ["budget_adjustments.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_budget_adjustment_events_adjustment_id"),
        "budget_adjustment_events",
        ["adjustment_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_budget_adjustment_events_adjustment_id"), table_name="budget_adjustment_events"
    )
    op.drop_table("budget_adjustment_events")
    op.drop_index(op.f("ix_budget_months_budget_id"), table_name="budget_months")
    op.drop_table("budget_months")
    op.drop_index(op.f("ix_budget_alerts_budget_id"), table_name="budget_alerts")
    op.drop_table("budget_alerts")
    op.drop_index(op.f("ix_budget_adjustments_created_at"), table_name="budget_adjustments")
    op.drop_index(op.f("ix_budget_adjustments_budget_id"), table_name="budget_adjustments")
    op.drop_table("budget_adjustments")
    op.drop_index(op.f("ix_budgets_year"), table_name="budgets")
    op.drop_index(op.f("ix_budgets_account_code"), table_name="budgets")
    op.drop_table("budgets")

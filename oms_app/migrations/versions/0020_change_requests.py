"""master-data change requests (proposals of guarded fields) and audit-log filter indexes

Revision ID: 0020_change_requests
Revises: 0019_money_release
Create Date: 2026-12-03 14:10:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0020_change_requests"
down_revision = "0019_money_release"
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "master_data_change_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", text(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("entity_key", text(length=64), nullable=False),
        sa.Column("field", text(length=64), nullable=False),
        sa.Column("old_value", text(length=64), nullable=False),
        sa.Column("new_value", text(length=64), nullable=False),
        sa.Column("status", text(length=16), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_by", text(length=64), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", text(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", text(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_master_data_change_requests_entity_id",
        "master_data_change_requests",
        ["entity_id"],
    )
    op.create_index(
        "ix_master_data_change_requests_status", "master_data_change_requests", ["status"]
    )
    # the audit screen filters by entity and by who
    op.create_index("ix_audit_log_entity_entity_id", "audit_log", ["entity", "entity_id"])
    op.create_index("ix_audit_log_actor_name", "audit_log", ["actor_name"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_actor_name", table_name="audit_log")
    op.drop_index("ix_audit_log_entity_entity_id", table_name="audit_log")
    op.drop_index("ix_master_data_change_requests_status", "master_data_change_requests")
    op.drop_index("ix_master_data_change_requests_entity_id", "master_data_change_requests")
    op.drop_table("master_data_change_requests")

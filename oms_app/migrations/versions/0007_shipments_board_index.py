"""shipments by warehouse and status (the picking board)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 22:55:00
"""
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_shipments_board', 'shipments', ['warehouse_id', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_shipments_board', table_name='shipments')

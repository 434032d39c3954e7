"""report centre: report_runs (files in bytea, progress, e-mail) and report_run_events

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 01:24:22.987205
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('schedule_key', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=True),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('requested_by_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('xlsx', sa.LargeBinary(), nullable=True),
    sa.Column('pdf_size', sa.Integer(), nullable=False),
    sa.Column('xlsx_size', sa.Integer(), nullable=False),
    sa.Column('email_to', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('emailed_to', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('schedule_key')
    )
    op.create_index(op.f('ix_report_runs_created_at'), 'report_runs', ['created_at'], unique=False)
    op.create_index(op.f('ix_report_runs_kind'), 'report_runs', ['kind'], unique=False)
    op.create_index(op.f('ix_report_runs_requested_by'), 'report_runs', ['requested_by'], unique=False)
    op.create_index(op.f('ix_report_runs_status'), 'report_runs', ['status'], unique=False)
    op.create_table('report_run_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('to_status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['report_runs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_report_run_events_run_id'), 'report_run_events', ['run_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_report_run_events_run_id'), table_name='report_run_events')
    op.drop_table('report_run_events')
    op.drop_index(op.f('ix_report_runs_status'), table_name='report_runs')
    op.drop_index(op.f('ix_report_runs_requested_by'), table_name='report_runs')
    op.drop_index(op.f('ix_report_runs_kind'), table_name='report_runs')
    op.drop_index(op.f('ix_report_runs_created_at'), table_name='report_runs')
    op.drop_table('report_runs')

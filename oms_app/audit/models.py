"""The append-only audit log (a trigger in the migration refuses UPDATE and DELETE)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from oms_app.core.db import json_field, utc_field


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_field(default_now=True, index=True)
    actor_id: int | None = Field(default=None, index=True)
    actor_name: str = Field(max_length=64, index=True)
    action: str = Field(max_length=64, index=True)
    entity: str = Field(default="", max_length=64)
    entity_id: str = Field(default="", max_length=64)
    detail: dict = json_field()

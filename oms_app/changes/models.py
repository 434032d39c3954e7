"""Proposed changes to guarded master-data fields, waiting for someone with the right."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from oms_app.core.db import utc_field


class MasterDataChangeRequest(SQLModel, table=True):
    __tablename__ = "master_data_change_requests"

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=32, description="customer, product")
    entity_id: int = Field(index=True)
    entity_key: str = Field(default="", max_length=64, description="code or SKU, for people")
    field: str = Field(max_length=64)
    old_value: str = Field(default="", max_length=64)
    new_value: str = Field(max_length=64)
    # proposed: waits for a decision; approved: applied to the record; rejected: dropped
    status: str = Field(default="proposed", max_length=16, index=True)
    proposed_by_id: int | None = Field(default=None)
    proposed_by: str = Field(max_length=64)
    proposed_at: datetime = utc_field(default_now=True)
    decided_by_id: int | None = Field(default=None)
    decided_by: str = Field(default="", max_length=64)
    decided_at: datetime | None = utc_field()
    reason: str = Field(default="", max_length=500)

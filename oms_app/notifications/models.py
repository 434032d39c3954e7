"""In-app notifications shown by the bell."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from oms_app.core.db import json_field, utc_field


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    kind: str = Field(default="info", max_length=16, description="info, warning, alert")
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=1000)
    link: str = Field(default="", max_length=200)
    params: dict = json_field()
    created_at: datetime = utc_field(default_now=True, index=True)
    read_at: datetime | None = utc_field()

"""Recurring order templates become drafts (beat: hourly; a template runs once a day)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import OperationalError

from oms_app.core.config import get_settings
from oms_app.core.db import UnitOfWork
from oms_app.orders import templates as order_templates
from tasks.celery_app import celery_app


@celery_app.task(
    name="tasks.templates.run_recurring",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def run_recurring() -> list[str]:
    """Make today's recurring drafts; running it again the same day makes none."""
    today = datetime.now(ZoneInfo(get_settings().default_tz)).date()
    return order_templates.run_recurring(UnitOfWork(), today=today)

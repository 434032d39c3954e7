"""Budget alerts on a real Celery worker: the 80 % alert reaches finance's bells once."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.clock import business_zone, utcnow
from oms_app.ledger import service as ledger_service
from tasks import budgets as budget_tasks
from tests.factories.budgets import make_budget, make_finance_team
from tests.factories.ledger import expense

WAIT = 30


def alerts_of(uow, title: str) -> int:
    with uow:
        return uow.session.scalar(
            sa.text("SELECT count(*) FROM notifications WHERE title = :t"), {"t": title}
        )


def test_the_beat_task_sends_the_80_percent_alert_once(uow, celery_worker):
    # given a budget of 1000 this month with 850 spent (and a month-end forecast under 1000
    # on the last days, over it earlier: the forecast alert is not what this test counts)
    team = make_finance_team(uow)
    today = utcnow().astimezone(business_zone()).date()
    make_budget(uow, actor=team.manager, year=today.year, monthly="1000.00")
    ledger_service.post_expense(
        uow,
        facts=expense("INV-80", "6602", "850.00", on=today, cost_centre="HR"),
        actor=team.manager,
    )
    # when the beat task runs twice on the worker
    first = budget_tasks.check_budgets_task.delay().get(timeout=WAIT)
    second = budget_tasks.check_budgets_task.delay().get(timeout=WAIT)
    # then each finance user got the 80 % alert once, and nothing more the second time
    assert first >= 1 and second == 0
    assert alerts_of(uow, "budgets.alert.used_80") == 2
    assert alerts_of(uow, "budgets.alert.used_100") == 0
    with uow:
        sent = uow.session.execute(sa.text("SELECT threshold FROM budget_alerts")).scalars().all()
    assert "80" in sent and "100" not in sent

"""Who a report may be mailed to (issue 14, finding 13): users of the system and allowed
domains, checked when it is asked for and again when it is sent."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from oms_app.accounts.models import User
from oms_app.core.config import reset_settings_cache
from oms_app.core.errors import ValidationFailed
from oms_app.core.i18n import translate
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.core.state_machine import apply_transition
from oms_app.reports import service as reports_service
from oms_app.reports.models import ReportRun
from oms_app.reports.status import ReportAction
from tests.factories.accounts import make_actor, make_user
from tests.smtp_infra import smtp_server

WEEK = {"date_from": date(2026, 3, 2), "date_to": date(2026, 3, 8)}


@pytest.fixture
def settings_env(monkeypatch):
    """Set OMS_ settings for one test; the cache is reset before and after."""

    def put(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"OMS_{name.upper()}", value)
        reset_settings_cache()

    yield put
    monkeypatch.delenv("OMS_REPORT_ALLOWED_DOMAINS", raising=False)
    monkeypatch.delenv("OMS_SMTP_HOST", raising=False)
    reset_settings_cache()


@pytest.fixture
def executive(uow):
    return make_actor(uow, username="exec1", roles=["executive"])


def runs(uow) -> int:
    with uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(ReportRun))


def ask(uow, executive, email_to: str) -> int:
    return reports_service.request_report(
        uow, actor=executive, kind="weekly_sales", email_to=email_to, **WEEK
    )


def test_an_outside_address_is_refused_naming_it_and_nothing_is_queued(uow, executive):
    with pytest.raises(ValidationFailed) as refused:
        ask(uow, executive, "leak@rival.example")
    error = refused.value
    assert (error.field, error.code) == ("email_to", "error.report.recipient_not_allowed")
    for locale in ("zh_CN", "en"):
        assert "leak@rival.example" in translate(error.code, locale, **error.params)
    assert runs(uow) == 0


def test_a_users_address_is_accepted_whatever_its_case(uow, executive):
    make_user(uow, username="cfo", roles=["finance"], email="CFO@Company.example")
    run_id = ask(uow, executive, "cfo@company.example")
    with uow:
        assert uow.session.get(ReportRun, run_id).email_to == "cfo@company.example"


def test_a_disabled_users_address_is_refused(uow, executive):
    user_id = make_user(uow, username="gone", roles=["finance"], email="gone@company.example")
    with uow:
        uow.session.get(User, user_id).is_active = False
        uow.commit()
    with pytest.raises(ValidationFailed):
        ask(uow, executive, "gone@company.example")
    assert runs(uow) == 0


def test_an_address_in_an_allowed_domain_is_accepted(uow, executive, settings_env):
    settings_env(report_allowed_domains="partner.example, @Board.example")
    assert ask(uow, executive, "auditor@partner.example, chair@board.example")


def mark_done(uow, run_id: int) -> None:
    """The worker's part, done here: the run finished with its files."""
    with uow:
        run = uow.session.get(ReportRun, run_id, with_for_update=True)
        apply_transition(uow, run, ReportAction.START, actor=SYSTEM_ACTOR)
        run.pdf, run.xlsx = b"%PDF-1.4 test", b"PK test"
        apply_transition(uow, run, ReportAction.FINISH, actor=SYSTEM_ACTOR)
        uow.commit()


def test_at_send_time_a_recipient_no_longer_allowed_is_skipped_and_noted(
    uow, executive, settings_env
):
    # given a report for a user and a partner, asked for while both were allowed
    user_id = make_user(uow, username="cfo", roles=["finance"], email="cfo@company.example")
    settings_env(report_allowed_domains="partner.example")
    run_id = ask(uow, executive, "cfo@company.example, auditor@partner.example")
    mark_done(uow, run_id)
    # when, before it is sent, the user is disabled and the partner's domain is dropped
    with uow:
        uow.session.get(User, user_id).is_active = False
        uow.commit()
    with smtp_server() as (port, mailbox):
        settings_env(report_allowed_domains="", smtp_host="127.0.0.1", smtp_port=str(port))
        sent = reports_service.deliver_report(uow, run_id=run_id)
    # then nobody is mailed, and the run says who was skipped
    assert sent == [] and mailbox.messages == []
    with uow:
        run = uow.session.get(ReportRun, run_id)
        assert run.emailed_at is None
        assert "cfo@company.example" in run.error and "auditor@partner.example" in run.error


def test_at_send_time_the_allowed_recipients_still_get_the_report(uow, executive, settings_env):
    make_user(uow, username="cfo", roles=["finance"], email="cfo@company.example")
    settings_env(report_allowed_domains="partner.example")
    run_id = ask(uow, executive, "cfo@company.example, auditor@partner.example")
    mark_done(uow, run_id)
    with smtp_server() as (port, mailbox):
        settings_env(report_allowed_domains="", smtp_host="127.0.0.1", smtp_port=str(port))
        sent = reports_service.deliver_report(uow, run_id=run_id)
    assert sent == ["cfo@company.example"]
    assert [recipients for recipients, _ in mailbox.messages] == [["cfo@company.example"]]
    with uow:
        run = uow.session.get(ReportRun, run_id)
        assert run.emailed_to == "cfo@company.example" and "auditor@partner.example" in run.error

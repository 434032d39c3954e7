"""Reports made by a real worker: the PDF opens with the expected pages, the workbook's totals
are the KPI revenue, progress reaches 100, re-running is harmless, and the files are mailed
through a real SMTP server when one is configured."""

from __future__ import annotations

import io
import time
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from oms_app.analytics.kpis import compute_kpis
from oms_app.core.config import reset_settings_cache
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.reports import queries as report_queries
from oms_app.reports import service as reports_service
from oms_app.reports.models import ReportRun, ReportRunEvent
from tasks import reports as report_tasks
from tests.factories.accounts import make_actor
from tests.factories.dashboard import add_orders, make_shop, utc
from tests.smtp_infra import smtp_server

WAIT = 60
WEEK = (date(2026, 3, 2), date(2026, 3, 8))
ORDERS = [  # (created, status, unit price): five booked orders in the week, one not booked
    (utc(2026, 3, 2, 2), "approved", Decimal("120.00")),
    (utc(2026, 3, 3, 5), "shipped", Decimal("80.50")),
    (utc(2026, 3, 3, 6), "completed", Decimal("19.99")),
    (utc(2026, 3, 6, 1), "approved", Decimal("300.00")),
    (utc(2026, 3, 8, 15), "delivered", Decimal("45.10")),
    (utc(2026, 3, 4, 1), "cancelled", Decimal("999.00")),
]


@pytest.fixture
def week_of_sales(uow):
    shop = make_shop(uow)
    add_orders(
        uow,
        shop,
        [
            {
                "status": status,
                "created": created,
                "lines": [
                    ("OFF-0001", 2, price, Decimal("0")),
                    ("ELE-0002", 1, price, Decimal("5")),
                ],
            }
            for created, status, price in ORDERS
        ],
    )
    return shop


@pytest.fixture
def executive(uow):
    return make_actor(uow, username="exec1", roles=["executive"])


@pytest.fixture
def outside_recipients(monkeypatch):
    """The tests mail to example.com addresses, which are not users: allow the domain."""
    monkeypatch.setenv("OMS_REPORT_ALLOWED_DOMAINS", "example.com")
    reset_settings_cache()
    yield
    monkeypatch.delenv("OMS_REPORT_ALLOWED_DOMAINS")
    reset_settings_cache()


@pytest.fixture
def mail_to(monkeypatch, outside_recipients):
    """A local SMTP server the settings point at; yields its mailbox."""
    with smtp_server() as (port, mailbox):
        monkeypatch.setenv("OMS_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("OMS_SMTP_PORT", str(port))
        monkeypatch.setenv("OMS_SMTP_FROM", "reports@oms.test")
        reset_settings_cache()
        yield mailbox
    monkeypatch.delenv("OMS_SMTP_HOST")
    reset_settings_cache()


def run_row(uow, run_id: int) -> dict:
    return report_queries.get_run(uow, actor=SYSTEM_ACTOR, run_id=run_id)


def files_of(uow, run_id: int) -> tuple[bytes, bytes]:
    pdf = report_queries.get_report_file(uow, actor=SYSTEM_ACTOR, run_id=run_id, fmt="pdf")
    xlsx = report_queries.get_report_file(uow, actor=SYSTEM_ACTOR, run_id=run_id, fmt="xlsx")
    return pdf[1], xlsx[1]


def history(uow, run_id: int) -> list[tuple[str, str]]:
    with uow:
        rows = uow.session.execute(
            sa.select(ReportRunEvent.action, ReportRunEvent.to_status)
            .where(ReportRunEvent.run_id == run_id)
            .order_by(ReportRunEvent.id)
        )
        return [tuple(r) for r in rows]


def test_a_requested_report_has_a_four_page_pdf_and_a_workbook_totalling_the_kpis(
    uow, celery_worker, week_of_sales, executive
):
    # given
    run_id = reports_service.request_report(
        uow, actor=executive, kind="weekly_sales", date_from=WEEK[0], date_to=WEEK[1]
    )
    kpis = compute_kpis(uow, actor=SYSTEM_ACTOR, date_from=WEEK[0], date_to=WEEK[1])["current"]
    # when
    status = report_tasks.generate_report_task.delay(run_id).get(timeout=WAIT)
    # then
    row = run_row(uow, run_id)
    assert status == "done" and (row["status"], row["progress"]) == ("done", 100)
    assert history(uow, run_id) == [("start", "running"), ("finish", "done")]
    pdf, xlsx = files_of(uow, run_id)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 4
    assert kpis["orders"] == 5
    assert "订单数：5" in pages[0].extract_text()  # the executive reads Chinese
    assert "每周销售报表" in pages[0].extract_text()
    assert "关键指标" in pages[1].extract_text() and "每日销售" in pages[2].extract_text()
    book = load_workbook(io.BytesIO(xlsx))
    daily = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    days, total = daily[:-1], daily[-1]
    assert len(days) == 7 and total[0] == "合计"
    assert sum(Decimal(str(d[2])) for d in days) == Decimal(str(total[2]))
    assert Decimal(str(total[2])) == Decimal(kpis["revenue"])
    assert sum(d[1] for d in days) == total[1] == 5
    kpi_sheet = {r[0]: r[1] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(kpi_sheet["销售收入"])) == Decimal(kpis["revenue"])


def test_running_a_finished_report_again_changes_nothing(
    uow, celery_worker, week_of_sales, executive
):
    run_id = reports_service.request_report(uow, actor=executive, kind="weekly_sales")
    report_tasks.generate_report_task.delay(run_id).get(timeout=WAIT)
    before, files_before = history(uow, run_id), files_of(uow, run_id)
    # when
    again = report_tasks.generate_report_task.delay(run_id).get(timeout=WAIT)
    # then
    assert again == "done"
    assert history(uow, run_id) == before and files_of(uow, run_id) == files_before


def test_a_failure_marks_the_run_failed_with_its_reason(uow, celery_worker, executive, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the drawing failed")

    monkeypatch.setattr(reports_service, "render_pdf", broken)
    run_id = reports_service.request_report(uow, actor=executive, kind="daily_operations")
    assert report_tasks.generate_report_task.delay(run_id).get(timeout=WAIT) == "failed"
    row = run_row(uow, run_id)
    assert (row["status"], row["error"], row["files"]) == ("failed", "the drawing failed", {})
    assert history(uow, run_id)[-1] == ("fail", "failed")


def test_a_finished_report_is_mailed_once_with_both_files(
    uow, celery_worker, week_of_sales, executive, mail_to
):
    run_id = reports_service.request_report(
        uow, actor=executive, kind="weekly_sales", email_to="boss@example.com, cfo@example.com"
    )
    # when generated twice
    report_tasks.generate_report_task.delay(run_id).get(timeout=WAIT)
    report_tasks.generate_report_task.delay(run_id).get(timeout=WAIT)
    # then one message reached both recipients with the PDF and the workbook
    assert len(mail_to.messages) == 1
    recipients, message = mail_to.messages[0]
    assert sorted(recipients) == ["boss@example.com", "cfo@example.com"]
    assert message["From"] == "reports@oms.test" and "每周销售报表" in message["Subject"]
    names = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    row = run_row(uow, run_id)
    stem = f"weekly_sales-{row['from']}-{row['to']}"
    assert sorted(names) == [f"{stem}.pdf", f"{stem}.xlsx"]
    assert list(names.values()) == list(files_of(uow, run_id))
    assert row["emailed_to"] == "boss@example.com,cfo@example.com"


def test_without_an_smtp_host_nothing_is_mailed(uow, celery_worker, executive, outside_recipients):
    run_id = reports_service.request_report(
        uow, actor=executive, kind="daily_operations", email_to="boss@example.com"
    )
    assert report_tasks.generate_report_task.delay(run_id).get(timeout=WAIT) == "done"
    assert run_row(uow, run_id)["emailed_to"] == ""


def test_the_beat_task_makes_the_daily_report_once_however_often_it_fires(uow, celery_worker):
    first = report_tasks.schedule_report_task.delay("daily_operations").get(timeout=WAIT)
    second = report_tasks.schedule_report_task.delay("daily_operations").get(timeout=WAIT)
    assert first == second
    deadline = time.monotonic() + WAIT
    while run_row(uow, first)["status"] != "done" and time.monotonic() < deadline:
        time.sleep(0.2)
    row = run_row(uow, first)
    assert (row["status"], row["scheduled"], row["locale"]) == ("done", True, "zh_CN")
    with uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(ReportRun)) == 1

"""Use cases of the report centre: ask for a report, schedule one, generate it, mail it.

A run moves queued -> running -> done (or failed) through `apply_transition`; progress is
committed at each step so the page and the API can show it while the worker is busy.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from oms_app.analytics.kpis import validate_period
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.config import get_settings
from oms_app.core.errors import NotFound
from oms_app.core.i18n import SUPPORTED
from oms_app.core.permissions import SYSTEM_ACTOR, Actor, Permission, require
from oms_app.core.state_machine import apply_transition
from oms_app.reports import recipients as report_recipients
from oms_app.reports import rules
from oms_app.reports.content import build_report_content
from oms_app.reports.labels import SCHEDULED_LOCALE, label
from oms_app.reports.mail import Attachment, mail_configured, send_report_mail
from oms_app.reports.models import ReportRun
from oms_app.reports.queries import FORMATS, file_name
from oms_app.reports.status import ReportAction, ReportKind, ReportStatus

log = logging.getLogger(__name__)


# The drawing libraries (reportlab, openpyxl) load where reports are drawn (the Celery worker),
# not in every web worker that only requests and lists them.
def render_pdf(content: dict, *, locale: str, requested_by: str = "") -> bytes:
    from oms_app.reports.pdf import render_pdf as draw

    return draw(content, locale=locale, requested_by=requested_by)


def render_xlsx(content: dict, *, locale: str) -> bytes:
    from oms_app.reports.xlsx import render_xlsx as draw

    return draw(content, locale=locale)


@dataclass(frozen=True)
class RunSpec:
    """What a worker needs to draw a run, read when it starts."""

    run_id: int
    kind: ReportKind
    date_from: date
    date_to: date
    locale: str
    requested_by_name: str


def business_today() -> date:
    return utcnow().astimezone(business_zone()).date()


def request_report(
    uow,
    *,
    actor: Actor,
    kind: str,
    date_from: date | None = None,
    date_to: date | None = None,
    email_to: str = "",
) -> int:
    """Queue a report for the user; a missing period end takes the kind's default."""
    require(actor, Permission.DASHBOARD_VIEW)
    report_kind = rules.parse_kind(kind)
    first, last = rules.default_period(report_kind, business_today())
    date_from, date_to = date_from or first, date_to or last
    validate_period(date_from, date_to)
    recipients = rules.parse_recipients(email_to)
    with uow:
        report_recipients.require_allowed_recipients(uow, recipients)
        run = ReportRun(
            kind=report_kind.value,
            date_from=date_from,
            date_to=date_to,
            locale=actor.locale if actor.locale in SUPPORTED else SCHEDULED_LOCALE,
            requested_by=actor.user_id,
            requested_by_name=actor.username,
            email_to=",".join(recipients),
        )
        uow.session.add(run)
        uow.commit()
        return run.id


def schedule_report(
    uow, *, kind: str, actor: Actor = SYSTEM_ACTOR, today: date | None = None
) -> int | None:
    """Queue the scheduled report of a kind when due today, once however often asked."""
    require(actor, Permission.DASHBOARD_VIEW)
    report_kind = rules.parse_kind(kind)
    today = today or business_today()
    # Beat cannot say "the 1st in Shanghai" in UTC, so it fires on the candidates and we pick.
    if not rules.is_due(report_kind, today):
        return None
    date_from, date_to = rules.default_period(report_kind, today)
    key = rules.schedule_key(report_kind, date_from)
    find = sa.select(ReportRun.id).where(ReportRun.schedule_key == key)
    recipients = rules.parse_recipients(get_settings().report_recipients)
    with uow:
        if (found := uow.session.scalar(find)) is not None:
            return found
        run = ReportRun(
            kind=report_kind.value,
            date_from=date_from,
            date_to=date_to,
            locale=SCHEDULED_LOCALE,
            schedule_key=key,
            email_to=",".join(recipients),
        )
        uow.session.add(run)
        try:
            uow.commit()
        except IntegrityError:  # another beat made it a moment ago
            uow.rollback()
            return uow.session.scalar(find)
        return run.id


def generate_report(uow, *, run_id: int, actor: Actor = SYSTEM_ACTOR) -> str:
    """Gather the figures, draw the PDF and XLSX, store them and mail them; safe to re-run."""
    require(actor, Permission.DASHBOARD_VIEW)
    spec = _start(uow, run_id, actor)
    if spec is not None:
        try:
            content = build_report_content(
                uow,
                kind=spec.kind,
                date_from=spec.date_from,
                date_to=spec.date_to,
                locale=spec.locale,
            )
            _advance(uow, run_id, rules.PROGRESS_FIGURES)
            pdf = render_pdf(content, locale=spec.locale, requested_by=spec.requested_by_name)
            _advance(uow, run_id, rules.PROGRESS_PDF)
            xlsx = render_xlsx(content, locale=spec.locale)
            _advance(uow, run_id, rules.PROGRESS_XLSX)
            _finish(uow, run_id, actor, pdf=pdf, xlsx=xlsx)
        except Exception as err:  # any failure is the run's outcome, shown to the user
            log.exception("report run %s failed", run_id)
            _fail(uow, run_id, actor, err)
    deliver_report(uow, run_id=run_id, actor=actor)
    with uow:
        return str(uow.session.scalar(sa.select(ReportRun.status).where(ReportRun.id == run_id)))


def _locked(uow, run_id: int) -> ReportRun:
    run = uow.session.get(ReportRun, run_id, with_for_update=True)
    if run is None:
        raise NotFound(field="report", id=run_id)
    return run


def _start(uow, run_id: int, actor: Actor) -> RunSpec | None:
    """Mark the run running; None when it is already finished (a re-run does nothing)."""
    with uow:
        run = _locked(uow, run_id)
        if run.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return None
        action = ReportAction.START if run.status == ReportStatus.QUEUED else ReportAction.RESTART
        apply_transition(uow, run, action, actor=actor)
        run.progress, run.started_at, run.error = rules.PROGRESS_STARTED, utcnow(), ""
        spec = RunSpec(
            run.id,
            ReportKind(run.kind),
            run.date_from,
            run.date_to,
            run.locale,
            run.requested_by_name,
        )
        uow.commit()
        return spec


def _advance(uow, run_id: int, progress: int) -> None:
    """Commit the progress of a running run so pollers see it move."""
    with uow:
        uow.session.execute(
            sa.update(ReportRun)
            .where(ReportRun.id == run_id, ReportRun.status == ReportStatus.RUNNING)
            .values(progress=progress, updated_at=utcnow())
        )
        uow.commit()


def _finish(uow, run_id: int, actor: Actor, *, pdf: bytes, xlsx: bytes) -> None:
    with uow:
        run = _locked(uow, run_id)
        if run.status != ReportStatus.RUNNING:  # a twin delivery finished it first
            return
        run.pdf, run.xlsx, run.pdf_size, run.xlsx_size = pdf, xlsx, len(pdf), len(xlsx)
        run.progress, run.finished_at = rules.PROGRESS_DONE, utcnow()
        apply_transition(uow, run, ReportAction.FINISH, actor=actor)
        uow.commit()


def _fail(uow, run_id: int, actor: Actor, err: Exception) -> None:
    with uow:
        run = _locked(uow, run_id)
        if run.status not in (ReportStatus.QUEUED, ReportStatus.RUNNING):
            return
        run.error = (str(err) or type(err).__name__)[:500]
        run.finished_at = utcnow()
        apply_transition(uow, run, ReportAction.FAIL, actor=actor, reason=run.error)
        uow.commit()


def deliver_report(uow, *, run_id: int, actor: Actor = SYSTEM_ACTOR) -> list[str]:
    """Mail a finished report with both files to its recipients, once; [] when not mailed."""
    require(actor, Permission.DASHBOARD_VIEW)
    if not mail_configured():
        return []
    with uow:
        run = _locked(uow, run_id)  # the lock keeps twin deliveries from mailing twice
        recipients = [a for a in run.email_to.split(",") if a]
        if run.status != ReportStatus.DONE or run.emailed_at is not None or not recipients:
            return []
        recipients = _still_allowed(uow, run, recipients)
        if not recipients:
            uow.commit()
            return []
        try:
            send_report_mail(
                recipients=recipients,
                subject=_subject(run),
                body=label("mail_body", run.locale, start=run.date_from, end=run.date_to),
                attachments=[
                    Attachment(file_name(run, fmt), getattr(run, fmt), FORMATS[fmt])
                    for fmt in FORMATS
                ],
            )
        except (smtplib.SMTPException, OSError) as err:
            log.warning("report run %s could not be mailed: %s", run_id, err)
            run.error = f"e-mail: {err}"[:500]
            uow.commit()
            return []
        run.emailed_to, run.emailed_at = ",".join(recipients), utcnow()
        uow.commit()
        return recipients


def _still_allowed(uow, run: ReportRun, recipients: list[str]) -> list[str]:
    """The recipients a report may still go to; the others are skipped, logged and noted on
    the run (a user disabled since it was asked for, or the allowed domains narrowed)."""
    refused = report_recipients.refused_recipients(uow, recipients)
    if refused:
        log.warning("report run %s: not mailed to %s (not allowed)", run.id, ", ".join(refused))
        run.error = f"e-mail: not sent to {', '.join(refused)} (not allowed)"[:500]
    return [a for a in recipients if a not in refused]


def _subject(run: ReportRun) -> str:
    title = label(f"kind.{run.kind}", run.locale)
    return f"{title} {run.date_from} – {run.date_to}"

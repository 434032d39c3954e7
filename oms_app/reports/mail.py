"""Deliver a finished report by e-mail through the configured SMTP server (standard library)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from oms_app.core.config import get_settings

SMTP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str  # "application/pdf"


def mail_configured() -> bool:
    """True when an SMTP host is set; without one no report is mailed."""
    return bool(get_settings().smtp_host.strip())


def send_report_mail(
    *, recipients: list[str], subject: str, body: str, attachments: list[Attachment]
) -> None:
    """Send one message with the attachments to every recipient."""
    settings = get_settings()
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(body)
    for item in attachments:
        maintype, _, subtype = item.mime_type.partition("/")
        message.add_attachment(
            item.content, maintype=maintype, subtype=subtype, filename=item.filename
        )
    with smtplib.SMTP(
        settings.smtp_host.strip(), settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS
    ) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)

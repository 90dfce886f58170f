"""Report emails over SMTP: plain text and HTML alternatives (the chart inline SVG, its table after it)."""
from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from scheduler.config.models import Smtp
from scheduler.config.secrets import get_secret
from scheduler.errors import ScopeKeeperError
from scheduler.logs import redact, register_secret
from scheduler.reports.documents import Documents

TIMEOUT_SECONDS = 30


class MailError(ScopeKeeperError):
    """A report email could not be sent; the message names the server and the reason, never the password."""


def message(documents: Documents, sender: str, to: Sequence[str]) -> EmailMessage:
    """multipart/mixed [alternative [text, html], CSV attachments]."""
    mail = EmailMessage()
    mail["Subject"] = documents.subject
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain="scopekeeper")
    mail.set_content(documents.text)
    mail.add_alternative(documents.html, subtype="html")
    for name, content in documents.attachments.items():
        mail.add_attachment(content, maintype="text", subtype="csv", filename=name)
    return mail


def sender(configured: str, name: str | None) -> str:
    """The From of an email to a client: the VA's name on the configured address ('Anna <va@...>')."""
    if not name:
        return configured
    return formataddr((name, parseaddr(configured)[1] or configured))


def send(smtp: Smtp, messages: Sequence[EmailMessage], what: str = "the report email") -> None:
    """Send the messages over one connection (ssl, starttls or none, as configured); `what` names them in errors."""
    password = _password(smtp)
    try:
        context = ssl.create_default_context()
        if smtp.security == "ssl":
            connection = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS, context=context)
        else:
            connection = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS)
        with connection:
            if smtp.security == "starttls":
                connection.starttls(context=context)
            if smtp.username:
                connection.login(smtp.username, password or "")
            for mail in messages:
                connection.send_message(mail)
    except (OSError, smtplib.SMTPException) as err:
        reason = redact(str(err) or type(err).__name__)  # the password was registered: all its forms go
        raise MailError(f"cannot send {what} through {smtp.host}:{smtp.port} ({smtp.security}): "
                        f"{reason}") from None


def _password(smtp: Smtp) -> str | None:
    if not smtp.username:
        return None
    if not smtp.password_env:
        raise MailError("smtp.username is set but smtp.password_env is not: name the environment variable "
                        "holding the SMTP password")
    password = get_secret(smtp.password_env)
    register_secret(password)  # the worker's logs redact it from then on
    return password

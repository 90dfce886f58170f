"""Where notifications go: email through [smtp], and each apprise URL of [notify] urls."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol
from urllib.parse import unquote, urlsplit

from scheduler.config.models import AppConfig, Smtp, looks_like_secret
from scheduler.config.secrets import MissingSecret
from scheduler.logs import redact, register_secrets

log = logging.getLogger("scopekeeper.notify")


class Channel(Protocol):
    """One way of reaching the VA."""

    name: str

    def send(self, title: str, body: str) -> str | None:
        """None once delivered, else why not (already redacted)."""


@dataclass
class EmailChannel:
    """A plain-text email to the VA through the configured SMTP server."""

    smtp: Smtp
    to: Sequence[str]
    name: str = "email"

    def send(self, title: str, body: str) -> str | None:
        # Imported here: the reports' mail module brings their templates (jinja2), which a scan needs only to mail.
        from scheduler.reports.mail import MailError, send

        mail = EmailMessage()
        mail["Subject"], mail["From"], mail["To"] = title, self.smtp.sender, ", ".join(self.to)
        mail["Date"], mail["Message-ID"] = formatdate(localtime=True), make_msgid(domain="scopekeeper")
        mail.set_content(body)
        try:
            send(self.smtp, [mail], "the notification email")
        except (MailError, MissingSecret) as err:
            return redact(str(err))
        return None


@dataclass
class AppriseChannel:
    """One apprise URL (ntfy, Telegram, Slack, Pushover...); named by its scheme only: the rest is a secret."""

    url: str
    name: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or f"{urlsplit(self.url).scheme}://…"

    def send(self, title: str, body: str) -> str | None:
        import apprise  # here: only installations with [notify] urls pay for loading its plugins

        sender = apprise.Apprise()
        if not sender.add(self.url):
            return f"{self.name} is not an apprise URL apprise understands (see https://github.com/caronc/apprise/wiki)"
        try:
            delivered = sender.notify(title=title, body=body)
        except Exception as err:  # a plugin's own bug must not stop the worker
            return redact(f"{self.name}: {type(err).__name__}: {err}")
        return None if delivered else f"{self.name} did not accept the message (see the log for apprise's reason)"


def channels(config: AppConfig) -> list[Channel]:
    """Every channel [notify] asks for: email (when [smtp] and an address exist), then each URL."""
    found: list[Channel] = []
    if config.notify.email and config.smtp is not None and config.notify_recipients:
        found.append(EmailChannel(config.smtp, config.notify_recipients))
    found += [AppriseChannel(url) for url in config.notify.urls]
    return found


def register_url_secrets(urls: Sequence[str]) -> None:
    """Apprise URLs carry tokens and passwords: the whole URL and each secret-looking part are redacted."""
    for url in urls:
        parts = urlsplit(url)
        pieces = [url, url.split("://", 1)[-1], parts.password, parts.username if parts.password else None]
        pieces += [unquote(p) for p in (parts.hostname or "", *parts.path.split("/"), *parts.query.split("&"))
                   if looks_like_secret(unquote(p).split("=")[-1])]
        register_secrets(p.split("=")[-1] if p and "=" in p else p for p in pieces)

"""Report test fixtures: a four-client practice in four languages, a loopback SMTP server, Chromium."""
from __future__ import annotations

import email
import os
import re
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import tomli_w

from integrations.models import Card
from scheduler.config.models import AppConfig, parse_config
from scheduler.reports.source import ExportSource
from scheduler.reports.weeks import parse_week
from tests.rules.support import card as rule_card

WEEK = parse_week("2026-W47")  # Mon 16 - Sun 22 November 2026
MONDAY_AFTER = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# aiosmtpd warns that AUTH without STARTTLS is unsafe: the tests do it on purpose, on loopback.
QUIET_SMTP = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
SMTP_PASSWORD = "Pa55-w0rd-for-the-test-only"
PASSWORD_ENV = "SK_TEST_SMTP_PASSWORD"
SMTP = {"host": "127.0.0.1", "username": "va@example.com", "password_env": PASSWORD_ENV,
        "from": "ScopeKeeper <reports@example.com>"}


def _client(name: str, language: str, timezone: str, period: str, hours: int, rate: int, currency: str,
            services: list[dict], out_of_scope: list[dict]) -> dict:
    return {"name": name, "language": language, "timezone": timezone,
            "contract": {"hours": hours, "period": period, "overage_rate": rate, "currency": currency,
                         "consultation_url": f"https://book.example/{language}", "min_notice_hours": 24,
                         "services": services, "out_of_scope": out_of_scope}}


CLIENTS = [
    _client("Harbor Lane Bakery", "en", "America/New_York", "month", 20, 45, "USD",
            [{"name": "Newsletter", "keywords": ["newsletter"]},
             {"name": "Social media", "keywords": ["instagram", "facebook"]}],
            [{"name": "Content strategy", "keywords": ["strategy"], "response": "consultation"},
             {"name": "Bookkeeping", "keywords": ["invoice"], "response": "referral",
              "referral": "Maria Lopez, bookkeeper - maria@example.com"}]),
    _client("Maison Pivoine", "fr", "Europe/Paris", "week", 10, 40, "EUR",
            [{"name": "Réseaux sociaux", "keywords": ["instagram"]},
             {"name": "Newsletter", "keywords": ["newsletter"]}],
            [{"name": "Graphisme", "keywords": ["logo"], "response": "referral",
              "referral": "Julie Petit, graphiste - julie@example.fr"}]),
    _client("Café Tortuga", "es", "Europe/Madrid", "month", 8, 30, "EUR",
            [{"name": "Boletín", "keywords": ["boletín"]}, {"name": "Redes sociales", "keywords": ["instagram"]}],
            [{"name": "Contabilidad", "keywords": ["factura"], "response": "referral",
              "referral": "Gestoría López - lopez@example.es"}]),
    _client("Zielony Ogród", "pl", "Europe/Warsaw", "week", 6, 110, "PLN",
            [{"name": "Newsletter", "keywords": ["newsletter"]}, {"name": "Facebook", "keywords": ["facebook"]}],
            [{"name": "Strategia", "keywords": ["strategia"], "response": "consultation"}]),
]


def card(title: str, created: str, *, hours: float | None = None, provider: str = "trello", **details) -> Card:
    """A card with its own URL (titles and links must be traceable to one client)."""
    made = rule_card(title, created=created, hours=hours, **details)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return replace(made, provider=provider, url=f"https://trello.com/c/{made.id}/{slug}")


def practice_cards() -> dict[str, list[Card]]:
    """Cards of each client: in-scope hours past the contract, out-of-scope requests and red flags."""
    return {
        "Harbor Lane Bakery": [
            card("Newsletter for the harvest fair", "2026-10-12T15:00:00Z", hours=5),  # previous period
            card("Send the sourdough newsletter", "2026-11-02T15:00:00Z", hours=8),
            card("Instagram reels for the croissant launch", "2026-11-04T15:00:00Z", hours=7),
            card("Facebook event for the rye tasting", "2026-11-09T15:00:00Z", hours=6),
            card("Plan a content strategy for the bakery", "2026-11-10T15:00:00Z"),
            card("Chase the flour supplier invoices", "2026-11-11T15:00:00Z"),
            card("Can we get a discount on the bakery plan?", "2026-11-12T15:00:00Z"),
            card("Croissants ASAP", "2026-11-13T15:00:00Z"),
            card("Newsletter for the pumpkin pie week", "2026-11-16T15:00:00Z", hours=3),
            card("Newsletter for the December fair", "2026-11-24T15:00:00Z", hours=2),  # after the report week
        ],
        "Maison Pivoine": [
            card("Publier les photos Instagram des pivoines", "2026-11-16T09:00:00Z", hours=6),
            card("Newsletter des bouquets de l'Avent", "2026-11-17T09:00:00Z", hours=6),
            card("Nouveau logo pour la boutique", "2026-11-18T09:00:00Z"),
            card("Peux-tu me faire une réduction sur les bouquets ?", "2026-11-18T10:00:00Z"),
        ],
        "Café Tortuga": [
            card("Boletín de las tortugas de noviembre", "2026-11-03T09:00:00Z", hours=5, provider="asana"),
            card("Publicaciones de Instagram del café", "2026-11-05T09:00:00Z", hours=4, provider="asana"),
            card("Emitir las facturas de la cafetería", "2026-11-06T09:00:00Z", provider="asana"),
        ],
        "Zielony Ogród": [
            card("Wysłać newsletter o sadzonkach", "2026-11-16T09:00:00Z", hours=4),
            card("Posty na Facebooku o tulipanach", "2026-11-17T09:00:00Z", hours=3),
            card("Strategia sprzedaży nasion na 2027", "2026-11-18T09:00:00Z"),
            card("PILNE: post o przymrozkach", "2026-11-19T20:30:00Z"),
        ],
    }


def practice_toml(language: str = "en", *, capacity: float | None = 30, smtp_port: int | None = None,
                  security: str = "none", formats: Sequence[str] = ("html", "markdown", "csv"),
                  state_url: str | None = None) -> str:
    """The four clients; the VA works in Europe/Warsaw in `language`; email over loopback when smtp_port is set."""
    settings: dict = {"timezone": "Europe/Warsaw", "language": language,
                      "report": {"day": "monday", "time": "08:00", "formats": list(formats)}}
    if capacity is not None:
        settings["weekly_capacity_hours"] = capacity
    if state_url is not None:
        settings["state_url"] = state_url
    data: dict = {"scopekeeper": settings, "clients": CLIENTS}
    if smtp_port is not None:
        settings["report"]["email_to"] = ["va@example.com"]
        data["smtp"] = SMTP | {"port": smtp_port, "security": security}
    return tomli_w.dumps(data)


def practice_config(language: str = "en", **options) -> AppConfig:
    return parse_config(practice_toml(language, **options))


def practice_source() -> ExportSource:
    return ExportSource(practice_cards())


@dataclass
class StatusSource:
    """A report source with comment statuses, as the worker's store keeps them."""

    cards_by_client: Mapping[str, Sequence[Card]]
    statuses: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def cards(self, client_name: str, since: date | None = None) -> Sequence[Card]:
        return self.cards_by_client.get(client_name, ())

    def has_cards(self, client_name: str) -> bool:
        return bool(self.cards(client_name))

    def comment_statuses(self, client_name: str, periods: Collection[str] | None = None) -> Mapping[str, str]:
        return self.statuses.get(client_name, {})

    def hours_used(self, client_name: str) -> Mapping[str, Decimal]:
        return {}


def sections(markdown: str) -> dict[str, str]:
    """A Markdown report's '## ' sections by heading."""
    parts = re.split(r"^## (.+)$", markdown, flags=re.M)
    return {" ".join(heading.split()): body for heading, body in zip(parts[1::2], parts[2::2], strict=True)}


class _Text(HTMLParser):
    """The text of an HTML report, with a marker line before each <h2>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "h2":
            self.parts.append("\n## ")
        elif tag in ("p", "div", "tr", "br"):
            self.parts.append("\n")
        elif tag in ("td", "span"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_sections(html: str) -> dict[str, str]:
    """An HTML report's text by <h2> heading, one line per row or block, spaces collapsed."""
    parser = _Text()
    parser.feed(html)
    return sections(collapse("".join(parser.parts)))


def collapse(text: str) -> str:
    """Each line's runs of white space (no-break spaces too) as one space; empty lines dropped."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def shows(section: str, label: str, value: str) -> bool:
    """A line of the section holds the label and then the value ('Used 24.5 h', '- Used: 24.5 h')."""
    label, value = collapse(label), collapse(value)
    return any(label in line and value in line.split(label, 1)[1] for line in collapse(section).splitlines())


def entries(section: str, titles: Sequence[str]) -> dict[str, str]:
    """The text of each listed card, from its title to the next one's (titles in the order listed)."""
    found, start = {}, 0
    positions = []
    for title in titles:
        start = section.index(title, start)
        positions.append(start)
    for title, begin, end in zip(titles, positions, [*positions[1:], len(section)], strict=True):
        found[title] = section[begin:end]
    return found


# --- SMTP on loopback ---------------------------------------------------------------------------------------

class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tls_files(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (made with the openssl command; no binary in the repo)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], check=True, capture_output=True)
    return cert, key


@contextmanager
def smtp_server(security: str = "none", *, tls: tuple[Path, Path] | None = None,
                password: str | None = SMTP_PASSWORD) -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1 (aiosmtpd), requiring login with `password` when one is given."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        return AuthResult(success=auth_data.password == (password or "").encode(), handled=False)

    options: dict = {}
    if tls is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls)
        options = ({"tls_context": context, "require_starttls": True} if security == "starttls"
                   else {"ssl_context": context})
    if password is not None:
        # aiosmtpd offers AUTH only after STARTTLS; with implicit TLS (or none) it must be told it may.
        options.update(authenticator=authenticate, auth_required=True, auth_require_tls=security == "starttls")
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@contextmanager
def echoing_smtp_server(mechanism: str) -> Iterator[int]:
    """An SMTP server offering AUTH `mechanism` (PLAIN or LOGIN) that refuses every login and, as some
    servers do, echoes the base64 credentials it was given in its refusal."""

    class Refusing(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            say = self.wfile.write
            say(b"220 mail.example.com ESMTP\r\n")
            for line in self.rfile:
                words = line.decode("ascii", "replace").split()
                verb = words[0].upper() if words else ""
                if verb == "EHLO":
                    say(b"250-mail.example.com\r\n250 AUTH " + mechanism.encode() + b"\r\n")
                elif verb == "AUTH" and mechanism == "LOGIN":
                    say(b"334 UGFzc3dvcmQ6\r\n")  # "Password:"
                    echoed = self.rfile.readline().decode("ascii").strip()
                    say(f"535 5.7.8 Authentication failed for {words[2:]} {echoed}\r\n".encode())
                elif verb == "AUTH":
                    say(f"535 5.7.8 Authentication credentials invalid: {' '.join(words[2:])}\r\n".encode())
                elif verb == "QUIT":
                    say(b"221 bye\r\n")
                    return
                else:
                    say(b"250 OK\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Refusing)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# --- Chromium -------------------------------------------------------------------------------------------------

def chromium_path() -> str:
    """Debian's chromium (.ci/services exports it); missing: skip locally, fail on CI."""
    path = os.environ.get("SCOPEKEEPER_TEST_CHROMIUM")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("SCOPEKEEPER_TEST_CHROMIUM is not set on CI: .ci/services should install chromium")
        pytest.skip("SCOPEKEEPER_TEST_CHROMIUM is not set (as root: `bash .ci/services /tmp/sk.env && . /tmp/sk.env`)")
    return path



PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# Elements whose right edge passes the viewport's: what makes a phone scroll sideways.
OVERFLOWING = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map(e => e.tagName + ': ' + (e.textContent || '').trim().slice(0, 40))"""

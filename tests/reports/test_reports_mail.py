"""Report emails through a real SMTP server on loopback: parts, inline chart, TLS, login, no leaked password."""
from __future__ import annotations

import base64
import logging
import re
import tomllib
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner

from scheduler.cli.main import cli
from scheduler.reports.documents import client_documents
from scheduler.reports.mail import MailError, message, send
from scheduler.reports.model import client_report
from tests.reports.support import (
    MONDAY_AFTER,
    PASSWORD_ENV,
    QUIET_SMTP,
    SMTP,
    SMTP_PASSWORD,
    WEEK,
    echoing_smtp_server,
    practice_config,
    practice_source,
    practice_toml,
    smtp_server,
    tls_files,
)

pytestmark = QUIET_SMTP


@pytest.fixture(autouse=True)
def smtp_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, SMTP_PASSWORD)


def _bakery_email(port: int, security: str):
    config = practice_config(smtp_port=port, security=security)
    report = client_report(config, config.client("Harbor Lane Bakery"), practice_source(), WEEK, MONDAY_AFTER)
    documents = client_documents(report, config.scopekeeper.report.formats, "harbor-lane-bakery")
    return config, message(documents, config.smtp.sender, config.scopekeeper.report.email_to)


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_report_email_over_tls_with_login(security: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = tls_files(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client verifies the test server's certificate
    with smtp_server(security, tls=(cert, key)) as (inbox, port):
        config, mail = _bakery_email(port, security)
        send(config.smtp, [mail])

    assert inbox.envelopes == [("reports@example.com", ["va@example.com"])]
    received = inbox.messages[0]
    assert received["Subject"] == "Scope report: Harbor Lane Bakery · 2026-W47"
    assert received["From"] == "ScopeKeeper <reports@example.com>" and received["To"] == "va@example.com"
    assert received.get_content_type() == "multipart/mixed"
    alternative, attachment = received.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    text, html = alternative.iter_parts()
    assert text.get_content_type() == "text/plain" and "- Used: 24 h" in text.get_content().replace("\xa0", " ")
    # The chart is inline SVG, no image part to block; email clients that drop SVG show the table after it.
    assert html.get_content_type() == "text/html" and "<img" not in html.get_content()
    body = html.get_content().replace("\xa0", " ")
    assert body.count("<svg") == 1 and "<title>Burn-up chart: 24 h used of 20 h" in body
    chart_table = body.split("</svg>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>", chart_table)
    assert rows == [("Nov 7", "15 h"), ("Nov 14", "21 h"), ("Nov 21", "24 h"), ("Nov 22", "24 h"),
                    ("At this pace · Nov 30", "32.7 h")]
    assert attachment.get_filename() == "harbor-lane-bakery-2026-W47.csv"
    assert b"Newsletter for the pumpkin pie week" in attachment.get_content().encode()


def test_plain_smtp_when_security_is_none() -> None:
    with smtp_server("none") as (inbox, port):
        config, mail = _bakery_email(port, "none")
        send(config.smtp, [mail])
    assert [m["Subject"] for m in inbox.messages] == ["Scope report: Harbor Lane Bakery · 2026-W47"]


def _refused_twice(port: int, tmp_path: Path):
    """The MailError of send(), and the `report --send` run, both against the SMTP server on `port`."""
    config, mail = _bakery_email(port, "none")
    with pytest.raises(MailError) as refused:
        send(config.smtp, [mail])
    path = tmp_path / "scopekeeper.toml"
    path.write_text(practice_toml(smtp_port=port, state_url=f"sqlite:///{tmp_path / 'state.db'}"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "--config", str(path), "--client", "Café Tortuga", "--send",
                                      "--week", "2026-W47", "--out", str(tmp_path / "reports")])
    return refused.value, result


def test_a_refused_password_is_never_shown(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    caplog.set_level(logging.DEBUG)
    with smtp_server("none", password="the-server-expects-another") as (inbox, port):
        refused, result = _refused_twice(port, tmp_path)
    assert "535" in str(refused) and f"127.0.0.1:{port}" in str(refused)
    assert result.exit_code == 1 and "cannot send the report email" in result.output
    assert not inbox.messages
    for shown in (str(refused), result.output, caplog.text):
        assert SMTP_PASSWORD not in shown


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_a_server_echoing_the_base64_password_in_its_refusal_shows_no_form_of_it(mechanism: str, tmp_path: Path):
    plain = base64.b64encode(f"\0{SMTP['username']}\0{SMTP_PASSWORD}".encode()).decode()
    alone = base64.b64encode(SMTP_PASSWORD.encode()).decode()
    with echoing_smtp_server(mechanism) as port:
        refused, result = _refused_twice(port, tmp_path)

    assert "535" in str(refused) and "<redacted>" in str(refused)
    assert result.exit_code == 1 and "cannot send the report email" in result.output
    for shown in (str(refused), result.output):
        for secret in (SMTP_PASSWORD, plain, alone, alone.rstrip("="), plain[8:-8]):
            assert secret not in shown, shown


def test_missing_password_variable_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(PASSWORD_ENV)
    path = tmp_path / "scopekeeper.toml"
    path.write_text(practice_toml(smtp_port=1, state_url=f"sqlite:///{tmp_path / 'state.db'}"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "--config", str(path), "--all", "--send", "--out", str(tmp_path)])
    assert result.exit_code == 2 and f"the secret {PASSWORD_ENV} is not set" in result.output


def test_report_all_send_mails_every_client_and_the_practice(shared_dir: Path, manifest: dict, tmp_path: Path) -> None:
    fixtures = shared_dir / "fixtures"
    with smtp_server("none") as (inbox, port):
        data = tomllib.loads((fixtures / manifest["config"]).read_text(encoding="utf-8"))
        data["scopekeeper"]["report"]["email_to"] = ["va@example.com"]
        data["smtp"] = SMTP | {"port": port, "security": "none"}
        path = tmp_path / "scopekeeper.toml"
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
        exports = [arg for b in manifest["boards"] for arg in ("--from-export", str(fixtures / b["export"]))]
        result = CliRunner().invoke(cli, ["report", "--config", str(path), "--all", *exports, "--send",
                                          "--week", "2026-W47", "--out", str(tmp_path / "reports")])
    assert result.exit_code == 0, result.output
    assert "sent 1 email(s) to va@example.com" in result.output  # the digest
    subjects = sorted(m["Subject"] for m in inbox.messages)
    assert subjects == ["Practice summary · 2026-W47"]
    digest = inbox.messages[0].get_body(("plain",)).get_content()
    assert all(f"# Scope report: {b['client']}" in digest for b in manifest["boards"])
    assert len(list((tmp_path / "reports" / "2026-W47" / "clients").glob("*.html"))) == len(manifest["boards"])

"""Structured logs, and secrets redacted everywhere: canary tokens at DEBUG never reach the logs, exception
texts, the state store, `scopekeeper status`, or the weekly reports made from the store."""
from __future__ import annotations

import base64
import json
import logging
import re
import sys
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, quote_plus

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from integrations.sandbox.server import LoopbackServer
from integrations.trello.http import TOKEN_HELP
from scheduler import logs
from scheduler.cli.main import cli
from scheduler.config.models import load_config
from scheduler.store import open_store
from scheduler.store.schema import Base
from tests.worker.support import ASANA_CLIENT, TRELLO_CLIENT, run

pytestmark = pytest.mark.slow  # real `scopekeeper run` processes

CANARIES = {"TRELLO_API_KEY": "canarykey0f3a9c1e5b7d2468", "TRELLO_TOKEN": "canarytoken8b2d4f6a0c1e3579",
            "ASANA_TOKEN": "1/1200:canaryasana9e7d5c3b1a"}


def echoing(world):
    """Asana, except that the first project listing is refused with a message quoting the caller's token."""
    refused = []

    def handle(method, path, query, body, headers):
        if method == "GET" and path.endswith("/tasks") and "/projects/" in path and not refused:
            refused.append(path)
            token = headers.get("Authorization", "").removeprefix("Bearer ")
            message = f"token {token} may not list this project"
            return 400, {"Content-Type": "application/json"}, json.dumps({"errors": [{"message": message}]}).encode()
        return world.asana.handle(method, path, query, body, headers)

    return LoopbackServer(handle)


def stored_text(world) -> str:
    store = open_store(world.state_url)
    try:
        with store.session() as session:
            return repr([list(session.execute(select(table))) for table in Base.metadata.sorted_tables])
    finally:
        store.close()


def test_canary_secrets_appear_nowhere_at_debug_level(world, backend, monkeypatch):
    from scheduler.reports import weekly
    world.trello.api_key, world.trello.tokens = CANARIES["TRELLO_API_KEY"], {CANARIES["TRELLO_TOKEN"]}
    world.asana.tokens = {CANARIES["ASANA_TOKEN"]}
    world.trello.inject("lost_answer", method="POST")  # an unknown outcome: its error text is stored
    config = world.config(mode="auto")

    with echoing(world) as asana:
        env = {**CANARIES, "SCOPEKEEPER_ASANA_API_URL": asana.url + "/api/1.0", "SCOPEKEEPER_LOG_LEVEL": "DEBUG"}
        first = run(world, config, **env)
        for name, value in {**world.env(), **env}.items():
            monkeypatch.setenv(name, value)
        status = CliRunner().invoke(cli, ["status", "--config", str(config)])
        stored = stored_text(world)
        second = run(world, config, "--log-format", "human", **env)

    assert first.code == 1 and second.code == 0, second.stderr
    [refusal] = first.events("board_failed")
    assert refusal["client"] == ASANA_CLIENT and "token <redacted> may not list this project" in refusal["message"]
    assert "token <redacted> may not list" in status.output and "token <redacted> may not list" in stored
    assert any(e["level"] == "DEBUG" for e in first.logs) and " DEBUG " in second.stderr
    assert world.comment_counts() == dict.fromkeys(world.expected, 1)
    store = open_store(world.state_url)
    next_week = datetime.now(UTC) + timedelta(days=7)
    produced = weekly.send_weekly_reports(load_config(config), store, next_week, out_dir=world.tmp / "reports")
    store.close()
    reports = [path.read_bytes().decode("latin-1") for report in produced for path in report.files]
    assert any("Content strategy for 2027" in text for text in reports)  # the cards, as the store has them
    everything = "\n".join([first.stdout, first.stderr, second.stdout, second.stderr, status.output, stored,
                            stored_text(world), *reports])
    if backend == "sqlite":
        everything += (world.tmp / "state.db").read_bytes().decode("latin-1")
    for secret in CANARIES.values():
        assert secret not in everything


def test_json_lines_carry_time_level_logger_message_and_the_client(world):
    config = world.config(mode="review")
    result = run(world, config)
    assert result.code == 0
    entries = [json.loads(line) for line in result.stderr.splitlines()]  # every line is one JSON object
    for entry in entries:
        assert {"time", "level", "logger", "message"} <= set(entry)
        datetime.fromisoformat(entry["time"])
    done = {e["client"] for e in entries if e.get("event") == "scan_done"}
    assert done == {TRELLO_CLIENT, ASANA_CLIENT}


def test_human_lines_end_with_their_fields_and_exceptions_are_redacted():
    record = logging.LogRecord("sk.test", logging.ERROR, __file__, 1, "scan failed for %s", ("x",), None)
    record.client, record.board = "Estudio Sol", "asana:123"
    logs.register_secret("s3cr3t-value-42")
    try:
        raise RuntimeError("upstream said s3cr3t-value-42 and token=abc123def")
    except RuntimeError:
        record.exc_info = sys.exc_info()

    line = logs.HumanFormatter().format(record)

    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ERROR sk.test: scan failed for x "
                    r"\[client=Estudio Sol, board=asana:123\]\n", line)
    assert "s3cr3t-value-42" not in line and "token=abc123def" not in line
    assert "upstream said <redacted> and token=<redacted>" in line
    as_json = json.loads(logs.JsonFormatter().format(record))
    assert "s3cr3t-value-42" not in as_json["exception"] and as_json["board"] == "asana:123"


@pytest.mark.parametrize("text, shown", [
    ("GET https://x/1/cards?key=abc123&token=def456", "GET https://x/1/cards?key=<redacted>&token=<redacted>"),
    ('Authorization: Bearer 2/1234/5678:abcdef', "Authorization: Bearer <redacted>"),
    ('OAuth oauth_consumer_key="k1", oauth_token="t1"',
     'OAuth oauth_consumer_key="<redacted>", oauth_token="<redacted>"'),
    ("nothing secret here", "nothing secret here"),
])
def test_credential_shapes_are_redacted_even_unregistered(text, shown):
    assert logs.redact(text) == shown


@pytest.mark.parametrize("prefix", [b"", b"\0", b"\0v", b"\0va@example.com\0", b"user=anna&pass="])
def test_the_base64_forms_of_a_secret_are_redacted_at_any_alignment(prefix):
    secret = "Kx9-tr3llo+token/2026=="
    logs.register_secret(secret)
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        encoded = encode(prefix + secret.encode() + b"\0tail").decode()
        line = logs.redact(f"535 5.7.8 refused {encoded} (try again)")
        assert line == "535 5.7.8 refused <redacted> (try again)", line


def test_the_url_encoded_forms_of_a_secret_are_redacted():
    secret = "pass word/with+signs&more=1"
    logs.register_secret(secret)
    for form in (quote(secret, safe=""), quote(secret), quote_plus(secret)):
        assert logs.redact(f"GET /callback?state={form}&next=1") == "GET /callback?state=<redacted>&next=1"


def test_ordinary_words_in_four_languages_are_not_redacted():
    logs.register_secret("Zq7!")  # as short as a registered secret gets: its base64 forms are short too
    for line in ("Newsletter for December: done", "Publication Instagram pour lundi", "Boletín de diciembre",
                 "Przygotuj faktury na piątek"):
        assert logs.redact(line) == line


def test_the_trello_token_help_keeps_its_placeholders():
    logs.register_secrets(["sandbox-api-key", "sandbox-token"])
    assert logs.redact(TOKEN_HELP) == TOKEN_HELP and "&key=<your API key>" in TOKEN_HELP

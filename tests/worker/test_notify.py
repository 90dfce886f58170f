"""Notifications to the VA: real SMTP and apprise json:// on loopback; once per problem, once per threshold."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner

from scheduler import logs
from scheduler.cli.main import cli
from scheduler.config.errors import ConfigError
from scheduler.config.models import parse_config
from scheduler.notify.notifier import Notifier
from scheduler.notify.problems import BoardState, Problem, scan_verdict
from scheduler.notify.texts import TEXTS, render
from scheduler.records.state import LedgerEntry
from scheduler.reports.weekly import Produced
from scheduler.store import open_store
from scheduler.store.notices import Notices
from scheduler.worker.adapters import Adapters
from scheduler.worker.job import Worker
from scheduler.worker.schedule import report_notices
from tests.reports.support import PASSWORD_ENV, QUIET_SMTP, SMTP_PASSWORD, smtp_server
from tests.worker.notify_support import hook_server
from tests.worker.support import TRELLO_CLIENT, World, config_text, use_world_env

URL_SECRET = "nt5-Secr3t-Topic-9f8e7d"


def notify_table(port: int | None, *, email: bool = True, urls: tuple[str, ...] = ()) -> str:
    smtp = (f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nusername = "va@example.com"\n'
            f'password_env = "{PASSWORD_ENV}"\nfrom = "ScopeKeeper <sk@example.com>"\n') if port else ""
    listed = ", ".join(f'"{u}"' for u in urls)
    return (smtp + f'\n[notify]\nemail = {"true" if email else "false"}\nemail_to = ["anna@example.com"]\n'
            f"urls = [{listed}]\nalert_at = [80, 100]\n")


def with_notify(world: World, table: str, **options) -> str:
    """The worker tests' configuration with a [notify] table (and [smtp]) put before the clients."""
    text = config_text(world.state_url, trello_boards=[world.trello_board], asana_boards=[world.asana_project],
                       **options)
    head, clients = text.split("\n[[clients]]", 1)
    path = world.tmp / "notify.toml"
    path.write_text(head + table + "\n[[clients]]" + clients, encoding="utf-8")
    return str(path)


@pytest.fixture
def worker_env(world: World, monkeypatch: pytest.MonkeyPatch):
    use_world_env(world, monkeypatch)
    monkeypatch.setenv(PASSWORD_ENV, SMTP_PASSWORD)
    return world


def _worker(path: str, made: list) -> Worker:
    from scheduler.config.models import load_config

    config = load_config(path)
    store = open_store(config.scopekeeper.state_url)
    adapters = Adapters(config)
    made.append((store, adapters))
    return Worker(config, store, adapters, mode="review", stop=threading.Event(), show=lambda _: None,
                  notifier=Notifier(config, store))


@pytest.fixture
def workers():
    made: list = []
    yield lambda path: _worker(path, made)
    for store, adapters in made:
        adapters.close()
        store.close()


# --- the texts --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr", "es", "pl"])
def test_every_notification_is_written_in_the_vas_language_with_what_to_do(language):
    values = {"client": "Zielony Ogród", "provider": "trello", "board": "5f0c1a2b3c4d5e6f7a8b9c0d",
              "detail": "503", "days": 3, "percent": 85, "used": "17", "available": "20", "period": "listopad",
              "target": "practice", "thresholds": "80 / 100"}
    todo = {"en": "What to do", "fr": "Que faire", "es": "Qué hacer", "pl": "Co zrobić"}[language]
    assert set(TEXTS[language]) == set(TEXTS["en"])
    for kind in TEXTS[language]:
        title, body = render(language, kind, **values)
        assert "{" not in title + body and "}" not in title + body, (language, kind)
        if kind != "test":
            assert todo in body, (language, kind)
    assert "Trello" in render(language, "token_refused", **values)[0]  # the service's name, not its id
    assert "scopekeeper connect trello" in render(language, "token_refused", **values)[1]


# --- the pure decisions -----------------------------------------------------------------------------------


def test_a_scan_opens_one_problem_per_board_gone_per_refused_token_and_per_failing_client():
    verdict = scan_verdict("Estudio Sol", [
        BoardState("trello", "a" * 24, "gone"), BoardState("trello", "b" * 24, "refused", "401"),
        BoardState("trello", "c" * 24, "refused", "401"), BoardState("asana", "123", "error", "503 from Asana"),
        BoardState("asana", "456", "ok")], None)
    assert [p.key for p in verdict.problems] == [f"board:trello:{'a' * 24}", "token:trello", "token:trello",
                                                 "scan:Estudio Sol"]
    assert verdict.problems[-1].values["detail"] == "503 from Asana"
    assert verdict.resolved == ["board:asana:456", "token:asana"]  # never a key it also reports
    healthy = scan_verdict("Estudio Sol", [BoardState("trello", "a" * 24, "unchanged")], None)
    assert healthy.problems == [] and healthy.resolved == [f"board:trello:{'a' * 24}", "token:trello",
                                                           "scan:Estudio Sol"]


# --- notify test ------------------------------------------------------------------------------------------


@QUIET_SMTP
def test_notify_test_sends_to_the_email_and_every_url_and_never_prints_the_urls_secret(tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, SMTP_PASSWORD)
    with smtp_server() as (inbox, port), hook_server() as (received, hook_port):
        url = f"json://127.0.0.1:{hook_port}/ntfy/{URL_SECRET}"
        path = tmp_path / "sk.toml"
        text = config_text(f"sqlite:///{tmp_path / 'state.db'}", trello_boards=["5f0c1a2b3c4d5e6f7a8b9c0d"])
        head, clients = text.split("\n[[clients]]", 1)
        path.write_text(head.replace('timezone = "Europe/Warsaw"', 'timezone = "Europe/Warsaw"\nlanguage = "pl"')
                        + notify_table(port, urls=(url,)) + "\n[[clients]]" + clients, encoding="utf-8")
        result = CliRunner().invoke(cli, ["notify", "test", "--config", str(path)])
        assert result.exit_code == 0, result.output
        assert "sent: email" in result.output and "sent: json://…" in result.output
        assert URL_SECRET not in result.output
        assert [m["Subject"] for m in inbox.messages] == ["Wiadomość testowa ScopeKeepera"]
        assert inbox.envelopes[0][1] == ["anna@example.com"]
        assert "80 / 100%" in inbox.messages[0].get_content()
        assert received.requests[0]["path"] == f"/ntfy/{URL_SECRET}"
        assert received.bodies[0]["title"] == "Wiadomość testowa ScopeKeepera"

        received.status = 500  # the channel refuses: named, without its secret, and exit 1
        failed = CliRunner().invoke(cli, ["notify", "test", "--config", str(path)])
        assert failed.exit_code == 1 and "failed: json://…" in failed.output and "sent: email" in failed.output
        assert URL_SECRET not in failed.output


def test_notify_test_without_any_channel_says_so(tmp_path):
    path = tmp_path / "sk.toml"
    text = config_text(f"sqlite:///{tmp_path / 'state.db'}", trello_boards=["5f0c1a2b3c4d5e6f7a8b9c0d"])
    head, clients = text.split("\n[[clients]]", 1)
    path.write_text(head + "\n[notify]\nemail = false\n\n[[clients]]" + clients, encoding="utf-8")
    result = CliRunner().invoke(cli, ["notify", "test", "--config", str(path)])
    assert result.exit_code == 1 and "no channel to test" in result.output


# --- configuration ----------------------------------------------------------------------------------------


def _config(table: str, language: str = "en") -> str:
    text = config_text("sqlite:///x.db", trello_boards=["5f0c1a2b3c4d5e6f7a8b9c0d"]).replace(
        'timezone = "Europe/Warsaw"', f'timezone = "Europe/Warsaw"\nlanguage = "{language}"', 1)
    head, clients = text.split("\n[[clients]]", 1)
    return head + table + "\n[[clients]]" + clients


def test_notify_configuration_errors_name_the_field_and_never_echo_a_url():
    with pytest.raises(ConfigError) as no_smtp:
        parse_config(_config("\n[notify]\nemail = true\nemail_to = [\"anna@example.com\"]\n"), "sk.toml")
    assert "notify.email = true needs an [smtp] table" in str(no_smtp.value)
    with pytest.raises(ConfigError) as bad_url:
        parse_config(_config(f'\n[notify]\nemail = false\nurls = ["tgram:/{URL_SECRET}"]\n'), "sk.toml")
    assert "sk.toml: notify.urls[0]" in str(bad_url.value) and URL_SECRET not in str(bad_url.value)
    with pytest.raises(ConfigError) as bad_percent:
        parse_config(_config("\n[notify]\nemail = false\nalert_at = [80, 0]\n"), "sk.toml")
    assert "notify.alert_at" in str(bad_percent.value) and "0 is not a percentage" in str(bad_percent.value)
    config = parse_config(_config("\n[notify]\nemail = false\nalert_at = [100, 80, 80]\n"))
    assert config.notify.alert_at == [80, 100]
    assert parse_config(_config("")).notify.email  # no [notify]: email when there is an [smtp], silently not else


def test_apprise_urls_are_secrets_for_the_redactor(tmp_path):
    url = f"tgram://123456:{URL_SECRET}/-100200300"
    config = parse_config(_config(f'\n[notify]\nemail = false\nurls = ["{url}"]\n'))
    Notifier(config, open_store(f"sqlite:///{tmp_path / 's.db'}"))
    assert URL_SECRET not in logs.redact(f"apprise: could not reach {url}")
    assert URL_SECRET not in logs.redact(f"token part alone: {URL_SECRET}")


# --- once per problem, in the worker ----------------------------------------------------------------------


@QUIET_SMTP
def test_a_board_gone_is_told_once_until_it_comes_back_then_again_if_it_goes(worker_env, workers):
    world = worker_env
    with smtp_server() as (inbox, port):
        worker = workers(with_notify(world, notify_table(port)))
        client = worker.config.client(TRELLO_CLIENT)
        assert worker.scan(client) == "ok"
        board = world.trello.boards.pop(world.trello_board)  # the client deleted it
        for _ in range(3):
            assert worker.scan(client) == "partial"
        gone = [m for m in inbox.messages if "disappeared" in m["Subject"]]
        assert len(gone) == 1 and gone[0]["Subject"] == f"A board of {TRELLO_CLIENT} has disappeared"
        assert world.trello_board in gone[0].get_content() and "What to do" in gone[0].get_content()
        assert [n.key for n in Notices(worker.store).open()] == [f"board:trello:{world.trello_board}"]

        world.trello.boards[world.trello_board] = board  # restored from Trello's trash
        assert worker.scan(client) == "ok"
        assert Notices(worker.store).open() == []
        world.trello.boards.pop(world.trello_board)
        worker.scan(client)
        assert len([m for m in inbox.messages if "disappeared" in m["Subject"]]) == 2


def _json_worker(world: World, workers, port: int):
    """A worker whose only channel is an apprise json:// URL to the test's server; and the Trello client."""
    worker = workers(with_notify(world, notify_table(None, email=False, urls=(f"json://127.0.0.1:{port}/sk",))))
    return worker, worker.config.client(TRELLO_CLIENT)


def test_a_revoked_token_is_one_notice_however_many_scans_meet_it(worker_env, workers):
    world = worker_env
    with hook_server() as (received, port):
        worker, client = _json_worker(world, workers, port)
        world.trello.tokens.clear()  # she revoked ScopeKeeper's access in Trello
        for _ in range(2):
            assert worker.scan(client) in ("partial", "error")
        refused = [b for b in received.bodies if "refused" in b["title"]]
        assert [b["title"] for b in refused] == ["ScopeKeeper's Trello access was refused"]
        assert "scopekeeper connect trello" in refused[0]["message"]
        assert "scan:" not in " ".join(n.key for n in Notices(worker.store).open())  # not also a 'scan failing'


def test_a_failing_scan_is_told_once_and_a_channel_that_failed_is_tried_again(worker_env, workers):
    world = worker_env
    with hook_server() as (received, port):
        worker, client = _json_worker(world, workers, port)
        assert worker.scan(client) == "ok"
        world.trello.inject("server_error", 10_000)   # Trello is down
        received.status = 503                          # and so is her phone's notification service
        worker.scan(client)
        refused = len(received.requests)
        assert refused >= 1 and Notices(worker.store).open() == []  # not delivered: not claimed, told next time
        received.status = 200
        worker.scan(client)
        worker.scan(client)
        assert len(received.requests) == refused + 1  # delivered once, then not again while it lasts
        told = received.bodies[-1]
        assert told["title"] == f"ScopeKeeper cannot check {TRELLO_CLIENT}'s boards"
        assert "could not be read" in told["message"] and "HTTP 503" in told["message"]
        world.trello._faults.clear()
        assert worker.scan(client) == "ok"
        assert Notices(worker.store).open() == []


# --- budget thresholds ------------------------------------------------------------------------------------


def _entry(used: str, period: str = "2026-11", start=date(2026, 11, 1), end=date(2026, 11, 30)) -> LedgerEntry:
    return LedgerEntry(period, start, end, Decimal(20), Decimal(used), Decimal(0), Decimal(0), "EUR")


def test_budget_thresholds_once_per_period_only_the_highest_crossed_at_once_rearmed_next_period(tmp_path):
    with hook_server() as (received, port):
        config = parse_config(_config(f'\n[notify]\nemail = false\nurls = ["json://127.0.0.1:{port}/b"]\n', "fr"))
        notifier = Notifier(config, open_store(f"sqlite:///{tmp_path / 's.db'}"))
        assert notifier.budget("Maison Pivoine", _entry("15")) is None          # 75 %
        assert notifier.budget("Maison Pivoine", _entry("16.5")) == 80          # 82 %
        assert notifier.budget("Maison Pivoine", _entry("18")) is None          # still past 80 only: once
        assert notifier.budget("Maison Pivoine", _entry("21")) == 100
        assert notifier.budget("Maison Pivoine", _entry("25")) is None
        # December: both crossed by one scan (a big card): only the highest is told
        assert notifier.budget("Maison Pivoine", _entry("22", "2026-12", date(2026, 12, 1),
                                                        date(2026, 12, 31))) == 100
        assert notifier.budget("Maison Pivoine", _entry("23", "2026-12", date(2026, 12, 1),
                                                        date(2026, 12, 31))) is None
        titles = [b["title"] for b in received.bodies]
        assert titles == ["Maison Pivoine a utilisé 82 % de ses heures", "Maison Pivoine a utilisé 105 % de ses heures",
                          "Maison Pivoine a utilisé 110 % de ses heures"]
        assert "16.5 heures sur 20" in received.bodies[0]["message"] and "novembre" in received.bodies[0]["message"]


@QUIET_SMTP
def test_a_real_scan_past_the_plan_sends_one_budget_alert_the_highest(worker_env, workers):
    world = worker_env  # Bright Path: 3 h a month, 5 h of cards this month
    with smtp_server() as (inbox, port):
        worker = workers(with_notify(world, notify_table(port)))
        client = worker.config.client(TRELLO_CLIENT)
        worker.scan(client)
        world.add_card("Instagram reel for the sale 🎉 [1h]")
        worker.scan(client)
        budget = [m["Subject"] for m in inbox.messages if "hours" in m["Subject"]]
        assert budget == [f"{TRELLO_CLIENT} has used 166% of their hours"]


# --- tokens and reports -----------------------------------------------------------------------------------


def test_a_trello_token_expiring_within_a_week_is_told_once_and_a_never_expiring_one_resolves_it(worker_env, workers):
    world = worker_env
    with hook_server() as (received, port):
        worker, _ = _json_worker(world, workers, port)
        from integrations.sandbox.trello import SANDBOX_TOKEN
        world.trello.token_expiry[SANDBOX_TOKEN] = datetime.now(UTC) + timedelta(days=30)
        worker.check_credentials()
        assert received.requests == []
        world.trello.token_expiry[SANDBOX_TOKEN] = datetime.now(UTC) + timedelta(days=3, hours=1)
        worker.check_credentials()
        worker.check_credentials()
        assert [b["title"] for b in received.bodies] == ["Your Trello token expires in 3 day(s)"]
        assert "never expires" in received.bodies[0]["message"]
        world.trello.token_expiry[SANDBOX_TOKEN] = None  # she made a token that never expires
        worker.check_credentials()
        assert Notices(worker.store).open() == []


def test_reports_not_sent_are_one_notice_until_one_is_sent(tmp_path):
    with hook_server() as (received, port):
        config = parse_config(_config(f'\n[notify]\nemail = false\nurls = ["json://127.0.0.1:{port}/r"]\n', "es"))
        notifier = Notifier(config, open_store(f"sqlite:///{tmp_path / 's.db'}"))
        refused = "cannot send the report email through 127.0.0.1:25 (none): Connection refused"
        week = [Produced("client:Café Tortuga", (), False, refused), Produced("practice", (), False, refused)]
        report_notices(notifier, week)
        report_notices(notifier, week)
        assert [b["title"] for b in received.bodies] == ["No se pudo enviar el informe semanal"]
        assert "client:Café Tortuga, practice" in received.bodies[0]["message"]
        report_notices(notifier, [Produced("practice", (), True)])
        report_notices(notifier, week)
        assert len(received.bodies) == 2


def test_a_problem_is_kept_in_the_store_for_the_inbox_even_without_channels(tmp_path):
    config = parse_config(_config("\n[notify]\nemail = false\n"))
    notifier = Notifier(config, open_store(f"sqlite:///{tmp_path / 's.db'}"))
    assert not notifier.problem(Problem("scan:Estudio Sol", "scan_failed", {"client": "Estudio Sol", "detail": "x"}))
    assert [n.kind for n in notifier.notices.open()] == ["scan_failed"]

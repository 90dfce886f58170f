"""`scopekeeper client-page`: a new link to a client's page from the command line, and turning it off."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from scheduler.cli.main import cli
from scheduler.store import Store, open_store
from scheduler.store.client_pages import ClientPages
from tests.web.test_web_login import _config


def _pages(path: Path) -> tuple[ClientPages, Store]:
    store = open_store(f"sqlite:///{path.parent / 'state.db'}")
    return ClientPages(store), store


def test_a_link_is_printed_once_replaced_by_the_next_and_turned_off(tmp_path: Path) -> None:
    path = _config(tmp_path, port=8556)
    run = CliRunner().invoke
    first = run(cli, ["client-page", "--config", str(path), "--client", "estudio sol"])
    second = run(cli, ["client-page", "--config", str(path), "--client", "Estudio Sol"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    links = [r.output.split(": ", 1)[1].split()[0] for r in (first, second)]
    assert all(link.startswith("http://127.0.0.1:8556/c/") for link in links) and links[0] != links[1]
    assert "opens on this computer only" in first.output
    pages, store = _pages(path)
    try:
        old, new = (link.rsplit("/", 1)[1] for link in links)
        assert pages.client_of(new) == "Estudio Sol" and pages.client_of(old) is None
        off = run(cli, ["client-page", "--config", str(path), "--client", "Estudio Sol", "--off"])
        assert off.exit_code == 0 and "Estudio Sol's page is now off" in off.output
        assert pages.client_of(new) is None
        again = run(cli, ["client-page", "--config", str(path), "--client", "Estudio Sol", "--off"])
        assert "was not on" in again.output
    finally:
        store.close()
    unknown = run(cli, ["client-page", "--config", str(path), "--client", "Nobody"])
    assert unknown.exit_code == 2 and "no client named 'Nobody'" in unknown.output


def test_with_a_public_address_the_link_starts_with_it(tmp_path: Path) -> None:
    path = _config(tmp_path, public_url="https://anna-va.example.net")
    result = CliRunner().invoke(cli, ["client-page", "--config", str(path), "--client", "Studio Jogi Lotos"])
    assert result.exit_code == 0, result.output
    assert "https://anna-va.example.net/c/" in result.output and "this computer only" not in result.output

"""Signing in: a password (stored as a hash) when the app listens beyond this computer, `scopekeeper open`'s
fresh links, and `scopekeeper web` refusing to listen beyond loopback without a password."""
from __future__ import annotations

import asyncio
from pathlib import Path

import tomlkit
from click.testing import CliRunner

from scheduler.cli.main import cli
from scheduler.config.models import load_config
from scheduler.store import open_store
from scheduler.web.app import create_app
from scheduler.web.context import logins_path
from scheduler.web.security import LoginTokens, hash_password
from scheduler.web.server import web_context
from tests.web.support import DEMO_CONFIG

PASSWORD = "Ta-ble 4 two, por favor"


def _config(tmp_path: Path, **web: object) -> Path:
    document = tomlkit.parse(DEMO_CONFIG.read_text(encoding="utf-8"))
    document["scopekeeper"]["state_url"] = f"sqlite:///{tmp_path / 'state.db'}"
    table = tomlkit.table()
    for key, value in web.items():
        table[key] = value
    document["scopekeeper"]["web"] = table
    path = tmp_path / "scopekeeper.toml"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return path


def _call(app, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, dict, bytes]:
    """One request straight into the ASGI app (no socket: the app believes it listens on a LAN address)."""
    path, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
             "client": ("192.0.2.50", 50000), "server": ("192.0.2.10", 8421)}
    sent: list[dict] = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    answer_headers: dict[str, list[str]] = {}
    for name, value in start["headers"]:
        answer_headers.setdefault(name.decode().lower(), []).append(value.decode())
    return start["status"], answer_headers, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_beyond_loopback_only_the_right_password_signs_in(tmp_path: Path) -> None:
    path = _config(tmp_path, bind="192.0.2.10", password_hash=hash_password(PASSWORD))
    config = load_config(path)
    assert PASSWORD not in path.read_text()
    store = open_store(config.scopekeeper.state_url)
    app = create_app(web_context(path, config, store))
    host = {"Host": "192.0.2.10:8421"}
    status, headers, _ = _call(app, "GET", "/", host)
    assert status == 303 and headers["location"] == ["/login"]
    status, _, page = _call(app, "GET", "/login", host)
    assert status == 200 and b'type="password"' in page
    # A one-time link does nothing here: only the password does.
    token = LoginTokens(logins_path(path)).new()
    status, headers, _ = _call(app, "GET", f"/login?token={token}", host)
    assert "set-cookie" not in headers
    form = {**host, "Origin": "http://192.0.2.10:8421", "Content-Type": "application/x-www-form-urlencoded"}
    status, headers, page = _call(app, "POST", "/login", form, b"password=Ta-ble+4+two%2C+por+favoR")
    assert status == 403 and "set-cookie" not in headers and b"not right" in page
    status, headers, _ = _call(app, "POST", "/login", form, b"password=Ta-ble+4+two%2C+por+favor")
    assert status == 303 and headers["location"] == ["/"]
    cookie = headers["set-cookie"][0]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    session = cookie.split(";", 1)[0]
    status, _, page = _call(app, "GET", "/", {**host, "Cookie": session})
    assert status == 200 and b"<h1>Inbox" in page and b"Sign in" not in page
    # The loopback names are not this app's names any more.
    assert _call(app, "GET", "/", {"Host": "127.0.0.1:8421", "Cookie": session})[0] == 403
    store.close()


def test_web_refuses_to_listen_beyond_loopback_without_a_password(tmp_path: Path) -> None:
    path = _config(tmp_path, bind="0.0.0.0", port=8421)
    result = CliRunner().invoke(cli, ["web", "--config", str(path), "--no-browser"])
    assert result.exit_code == 1
    assert "needs a password" in result.output and "scopekeeper web --set-password" in result.output


def test_set_password_stores_only_a_hash_and_keeps_the_file(tmp_path: Path) -> None:
    path = _config(tmp_path)
    before = path.read_text()
    result = CliRunner().invoke(cli, ["web", "--config", str(path), "--set-password"],
                                input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    after = path.read_text()
    assert PASSWORD not in after and "password_hash = \"scrypt$" in after
    assert after.startswith(before.split("\n", 1)[0])          # the file's own comments stay
    from scheduler.web.security import check_password
    assert check_password(PASSWORD, load_config(path).scopekeeper.web.password_hash)


def test_open_prints_a_fresh_one_time_link_each_time(tmp_path: Path) -> None:
    path = _config(tmp_path, port=8555)
    first = CliRunner().invoke(cli, ["open", "--config", str(path), "--no-browser"])
    second = CliRunner().invoke(cli, ["open", "--config", str(path), "--no-browser"])
    assert first.exit_code == 0 and second.exit_code == 0
    links = [r.output.strip().rsplit(" ", 1)[1] for r in (first, second)]
    assert all(link.startswith("http://127.0.0.1:8555/login?token=") for link in links) and links[0] != links[1]
    tokens = LoginTokens(logins_path(path))
    assert tokens.spend(links[0].rsplit("=", 1)[1]) and not tokens.spend(links[0].rsplit("=", 1)[1])

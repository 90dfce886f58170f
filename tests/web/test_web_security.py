"""The web app's security contract over real HTTP: Host allowlist, same-origin writes, sessions, no secrets."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from scheduler.web.security import allowed_hosts, check_password, hash_password, is_loopback

pytestmark = pytest.mark.slow


def test_a_foreign_host_gets_403_even_with_a_session(web_world) -> None:
    session = web_world.session()
    port = web_world.url.rsplit(":", 1)[1]
    for host in (f"evil.example:{port}", "127.0.0.1", f"localhost.evil.example:{port}", f"127.0.0.1:{int(port) + 1}"):
        answer = session.get(web_world.url + "/", headers={"Host": host}, timeout=10)
        assert answer.status_code == 403, host
        assert "Bright Path" not in answer.text
    assert session.get(web_world.url + "/", timeout=10).status_code == 200
    assert session.get(web_world.url.replace("127.0.0.1", "localhost") + "/", timeout=10).status_code == 200


def test_a_cross_site_post_gets_403_before_routing_and_changes_nothing(web_world) -> None:
    session = web_world.session()
    intent = web_world.queued("Bright Path Coaching")[0]
    attempts = [{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
                {"Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site"},   # another local port
                {"Origin": "null"},
                {"Origin": web_world.url, "Sec-Fetch-Site": "cross-site"},
                {"Origin": None, "Sec-Fetch-Site": None}]                          # says nothing: refused too
    for headers in attempts:
        for path in (f"/comments/{intent.id}/reject", f"/comments/{intent.id}/approve", "/no/such/route"):
            answer = session.post(web_world.url + path, headers=headers, data={"when": "now"}, timeout=10)
            assert answer.status_code == 403, (headers, path)
    assert web_world.queued("Bright Path Coaching")[0] == intent   # still waiting, untouched


def test_no_session_no_data(web_world) -> None:
    anonymous = requests.Session()
    for path in ("/", "/clients", "/connect", "/reports", "/status", "/comments/1/edit"):
        answer = anonymous.get(web_world.url + path, allow_redirects=False, timeout=10)
        assert answer.status_code == 303 and answer.headers["location"] == "/login", path
        page = anonymous.get(web_world.url + path, timeout=10)
        assert "Bright Path" not in page.text and "scopekeeper open" in page.text
    partial = anonymous.get(web_world.url + "/comments/1/edit", headers={"HX-Request": "true"}, timeout=10)
    assert partial.status_code == 401 and "Bright Path" not in partial.text
    post = anonymous.post(web_world.url + "/comments/1/approve", headers={"Origin": web_world.url}, timeout=10)
    assert post.status_code == 401
    forged = requests.Session()
    forged.cookies.set("sk_session", "made-up")
    assert forged.get(web_world.url + "/", allow_redirects=False, timeout=10).status_code == 303


def test_the_login_link_works_once_and_sets_a_strict_httponly_cookie(web_world) -> None:
    link = web_world.login_url()
    first = requests.get(link, allow_redirects=False, timeout=10)
    assert first.status_code == 303 and first.headers["location"] == "/"
    cookie = first.headers["set-cookie"]
    assert re.match(r"sk_session=[\w-]{40,};", cookie)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    again = requests.get(link, allow_redirects=False, timeout=10)
    assert again.status_code == 403 and "set-cookie" not in again.headers
    assert "already used" in again.text
    # Only the token's digest is kept on disk.
    stored = (web_world.folder / ".scopekeeper.toml.logins").read_text()
    token = link.rsplit("=", 1)[1]
    assert token not in stored


def test_every_answer_carries_a_csp_without_inline_script_and_pages_load_nothing_from_elsewhere(web_world) -> None:
    session = web_world.session()
    for path in ("/", "/status", "/login", "/static/app.js"):
        answer = session.get(web_world.url + path, timeout=10)
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert answer.headers["x-frame-options"] == "DENY"
    page = session.get(web_world.url + "/", timeout=10).text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)   # no inline script block
    assert not re.search(r"\son[a-z]+=", page)               # no inline event handler
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assets = [s for s in sources if s.endswith((".js", ".css"))]
    assert assets and all(s.startswith("/static/") for s in assets)


def test_no_get_changes_state(web_world) -> None:
    session = web_world.session()
    before = [(i.id, i.status, i.text) for i in web_world.queued()]
    intent_id = before[0][0]
    for path in (f"/comments/{intent_id}/approve", f"/comments/{intent_id}/reject", f"/comments/{intent_id}/undo",
                 "/inbox/Bright%20Path%20Coaching/approve-all", f"/comments/{intent_id}/edit"):
        session.get(web_world.url + path, timeout=10)
    assert [(i.id, i.status, i.text) for i in web_world.queued()] == before


def test_secrets_are_never_rendered(web_world) -> None:
    session = web_world.session()
    text = "".join(session.get(web_world.url + p, timeout=10).text for p in ("/", "/status", "/connect", "/clients"))
    for secret in ("sandbox-token", "sandbox-api-key", "sandbox-asana-token"):
        assert secret not in text


def test_htmx_is_the_vendored_file_with_its_license() -> None:
    import hashlib

    static = Path(__file__).resolve().parents[2] / "scheduler" / "web" / "static"
    digest = hashlib.sha256((static / "htmx.min.js").read_bytes()).hexdigest()
    assert digest == "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"  # htmx.org 2.0.11
    assert "Zero-Clause BSD" in (static / "htmx.LICENSE.txt").read_text()


def test_loopback_and_hosts() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20") and not is_loopback("example.com")
    assert allowed_hosts("127.0.0.1", 8421) == {"127.0.0.1:8421", "localhost:8421", "[::1]:8421"}
    assert allowed_hosts("192.168.1.20", 8421) == {"192.168.1.20:8421"}


def test_passwords_are_stored_as_salted_scrypt_hashes() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$") and "correct" not in stored
    assert stored != hash_password("correct horse battery")   # salted
    assert check_password("correct horse battery", stored)
    assert not check_password("correct horse batterY", stored) and not check_password("x", None)
    assert not check_password("x", "scrypt$zz$00")

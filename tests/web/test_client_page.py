"""The client's page /c/<token> over HTTP: one client's token shows that client's page and nothing else."""
from __future__ import annotations

import hashlib
import html
import os
import re
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from scheduler.store.schema import ClientPageRow
from tests.web.test_web_browser import DESKTOP, OVERFLOWING, PHONE, SHOTS_ENV, signed_in

pytestmark = pytest.mark.slow

CLIENTS = ("Bright Path Coaching", "Atelier Lumière", "Estudio Sol", "Studio Jogi Lotos")
# What the VA's own pages answer to someone without a session: the login page (or 401 for htmx, 405 for a GET
# on a form's address); never their content.
VA_PATHS = ("/", "/clients", "/clients/new", "/connect", "/reports", "/status", "/comments/1/edit",
            "/clients/Atelier%20Lumi%C3%A8re/contract", "/clients/Estudio%20Sol/contract", "/static/../clients")


def issue(session: requests.Session, url: str, client: str) -> str:
    """The VA makes a client's link on the clients page; the token is only in that answer."""
    answer = session.post(f"{url}/clients/{requests.utils.quote(client)}/page", timeout=30)
    assert answer.status_code == 200
    link = re.search(r'<textarea id="client-link"[^>]*>([^<]+)</textarea>', answer.text)
    assert link, answer.text
    return html.unescape(link.group(1))


def _texts_of(world, client: str) -> list[str]:
    """Every card title of a client as the page would print it (HTML-escaped)."""
    return [html.escape(card.title, quote=False) for card in world.store.cards(client) if len(card.title) > 6]


@pytest.fixture(scope="module")
def links(web_world) -> dict[str, str]:
    session = web_world.session()
    return {client: issue(session, web_world.url, client) for client in CLIENTS}


def test_each_link_shows_its_own_client_and_nothing_of_the_others(web_world, links) -> None:
    anonymous = requests.Session()
    for client, link in links.items():
        assert link.startswith(web_world.url + "/c/")
        page = anonymous.get(link, timeout=30)
        assert page.status_code == 200
        assert html.escape(client, quote=False) in page.text
        own = _texts_of(web_world, client)
        assert any(title in page.text for title in own), client
        for other in CLIENTS:
            if other == client:
                continue
            assert html.escape(other, quote=False) not in page.text, (client, other)
            leaked = [title for title in _texts_of(web_world, other) if title in page.text]
            assert leaked == [], (client, other, leaked)
        # Nothing of the VA's own pages: no navigation, no inbox, no form, no script.
        for word in ("Inbox", "Connect", "Approve", "<form", "<script", "Edit the contract", "sk_session"):
            assert word not in page.text, (client, word)
        assert page.headers["referrer-policy"] == "no-referrer" and page.headers["cache-control"] == "no-store"
        assert "script-src 'self'" in page.headers["content-security-policy"] and "set-cookie" not in page.headers


def test_in_the_clients_language_and_address_form(links) -> None:
    english = requests.get(links["Bright Path Coaching"], timeout=30).text
    assert '<html lang="en">' in english
    assert re.search(r"of 20 hours used</strong>.*<span>[\d.]+ hours? left</span>.*<span>resets on", english)
    french = requests.get(links["Atelier Lumière"], timeout=30).text    # formal: vous
    assert '<html lang="fr">' in french and "Votre forfait" in french and "renouvellement le" in french
    spanish = requests.get(links["Estudio Sol"], timeout=30).text        # informal: tú
    assert '<html lang="es">' in spanish and "Tu plan" in spanish and "Su plan" not in spanish
    polish = requests.get(links["Studio Jogi Lotos"], timeout=30).text   # informal: Ty
    assert '<html lang="pl">' in polish and "Twój pakiet godzin" in polish and "Wykorzystano" in polish


def test_the_token_opens_no_other_page_nor_any_data(web_world, links) -> None:
    token = links["Bright Path Coaching"].rsplit("/", 1)[1]
    names = [html.escape(n, quote=False) for n in CLIENTS[1:]]
    tries = requests.Session()
    attempts = []
    for path in VA_PATHS:
        attempts += [tries.get(web_world.url + path, allow_redirects=False, timeout=30),
                     tries.get(web_world.url + path, params={"token": token}, allow_redirects=False, timeout=30),
                     tries.get(web_world.url + path, cookies={"sk_session": token}, allow_redirects=False,
                               timeout=30),
                     tries.get(web_world.url + path, headers={"Authorization": f"Bearer {token}",
                                                               "HX-Request": "true"}, timeout=30)]
    for path in ("/..%2Fclients", "/../clients", "/%2e%2e/clients", "/clients", "/Estudio%20Sol",
                 "/../reports/2026-W47/open?client=Estudio%20Sol"):
        attempts.append(tries.get(f"{web_world.url}/c/{token}{path}", allow_redirects=False, timeout=30))
    for answer in attempts:
        assert answer.status_code in (303, 401, 404, 405), (answer.url, answer.status_code)
        if answer.status_code == 303:
            assert answer.headers["location"] == "/login"
        assert not any(name in answer.text for name in names), answer.url
        assert "Bright Path Coaching" not in answer.text or answer.url.startswith(f"{web_world.url}/c/{token}?")
    # The login link is not the client page token, and a client page token is no login link.
    assert tries.get(f"{web_world.url}/login", params={"token": token}, timeout=30).status_code == 403
    # Writing through the page is refused, with or without a believable origin.
    for headers in ({}, {"Origin": web_world.url, "Sec-Fetch-Site": "same-origin"}):
        post = tries.post(links["Bright Path Coaching"], headers=headers, timeout=30)
        assert post.status_code in (403, 405)
        post = tries.post(f"{web_world.url}/clients/Estudio%20Sol/page/off", headers=headers,
                          cookies={"sk_session": token}, timeout=30)
        assert post.status_code in (401, 403)
    assert requests.get(links["Estudio Sol"], timeout=30).status_code == 200   # not turned off by those tries


def test_unknown_malformed_and_revoked_links_all_get_the_same_404(web_world, links) -> None:
    token = links["Bright Path Coaching"].rsplit("/", 1)[1]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    garbage = ("", "x", token[:-1], token + "A", flipped, token.upper() if token.upper() != token else "Z" * 43,
               "Ż" * 43, "%00" * 15, "..%2F" * 15, token + "/", "a" * 5000)
    answers = [requests.get(f"{web_world.url}/c/{g}", timeout=30) for g in garbage]
    assert {a.status_code for a in answers} == {404}
    assert len({a.text for a in answers}) == 1
    gone = answers[0].text
    assert "no longer shared" in gone and "Bright Path" not in gone

    session = web_world.session()
    # Revoked: the VA turns the page off; the link then answers exactly like a link that never existed.
    off = session.post(f"{web_world.url}/clients/Studio%20Jogi%20Lotos/page/off", allow_redirects=False, timeout=30)
    assert off.status_code == 303
    revoked = requests.get(links["Studio Jogi Lotos"], timeout=30)
    assert (revoked.status_code, revoked.text) == (404, gone)
    # Re-issued: a new link works, the previous one is gone.
    old = links["Atelier Lumière"]
    new = issue(session, web_world.url, "Atelier Lumière")
    assert new != old and requests.get(new, timeout=30).status_code == 200
    assert (requests.get(old, timeout=30).status_code, requests.get(old, timeout=30).text) == (404, gone)
    links["Atelier Lumière"] = new
    clients = session.get(f"{web_world.url}/clients", timeout=30).text
    assert "Make a link for the client<span class=\"visually-hidden\"> Studio Jogi Lotos" in clients
    assert "Turn the page off<span class=\"visually-hidden\"> for Atelier Lumière" in clients


def test_the_store_keeps_only_a_hash_of_each_token(web_world, links) -> None:
    with web_world.store.reading() as session:
        rows = {row.client: row.token_hash for row in session.scalars(select(ClientPageRow))}
    token = links["Estudio Sol"].rsplit("/", 1)[1]
    assert len(token) >= 43 and rows["Estudio Sol"] == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in value for value in rows.values())
    database = (web_world.folder / "scopekeeper.db").read_bytes()
    assert token.encode() not in database


def test_screens_of_the_client_page_at_375_and_1280_px(browser, web_world, links, tmp_path: Path) -> None:
    folder = Path(os.environ.get(SHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for width, device in (("375", PHONE), ("1280", DESKTOP)):
        page = browser.new_context(**device).new_page()
        for client in ("Bright Path Coaching", "Estudio Sol"):
            page.goto(links[client])
            shot = folder / f"client-page-{client.split()[0].lower()}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            assert page.evaluate(OVERFLOWING) == [], (client, width)
            assert page.evaluate("document.documentElement.scrollWidth") <= device["viewport"]["width"]
            assert page.locator("meter").count() == 1 and page.locator("h1").count() == 1
        # The VA makes a link from the clients page and sees it once.
        va = signed_in(browser, web_world, device)
        va.goto(web_world.url + "/clients")
        va.get_by_role("button", name="Make a new link for Bright Path Coaching").click()
        link = va.get_by_label("Link for Bright Path Coaching").input_value()
        assert link.startswith(web_world.url + "/c/")
        va.screenshot(path=str(folder / f"client-link-{width}.png"), full_page=True)
        assert va.evaluate(OVERFLOWING) == [], width
        links["Bright Path Coaching"] = link
        page.goto(link)
        assert "Bright Path Coaching" in page.inner_text("body")

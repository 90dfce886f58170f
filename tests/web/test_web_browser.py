"""The web app in a real headless Chromium: approving posts exactly once, editing, rejecting and undoing, the
contract editor, connecting Trello through its authorize page, cross-site forms, the keyboard, labels, screens."""
from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest

from integrations.sandbox.server import LoopbackServer
from scheduler.store.outbox import Outbox
from scheduler.web.context import WebContext
from scheduler.worker.execute import Executor

pytestmark = pytest.mark.slow

PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
OVERFLOWING = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map(e => e.tagName + ': ' + (e.textContent || '').trim().slice(0, 40))"""
UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(e => e.type !== 'hidden')
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
  .map(e => e.outerHTML.slice(0, 80))"""
# Where the screenshots go when a person wants to look at them (else the test's own folder).
SHOTS_ENV = "SCOPEKEEPER_WEB_SCREENSHOTS"


def signed_in(browser, world, device=DESKTOP):
    page = browser.new_context(**device).new_page()
    page.goto(world.login_url())
    assert page.url == world.url + "/"
    return page


def until(page, expression: str, timeout: float = 20.0) -> None:
    """Poll an expression (page.wait_for_function would need eval, which the app's CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        time.sleep(0.05)


def comment_box(page, intent_id: int):
    return page.locator(f"#c-{intent_id}")


def test_approve_posts_the_comment_exactly_once_on_the_card(browser, web_world) -> None:
    intent = web_world.queued("Bright Path Coaching")[0]
    page = signed_in(browser, web_world)
    box = comment_box(page, intent.id)
    assert intent.card_title in box.inner_text()
    box.get_by_role("button", name="Approve").click()
    box.get_by_text("Posted on the card.").wait_for()
    texts = web_world.comments_on(intent.card_id)
    assert sum(intent.reference in t for t in texts) == 1
    assert Outbox(web_world.store).get(intent.id).status == "sent"
    # Reloaded, the inbox no longer offers it.
    page.reload()
    assert page.locator(f"#c-{intent.id}").count() == 0


def test_a_double_click_on_approve_still_posts_once(browser, web_world) -> None:
    intent = web_world.intent_for("double")
    page = signed_in(browser, web_world)
    box = comment_box(page, intent.id)
    assert "Teachable" in box.inner_text() and "The client wrote" in box.inner_text()
    box.get_by_role("button", name="Approve").dblclick()
    box.get_by_text("Posted on the card.").wait_for()
    # And a third, raw request racing in as a stale tab would send it.
    status = page.evaluate(f"""() => fetch('/comments/{intent.id}/approve', {{method: 'POST',
        body: new URLSearchParams({{when: 'now'}})}}).then(r => r.status)""")
    assert status == 200
    texts = web_world.comments_on(intent.card_id)
    assert sum(intent.reference in t for t in texts) == 1, texts


def test_edit_with_preview_posts_the_edited_text(browser, web_world) -> None:
    intent = web_world.intent_for("edit")
    page = signed_in(browser, web_world)
    box = comment_box(page, intent.id)
    box.get_by_role("link", name="Edit").click()
    field = page.get_by_label("Your wording")
    field.wait_for()
    wording = ("Merci pour cette demande ! Un plan de contenu pour 2027 sort du forfait actuel : "
               "réservons un appel pour en parler → https://calendly.com/example/conseil")
    field.fill(wording)
    preview = page.locator(f"#preview-{intent.id}")
    preview.get_by_text("réservons un appel").wait_for()
    assert intent.reference in preview.inner_text()      # the reference line is kept
    page.get_by_role("button", name="Save the wording").click()
    box = comment_box(page, intent.id)
    box.get_by_text("edited by you").wait_for()
    box.get_by_role("button", name="Approve").click()
    box.get_by_text("Posted on the card.").wait_for()
    posted = web_world.comments_on(intent.card_id)
    signature_line = intent.text.rsplit("\n\n", 1)[1]
    assert intent.reference in signature_line
    assert len(posted) == 1 and posted[0] == f"{wording}\n\n{signature_line}"


def test_reject_then_undo_puts_it_back_and_nothing_is_posted(browser, web_world) -> None:
    intent = web_world.intent_for("reject")
    page = signed_in(browser, web_world)
    box = comment_box(page, intent.id)
    assert "Strategia treści" in box.inner_text()
    box.get_by_role("button", name="Reject").click()
    box.get_by_text("Rejected: it will not be posted.").wait_for()
    assert Outbox(web_world.store).get(intent.id).status == "rejected"
    page.reload()   # the rejection stays undoable after a reload, under "Recently rejected"
    page.locator("details.rejected", has=page.locator(f"#c-{intent.id}")).locator("summary").click()
    comment_box(page, intent.id).get_by_role("button", name=re.compile("Undo")).click()
    comment_box(page, intent.id).get_by_role("button", name="Approve").wait_for()
    assert Outbox(web_world.store).get(intent.id).status == "pending_review"
    assert web_world.comments_on(intent.card_id) == []


def test_approve_for_the_next_check_leaves_it_to_the_scan(browser, web_world) -> None:
    intent = web_world.intent_for("later")
    page = signed_in(browser, web_world)
    page.get_by_label("at the next check of the boards").check()
    box = comment_box(page, intent.id)
    box.get_by_role("button", name="Approve").click()
    box.get_by_text("it will be posted at the next check").wait_for()
    assert web_world.comments_on(intent.card_id) == []
    context: WebContext = web_world.server.context
    Executor(web_world.store, context.adapters, threading.Event()).post(client="Estudio Sol")
    assert sum(intent.reference in t for t in web_world.comments_on(intent.card_id)) == 1


def test_a_cross_site_form_post_gets_403_and_changes_nothing(browser, web_world) -> None:
    intent = web_world.queued()[0]
    page = signed_in(browser, web_world)
    evil = (f'<!doctype html><form id="f" method="post" action="{web_world.url}/comments/{intent.id}/reject">'
            '<input name="when" value="now"></form><script>document.getElementById("f").submit()</script>')

    def handler(method, path, query, body, headers):
        return 200, {"Content-Type": "text/html"}, evil.encode()

    # Another site on this machine (same host, other port).
    with LoopbackServer(handler) as other, page.expect_response(lambda r: "/reject" in r.url) as answer:
        page.goto(other.url + "/")
    assert answer.value.status == 403
    assert "another website" in page.inner_text("body")
    assert Outbox(web_world.store).get(intent.id).status == "pending_review"


def test_the_inbox_works_from_the_keyboard_alone(browser, web_world) -> None:
    page = signed_in(browser, web_world)
    first, second = (i.id for i in web_world.queued()[:2])
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == f"c-{first}"
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == f"c-{second}"
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.id") == f"c-{first}"
    page.keyboard.press("r")
    comment_box(page, first).get_by_text("Rejected").wait_for()
    until(page, f"document.activeElement.id === 'c-{first}'")   # the keyboard stays on it
    page.keyboard.press("u")
    comment_box(page, first).get_by_role("button", name="Approve").wait_for()
    until(page, f"document.activeElement.id === 'c-{first}'")
    page.keyboard.press("e")
    page.get_by_label("Your wording").wait_for()
    until(page, "document.activeElement.tagName === 'TEXTAREA'")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")   # from the text, Tab reaches the editor's buttons
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") in ("Save the wording", "Cancel")
    assert Outbox(web_world.store).get(first).status == "pending_review"
    # Tab alone reaches every action of the first comment, in order.
    page.goto(web_world.url + "/")
    names = []
    for _ in range(40):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert "Approve" in names and "Edit" in names and "Reject" in names


def test_every_form_field_is_labelled(browser, web_world) -> None:
    page = signed_in(browser, web_world)
    intent = web_world.queued()[0]
    for path in ("/", f"/comments/{intent.id}/edit", "/clients", "/clients/new",
                 "/clients/Bright%20Path%20Coaching/contract", "/connect", "/status"):
        page.goto(web_world.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(UNLABELLED) == [], path
    fresh = browser.new_context().new_page()
    fresh.goto(web_world.url + "/login")
    assert fresh.evaluate(UNLABELLED) == []


def test_the_contract_editor_saves_keeping_comments_and_shows_mistakes_by_their_field(browser, web_world) -> None:
    path = web_world.config_path
    original = path.read_text(encoding="utf-8")
    assert "# The demo's configuration" in original
    page = signed_in(browser, web_world)
    page.goto(web_world.url + "/clients")
    page.get_by_role("link", name=re.compile("Edit the contract of Atelier Lumière")).click()
    page.get_by_label("Hours in the plan").fill("-3")
    page.get_by_role("button", name="Save the contract").click()
    error = page.locator("#e-hours")
    assert "must be greater than 0" in error.inner_text()
    assert page.get_by_label("Hours in the plan").get_attribute("aria-invalid") == "true"
    assert path.read_text(encoding="utf-8") == original   # nothing saved

    page.get_by_label("Hours in the plan").fill("12")
    first = page.get_by_role("group", name="Service 1")
    assert first.get_by_label("Service name").input_value() == "Réseaux sociaux"
    first.get_by_label("Words that point to it").fill("réseau social, instagram, facebook, pinterest")
    new = page.get_by_role("group", name="New service")
    new.get_by_label("Service name").fill("Boutique en ligne")
    new.get_by_label("Words that point to it").fill("boutique, etsy, commande")
    page.get_by_role("button", name="Save the contract").click()
    page.get_by_text("Saved Atelier Lumière’s contract").wait_for()
    saved = path.read_text(encoding="utf-8")
    assert "# The demo's configuration" in saved and saved.count("#") == original.count("#")
    assert "hours = 12" in saved and "pinterest" in saved and 'name = "Boutique en ligne"' in saved
    from scheduler.config.models import load_config
    config = load_config(path)
    assert config.client("Atelier Lumière").contract.hours == 12
    assert config.client("Bright Path Coaching") == web_world.server.context.config.client("Bright Path Coaching")


def test_connect_trello_through_its_authorize_page(browser, web_world) -> None:
    secrets_file = web_world.folder / "scopekeeper.env"
    page = signed_in(browser, web_world)
    page.goto(web_world.url + "/connect")
    page.get_by_text("Connected to Trello as Virtual Assistant").wait_for()
    page.get_by_text(re.compile("Connect again .*Trello")).click()   # connected already: she renews the token
    assert "sandbox-api-key" not in page.content()   # the key goes to Trello by a redirect, never into a page
    page.get_by_role("link", name="Connect Trello").click()
    assert "/1/authorize?" in page.url and "callback_method=fragment" in page.url
    assert "return_url=http%3A%2F%2F127.0.0.1" in page.url
    page.get_by_role("link", name="Allow").click()
    page.wait_for_url(re.compile(r"/connect\?connected=trello$"))
    page.get_by_text("Trello is connected.").wait_for()
    page.get_by_text("Connected to Trello as Virtual Assistant").wait_for()
    assert "sandbox-token" not in page.content()
    assert "TRELLO_TOKEN=sandbox-token" in secrets_file.read_text()
    assert oct(secrets_file.stat().st_mode & 0o777) == "0o600"
    assert "sandbox-token" not in web_world.config_path.read_text()
    # Pick a board for a client: it lands in the configuration file, nowhere else.
    page.get_by_role("checkbox", name=re.compile("Bright Path")).first.check()
    page.locator("#client-trello").select_option("Bright Path Coaching")
    page.get_by_role("button", name="Add to this client").first.click()
    page.get_by_text("board(s) added").wait_for()


def test_screens_at_375_and_1280_px(browser, web_world, tmp_path: Path) -> None:
    folder = Path(os.environ.get(SHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, device in (("375", PHONE), ("1280", DESKTOP)):
        page = signed_in(browser, web_world, device)
        for screen, path in (("inbox", "/"), ("clients", "/clients"), ("contract", "/clients/Estudio%20Sol/contract"),
                             ("connect", "/connect"), ("status", "/status")):
            page.goto(web_world.url + path)
            page.wait_for_load_state("networkidle")
            shot = folder / f"{screen}-{name}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            assert page.evaluate(OVERFLOWING) == [], (screen, name)
            assert page.evaluate("document.documentElement.scrollWidth") <= device["viewport"]["width"]

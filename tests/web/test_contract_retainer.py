"""The contract editor's retainer terms in Chromium: rollover, cap, expiry, grace and rounding, validated by field,
saved into the configuration file and shown back."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from scheduler.config.models import load_config
from tests.web.test_web_browser import DESKTOP, OVERFLOWING, PHONE, SHOTS_ENV, UNLABELLED, signed_in

pytestmark = pytest.mark.slow

RETAINER_KEYS = ("rollover", "rollover_cap_hours", "rollover_expires_after", "grace_hours", "billing_increment_minutes")


def _editor(browser, world, client: str, device=DESKTOP):
    page = signed_in(browser, world, device)
    page.goto(world.url + "/clients")
    page.get_by_role("link", name=re.compile(f"Edit the contract of {client}")).click()
    return page


def test_wrong_values_are_named_by_field_and_value_and_nothing_is_saved(browser, web_world, tmp_path: Path) -> None:
    folder = Path(os.environ.get(SHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    original = web_world.config_path.read_text(encoding="utf-8")
    for width, device in (("375", PHONE), ("1280", DESKTOP)):
        page = _editor(browser, web_world, "Estudio Sol", device)
        rollover = page.get_by_role("group", name="What carries over at the end of each period")
        assert page.get_by_role("radio", name="Nothing carries over: each period starts afresh").is_checked()
        assert [o.strip() for o in rollover.locator("label").all_inner_texts()] == [
            "Nothing carries over: each period starts afresh", "Unused hours carry over to the next periods",
            "Hours over the plan come out of the next period's hours (not billed)",
            "Both: unused hours carry over, and hours over the plan come out of the next period"]
        assert page.get_by_label("Carried hours stay usable for (periods)").input_value() == "1"
        rollover.get_by_role("radio", name=re.compile("^Both")).check()
        page.get_by_label("Most hours carried into one period").fill("-4")
        page.get_by_label("Carried hours stay usable for (periods)").fill("1.5")
        page.get_by_label("Extra hours not billed, per period").fill("media hora")
        page.get_by_role("button", name="Save the contract").click()
        assert "must be at least 0, got -4" in page.locator("#e-rollover_cap_hours").inner_text()
        assert "should be a whole number, got" in page.locator("#e-rollover_expires_after").inner_text()
        assert "1.5" in page.locator("#e-rollover_expires_after").inner_text()
        assert 'should be a number, got text "media hora"' in page.locator("#e-grace_hours").inner_text()
        summary = page.get_by_role("alert").inner_text()
        assert "Most hours carried into one period: must be at least 0, got -4" in summary
        assert 'Extra hours not billed, per period: should be a number, got text "media hora"' in summary
        assert page.get_by_label("Extra hours not billed, per period").get_attribute("aria-invalid") == "true"
        assert page.get_by_role("radio", name=re.compile("^Both")).is_checked()     # what she chose stays chosen
        assert web_world.config_path.read_text(encoding="utf-8") == original
        page.screenshot(path=str(folder / f"contract-retainer-errors-{width}.png"), full_page=True)
        page.get_by_role("alert").screenshot(path=str(folder / f"contract-retainer-alert-{width}.png"))
        page.get_by_role("group", name="Carried hours, free extra time and rounding").screenshot(
            path=str(folder / f"contract-retainer-fields-{width}.png"))
        assert page.evaluate(OVERFLOWING) == [], width
        assert page.evaluate(UNLABELLED) == []
    # A value the form never offers, sent anyway, is refused with the allowed ones.
    page = _editor(browser, web_world, "Estudio Sol")
    page.locator("#f-billing_increment_minutes").evaluate(
        "select => { const o = document.createElement('option'); o.value = '7'; o.text = '7'; select.add(o); }")
    page.get_by_label("Round extra time up to").select_option("7")
    page.get_by_role("button", name="Save the contract").click()
    assert "Round extra time up to: 7 is not allowed; use one of: 0, 6, 15 or 30" in \
        page.get_by_role("alert").inner_text()
    assert web_world.config_path.read_text(encoding="utf-8") == original


def test_retainer_terms_are_saved_and_shown_back(browser, web_world, tmp_path: Path) -> None:
    folder = Path(os.environ.get(SHOTS_ENV) or tmp_path)
    page = _editor(browser, web_world, "Studio Jogi Lotos")
    page.get_by_role("radio", name="Unused hours carry over to the next periods").check()
    page.get_by_label("Most hours carried into one period").fill("10")
    page.get_by_label("Carried hours stay usable for (periods)").fill("3")
    page.get_by_label("Extra hours not billed, per period").fill("0,5")   # a Polish VA's decimal comma
    page.get_by_label("Round extra time up to").select_option("15")
    page.get_by_role("button", name="Save the contract").click()
    page.get_by_text("Saved Studio Jogi Lotos’s contract").wait_for()
    contract = load_config(web_world.config_path).client("Studio Jogi Lotos").contract
    assert (contract.rollover, contract.rollover_cap_hours, contract.rollover_expires_after, contract.grace_hours,
            contract.billing_increment_minutes) == ("unused", 10, 3, 0.5, 15)
    assert "# The demo's configuration" in web_world.config_path.read_text(encoding="utf-8")
    panel = page.get_by_role("region", name="Studio Jogi Lotos")
    words = panel.locator(".terms").inner_text()
    assert "unused hours roll over and stay usable for 3 weeks (at most 10 h carried into one week)" in words.lower()
    assert "the first 0.5 h past the plan each week are not billed" in words
    assert "rounded up to 15 minutes" in words
    page.goto(web_world.url + "/clients/Studio%20Jogi%20Lotos/contract")
    assert page.get_by_role("radio", name="Unused hours carry over to the next periods").is_checked()
    assert page.get_by_label("Most hours carried into one period").input_value() == "10"
    assert page.get_by_label("Carried hours stay usable for (periods)").input_value() == "3"
    assert page.get_by_label("Extra hours not billed, per period").input_value() == "0.5"
    assert page.get_by_label("Round extra time up to").input_value() == "15"
    page.screenshot(path=str(folder / "contract-retainer-saved-1280.png"), full_page=True)
    # Back to no rollover and an empty cap: the cap leaves the file, the rest of the contract stays.
    page.get_by_role("radio", name="Nothing carries over: each period starts afresh").check()
    page.get_by_label("Most hours carried into one period").fill("")
    page.get_by_role("button", name="Save the contract").click()
    page.get_by_text("Saved Studio Jogi Lotos’s contract").wait_for()
    contract = load_config(web_world.config_path).client("Studio Jogi Lotos").contract
    assert (contract.rollover, contract.rollover_cap_hours, contract.grace_hours) == ("none", None, 0.5)


def test_saving_a_plain_contract_adds_no_retainer_keys(browser, web_world) -> None:
    before = web_world.config_path.read_text(encoding="utf-8")
    page = _editor(browser, web_world, "Atelier Lumière")
    page.get_by_label("Hours in the plan").fill("14")
    page.get_by_role("button", name="Save the contract").click()
    page.get_by_text("Saved Atelier Lumière’s contract").wait_for()
    after = web_world.config_path.read_text(encoding="utf-8")
    atelier = after[after.index('name = "Atelier Lumière"'):after.index('name = "Estudio Sol"')]
    assert "hours = 14" in atelier and not any(key in atelier for key in RETAINER_KEYS)
    assert sum(after.count(key) for key in RETAINER_KEYS) == sum(before.count(key) for key in RETAINER_KEYS)

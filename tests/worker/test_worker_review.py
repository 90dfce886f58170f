"""`scopekeeper review`: list with card links and text, approve, reject, edit in $EDITOR, post at once."""
from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import replace

import pytest
from click.testing import CliRunner

from scheduler.cli.main import cli
from scheduler.cli.review import review_listing
from scheduler.store.outbox import Outbox
from tests.worker.support import REPO, command, run

pytestmark = [pytest.mark.parametrize("backend", ["sqlite"]), pytest.mark.slow]  # real `scopekeeper run` processes

EDITOR = """\
import pathlib, sys
path = pathlib.Path(sys.argv[2])  # $EDITOR is given the file last
pathlib.Path(sys.argv[1]).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # what the VA saw
path.write_text("Happy to do it: it is one extra hour, billed at $45.\\n", encoding="utf-8")
"""


@pytest.fixture
def queued(world, make_worker):
    """Review-mode scans (in this process) have queued the world's comments."""
    worker = make_worker(mode="review")
    assert [worker.scan(client) for client in worker.config.clients] == ["ok", "ok"]
    return world.tmp / "scopekeeper.toml", worker.store, Outbox(worker.store)


def unwrapped(listing: str) -> str:
    """The listing with the comment lines it wrapped joined again."""
    out: list[str] = []
    for line in listing.splitlines():
        if line.startswith("     | ") and out and out[-1].startswith("     | ") and not out[-1].endswith("|"):
            out[-1] += " " + line[len("     | "):]
        else:
            out.append(line)
    return "\n".join(out)


def invoke(world, *args: str, **env: str):
    return CliRunner().invoke(cli, list(args), env={**world.env(), **env}, catch_exceptions=False)


def test_the_list_shows_every_queued_comment_with_its_card_link_and_text(world, queued):
    config, _, outbox = queued
    listing = invoke(world, "review", "--config", str(config))

    assert listing.exit_code == 0
    intents = outbox.listed(("pending_review",))
    assert len(intents) == len(world.expected) and "8 comment(s) waiting for your review" in listing.output
    for intent in intents:
        assert f"#{intent.id}  {intent.client} - \"{intent.card_title}\"" in listing.output
        assert intent.card_url in listing.output and f"| ref {intent.reference}" in listing.output
        assert f"| {intent.text.splitlines()[0]}" in unwrapped(listing.output)
    only = invoke(world, "review", "--config", str(config), "--client", "sunrise STUDIO")
    assert only.output.count("\n#") == 3


def test_approve_reject_and_edit_then_post_at_the_next_scan_or_at_once(world, queued, tmp_path):
    config, _, outbox = queued
    first, second, third, fourth = (i.id for i in outbox.listed(("pending_review",))[:4])
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    shown = tmp_path / "shown.txt"

    assert invoke(world, "review", "approve", str(first), str(second), "--config", str(config)).exit_code == 0
    assert invoke(world, "review", "reject", str(third), "--config", str(config)).exit_code == 0
    edit = invoke(world, "review", "edit", str(fourth), "--config", str(config),
                  EDITOR=f"{sys.executable} {script} {shown}")

    assert edit.exit_code == 0 and f"#{fourth}: text updated" in edit.output
    edited = outbox.get(fourth)
    assert "ref " not in shown.read_text(encoding="utf-8")  # the reference is not the VA's to edit
    assert edited.text == f"Happy to do it: it is one extra hour, billed at $45.\n\nref {edited.reference}"
    assert [outbox.get(i).status for i in (first, second, third, fourth)] == [
        "approved", "approved", "rejected", "pending_review"]
    assert sum(world.comment_counts().values()) == 0

    assert run(world, config).code == 0  # the next scan posts the approved ones only
    posted = {ref for ref, n in world.comment_counts().items() if n}
    assert posted == {outbox.get(first).reference, outbox.get(second).reference}

    now = invoke(world, "review", "approve", str(fourth), "--post", "--config", str(config))
    assert now.exit_code == 0 and "posted 1" in now.output
    assert edited.text in world.comment_texts()
    refused = invoke(world, "review", "reject", str(first), "--config", str(config))
    assert refused.exit_code == 1 and f"#{first} is sent" in refused.output

    assert run(world, config).code == 0
    counts = world.comment_counts()
    assert counts[outbox.get(third).reference] == 0  # rejected: never posted
    assert {ref for ref, n in counts.items() if n} == posted | {edited.reference}
    assert set(counts.values()) == {0, 1}


def test_unknown_ids_and_unchanged_edits_are_reported(world, queued):
    config, _, outbox = queued
    missing = invoke(world, "review", "approve", "999", "--config", str(config))
    assert missing.exit_code == 1 and "#999 does not exist" in missing.output
    intent = outbox.listed(("pending_review",))[0]
    unchanged = invoke(world, "review", "edit", str(intent.id), "--config", str(config), EDITOR="true")
    assert unchanged.exit_code == 0 and "no change" in unchanged.output
    assert outbox.get(intent.id).text == intent.text


def test_client_scopes_every_subcommand(world, queued):
    config, _, outbox = queued
    sunrise = [i.id for i in outbox.listed(("pending_review",)) if i.client == "Sunrise Studio"]
    bright = [i.id for i in outbox.listed(("pending_review",)) if i.client != "Sunrise Studio"]
    assert sunrise and bright

    approved = invoke(world, "review", "--client", "sunrise studio", "approve", "--all", "--config", str(config))
    assert approved.exit_code == 0
    assert [outbox.get(i).status for i in sunrise] == ["approved"] * len(sunrise)
    assert [outbox.get(i).status for i in bright] == ["pending_review"] * len(bright)  # other clients untouched

    other = invoke(world, "review", "reject", str(bright[0]), "--client", "Sunrise Studio", "--config", str(config))
    assert other.exit_code == 1 and f"#{bright[0]} is for Bright Path, not Sunrise Studio" in other.output
    assert outbox.get(bright[0]).status == "pending_review"
    listing = invoke(world, "review", "--client", "Bright Path", "--config", str(config))
    assert "for Bright Path" in listing.output and "Sunrise Studio" not in listing.output


def test_a_rejection_can_be_undone(world, queued):
    config, _, outbox = queued
    intent = outbox.listed(("pending_review",))[0]
    assert invoke(world, "review", "reject", str(intent.id), "--config", str(config)).exit_code == 0
    assert outbox.get(intent.id).status == "rejected"
    undone = invoke(world, "review", "undo", str(intent.id), "--config", str(config))
    assert undone.exit_code == 0 and "waits for your review again" in undone.output
    assert outbox.get(intent.id).status == "pending_review"
    again = invoke(world, "review", "undo", str(intent.id), "--config", str(config))
    assert again.exit_code == 1 and "is pending_review" in again.output  # only a rejection can be undone


def test_without_an_editor_the_text_is_typed_in_the_terminal_or_given_with_text(world, queued, monkeypatch):
    config, _, outbox = queued
    first, second = outbox.listed(("pending_review",))[:2]
    monkeypatch.setenv("PATH", "/nonexistent")  # no nano either
    env = {**world.env(), "EDITOR": "", "VISUAL": ""}
    typed = CliRunner().invoke(cli, ["review", "edit", str(first.id), "--config", str(config)], env=env,
                               input="Glad to help with this one.\nIt is one extra hour.\n.\n", catch_exceptions=False)
    assert typed.exit_code == 0 and "No text editor is set" in typed.output
    assert outbox.get(first.id).text == f"Glad to help with this one.\nIt is one extra hour.\n\nref {first.reference}"
    given = invoke(world, "review", "edit", str(second.id), "--text", "Zrobię to z przyjemnością 🙂",
                   "--config", str(config))
    assert given.exit_code == 0
    assert outbox.get(second.id).text == f"Zrobię to z przyjemnością 🙂\n\nref {second.reference}"


def test_approve_all_post_again_posts_what_an_interrupted_run_approved(world, queued):
    config, _, outbox = queued
    waiting = outbox.listed(("pending_review",))
    for intent in waiting:  # as if `approve --all --post` had approved them, then died before posting
        assert outbox.approve(intent.id)
    again = invoke(world, "review", "approve", "--all", "--post", "--config", str(config))
    assert again.exit_code == 0 and f"posted {len(waiting)}" in again.output
    assert set(world.comment_counts().values()) == {1}
    nothing = invoke(world, "review", "approve", "--all", "--config", str(config))
    assert nothing.exit_code == 0 and "No comments are waiting for your review" in nothing.output


def test_the_listing_wraps_at_the_terminal_width_without_breaking_words(world, queued):
    config, _, outbox = queued
    listing = invoke(world, "review", "--config", str(config), COLUMNS="80")
    words = {w for i in outbox.listed(("pending_review",)) for w in i.text.split()}
    for line in listing.output.splitlines():
        assert len(line) <= 80 or not any(ch.isspace() for ch in line.strip().lstrip("| ")), line
    shown = {w for line in listing.output.splitlines() for w in line.split()}
    assert words <= shown  # every word of every comment whole on some line
    assert "flags: after hours" in listing.output and "extra" in listing.output


def test_a_page_long_card_title_is_cut_in_the_listing(world, queued):
    _, _, outbox = queued
    intent = outbox.listed(("pending_review",))[0]
    long = replace(intent, card_title="Pls redo the **whole** site 🙏 " + "and the shop " * 50_000)
    listing = review_listing([long], 0, width=80)
    assert "Pls redo the **whole** site" in listing and "…" in listing
    assert len(listing) < len(intent.text) + 2_000  # not the 650 KB title


def test_an_interrupted_approve_all_post_is_finished_by_running_it_again(world, queued):
    config, _store, outbox = queued
    approve_all = command("review", "approve", "--all", "--post", "--config", str(config))

    # Killed after its third POST, before recording it: two sent, one whose outcome is unknown, five approved.
    killed = subprocess.run(approve_all, cwd=REPO, env=world.env(SCOPEKEEPER_CRASH_AT="after_post:3"),
                            capture_output=True, text=True, timeout=90)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert sum(world.comment_counts().values()) == 3
    again = subprocess.run(approve_all, cwd=REPO, env=world.env(), capture_output=True, text=True, timeout=90)

    assert again.returncode == 0, again.stdout + again.stderr
    assert "posted 5" in again.stdout
    assert world.comment_counts() == dict.fromkeys(world.expected, 1)
    statuses = sorted(i.status for i in outbox.listed(("sent", "reconciled")))
    assert statuses == ["reconciled"] + ["sent"] * 7
    assert outbox.listed(("approved", "pending", "unknown", "pending_review")) == []

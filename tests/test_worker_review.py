"""`scopekeeper review`: list with card links and text, approve, reject, edit in $EDITOR, post at once."""
from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from scheduler.cli.main import cli
from scheduler.store.outbox import Outbox
from worker_support import backend, make_worker, run, state_url, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])

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


def invoke(world, *args: str, **env: str):
    return CliRunner().invoke(cli, list(args), env={**world.env(), **env}, catch_exceptions=False)


def test_the_list_shows_every_queued_comment_with_its_card_link_and_text(world, queued):
    config, store, outbox = queued
    listing = invoke(world, "review", "--config", str(config))

    assert listing.exit_code == 0
    intents = outbox.listed(("pending_review",))
    assert len(intents) == len(world.expected) and "8 comment(s) waiting for your review" in listing.output
    for intent in intents:
        assert f"#{intent.id}  {intent.client} - \"{intent.card_title}\"" in listing.output
        assert intent.card_url in listing.output and f"| ref {intent.reference}" in listing.output
        assert f"| {intent.text.splitlines()[0]}" in listing.output
    only = invoke(world, "review", "--config", str(config), "--client", "sunrise STUDIO")
    assert only.output.count("\n#") == 3


def test_approve_reject_and_edit_then_post_at_the_next_scan_or_at_once(world, queued, tmp_path):
    config, store, outbox = queued
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
    config, store, outbox = queued
    missing = invoke(world, "review", "approve", "999", "--config", str(config))
    assert missing.exit_code == 1 and "#999 does not exist" in missing.output
    intent = outbox.listed(("pending_review",))[0]
    unchanged = invoke(world, "review", "edit", str(intent.id), "--config", str(config), EDITOR="true")
    assert unchanged.exit_code == 0 and "no change" in unchanged.output
    assert outbox.get(intent.id).text == intent.text

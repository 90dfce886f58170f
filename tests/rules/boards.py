"""Scoring of the example boards in tests/boards: flag F1, out-of-scope precision, unwanted comments."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from scheduler.cli.main import cli

BOARDS = Path(__file__).resolve().parents[1] / "boards"
WORD_FLAGS = ("discount_request", "urgent_deadline")


@dataclass
class Score:
    """Counts over many cards; the figures are ratios of them."""

    true_pos: dict[str, int] = field(default_factory=dict)
    false_pos: dict[str, int] = field(default_factory=dict)
    false_neg: dict[str, int] = field(default_factory=dict)
    cards: int = 0
    verdicts_right: int = 0
    oos_said: int = 0
    oos_right: int = 0
    unwanted_comments: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, title: str, want: dict, got: dict) -> None:
        self.cards += 1
        for flag in set(want["flags"]) | set(got["flags"]):
            bucket = (self.true_pos if flag in want["flags"] and flag in got["flags"]
                      else self.false_neg if flag in want["flags"] else self.false_pos)
            bucket[flag] = bucket.get(flag, 0) + 1
            if bucket is not self.true_pos:
                self.misses.append(f"{'missed' if bucket is self.false_neg else 'wrong'} {flag}: {title!r}")
        target = want.get("service") or want.get("category")
        got_target = got["service"] or got["category"]
        if got["verdict"] == want["verdict"] and (target is None or got_target == target):
            self.verdicts_right += 1
        else:
            self.misses.append(f"verdict {got['verdict']} {got_target} (want {want['verdict']} {target}): {title!r}")
        if got["verdict"] == "out_of_scope":
            self.oos_said += 1
            self.oos_right += want["verdict"] == "out_of_scope" and got["category"] == want.get("category")
        if got["comment"] and not want["comment"]:
            self.unwanted_comments.append(title)

    def f1(self, *flags: str) -> float:
        flags = flags or tuple(set(self.true_pos) | set(self.false_pos) | set(self.false_neg))
        tp = sum(self.true_pos.get(f, 0) for f in flags)
        fp = sum(self.false_pos.get(f, 0) for f in flags)
        fn = sum(self.false_neg.get(f, 0) for f in flags)
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0

    @property
    def oos_precision(self) -> float:
        return self.oos_right / self.oos_said if self.oos_said else 1.0

    def summary(self) -> str:
        return (f"{self.cards} cards: flag F1 {self.f1():.3f}, discount F1 {self.f1('discount_request'):.3f}, "
                f"urgency F1 {self.f1('urgent_deadline'):.3f}, out-of-scope precision {self.oos_precision:.3f} "
                f"({self.oos_right}/{self.oos_said}), verdicts right {self.verdicts_right}/{self.cards}, "
                f"unwanted comments {len(self.unwanted_comments)}")


def manifest() -> dict:
    return json.loads((BOARDS / "manifest.json").read_text(encoding="utf-8"))


def scan(board: dict) -> tuple[dict, dict]:
    """(expected, found) of one example board, scanned offline through the CLI."""
    result = CliRunner().invoke(cli, [
        "scan", "--config", str(BOARDS / "config.toml"), "--client", board["client"],
        "--from-export", str(BOARDS / board["export"]), "--now", board["now"], "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads((BOARDS / board["expected"]).read_text(encoding="utf-8")), json.loads(result.stdout)


def score(boards: list[dict]) -> Score:
    """Every board's cards scored together."""
    total = Score()
    for board in boards:
        expected, found = scan(board)
        by_id = {card["id"]: card for card in found["cards"]}
        assert len(by_id) == len(expected["cards"]), board["client"]
        for title, want in expected["cards"].items():
            total.add(title, want, by_id[want["id"]])
    return total

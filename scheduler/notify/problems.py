"""Which problems a scan shows and which it shows resolved; which budget threshold to announce (pure)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the VA must hear about once: `key` names it until it is resolved; `values` fill its text."""

    key: str
    kind: str
    values: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class BoardState:
    """How one board's read went in a scan: ok | unchanged | gone | refused | error."""

    provider: str
    board_id: str
    state: str
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class ScanVerdict:
    """What a client's scan means for the notices: problems seen, and keys of problems seen gone."""

    problems: list[Problem]
    resolved: list[str]


def scan_verdict(client: str, boards: Iterable[BoardState], failure: str | None) -> ScanVerdict:
    """A scan's problems: the scan failing (`failure`, or a board that could not be read), a refused token (one
    per service, whatever the number of clients), a board gone. A board read fine resolves its own and its
    token's problems; a scan without failure resolves the client's."""
    problems: list[Problem] = []
    resolved: list[str] = []
    errors = [b.detail or "" for b in boards if b.state == "error"]
    for board in boards:
        board_key, token_key = f"board:{board.provider}:{board.board_id}", f"token:{board.provider}"
        values = {"client": client, "provider": board.provider, "board": board.board_id, "detail": board.detail}
        if board.state == "gone":
            problems.append(Problem(board_key, "board_gone", values))
        elif board.state == "refused":
            problems.append(Problem(token_key, "token_refused", values))
        elif board.state in ("ok", "unchanged"):
            resolved += [board_key, token_key]
    reason = failure or "; ".join(errors)
    if reason:
        problems.append(Problem(f"scan:{client}", "scan_failed", {"client": client, "detail": reason}))
    else:
        resolved.append(f"scan:{client}")
    return ScanVerdict(problems, list(dict.fromkeys(k for k in resolved if k not in {p.key for p in problems})))


def crossed(used: Decimal, available: Decimal, alert_at: Iterable[int]) -> tuple[int, list[int]]:
    """The percentage of the period's hours used, and the thresholds of `alert_at` it reached."""
    if available <= 0:
        return 0, []
    percent = int(used * 100 / available)
    return percent, [t for t in alert_at if percent >= t]

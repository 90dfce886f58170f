"""Requests per scan of a Trello board: ScopeKeeper's adapter beside py-trello used well and naively, on the sandbox.

Run: .venv/bin/python benchmarks/trello_requests.py
Both ways go over real HTTP to the sandbox, through the same transport and limiter; the limiter runs on
simulated time, so "wait" is how long Trello's 100-requests-per-10-s token budget would hold each scan.
A second table gives requests and answer bytes when a 5,000-card board changed after a first read: ScopeKeeper's
incremental read (the actions since then, applied to the cards it has) beside its whole read and py-trello's
re-reads, competent and naive (py-trello has no incremental read of cards: its users read the board again).
"""
from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing it

from trello import TrelloClient

from integrations.sandbox.trello import SANDBOX_KEY, SANDBOX_TOKEN, TrelloSandbox, synthetic_export
from integrations.trello.adapter import TrelloAdapter
from integrations.trello.http import TrelloHttp
from integrations.trello.limits import TrelloLimits

SIZES = (10, 100, 1000)
COMMENTS_PER_CARD = 2
UNCHANGED_BOARDS = 3
BIG = 5000  # cards on the board of the changed-board table


class CountingSandbox(TrelloSandbox):
    """The sandbox, counting the bytes of every answer it sends."""

    answered = 0

    def handle(self, method, path, query, body, headers):
        status, reply_headers, payload = super().handle(method, path, query, body, headers)
        self.answered += len(payload)
        return status, reply_headers, payload


class SimulatedTime:
    """A clock that sleeping moves forward, so the limiter's waits cost no real time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


def adapter_for(url: str, time_: SimulatedTime) -> TrelloAdapter:
    return TrelloAdapter(SANDBOX_KEY, SANDBOX_TOKEN, base_url=url, clock=time_, sleep=time_.sleep,
                         rng=random.Random(1))


def scopekeeper_scan(url: str, board_id: str) -> tuple[int, int, float]:
    """(requests of the change check, requests of the read, simulated wait) for a board that changed."""
    time_ = SimulatedTime()
    adapter = adapter_for(url, time_)
    assert adapter.changed_boards([board_id], {}) == [board_id]  # never seen: changed
    check = adapter.requests_made
    adapter.read_board(board_id)
    return check, adapter.requests_made - check, time_.now


def _py_trello(url: str, time_: SimulatedTime) -> tuple[TrelloHttp, TrelloClient]:
    http = TrelloHttp(SANDBOX_KEY, SANDBOX_TOKEN, TrelloLimits(SANDBOX_KEY, SANDBOX_TOKEN, clock=time_,
                                                               sleep=time_.sleep, rng=random.Random(1)), base_url=url)
    return http, TrelloClient(SANDBOX_KEY, api_secret=SANDBOX_TOKEN, http_service=http)


def competent_scan(url: str, board_id: str) -> tuple[int, float]:
    """(requests, simulated wait) of board.all_cards() plus the board's comments, 1,000 a page.

    What a competent py-trello user writes: fetch_actions('commentCard', action_limit=1000), then
    `before` the oldest comment while a page comes back full.
    """
    time_ = SimulatedTime()
    http, client = _py_trello(url, time_)
    board = client.get_board(board_id)
    board.all_cards()
    page, oldest = board.fetch_actions("commentCard", action_limit=1000), None
    while len(page) == 1000 and page[-1]["id"] != oldest:  # a full page: there may be older ones
        oldest = page[-1]["id"]
        page = board.fetch_actions("commentCard", action_limit=1000, before=oldest)
    return http.requests_made, time_.now


def naive_scan(url: str, board_id: str) -> tuple[int, float]:
    """(requests, simulated wait) of board.all_cards() plus each card's get_comments()."""
    time_ = SimulatedTime()
    http, client = _py_trello(url, time_)
    board = client.get_board(board_id)
    for card in board.all_cards():
        card.get_comments()
    return http.requests_made, time_.now


def unchanged_scan(url: str, board_ids: list[str]) -> int:
    """Requests of a scan after a first one, when nothing happened on any board."""
    adapter = adapter_for(url, SimulatedTime())
    last_seen = {b: adapter.read_board(b).last_activity for b in board_ids}
    before = adapter.requests_made
    assert adapter.changed_boards(board_ids, last_seen) == []
    return adapter.requests_made - before


def changed_board(sandbox: CountingSandbox, url: str, board_id: str) -> list[tuple]:
    """(way, requests, bytes) of reading the board again after a client's morning: three comments, a card
    renamed, one moved, one archived and one new card."""
    adapter = adapter_for(url, SimulatedTime())
    first = adapter.read_board(board_id)
    read_at = datetime.fromtimestamp(sandbox.clock(), UTC)
    cards = sorted(c["id"] for c in sandbox.cards.values() if c["idBoard"] == board_id)
    lists = sandbox.boards[board_id]["lists"]
    for n, text in enumerate(("Could you also send it to the new list?", "Merci ! Et pour la version FR ?",
                              "¿Podemos añadir un post más esta semana?")):
        sandbox.add_comment(cards[100 * n], text)
    sandbox.update_card(cards[400], name="Newsletter: grudzień + styczeń")
    sandbox.update_card(cards[401], idList=lists[2]["id"])
    sandbox.update_card(cards[402], closed=True)
    sandbox.add_card(board_id, "Landing page for the webinar", desc="Same style as the last one, 2 versions")
    rows = []

    def cost(way: str, read) -> None:
        requests, answered = adapter.requests_made, sandbox.answered
        result = read()
        rows.append((way, adapter.requests_made - requests if result is None else result,
                     sandbox.answered - answered))

    cost("ScopeKeeper incremental", lambda: adapter.read_changes(board_id, first.cards,
                                                                 read_at - timedelta(minutes=5)) and None)
    cost("ScopeKeeper whole", lambda: adapter.read_board(board_id) and None)
    cost("py-trello competent", lambda: competent_scan(url, board_id)[0])
    cost("py-trello naive", lambda: naive_scan(url, board_id)[0])
    return rows


def main() -> None:
    sandbox = CountingSandbox(enforce_limits=False)  # the client-side limiter paces both ways
    boards = {n: sandbox.load_export(synthetic_export(n, comments_per_card=COMMENTS_PER_CARD, seed=n)) for n in SIZES}
    quiet = [sandbox.load_export(synthetic_export(10, seed=900 + n)) for n in range(UNCHANGED_BOARDS)]
    header = ("cards", "actions", "check", "read", "scan", "competent", "naive", "fewer", "wait", "competent wait",
              "naive wait")
    rows = []
    with sandbox.serve() as server:
        url = server.url + "/1"
        for n, board_id in boards.items():
            check, read, wait = scopekeeper_scan(url, board_id)
            competent, competent_wait = competent_scan(url, board_id)
            naive, naive_wait = naive_scan(url, board_id)
            rows.append((n, n * COMMENTS_PER_CARD, check, read, check + read, competent, naive,
                         f"{competent / read:.1f}x", f"{wait:.0f} s", f"{competent_wait:.0f} s", f"{naive_wait:.0f} s"))
        unchanged = unchanged_scan(url, quiet)
        big = sandbox.load_export(synthetic_export(BIG, comments_per_card=COMMENTS_PER_CARD, seed=BIG))
        changed = changed_board(sandbox, url, big)

    print(f"Requests per scan of one changed Trello board, {COMMENTS_PER_CARD} comments per card")
    print("(check: the token's one change check; read: the board; scan: both; competent: py-trello's get_board +")
    print(" all_cards + fetch_actions('commentCard', action_limit=1000) paged with before; naive: get_board +")
    print(" all_cards + get_comments per card; fewer: competent / read; wait: time Trello's token budget holds it)\n")
    widths = [max(len(str(v)) for v in column) for column in zip(header, *rows, strict=True)]
    for row in (header, *rows):
        print("  ".join(str(v).rjust(w) for v, w in zip(row, widths, strict=True)))
    print(f"\nNothing changed on {UNCHANGED_BOARDS} boards: {unchanged} request for the scan (one per token).")

    print(f"\nA {BIG:,}-card board ({BIG * COMMENTS_PER_CARD:,} comments) read again after a client's morning "
          "(3 comments, a rename, a move, an archived card, a new card); the token's change check (1 request) aside:")
    for way, requests, answered in changed:
        print(f"  {way:<24} {requests:>6,} requests  {answered / 1e6:>8.2f} MB")

    by_size = {row[0]: row for row in rows}
    small = [by_size[n][3] for n in SIZES if n * COMMENTS_PER_CARD < 1000]
    print("\nTargets:")
    print(f"  <= 2 requests per changed board (under 1,000 actions): {small} -> "
          f"{'met' if max(small) <= 2 else 'MISSED'}; 1 more per further 1,000 actions "
          f"({by_size[1000][3]} at 1,000 cards)")
    ratio = by_size[1000][6] / by_size[1000][3]
    print(f"  >= 50x fewer than naive at 1,000 cards: {ratio:.0f}x -> {'met' if ratio >= 50 else 'MISSED'}")
    print(f"  against competent py-trello at 1,000 cards: {by_size[1000][5]} requests beside our {by_size[1000][3]} "
          "(no target: the fair comparison)")
    print(f"  1 request per token when nothing changed: {unchanged} -> {'met' if unchanged == 1 else 'MISSED'}")
    _, requests, answered = changed[0]
    print(f"  changed {BIG:,}-card board, incremental: <= 3 requests and < 1 MB: {requests}, {answered / 1e6:.2f} MB -> "
          f"{'met' if requests <= 3 and answered < 1e6 else 'MISSED'}")


if __name__ == "__main__":
    main()

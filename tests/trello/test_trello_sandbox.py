"""The Trello sandbox speaks the real API's shapes: py-trello's own object model runs against it unchanged."""
from __future__ import annotations

import requests
from trello import TrelloClient

from integrations.sandbox.trello import SANDBOX_KEY, SANDBOX_TOKEN, synthetic_export
from tests.trello.support import load_fixture


def test_py_trello_objects_work_against_the_sandbox(shared_dir, sandbox, api):
    board_id = load_fixture(sandbox, shared_dir, "en")
    client = TrelloClient(SANDBOX_KEY, api_secret=SANDBOX_TOKEN)  # plain requests, key and token in the query

    board = client.get_board(board_id)
    cards = board.all_cards()
    cards[0].comment("Hello from py-trello")

    assert board.name == "Bright Path Coaching" and len(cards) == 20
    assert [c["data"]["text"] for c in cards[0].get_comments()] == ["Hello from py-trello"]
    assert cards[1].customFields[0].name == "Hours"


def test_wrong_credentials_and_bad_parameters_are_refused_as_trello_does(sandbox, api):
    board_id = sandbox.load_export(synthetic_export(2))
    url = f"https://api.trello.com/1/boards/{board_id}/actions"

    wrong_key = requests.get(url, params={"key": "nope", "token": SANDBOX_TOKEN})
    wrong_token = requests.get(url, params={"key": SANDBOX_KEY, "token": "nope"})
    too_many = requests.get(url, params={"key": SANDBOX_KEY, "token": SANDBOX_TOKEN, "limit": "1001"})
    header = requests.get(url, headers={"Authorization": f'OAuth oauth_consumer_key="{SANDBOX_KEY}", '
                                                         f'oauth_token="{SANDBOX_TOKEN}"'})

    assert (wrong_key.status_code, wrong_key.text) == (401, "invalid key")
    assert (wrong_token.status_code, wrong_token.text) == (401, "invalid token")
    assert (too_many.status_code, too_many.text) == (400, "invalid value for limit")
    assert header.status_code == 200 and len(header.json()) == 2 + 4 + 1  # created, commented, hours set
    assert int(header.headers["x-rate-limit-api-token-remaining"]) == 100 - 2  # refused credentials spend nothing


def test_a_storm_answers_trellos_429_body(sandbox, api):
    sandbox.inject("rate_limit", count=2)
    url = "https://api.trello.com/1/members/me"

    answers = [requests.get(url, params={"key": SANDBOX_KEY, "token": SANDBOX_TOKEN}) for _ in range(3)]

    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].json() == {"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}
    assert sandbox.rate_limited == 2


def test_paging_with_before_keeps_comments_made_within_the_same_second(sandbox, clock, api):
    board_id = sandbox.load_export(synthetic_export(3))
    cards = [c["id"] for c in sandbox.cards.values() if c["idBoard"] == board_id]
    clock.now = int(clock.now) + 0.6  # straddle whole seconds: 2,400 comments 0.4 ms apart
    texts = ["Can you post this on Insta too? 🙏", "Peux-tu relancer les factures ?", "¿Puedes hacer el boletín?",
             "Czy możesz dodać posty na FB?"]
    for n in range(2400):
        sandbox.add_comment(cards[n % len(cards)], f"{texts[n % 4]} #{n}")
        clock.now += 0.0004
    url = f"https://api.trello.com/1/boards/{board_id}/actions"
    params = {"key": SANDBOX_KEY, "token": SANDBOX_TOKEN, "filter": "commentCard", "limit": "1000"}
    pages = [requests.get(url, params=params).json()]
    while len(pages[-1]) == 1000:
        pages.append(requests.get(url, params={**params, "before": pages[-1][-1]["id"]}).json())
    ids = [a["id"] for page in pages for a in page]
    assert [len(p) for p in pages] == [1000, 1000, 406]  # 2,400 new comments and the export's 6
    assert len(set(ids)) == len(ids) == 2406 and ids == sorted(ids, reverse=True)

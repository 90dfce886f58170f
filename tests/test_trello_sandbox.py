"""The Trello sandbox speaks the real API's shapes: py-trello's own object model runs against it unchanged."""
from __future__ import annotations

import requests
from trello import TrelloClient

from integrations.sandbox.trello import SANDBOX_KEY, SANDBOX_TOKEN, synthetic_export
from trello_support import api, clock, load_fixture, sandbox  # noqa: F401


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

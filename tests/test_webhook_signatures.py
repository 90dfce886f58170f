"""Known-answer tests of both webhook signatures (values computed with `openssl dgst -hmac`, not by our code),
and every mutation of body, header or callback URL refused."""
from __future__ import annotations

import pytest

from integrations.webhooks import (
    asana_events,
    asana_signature,
    asana_valid,
    trello_events,
    trello_signature,
    trello_valid,
)

TRELLO_BODY = ('{"action":{"id":"5f1a","type":"createCard","data":{"card":{"name":'
               '"Zażółć gęślą jaźń — faktury za listopad 🎉"}}}}').encode()
TRELLO_URL = "https://va.example.com/hooks/trello"
TRELLO_SECRET = "trello-app-secret-0123"
TRELLO_KNOWN = "MgwDNEit6xEmj2bS63xFx2/Ie8E="  # openssl dgst -sha1 -hmac SECRET -binary (body+URL) | base64
ASANA_SECRET = "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81"
ASANA_BODY = ('{"events":[{"action":"added","resource":{"gid":"1201","resource_type":"task","name":'
              '"Proszę o ofertę na sklep 🛒 — pilne?"},"user":{"gid":"77"}}]}').encode()
ASANA_KNOWN = "a3a12598400c2849d88a621e6bc40f8fa5f942e5b8f1320dcc6c2404cc4fd746"  # openssl dgst -sha256 -hmac
ASANA_KNOWN_TRELLO_BODY = "359f12673a54ac5f20067171b205fdd854d6d91d322932868ee30ba689bcc59f"


def test_trello_signature_known_answer_over_utf8_body_and_callback_url():
    assert trello_signature(TRELLO_SECRET, TRELLO_BODY, TRELLO_URL) == TRELLO_KNOWN
    assert trello_valid(TRELLO_SECRET, TRELLO_BODY, TRELLO_URL, TRELLO_KNOWN)


def test_asana_signature_known_answer_hex_over_the_raw_body():
    assert asana_signature(ASANA_SECRET, ASANA_BODY) == ASANA_KNOWN
    assert asana_signature(ASANA_SECRET, TRELLO_BODY) == ASANA_KNOWN_TRELLO_BODY
    assert asana_valid(ASANA_SECRET, ASANA_BODY, ASANA_KNOWN)
    assert asana_valid(ASANA_SECRET, ASANA_BODY, ASANA_KNOWN.upper())  # hex is hex, whatever its case


def _mutations(body: bytes):
    yield body + b" "
    yield body[:-1]
    yield body.replace("ż".encode(), b"z", 1) if "ż".encode() in body else body.replace(b"1", b"2", 1)
    yield body.replace("🎉".encode(), "🎊".encode()) if "🎉".encode() in body else body.replace("🛒".encode(), b"")
    yield body.decode().encode("utf-16")  # the same text, other bytes
    yield b""


@pytest.mark.parametrize("body", list(_mutations(TRELLO_BODY)))
def test_trello_refuses_a_changed_body(body):
    assert not trello_valid(TRELLO_SECRET, body, TRELLO_URL, TRELLO_KNOWN)


@pytest.mark.parametrize("url", [TRELLO_URL + "/", TRELLO_URL.replace("https", "http"),
                                 "https://evil.example.com/hooks/trello", TRELLO_URL + "?x=1", TRELLO_URL.upper()])
def test_trello_refuses_another_callback_url(url):
    assert not trello_valid(TRELLO_SECRET, TRELLO_BODY, url, TRELLO_KNOWN)


@pytest.mark.parametrize("header", [None, "", "MgwDNEit6xEmj2bS63xFx2/Ie8E", TRELLO_KNOWN.lower(),
                                    "NgwDNEit6xEmj2bS63xFx2/Ie8E=", TRELLO_KNOWN + "A", ASANA_KNOWN])
def test_trello_refuses_a_missing_or_changed_header(header):
    assert not trello_valid(TRELLO_SECRET, TRELLO_BODY, TRELLO_URL, header)


def test_trello_refuses_without_or_with_another_secret():
    assert not trello_valid(None, TRELLO_BODY, TRELLO_URL, TRELLO_KNOWN)
    assert not trello_valid("", TRELLO_BODY, TRELLO_URL, TRELLO_KNOWN)
    assert not trello_valid(TRELLO_SECRET + "x", TRELLO_BODY, TRELLO_URL, TRELLO_KNOWN)


@pytest.mark.parametrize("body", list(_mutations(ASANA_BODY)))
def test_asana_refuses_a_changed_body(body):
    assert not asana_valid(ASANA_SECRET, body, ASANA_KNOWN)


@pytest.mark.parametrize("header", [None, "", ASANA_KNOWN[:-1], ASANA_KNOWN[1:] + "0", TRELLO_KNOWN,
                                    "sha256=" + ASANA_KNOWN])
def test_asana_refuses_a_missing_or_changed_header(header):
    assert not asana_valid(ASANA_SECRET, ASANA_BODY, header)
    assert not asana_valid(None, ASANA_BODY, ASANA_KNOWN)


def test_events_name_the_board_a_stable_key_and_scopekeepers_own_comments():
    comment = (b'{"action":{"id":"a1","type":"commentCard","idMemberCreator":"m-va","data":{"board":{"id":"b1"},'
               b'"text":"Merci ! Ce serait une consultation.\\n\\n\xe2\x80\x94 Anna \xc2\xb7 ref SK-3f2a9c"}},'
               b'"model":{"id":"b1"}}')
    client = (b'{"action":{"id":"a2","type":"commentCard","idMemberCreator":"m-client","data":{"board":{"id":"b1"},'
              b'"text":"Pouvez-vous aussi faire le logo ?"}},"model":{"id":"b1"}}')
    assert trello_events(comment) == trello_events(comment)
    assert [(e.board_id, e.key, e.own) for e in trello_events(comment)] == [("b1", "trello:a1", True)]
    assert [(e.key, e.own) for e in trello_events(client)] == [("trello:a2", False)]
    assert trello_events(client, own_member="m-client")[0].own  # a comment by ScopeKeeper's own member
    assert trello_events(b"not json") == [] and trello_events(b'{"model":{"id":"b1"}}') == []

    heartbeat = asana_events(b'{"events":[]}', "p1")
    assert heartbeat == []
    assert asana_events(b"<html>", "p1") is None
    events = asana_events(ASANA_BODY, "p1")
    assert [e.board_id for e in events] == ["p1"] and events == asana_events(ASANA_BODY, "p1")  # same key again
    own_story = (b'{"events":[{"action":"added","resource":{"gid":"9","resource_type":"story"},'
                 b'"user":{"gid":"77"}}]}')
    assert asana_events(own_story, "p1", own_user="77")[0].own
    assert not asana_events(own_story, "p1", own_user="78")[0].own

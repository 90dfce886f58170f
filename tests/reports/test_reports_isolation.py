"""Reports never mix clients: nothing of one client appears in another's report, in any format or variant."""
from __future__ import annotations

import csv
import io

import pytest

from scheduler.reports.documents import Documents, client_documents, file_stems, practice_documents
from scheduler.reports.model import CLIENT, VA, client_report, practice_report
from tests.reports.support import MONDAY_AFTER, WEEK, practice_cards, practice_config, practice_source

FORMATS = ("html", "markdown", "csv")


def _readable(documents: Documents) -> str:
    """Every text a reader can see: files (the SVG chart too), email subject, bodies and attachments."""
    texts = [documents.subject, documents.text, documents.html]
    texts += [content.decode("utf-8-sig") for content in documents.files.values()]
    texts += [content.decode("utf-8-sig") for content in documents.attachments.values()]
    return "\n".join(texts)


@pytest.mark.parametrize("audience", [VA, CLIENT])
def test_no_client_sees_another_clients_name_or_cards(audience: str) -> None:
    config = practice_config()
    cards = practice_cards()
    stems = file_stems(c.name for c in config.clients)
    for client in config.clients:
        report = client_report(config, client, practice_source(), WEEK, MONDAY_AFTER, audience=audience)
        shown = _readable(client_documents(report, FORMATS, stems[client.name]))
        assert client.name in shown
        assert any(c.title in shown for c in cards[client.name])  # the check below can see titles
        for other, their_cards in cards.items():
            if other == client.name:
                continue
            assert other not in shown, (client.name, other)
            leaked = [c.title for c in their_cards if c.title in shown]
            assert not leaked, (client.name, leaked)
            assert not any(c.url in shown for c in their_cards), (client.name, other)


def test_the_practice_summary_is_the_one_report_across_clients() -> None:
    config = practice_config()
    reports = [client_report(config, c, practice_source(), WEEK, MONDAY_AFTER) for c in config.clients]
    documents = practice_documents(practice_report(config, WEEK, reports), FORMATS)
    assert all(c.name in _readable(documents) for c in config.clients)
    # Its CSV lists every client's billable cards, each row under its own client.
    rows = list(csv.DictReader(io.StringIO(documents.files["practice.csv"].decode("utf-8-sig"))))
    titles = {c.title: name for name, cards in practice_cards().items() for c in cards}
    assert len(rows) == 5 and all(titles[row["card"]] == row["client"] for row in rows)

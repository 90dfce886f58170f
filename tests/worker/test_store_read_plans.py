"""A scan's reads of the store find their rows by index: a client with years of gone cards and comments must
not make each scan read them all (the per-scan cost would grow with history; benchmarks/scan_history.py)."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import event, func, select, text

from integrations.models import Card, TimeEntry
from scheduler.records.codec import card_to_json, digest
from scheduler.records.state import NewIntent, ScanWrite, Window
from scheduler.store import open_store
from scheduler.store.long_cards import LongCards
from scheduler.store.scans import READ_BATCH, WRITE_BATCH, load_cards, load_client, save_scan
from scheduler.store.schema import CardRow
from scheduler.worker.arenas import limit_arenas

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def _card(card_id: str, created: datetime) -> tuple[Card, str]:
    made = Card(id=card_id, title=f"Newsletter nr {card_id} 📨 [1h]", created_at=created, board_id="b1")
    return made, digest(card_to_json(made))


def _statements(store, read, kinds: tuple[str, ...] = ("SELECT",)) -> list[tuple[str, Any]]:
    """The statements starting with one of `kinds` sent while `read` ran, with their parameters (a list of
    rows for an executemany)."""
    seen: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(kinds):
            seen.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        read()
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    return seen


def test_a_scans_card_and_comment_reads_search_an_index_beyond_the_client(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    try:
        old = [_card(f"old{n}", NOW - timedelta(days=300 + n)) for n in range(30)]
        save_scan(store, ScanWrite("Bright Path", NOW - timedelta(days=200), new_cards=old,
                                   days={("trello", c.id): (c.created_at.date(), c.created_at.date()) for c, _ in old}))
        save_scan(store, ScanWrite("Bright Path", NOW - timedelta(days=100), gone=[("trello", c.id) for c, _ in old]))
        save_scan(store, ScanWrite("Bright Path", NOW, new_cards=[_card("live", NOW)]))
        window = Window(date(2026, 11, 1), "2026-10")
        reads = _statements(store, lambda: (load_client(store, "Bright Path", lambda _: window),
                                            load_cards(store, "Bright Path", since=date(2026, 10, 1)),
                                            load_cards(store, "Bright Path", keys={("trello", "old3")})))
        with store.engine.connect() as connection:
            plans = {statement: " ".join(row[-1] for row in connection.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", parameters)) for statement, parameters in reads
                     if {"cards", "intents"} & set(statement.split()[statement.split().index("FROM") + 1:][:1])}
            gone = connection.execute(text("SELECT count(*) FROM cards WHERE gone_at IS NOT NULL")).scalar()
    finally:
        store.close()
    assert gone == 30
    assert len(plans) >= 5, plans  # live, reaching, never evaluated, by key; the comments of recent periods
    for statement, plan in plans.items():
        assert "SEARCH" in plan and "(client=?)" not in plan, (statement, plan)


def test_a_scan_stores_the_days_of_new_cards_with_them_and_those_of_known_cards_after(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    try:
        save_scan(store, ScanWrite("Bright Path", NOW - timedelta(days=1), new_cards=[
            _card("nowy", NOW - timedelta(days=3)), _card("sans-jours", NOW - timedelta(days=2))],
            days={("trello", "nowy"): (date(2026, 11, 19), date(2026, 11, 21))}))
        save_scan(store, ScanWrite("Bright Path", NOW, new_cards=[_card("nuevo", NOW)],
                                   days={("trello", "sans-jours"): (date(2026, 11, 20), date(2026, 11, 20)),
                                         ("trello", "nuevo"): (date(2026, 11, 22), date(2026, 11, 30))}))
        with store.engine.connect() as connection:
            rows = connection.execute(text("SELECT card_id, first_day, last_day FROM cards ORDER BY card_id")).all()
    finally:
        store.close()
    assert [(card_id, str(first), str(last)) for card_id, first, last in rows] == [
        ("nowy", "2026-11-19", "2026-11-21"), ("nuevo", "2026-11-22", "2026-11-30"),
        ("sans-jours", "2026-11-20", "2026-11-20")]


TITLES = ["Newsletter de novembre 📨 [1h]", "**Urgent**: fix the chekout page asap!!", "Faktura za listopad – proszę [2h]",
          "No hace falta diseño, solo subir las fotos 🙏"]


def _numbered(n: int, *, retitled: bool = False) -> tuple[Card, str]:
    title = TITLES[n % len(TITLES)] + (" (again)" if retitled else "")
    made = Card(id=f"c{n:05d}", title=title, created_at=NOW - timedelta(hours=n), board_id="b1",
                description=f"Card {n}: as discussed on the call", custom_fields={"Hours": float(n % 3)})
    return made, digest(card_to_json(made))


def _writes(store, action) -> list[int]:
    """The number of rows each INSERT or UPDATE of cards sent to the database carried."""
    return [len(parameters) if isinstance(parameters, list) else 1
            for _, parameters in _statements(store, action, ("INSERT INTO CARDS", "UPDATE CARDS"))]


def test_a_big_scan_is_written_in_batches_and_read_back_whole(state_url):
    """A big board's scan is written and read back in batches (its memory no longer grows with the board,
    benchmarks/worker_memory.py), and no card is lost or written twice at a batch's edge."""
    count = 2 * WRITE_BATCH + 37  # two whole batches and a part, for the edges
    assert count > 2 * READ_BATCH
    cards = [_numbered(n) for n in range(count)]
    store = open_store(state_url)
    try:
        days = {("trello", c.id): (c.created_at.date(), c.created_at.date()) for c, _ in cards}
        first = _writes(store, lambda: save_scan(store, ScanWrite("Bright Path", NOW, new_cards=cards, days=days)))
        changed = [_numbered(n, retitled=True) for n in range(0, count, 2)]
        gone = [("trello", c.id) for c, _ in cards[1::4]]
        texts = {card.id: f"Hola Marta 👋 «{card.title}» no entra en el plan: {n % 5} h extra." for n, (card, _) in
                 enumerate(cards)}
        queued = [NewIntent("trello", "b1", card.id, "extra_hours", "2026-11", f"SK-{n:06x}", texts[card.id], card.title,
                            "") for n, (card, _) in enumerate(cards)]
        second = _writes(store, lambda: save_scan(store, ScanWrite("Bright Path", NOW + timedelta(hours=1),
                                                                   changed_cards=changed, gone=gone, intents=queued)))
        state = load_client(store, "Bright Path")
        with store.reading() as session:
            rows = session.execute(select(func.count()).select_from(CardRow)).scalar()
    finally:
        store.close()
    assert first and max(first) <= WRITE_BATCH
    assert sum(first) == count  # each card inserted once, its days with it
    assert second and max(second) <= WRITE_BATCH and sum(second) == len(changed) + len(gone)
    assert rows == count
    assert len(state.cards) == count
    retitled = {card.id: card for card, _ in changed}
    for card, fingerprint in cards:
        known = state.cards[("trello", card.id)]
        expected = retitled.get(card.id, card)
        assert known.card.title == expected.title and known.card.description == card.description
        assert known.digest == (digest(card_to_json(expected)) if card.id in retitled else fingerprint)
        assert known.gone == (("trello", card.id) in gone)
        assert known.days == days[("trello", card.id)]
        entry = state.intents[("trello", card.id, "extra_hours", "2026-11")]
        assert entry.status == "pending_review" and entry.reads(texts[card.id])
        assert not entry.reads(texts[card.id].replace(" h extra", " h"))


def test_the_worker_limits_mallocs_arenas_on_glibc():
    # This machine's Python runs on glibc (the Docker image too): the setting must take.
    assert limit_arenas() is True


def _logged_for_months(days: int, *, title: str = "Newsletter every week – ongoing ✉️") -> tuple[Card, str]:
    began = NOW - timedelta(days=200)
    entries = tuple(TimeEntry(id=f"p{n:04d}", source="plus", minutes=30.0, at=began + timedelta(days=n),
                              author="Ania", text=f"plus! 0.5/0.5 tydzień {n}") for n in range(days))
    made = Card(id="long", title=title, created_at=began, board_id="b1", time_entries=entries)
    return made, digest(card_to_json(made))


def test_a_card_logged_on_for_months_is_decoded_once_while_it_does_not_change(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    try:
        save_scan(store, ScanWrite("Bright Path", NOW, new_cards=[_logged_for_months(120), _numbered(1)]))
        first, again = (load_client(store, "Bright Path").cards for _ in range(2))
        save_scan(store, ScanWrite("Bright Path", NOW, changed_cards=[_logged_for_months(121)]))
        changed = load_client(store, "Bright Path").cards
    finally:
        store.close()
    long, short = ("trello", "long"), ("trello", "c00001")
    assert again[long].card is first[long].card  # its 120 entries were not read again
    assert again[short].card is not first[short].card and again[short].card == first[short].card
    assert len(changed[long].card.time_entries) == 121 and changed[long].card.time_entries[:120] == first[long].card.time_entries


def test_long_cards_are_kept_decoded_up_to_a_bound_on_their_entries():
    kept = LongCards(entries_from=16, max_entries=250)
    cards = [card_to_json(replace(_logged_for_months(100)[0], id=f"long{n}")) for n in range(3)]
    first = [kept.card(data, digest(data)) for data in cards]  # the third goes past 250 entries: a fresh start
    assert kept.card(cards[2], digest(cards[2])) is first[2]
    assert kept.card(cards[0], digest(cards[0])) is not first[0] and kept.card(cards[0], digest(cards[0])) == first[0]

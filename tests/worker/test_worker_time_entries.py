"""Asana time tracking entries in the worker's scans, on the Asana sandbox over loopback (the real asana SDK):
listed only for tasks with tracked time and only when a task's total changed, counted by entered_on, named in
the evidence; one task whose entries cannot be read keeps its actual time and holds up nothing else."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import tomli_w

from rules.periods import period_of_day
from scheduler.config.models import load_config, rules_for
from scheduler.store import open_store
from scheduler.worker.adapters import Adapters
from scheduler.worker.job import Worker
from scheduler.worker.scan import scan_live

ENTRIES = ("GET", "/tasks/{task_gid}/time_tracking_entries")

def _client(name: str, language: str, project: str, hours: int, rate: int, currency: str,
            services: dict[str, list[str]]) -> dict:
    return {"name": name, "language": language, "timezone": "UTC", "boards": [{"provider": "asana", "id": project}],
            "contract": {"hours": hours, "period": "month", "overage_rate": rate, "currency": currency,
                         "services": [{"name": n, "keywords": k} for n, k in services.items()]}}


def _config(state_url: str, sol: str, lipa: str, atelier: str) -> str:
    return tomli_w.dumps({"scopekeeper": {"state_url": state_url, "timezone": "Europe/Warsaw", "mode": "review"},
                          "clients": [
        _client("Estudio Sol", "es", sol, 6, 30, "EUR", {"Redes sociales": ["instagram", "red social"],
                                                         "Boletín": ["boletín"]}),
        _client("Pracownia Lipa", "pl", lipa, 10, 120, "PLN", {"Newsletter": ["newsletter"],
                                                               "Social media": ["instagram", "facebook"]}),
        _client("Atelier Lumière", "fr", atelier, 8, 40, "EUR", {"Réseaux sociaux": ["réseau social", "instagram"]}),
    ]})


@pytest.fixture
def scene(world, monkeypatch: pytest.MonkeyPatch):
    """Three clients' Asana projects with tasks as they write them, some with logged time on either side of
    the month's start; a Worker in review mode over them."""
    for name, value in world.env().items():
        monkeypatch.setenv(name, value)
    asana = world.asana
    today = datetime.now(UTC).date()
    last_month = today.replace(day=1) - timedelta(days=3)
    created = datetime.combine(last_month, datetime.min.time(), UTC)
    sol, lipa, atelier = (asana.add_project(n) for n in ("Estudio Sol", "Pracownia Lipa", "Atelier Lumière"))
    tasks = {
        "instagram": asana.add_task(sol, "Publicaciones de **Instagram** para las fiestas 🎄 (¡sin prisa!)",
                                    created_at=created),
        "boletin": asana.add_task(sol, "Boletín navideño: borrador + envío", notes="el de siempre, gracias"),
        "logo": asana.add_task(sol, "¿Podrías revisar el logo? no es urgente"),
        "newsletter": asana.add_task(lipa, "Newsletter o wyprzedaży – poprawki po uwagach klienta"),
        "stories": asana.add_task(lipa, "instagram stories for the new candle line 🕯️ (in English pls)"),
        "avent": asana.add_task(atelier, "Réseaux sociaux : posts Instagram de l'Avent, pas avant lundi"),
    }
    gid = {key: task["gid"] for key, task in tasks.items()}
    asana.add_time_entry(gid["instagram"], 90, last_month.isoformat(), by="Ana García")
    asana.add_time_entry(gid["instagram"], 45, today.isoformat(), by="Ana García")
    asana.add_time_entry(gid["boletin"], 120, today.isoformat(), by="Ana García")
    asana.add_time_entry(gid["newsletter"], 30, today.isoformat(), by="Kasia Nowak")
    asana.add_time_entry(gid["stories"], 50, today.isoformat(), by="Kasia Nowak")
    asana.add_time_entry(gid["avent"], 75, today.isoformat(), by="Julie Petit")
    path = world.tmp / "entries.toml"
    path.write_text(_config(world.state_url, sol, lipa, atelier), encoding="utf-8")
    config = load_config(path)
    store, adapters = open_store(config.scopekeeper.state_url), Adapters(config)
    worker = Worker(config, store, adapters, mode="review", stop=threading.Event(), show=lambda _: None)
    yield config, store, worker, gid, today, last_month
    adapters.close()
    store.close()


def _finding(config, store, client: str, card_id: str):
    cards = store.cards(client)
    result = rules_for(config.client(client)).evaluate(cards, datetime.now(UTC))
    return result, next(f for f in result.findings if f.card_id == card_id)


def test_entries_are_read_only_when_a_tasks_tracked_time_changed(world, scene) -> None:
    config, store, worker, gid, today, last_month = scene
    asana = world.asana
    asana.reset_counts()
    for client in config.clients:
        assert worker.scan(client) == "ok"
    # One listing per task with tracked time (5 of the 6 tasks), none for the logo task that has none.
    assert asana.requests[ENTRIES] == 5

    # Counted in the month of entered_on, not of the task's creation; the evidence names the source.
    result, instagram = _finding(config, store, "Estudio Sol", gid["instagram"])
    assert [(p.period.key, p.hours) for p in instagram.periods] == [
        (period_of_day(last_month, "month").key, Decimal("1.5")), (period_of_day(today, "month").key, Decimal("0.75"))]
    assert "2.25 h from Asana time tracking entries (2)" in instagram.evidence
    assert result.hours.used == Decimal("2.75")   # this month: 0.75 + the newsletter's 2
    _, avent = _finding(config, store, "Atelier Lumière", gid["avent"])
    assert avent.hours == Decimal("1.25") and "1.25 h from Asana time tracking entries (1)" in avent.evidence

    # Nothing changed: no listing at all.
    asana.reset_counts()
    for client in config.clients:
        assert worker.scan(client) == "ok"
    assert asana.requests.get(ENTRIES, 0) == 0

    # Kasia logs another hour on the newsletter: that task's entries, and only those, are listed again.
    asana.add_time_entry(gid["newsletter"], 60, today.isoformat(), by="Kasia Nowak")
    asana.reset_counts()
    assert worker.scan(config.client("Pracownia Lipa")) == "ok"
    assert asana.requests[ENTRIES] == 1
    _, newsletter = _finding(config, store, "Pracownia Lipa", gid["newsletter"])
    assert newsletter.hours == Decimal("1.5") and "1.5 h from Asana time tracking entries (2)" in newsletter.evidence


def test_a_task_whose_entries_cannot_be_read_keeps_its_actual_time(world, scene, caplog) -> None:
    config, store, worker, gid, _, _ = scene
    world.asana.fail_next(400, times=1, route="GET /tasks/{task_gid}/time_tracking_entries")
    assert worker.scan(config.client("Estudio Sol")) == "ok"
    _, first = _finding(config, store, "Estudio Sol", gid["instagram"])
    _, second = _finding(config, store, "Estudio Sol", gid["boletin"])
    failed, read = (first, second) if not any("entries" in e for e in first.evidence) else (second, first)
    assert not any("time tracking entries" in e for e in failed.evidence)
    assert failed.hours in (Decimal("2.25"), Decimal(2))           # its actual time, all of it
    assert any("time tracking entries" in e for e in read.evidence)  # the other task is not held up
    assert "its time tracking entries could not be read" in caplog.text


def test_the_one_off_live_scan_reads_them_too(world, scene) -> None:
    config, _, _, gid, today, _ = scene
    world.asana.reset_counts()
    output = scan_live(config, config.client("Estudio Sol"), datetime.now(UTC))
    assert world.asana.requests[ENTRIES] == 2
    instagram = next(f for f in output.result.findings if f.card_id == gid["instagram"])
    assert "2.25 h from Asana time tracking entries (2)" in instagram.evidence
    assert date.fromisoformat(output.result.period.start.isoformat()) == today.replace(day=1)

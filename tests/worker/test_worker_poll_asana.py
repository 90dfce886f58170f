"""Fast polling of Asana projects: the change check is one GET /events per project; an unchanged project costs
that one request and no scan, a changed one is read incrementally (never whole), and our own comments change
nothing."""
from __future__ import annotations

import pytest

from scheduler.store.outbox import Outbox
from scheduler.store.schema import PENDING_REVIEW
from tests.worker.support import World, use_world_env
from tests.worker.test_worker_poll import CLIENTS, NEW_CARDS, scanned

EVENTS, MODIFIED, WHOLE = ("GET", "/events"), ("GET", "/tasks"), ("GET", "/projects/{project_gid}/tasks")


@pytest.fixture
def projects(world: World, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Four clients' projects on the world's Asana token, each with one task already."""
    use_world_env(world, monkeypatch)
    made = {name: world.asana.add_project(name) for name, _ in CLIENTS}
    for name, gid in made.items():
        world.asana.add_task(gid, f"Newsletter — {name}")
    return made


def test_an_unchanged_project_costs_one_request_per_poll_and_only_changed_ones_are_read(world, projects):
    with scanned(world, projects, "asana") as (worker, store):
        config, adapters = worker.config, worker.adapters
        # This process has no sync token yet: the first poll gets one per project and reads each once.
        assert set(worker.poll(config.clients, object()).values()) == {"ok"}
        world.asana.reset_counts()
        for _ in range(2):
            assert worker.poll(config.clients, object()) == {}           # nothing changed: nothing scanned
        assert {k: v for k, v in world.asana.requests.items() if v} == {EVENTS: 8}

        for name in ("Maison Pivoine", "Zielony Ogród"):
            world.asana.add_task(projects[name], NEW_CARDS[name], notes="Merci / Dzięki 🙏")
        own = world.asana.project_tasks[projects["Café Tortuga"]][0]
        adapters.for_provider("asana").post_comment(own, "Gracias, lo preparo esta semana.\n\nref SK-0c0ffe")
        world.asana.reset_counts()
        assert worker.poll(config.clients, object()) == {"Maison Pivoine": "ok", "Zielony Ogród": "ok"}
        assert world.asana.requests[EVENTS] == 4                          # the scans reused the poll's answers
        assert world.asana.requests[MODIFIED] == 2 and world.asana.requests[WHOLE] == 0
        queued = Outbox(store).listed((PENDING_REVIEW,))
        assert sorted((i.client, i.kind) for i in queued) == [("Maison Pivoine", "consultation"),
                                                              ("Zielony Ogród", "consultation")]

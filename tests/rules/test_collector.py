"""A scan holds the garbage collector off while it runs, and gives it back as it found it."""
from __future__ import annotations

import gc
import threading

import pytest

from rules import collector

from .support import at, card, rules


class _Watched:
    """A card that notes whether the collector was on when the rules read its title."""

    def __init__(self, inner, seen: list[bool]) -> None:
        self._inner, self._seen = inner, seen

    def __getattr__(self, name):
        return getattr(self._inner, name)

    @property
    def title(self) -> str:
        self._seen.append(gc.isenabled())
        return self._inner.title


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_during_a_scan_and_on_again_after_it(collector_on):
    seen: list[bool] = []
    cards = [_Watched(card("Weekly newsletter", hours=2), seen), _Watched(card("Strategy call"), seen)]

    result = rules().evaluate(cards, at("2026-11-20T12:00:00Z"))

    assert [f.verdict for f in result.findings] == ["in_scope", "out_of_scope"]
    assert seen and not any(seen)
    assert gc.isenabled()


def test_a_scan_leaves_a_collector_that_was_off_off():
    gc.disable()
    try:
        rules().evaluate([card("Weekly newsletter")], at("2026-11-20T12:00:00Z"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_scan_that_fails_still_gives_the_collector_back(collector_on):
    class Broken(_Watched):
        @property
        def title(self) -> str:
            raise RuntimeError("a bad card")

    with pytest.raises(RuntimeError, match="a bad card"):
        rules().evaluate([Broken(card("x"), [])], at("2026-11-20T12:00:00Z"))
    assert gc.isenabled()


def test_overlapping_scans_turn_it_back_on_only_when_the_last_ends(collector_on):
    first_in, second_done = threading.Event(), threading.Event()

    def long_scan():
        with collector.paused():
            first_in.set()
            second_done.wait(10)

    runner = threading.Thread(target=long_scan)
    runner.start()
    assert first_in.wait(10)
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the first scan still runs
    second_done.set()
    runner.join(10)
    assert gc.isenabled()


def test_scans_that_never_stop_overlapping_still_get_a_full_pass_now_and_then(collector_on, monkeypatch):
    monkeypatch.setattr(collector, "MAX_PAUSE_SECONDS", 0.0)
    full_passes: list[int] = []

    def count(phase, info):
        if phase == "stop" and info["generation"] == 2:
            full_passes.append(1)

    gc.callbacks.append(count)
    try:
        with collector.paused():
            with collector.paused():
                pass
            assert full_passes, "a scan ending while another runs, past the bound, runs a full pass"
            assert not gc.isenabled()
    finally:
        gc.callbacks.remove(count)
    assert gc.isenabled()

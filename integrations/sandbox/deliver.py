"""Webhook deliveries from the sandboxes: POSTs to the registered callback URLs, from a thread of their own."""
from __future__ import annotations

import queue
import threading
from collections.abc import Mapping

import requests


class Deliverer:
    """Posts each event `times` times (a service may deliver one event more than once), in order, off the
    sandbox's lock; keeps (url, status) of every attempt. `paused` keeps events waiting (an outage)."""

    def __init__(self) -> None:
        self.times = 1
        self.attempts: list[tuple[str, int]] = []
        self.paused = threading.Event()
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._busy = 0

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> None:
        with self._lock:
            self._busy += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
                self._thread.start()
        self._queue.put((url, body, dict(headers)))

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """True once every queued delivery was attempted."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def _run(self) -> None:
        while True:
            url, body, headers = self._queue.get()
            while self.paused.is_set():
                threading.Event().wait(0.05)
            for _ in range(max(1, self.times)):
                try:
                    status = requests.post(url, data=body, headers=headers, timeout=30).status_code
                except requests.RequestException:
                    status = 0
                with self._lock:
                    self.attempts.append((url, status))
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()


def head_ok(url: str) -> bool:
    """Trello's check of a new callback URL: a HEAD that must answer 200."""
    try:
        return requests.head(url, timeout=30).status_code == 200
    except requests.RequestException:
        return False

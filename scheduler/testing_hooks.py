"""Test hooks: every way tests and the demo steer the product from outside. None of them is for users.

- `SCOPEKEEPER_CRASH_AT=<point>[:<n>]`: the process SIGKILLs itself the n-th time (default the 1st) it reaches
  <point>, one of CRASH_POINTS, as if the machine lost power (the worker's fault-injection tests).
- `SCOPEKEEPER_TRELLO_API_URL`, `SCOPEKEEPER_ASANA_API_URL`: where the adapters send their requests instead of
  the real APIs (the sandboxes of the tests and of the demo).
- Hidden CLI options: `demo --summary-json FILE` writes the demo's outcome for the tests to read;
  `connect trello --api-url URL` and `connect asana --api-url URL` point the connect commands at a sandbox.
"""
from __future__ import annotations

import os
import signal
import threading

CRASH_ENV = "SCOPEKEEPER_CRASH_AT"
CRASH_POINTS = ("before_intent", "after_intent", "after_post", "after_sent")
TRELLO_URL_ENV = "SCOPEKEEPER_TRELLO_API_URL"
ASANA_URL_ENV = "SCOPEKEEPER_ASANA_API_URL"
URL_ENVS = {"trello": TRELLO_URL_ENV, "asana": ASANA_URL_ENV}
TEST_HOOK = "Test hook (scheduler/testing_hooks.py): "  # starts the help of every hidden option that is one

_crash_counts: dict[str, int] = {}
_crash_lock = threading.Lock()


def crash_point(name: str) -> None:
    """Die here, as if the machine lost power, when SCOPEKEEPER_CRASH_AT asks for it."""
    wanted = os.environ.get(CRASH_ENV, "")
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    with _crash_lock:
        _crash_counts[name] = _crash_counts.get(name, 0) + 1
        if _crash_counts[name] == int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)


def api_url(provider: str) -> str | None:
    """The API root the environment redirects `provider`'s requests to, if any."""
    return os.environ.get(URL_ENVS[provider]) or None

"""Web app fixtures: the demo world served by the app (Chromium comes from tests/conftest.py)."""
from __future__ import annotations

from tests.web.support import web_world  # noqa: F401  (the module-wide fixture is defined beside its world)

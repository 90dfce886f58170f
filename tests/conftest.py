"""Shared test fixtures: where the design's example boards live."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the clone (CI has it); tests that need it skip on a lone clone."""
    if not (SHARED / "fixtures" / "manifest.json").is_file():
        pytest.skip("../shared (design fixtures and API specs) is not beside this clone")
    return SHARED


@pytest.fixture(scope="session")
def manifest(shared_dir: Path) -> dict:
    return json.loads((shared_dir / "fixtures" / "manifest.json").read_text(encoding="utf-8"))

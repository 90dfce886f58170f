"""`scopekeeper demo` end to end, as a newcomer runs it: in its own process, on a fresh folder."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow  # the whole demo in a process


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_demo_posts_each_comment_once_writes_reports_and_leaves_nothing_running(tmp_path: Path) -> None:
    out, summary_file = tmp_path / "demo", tmp_path / "summary.json"
    script = Path(sys.executable).with_name("scopekeeper")
    run = subprocess.run([str(script), "demo", "--out", str(out), "--summary-json", str(summary_file)],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads(summary_file.read_text(encoding="utf-8"))

    # How long it takes is a benchmark's figure (`farm-bench -- scopekeeper demo`), not a timed test.
    assert set(summary["outcomes"].values()) == {"ok"} and len(summary["outcomes"]) == 4
    # Each sample client has out-of-scope requests; every queued comment is on its card exactly once.
    assert summary["queued"] >= 12 and summary["posted"] == summary["queued"]
    assert all(c["found"] == 1 for c in summary["comments"]), summary["comments"]
    reports = [Path(p) for p in summary["reports"]]
    assert all(p.is_file() and p.stat().st_size > 0 for p in reports)
    assert {p.suffix for p in reports} >= {".html", ".md", ".svg"}
    practice = next(p for p in reports if p.name == "practice.html").read_text(encoding="utf-8")
    assert all(name in practice for name in summary["outcomes"])
    assert "Open the practice summary:" in run.stdout and "practice.html" in run.stdout
    # Nothing keeps running: no process mentions the demo folder, and the sandboxes' ports are closed.
    assert _processes_mentioning(str(out)) == []
    for url in summary["sandboxes"]:
        parts = urlsplit(url)
        with socket.socket() as probe:
            assert probe.connect_ex((parts.hostname, parts.port)) != 0, url

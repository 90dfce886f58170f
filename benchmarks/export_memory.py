"""Peak memory of `scopekeeper scan --from-export` on a big Trello export: the streaming reader beside reading it whole.

Run: .venv/bin/python benchmarks/export_memory.py [CARDS]   (default 50,000 cards)
Writes a synthetic export (each card with two client comments, a label, an hours field on every third card, and
the board's other history: creations and field changes) to a temporary file, then runs the scan command twice,
each in its own process, and prints the process's peak resident memory (getrusage ru_maxrss) and CPU seconds:
once as shipped (ijson, one card at a time), once with the export read whole (json.loads, as before).
"""
from __future__ import annotations

import copy
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from integrations.sandbox.trello import synthetic_export  # noqa: E402 (after the path above)

TARGET_MB = 250
TEMPLATE_CARDS = 30
# The child: the scan command, optionally with the export read whole; then its own peak memory and CPU.
CHILD = """
import json, resource, sys
from pathlib import Path
sys.path.insert(0, {root!r})
if sys.argv[1] == "whole":
    import scheduler.worker.scan as scan
    from integrations.trello.mapper import board_snapshot
    scan.read_export = lambda path: board_snapshot(json.loads(Path(path).read_text(encoding="utf-8")))
from scheduler.cli.main import cli
try:
    cli.main(["scan", "--config", {config!r}, "--client", "Bright Path Coaching", "--from-export", sys.argv[2],
              "--now", "2026-11-20T18:00:00-05:00", "--format", "json"], standalone_mode=False)
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{{usage.ru_maxrss / 1024:.0f}} {{usage.ru_utime + usage.ru_stime:.1f}}", file=sys.stderr)
"""


def big_export(cards: int, template: dict | None = None) -> dict:
    """A board of `cards` cards: a small board's cards and actions (a synthetic one's unless `template` is
    given) repeated with new ids; each card id keeps its source's creation time."""
    template = template or synthetic_export(TEMPLATE_CARDS, seed=77)
    board = {k: v for k, v in template.items() if k not in ("cards", "actions")}
    by_card: dict[str, list[dict]] = {}
    for action in template["actions"]:
        by_card.setdefault(action["data"]["card"]["id"], []).append(action)
    board["cards"], board["actions"] = [], []
    for n in range(cards):
        source = template["cards"][n % len(template["cards"])]
        card_id = f"{source['id'][:8]}{n:016x}"
        board["cards"].append(dict(copy.deepcopy(source), id=card_id, name=f"{source['name']} ({n})"))
        for k, action in enumerate(by_card.get(source["id"], [])):
            copied = copy.deepcopy(action)
            copied["id"] = f"{action['id'][:8]}{n:012x}{k:04x}"
            copied["data"]["card"]["id"] = card_id
            board["actions"].append(copied)
    return board


def measure(mode: str, export: Path) -> tuple[int, float]:
    code = CHILD.format(root=str(ROOT), config=str(ROOT / "config.example.toml"))
    done = subprocess.run([sys.executable, "-c", code, mode, str(export)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=True)
    peak, cpu = done.stderr.strip().splitlines()[-1].split()
    return int(peak), float(cpu)


def main() -> None:
    if sys.argv[1:2] == ["--write"]:  # in a process of its own: a child's peak would count the parent's memory
        Path(sys.argv[2]).write_text(json.dumps(big_export(int(sys.argv[3]))), encoding="utf-8")
        return
    cards = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "board.json"
        subprocess.run([sys.executable, __file__, "--write", str(export), str(cards)], check=True)
        print(f"scan --from-export of {cards:,} cards ({export.stat().st_size / 1e6:.0f} MB of JSON), "
              "one process each:")
        rows = [("streamed (as shipped)", *measure("stream", export)), ("read whole (json.loads)", *measure("whole", export))]
    for name, peak, cpu in rows:
        print(f"  {name:<24} peak {peak:>5} MB   {cpu:>5.1f} s CPU")
    streamed = rows[0][1]
    print(f"Target: streamed peak < {TARGET_MB} MB: {streamed} MB -> {'met' if streamed < TARGET_MB else 'MISSED'}")


if __name__ == "__main__":
    main()

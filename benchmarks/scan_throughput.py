"""End-to-end `scopekeeper scan --from-export` throughput, start-up included: cards per second of the whole command.

Run: .venv/bin/python benchmarks/scan_throughput.py [CARDS ...]   (default 1,000 10,000 50,000)
Each size's export (as benchmarks/export_memory.py makes it) is scanned by the installed command in a new
process, three times; the median wall time and the CPU time of that run give the figures. The first row is
the command's start-up alone (`scopekeeper --version`), for scale.
"""
from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [str(Path(sys.executable).with_name("scopekeeper"))]
SCAN = ["scan", "--config", str(ROOT / "config.example.toml"), "--client", "Bright Path Coaching",
        "--now", "2026-11-20T18:00:00-05:00", "--format", "json", "--from-export"]
RUNS = 3  # odd: the median is one run


def timed(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the median of RUNS runs of the command."""
    runs = []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(COMMAND + args, stdout=subprocess.DEVNULL, check=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        runs.append((wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime))
    return sorted(runs)[len(runs) // 2]


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000]
    wall, cpu = timed(["--version"])
    print(f"scopekeeper scan --from-export, whole command in a new process, median of {RUNS} (English client):")
    print(f"  {'start-up (--version)':<22} wall {wall:6.2f} s  CPU {cpu:6.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        for cards in sizes:
            export = Path(folder) / f"{cards}.json"
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "export_memory.py"), "--write", str(export),
                            str(cards)], check=True)
            wall, cpu = timed([*SCAN, str(export)])
            print(f"  {cards:>8,} cards          wall {wall:6.2f} s  CPU {cpu:6.2f} s  "
                  f"{cards / wall:>8,.0f} cards/s (wall)  {cards / cpu:>8,.0f} cards/s (CPU)")


if __name__ == "__main__":
    main()

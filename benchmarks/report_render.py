"""Weekly reports for many clients: render every client's report (HTML, Markdown, CSV) and the practice summary.

Run: .venv/bin/python benchmarks/report_render.py --clients 100
The clients are copies of config.example.toml's, each with the cards of the bundled exports; prints the
CPU seconds spent rendering and per client. Compare two versions by running this script in each checkout.
"""
from __future__ import annotations

import argparse
import time
import tomllib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import tomli_w

from scheduler.config.models import parse_config
from scheduler.reports.documents import client_documents, file_stems, practice_documents
from scheduler.reports.model import client_report, practice_report
from scheduler.reports.source import ExportSource
from scheduler.reports.weeks import parse_week

REPO = Path(__file__).resolve().parent.parent
EXPORTS = [REPO / "examples" / name for name in ("bright_path_trello.json", "estudio_sol_asana.json")]
WEEK, NOW = parse_week("2026-W47"), datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Europe/Warsaw"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    args = parser.parse_args()
    example = tomllib.loads((REPO / "config.example.toml").read_text(encoding="utf-8"))
    source = ExportSource.read(parse_config(tomli_w.dumps(example)), EXPORTS)
    templates = example["clients"]
    example["clients"] = [{**templates[i % len(templates)], "name": f"Client {i:03d}"} for i in range(args.clients)]
    config = parse_config(tomli_w.dumps(example))
    cards = {c.name: source.cards(templates[i % len(templates)]["name"]) for i, c in enumerate(config.clients)}
    source = ExportSource(cards)
    stems = file_stems(c.name for c in config.clients)
    started = time.process_time()
    reports, size = [], 0
    for client in config.clients:
        report = client_report(config, client, source, WEEK, NOW)
        reports.append(report)
        size += sum(len(v) for v in client_documents(report, ["html", "markdown", "csv"], stems[client.name]).files.values())
    size += sum(len(v) for v in practice_documents(practice_report(config, WEEK, reports), ["html"]).files.values())
    spent = time.process_time() - started
    print(f"{args.clients} clients' reports: {spent:.2f} s CPU, {spent / args.clients * 1000:.1f} ms per client, "
          f"{size / 1e6:.1f} MB written")


if __name__ == "__main__":
    main()

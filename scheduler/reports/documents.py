"""A report rendered: the files for the reports folder, and the parts of its email."""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scheduler.reports.html import client_chart, client_html, client_section_html, digest_html, practice_html
from scheduler.reports.i18n import texts
from scheduler.reports.invoicing import billable_csv
from scheduler.reports.markdown import client_markdown, practice_markdown
from scheduler.reports.model import VA, ClientReport, PracticeReport

# Separate folders, so that no client's files (a client named "Practice"...) collide with the summary's.
CLIENTS_DIR, FOR_CLIENT_DIR = "clients", "for-client"


@dataclass(frozen=True)
class Documents:
    """Everything one report produces: files by relative path, and the email's subject, bodies and attachments."""

    subject: str
    text: str
    html: str
    files: dict[str, bytes] = field(default_factory=dict)
    attachments: dict[str, bytes] = field(default_factory=dict)

    def write(self, folder: Path) -> list[Path]:
        """Write the files under `folder`, each replaced whole (a reader never sees half a report)."""
        written = []
        for name, content in self.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.partial")
            partial.write_bytes(content)
            os.replace(partial, path)
            written.append(path)
        return written


def client_documents(report: ClientReport, formats: Collection[str], stem: str) -> Documents:
    """A client's report in the given formats; `stem` names its files (see file_stems)."""
    t = texts(report.language, report.address)
    chart = client_chart(report)
    html = client_html(report, chart)
    base = f"{CLIENTS_DIR if report.audience == VA else FOR_CLIENT_DIR}/{stem}"
    csv = billable_csv([report], report.language)
    files: dict[str, bytes] = {}
    if "html" in formats:
        files[f"{base}.html"] = html.encode()
    if "markdown" in formats:
        files[f"{base}.svg"] = chart.encode()
        files[f"{base}.md"] = client_markdown(report, f"{stem}.svg").encode()
    if "csv" in formats:
        files[f"{base}.csv"] = csv
    title = t("report_title" if report.audience == VA else "client_title", client=report.client)
    # The client reads plain dates; the VA files her reports by ISO week.
    when = report.week.key if report.audience == VA else t.plain_days(report.week.monday, report.week.sunday)
    return Documents(
        subject=f"{title} · {when}", text=client_markdown(report, plain=True),
        html=html, files=files,
        attachments={f"{stem}-{report.week.key}.csv": csv} if "csv" in formats and report.billable else {},
    )


def practice_documents(report: PracticeReport, formats: Collection[str]) -> Documents:
    """The practice summary; its CSV holds every client's billable cards, for one invoicing run."""
    t = texts(report.language)
    html = practice_html(report)
    csv = billable_csv(report.clients, report.language)
    files: dict[str, bytes] = {}
    if "html" in formats:
        files["practice.html"] = html.encode()
    if "markdown" in formats:
        files["practice.md"] = practice_markdown(report).encode()
    if "csv" in formats:
        files["practice.csv"] = csv
    return Documents(
        subject=f"{t('practice_title')} · {report.week.key}", text=practice_markdown(report, plain=True), html=html,
        files=files, attachments={f"extra-hours-{report.week.key}.csv": csv} if "csv" in formats else {},
    )


def digest_documents(practice: PracticeReport, practice_docs: Documents) -> Documents:
    """The VA's one weekly email: the practice summary first, then each client's report as a section.

    Each client's chart is inline SVG with its table; the practice CSV (every client's billable cards) is
    the one attachment. The per-client files are written separately, as before.
    """
    t = texts(practice.language)
    sections, texts_ = [], [practice_docs.text]
    for report in practice.clients:
        title = t("report_title", client=report.client)
        sections.append((title, client_section_html(report, client_chart(report))))
        texts_.append(client_markdown(report, plain=True))
    return Documents(subject=practice_docs.subject, text="\n\n---\n\n".join(texts_),
                     html=digest_html(practice, sections),
                     attachments=practice_docs.attachments)


def file_stems(names: Iterable[str]) -> dict[str, str]:
    """A file name per client: 'Atelier Lumière' -> 'atelier-lumiere'; names that would clash get a hash."""
    names = list(names)
    slugs = {name: _slug(name) for name in names}
    clashing = {s for s in slugs.values() if list(slugs.values()).count(s) > 1}
    return {name: f"{s}-{hashlib.sha256(name.encode()).hexdigest()[:6]}" if s in clashing else s
            for name, s in slugs.items()}


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "client"

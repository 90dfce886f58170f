"""The contract editor: a client's form <-> its [[clients]] table, saved with tomlkit (comments and layout kept)
and validated by the same models and messages as `scopekeeper config check`."""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from rules.contract import WEEKDAYS
from scheduler.config.models import AppConfig, Client, ConfigError, parse_config

LANGUAGES = {"en": "English", "fr": "French", "es": "Spanish", "pl": "Polish"}
RESPONSES = {"consultation": "offer a consultation (booking link)", "referral": "refer to a colleague",
             "decline": "decline politely"}
ROLLOVERS = {"none": "Nothing carries over: each period starts afresh",
             "unused": "Unused hours carry over to the next periods",
             "overrun": "Hours over the plan come out of the next period's hours (not billed)",
             "both": "Both: unused hours carry over, and hours over the plan come out of the next period"}
INCREMENTS = {"0": "no rounding", "6": "6 minutes", "15": "15 minutes", "30": "30 minutes"}
RETAINER_NUMBERS = ("rollover_cap_hours", "rollover_expires_after", "grace_hours", "billing_increment_minutes")
CONTRACT_NUMBERS = ("hours", "overage_rate", "min_notice_hours", *RETAINER_NUMBERS)
CONTRACT_TEXTS = ("period", "currency", "consultation_url", "hours_field", "rollover")
# Written into the file only when they differ from these (or are there already): a plain contract stays plain.
RETAINER_DEFAULTS: dict[str, Any] = {"rollover": "none", "rollover_expires_after": 1, "grace_hours": 0,
                                     "billing_increment_minutes": 0}
# How the form names each field, so that the list of mistakes says which field holds the wrong value.
LABELS = {"name": "Client name", "timezone": "Client's time zone", "hours": "Hours in the plan",
          "overage_rate": "Price of an extra hour", "currency": "Currency",
          "consultation_url": "Booking link for consultations", "hours_field": "Card field holding the hours",
          "min_notice_hours": "Notice needed (hours)", "rollover": "What carries over at the end of each period",
          "rollover_cap_hours": "Most hours carried into one period",
          "rollover_expires_after": "Carried hours stay usable for (periods)",
          "grace_hours": "Extra hours not billed, per period", "billing_increment_minutes": "Round extra time up to",
          "start": "From", "end": "Until"}
EMPTY_ROWS = 1  # blank service and category rows offered at the end of the form
_PROBLEM = re.compile(r"^clients\[(\d+)\]\.?(?P<path>[^ :]*)(?: \(client [^)]*\))?: (?P<message>.*)$")


@dataclass
class ContractForm:
    """What the form shows: the values (as typed) and the problems next to their field ('' = the whole form)."""

    values: dict[str, Any]
    services: list[dict[str, str]]
    categories: list[dict[str, str]]
    problems: dict[str, list[str]] = field(default_factory=dict)

    def problem(self, name: str) -> list[str]:
        return self.problems.get(name, [])

    def listed(self) -> list[str]:
        """Each field's mistakes with the field's name, for the list at the top of the form."""
        return [f"{LABELS.get(name, name.replace('-', ' '))}: {message}"
                for name, messages in self.problems.items() if name for message in messages]


def form_of(client: Client | None) -> ContractForm:
    """The form filled from a client's configuration (a new client's defaults when None)."""
    if client is None:
        values = {"name": "", "language": "en", "timezone": "UTC", "hours": "", "period": "month",
                  "overage_rate": "", "currency": "USD", "consultation_url": "", "hours_field": "Hours",
                  "min_notice_hours": "48", "days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00",
                  "end": "17:00", "rollover": "none", "rollover_cap_hours": "", "rollover_expires_after": "1",
                  "grace_hours": "0", "billing_increment_minutes": "0"}
        return _with_blank_rows(ContractForm(values, [], []))
    contract = client.contract
    values = {"name": client.name, "language": client.language, "timezone": client.timezone,
              "hours": _number(contract.hours), "period": contract.period,
              "overage_rate": _number(contract.overage_rate), "currency": contract.currency,
              "consultation_url": contract.consultation_url or "", "hours_field": contract.hours_field,
              "min_notice_hours": _number(contract.min_notice_hours), "days": list(contract.business_hours.days),
              "start": contract.business_hours.start.strftime("%H:%M"),
              "end": contract.business_hours.end.strftime("%H:%M"), "rollover": contract.rollover,
              "rollover_cap_hours": "" if contract.rollover_cap_hours is None else _number(contract.rollover_cap_hours),
              "rollover_expires_after": str(contract.rollover_expires_after),
              "grace_hours": _number(contract.grace_hours),
              "billing_increment_minutes": str(contract.billing_increment_minutes)}
    services = [{"name": s.name, "keywords": ", ".join(s.keywords), "labels": ", ".join(s.labels)}
                for s in contract.services]
    categories = [{"name": c.name, "keywords": ", ".join(c.keywords), "labels": ", ".join(c.labels),
                   "response": c.response, "referral": c.referral or ""} for c in contract.out_of_scope]
    return _with_blank_rows(ContractForm(values, services, categories))


def read_form(form: Mapping[str, Any]) -> ContractForm:
    """The form as posted (multi-valued fields read with getlist)."""
    values: dict[str, Any] = {key: str(form.get(key) or "").strip() for key in
                              ("name", "language", "timezone", *CONTRACT_NUMBERS, *CONTRACT_TEXTS, "start", "end")}
    getlist = getattr(form, "getlist", None)  # a posted form (starlette's FormData) has it; a plain mapping not
    values["days"] = [d for d in getlist("days") if d in WEEKDAYS] if getlist else []
    services = _rows(form, "service", ("name", "keywords", "labels"))
    categories = _rows(form, "category", ("name", "keywords", "labels", "response", "referral"))
    return ContractForm(values, services, categories)


def save(path: Path, original: str | None, submitted: ContractForm) -> tuple[AppConfig | None, ContractForm]:
    """Write the client's contract into the file if the whole configuration is then valid.

    Returns the new configuration (None when not saved) and the form with its problems by field.
    """
    text = path.read_text(encoding="utf-8")
    document = tomlkit.parse(text)
    clients = document.get("clients")
    if not isinstance(clients, AoT):
        clients = tomlkit.aot()
        document["clients"] = clients
    index = next((i for i, t in enumerate(clients) if original is not None and t.get("name") == original), None)
    if original is not None and index is None:
        submitted.problems[""] = [f"{path} no longer has a client named {original!r}: reload the page"]
        return None, _with_blank_rows(submitted)
    if index is None:
        clients.append(_new_client_table())
        index = len(clients) - 1
    _apply(clients[index], submitted)
    new_text = tomlkit.dumps(document)
    try:
        config = parse_config(new_text, path)
    except ConfigError as err:
        submitted.problems = _by_field(err.problems, index)
        return None, _with_blank_rows(submitted)
    _write(path, new_text)
    return config, submitted


def _apply(table: Table, form: ContractForm) -> None:
    """Only what the form holds changes; keys it does not know (templates, boards, comments) stay as they are."""
    v = form.values
    for key in ("name", "language", "timezone"):
        _set(table, key, v[key])
    if "contract" not in table:
        table["contract"] = tomlkit.table()
    contract = table["contract"]
    for key in CONTRACT_NUMBERS:
        _set_term(contract, key, _typed_number(v[key]))
    for key in CONTRACT_TEXTS:
        _set_term(contract, key, v[key] or None)
    if "business_hours" not in contract:
        contract["business_hours"] = tomlkit.inline_table()
    hours = contract["business_hours"]
    _set(hours, "days", v["days"])
    _set(hours, "start", v["start"] or None)
    _set(hours, "end", v["end"] or None)
    _set_rows(contract, "services", form.services, ("name", "keywords", "labels"))
    _set_rows(contract, "out_of_scope", form.categories, ("name", "keywords", "labels", "response", "referral"))


def _set_rows(contract: Table, key: str, rows: list[dict[str, str]], fields: tuple[str, ...]) -> None:
    """Update the array of tables entry by entry, so that comments on the entries kept stay with them."""
    rows = [r for r in rows if any(r.get(f) for f in fields if f != "response")]
    existing = contract.get(key)
    if not isinstance(existing, AoT):
        existing = tomlkit.aot()
        if rows:
            contract[key] = existing
    while len(existing) > len(rows):
        del existing[len(existing) - 1]
    for position, row in enumerate(rows):
        if position >= len(existing):
            existing.append(tomlkit.table())
        entry = existing[position]
        for name in fields:
            value: Any = row.get(name, "")
            if name in ("keywords", "labels"):
                value = [part.strip() for part in value.split(",") if part.strip()] or None
            _set(entry, name, value if value != "" else None)
    if not rows and key in contract:
        del contract[key]


def _set_term(contract: Table, key: str, value: Any) -> None:
    """Like _set, but a retainer term left at its default is not added to a contract that never had it."""
    if key not in contract and key in RETAINER_DEFAULTS and value == RETAINER_DEFAULTS[key]:
        return
    _set(contract, key, value)


def _set(table, key: str, value: Any) -> None:
    """Set a key (remove it when None); an unchanged value keeps its original formatting."""
    if value is None:
        if key in table:
            del table[key]
        return
    current = table.get(key)
    if current is not None and _plain(current) == value:
        return
    table[key] = value


def _plain(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item


def _new_client_table() -> Table:
    table = tomlkit.table()
    table["name"] = ""
    table["boards"] = tomlkit.array()
    return table


def _by_field(problems: list[str], index: int) -> dict[str, list[str]]:
    """`clients[3].contract.services[1].keywords (client 'X'): ...` -> {'service-1-keywords': [...]}."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        match = _PROBLEM.match(problem)
        if not match or int(match.group(1)) != index:
            found.setdefault("", []).append(problem)
            continue
        found.setdefault(_field_name(match.group("path")), []).append(match.group("message"))
    return found


def _field_name(path: str) -> str:
    parts = re.findall(r"[A-Za-z_]+|\[\d+\]", path)
    names = [p for p in parts if not p.startswith("[")]
    numbers = [p.strip("[]") for p in parts if p.startswith("[")]
    if names[:2] == ["contract", "services"] and numbers:
        return f"service-{numbers[0]}-{names[2] if len(names) > 2 else 'name'}"
    if names[:2] == ["contract", "out_of_scope"] and numbers:
        return f"category-{numbers[0]}-{names[2] if len(names) > 2 else 'name'}"
    if names[:2] == ["contract", "business_hours"]:
        return names[2] if len(names) > 2 else "days"
    if names[:1] == ["contract"]:
        return names[1] if len(names) > 1 else ""
    return names[0] if names else ""


def _rows(form: Mapping[str, Any], prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    numbers = sorted({int(m.group(1)) for key in form if (m := re.fullmatch(rf"{prefix}-(\d+)-\w+", key))})
    return [{f: str(form.get(f"{prefix}-{n}-{f}") or "").strip() for f in fields} for n in numbers]


def _with_blank_rows(form: ContractForm) -> ContractForm:
    form.services = [r for r in form.services if any(r.values())] + \
        [{"name": "", "keywords": "", "labels": ""}] * EMPTY_ROWS
    form.categories = [r for r in form.categories if any(v for k, v in r.items() if k != "response")] + \
        [{"name": "", "keywords": "", "labels": "", "response": "consultation", "referral": ""}] * EMPTY_ROWS
    return form


def _typed_number(text: str) -> Any:
    """A number when it reads as one; otherwise the text, so that the validator names the mistake."""
    if text == "":
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def _number(value: float) -> str:
    return f"{value:g}"


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)

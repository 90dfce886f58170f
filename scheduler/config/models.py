"""The configuration file: models with DESIGN.md's names, loading, and clear errors."""
from __future__ import annotations

import re
import tomllib
from datetime import time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from rules.contract import Address, ClockTime, Contract, Language, Name, Strict, Templates
from rules.evaluate import ClientRules
from rules.text import same_phrase
from scheduler.config.durations import parse_duration
from scheduler.config.errors import ConfigError, describe_errors
from scheduler.config.state_dir import default_state_url

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _env_name(value: object) -> object:
    if not isinstance(value, str):
        return value
    if looks_like_secret(value):
        raise PydanticCustomError(
            "secret_literal",
            "this looks like a secret itself, not the name of an environment variable; never put tokens in "
            "the config: export the secret (e.g. `export TRELLO_TOKEN=...`) and write the variable's name here")
    if not _ENV_NAME.match(value):
        raise ValueError("should be the name of an environment variable (letters, digits and _), e.g. TRELLO_TOKEN")
    return value


def looks_like_secret(value: str) -> bool:
    """Trello keys and tokens are long hex; Asana tokens look like '2/1234/5678:abcdef...'."""
    if len(value) < 16:
        return False
    mixed = re.search(r"[a-z]", value) and re.search(r"\d", value)
    return bool(mixed or re.search(r"[^A-Za-z0-9_]", value))


def _time_zone(value: object) -> object:
    if isinstance(value, str) and value not in _zones():
        close = _close_zones(value)
        hint = f"; did you mean {close}?" if close else ""
        raise ValueError(f"is not an IANA time zone such as Europe/Warsaw or America/New_York{hint}")
    return value


EnvName = Annotated[str, AfterValidator(_env_name)]
TimeZoneName = Annotated[str, AfterValidator(_time_zone)]
Duration = Annotated[timedelta, BeforeValidator(parse_duration),
                     WithJsonSchema({"type": "string", "pattern": r"^(\d+[dhms])+$", "examples": ["15m", "1h"]})]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
# One address or a list of them: `email = "ceo@example.com"` reads as naturally as a list.
Emails = Annotated[list[Email], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]
Signature = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]


def _notify_url(value: str) -> str:
    # The value itself is never echoed: an apprise URL holds a token or a password.
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*://\S+", value):
        raise PydanticCustomError("notify_url", "should be an apprise URL such as ntfy://my-topic or "
                                  "mailto://user:password@example.com (see https://github.com/caronc/apprise/wiki)")
    return value


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class Report(Strict):
    """When and how the weekly scope report goes out."""

    day: Weekday = "monday"
    time: ClockTime = time(8, 0)
    formats: list[Literal["html", "markdown", "csv"]] = ["html", "markdown"]
    email_to: list[Email] = []


class Web(Strict):
    """The local web app: where it listens, and the hashed password needed when it listens beyond loopback."""

    enabled: bool = True
    bind: str = Field(default="127.0.0.1", min_length=1)
    port: int = Field(default=8421, ge=1, le=65535)
    password_hash: str | None = Field(default=None, pattern=r"^scrypt\$", description="set by `scopekeeper web --set-password`")
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(/\S*)?$",
                                   description="the app's address on the internet, for webhooks (e.g. behind a tunnel)")


KEEP_AT_LEAST = timedelta(days=90)  # longer than two monthly periods: a comment's key outlives its planning


class Settings(Strict):
    """The VA's own settings: the [scopekeeper] table."""

    # By default in the user's data folder (state_dir), so that the working directory does not matter.
    state_url: str = Field(default_factory=default_state_url, pattern=r"^(sqlite|postgresql(\+\w+)?|postgres)://")
    timezone: TimeZoneName = "UTC"
    language: Language = "en"
    mode: Literal["dry-run", "review", "auto"] = "review"
    scan_every: Duration = timedelta(minutes=15)
    poll_every: Duration = Field(default=timedelta(seconds=30),
                                 description="how often the cheap 'did anything change?' check runs between scans")
    max_comments_per_run: int = Field(default=30, ge=1, le=10_000)
    full_read_every: Duration = Field(default=timedelta(hours=24),
                                      description="how often each board is read whole; between, scans read only "
                                                  "what changed")
    keep_history: Duration = Field(default=timedelta(days=400),
                                   description="how long findings and settled comments are kept (reports look back)")
    weekly_capacity_hours: float | None = Field(default=None, gt=0, le=168, allow_inf_nan=False)
    signature: Signature | None = Field(default=None, description="the VA's name, ending every comment")
    contact: str | None = Field(default=None, min_length=1, max_length=300,
                                description="how clients reach the VA, shown in the reports sent to them")
    report: Report = Report()
    web: Web = Web()

    @model_validator(mode="after")
    def _sane_interval(self) -> Settings:
        if self.scan_every < timedelta(minutes=1):
            raise ValueError("scan_every must be at least 1m: more often would only spend the API budget")
        if not timedelta(seconds=10) <= self.poll_every <= self.scan_every:
            raise ValueError("poll_every must be between 10s and scan_every (e.g. \"30s\"): it is how soon a new "
                             "card is noticed, and each check is one request per Trello token")
        if self.full_read_every < timedelta(hours=1):
            raise ValueError("full_read_every must be at least 1h (e.g. \"24h\"): between whole reads, scans read "
                             "only what changed, which costs far less")
        if self.keep_history < KEEP_AT_LEAST:
            raise ValueError(f"keep_history must be at least {KEEP_AT_LEAST.days}d (e.g. \"400d\"): the comments "
                             "of the current and the previous contract period must stay known, or they would be "
                             "posted again")
        return self


class Smtp(Strict):
    """Where report emails are sent from; the password comes from the environment."""

    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: EnvName | None = None
    sender: str = Field(alias="from", min_length=3)


class Notify(Strict):
    """[notify]: how the VA hears of problems and budget thresholds (email through [smtp], apprise URLs)."""

    email: bool = True
    email_to: list[Email] = Field(default=[], description="default: scopekeeper.report.email_to")
    urls: list[Annotated[str, AfterValidator(_notify_url)]] = Field(
        default=[], description="apprise URLs such as ntfy://topic or tgram://bot-token/chat-id; secrets")
    alert_at: list[int] = Field(default=[80, 100], description="percent of a period's hours; [] for no alert")

    @field_validator("alert_at")
    @classmethod
    def _percentages(cls, values: list[int]) -> list[int]:
        wrong = [v for v in values if not 1 <= v <= 1000]
        if wrong:
            raise ValueError(f"{wrong[0]} is not a percentage between 1 and 1000 (e.g. alert_at = [80, 100])")
        return sorted(set(values))


class TrelloConnection(Strict):
    """Names of the environment variables holding the Trello API key and token."""

    api_key_env: EnvName = "TRELLO_API_KEY"
    token_env: EnvName = "TRELLO_TOKEN"
    api_secret_env: EnvName = Field(default="TRELLO_API_SECRET",
                                    description="the Power-Up's secret: it proves webhook deliveries come from Trello")


class AsanaConnection(Strict):
    """Name of the variable holding the Asana token, and the plan's request budget."""

    token_env: EnvName = "ASANA_TOKEN"
    requests_per_minute: int = Field(default=150, ge=1, le=1500, description="150 on free plans, 1500 on paid")


class Connections(Strict):
    """The [connections.*] tables."""

    trello: TrelloConnection = TrelloConnection()
    asana: AsanaConnection = AsanaConnection()


class Board(Strict):
    """One Trello board or Asana project of a client."""

    provider: Literal["trello", "asana"]
    id: str

    @model_validator(mode="after")
    def _id_shape(self) -> Board:
        if self.provider == "trello" and not re.fullmatch(r"[0-9a-f]{24}|[A-Za-z0-9]{8}", self.id):
            raise ValueError(f"trello board id {self.id!r} should be the 24-character id or the 8-character "
                             "short link from the board's URL (trello.com/b/<short link>/...)")
        if self.provider == "asana" and not re.fullmatch(r"\d{1,30}", self.id):
            raise ValueError(f"asana project id {self.id!r} should be the project's numeric gid "
                             "(app.asana.com/0/<gid>/...)")
        return self


class Client(Strict):
    """One client: their language and timezone, boards, contract and comment wording."""

    name: Name
    language: Language = "en"
    timezone: TimeZoneName = "UTC"
    boards: list[Board] = []
    contract: Contract
    templates: Templates = Templates()
    address: Address = "formal"
    signature: Signature | None = None
    email: Emails = []
    send_report: bool = Field(default=False, description="send the weekly client report to `email` by itself")

    @model_validator(mode="after")
    def _no_ambiguous_keywords(self) -> Client:
        services = [(s.name, k) for s in self.contract.services for k in s.keywords]
        for category in self.contract.out_of_scope:
            for keyword in category.keywords:
                for service, other in services:
                    if same_phrase(keyword, other, self.language):
                        raise ValueError(
                            f"keyword {keyword!r} of out_of_scope {category.name!r} also matches {other!r} of "
                            f"service {service!r}; a request cannot be both: remove one of them")
        return self

    @model_validator(mode="after")
    def _report_has_a_recipient(self) -> Client:
        if self.send_report and not self.email:
            raise ValueError("send_report = true needs the client's email = [\"...\"] to send it to")
        return self

    @property
    def weekly_hours(self) -> float:
        """Contracted hours as a week-equivalent (a month is 52/12 weeks)."""
        return self.contract.hours if self.contract.period == "week" else self.contract.hours * 12 / 52


class AppConfig(Strict):
    """The whole configuration file."""

    scopekeeper: Settings = Field(default_factory=Settings)  # made per file: its default state_url looks at the disk
    smtp: Smtp | None = None
    notify: Notify = Notify()
    connections: Connections = Connections()
    clients: list[Client] = Field(min_length=1)

    @field_validator("clients")
    @classmethod
    def _unique_names(cls, clients: list[Client]) -> list[Client]:
        seen: dict[str, int] = {}
        for index, client in enumerate(clients):
            first = seen.setdefault(client.name.casefold(), index)
            if first != index:
                raise ValueError(f"clients[{first}] and clients[{index}] are both named {client.name!r}; "
                                 "client names must be unique")
        return clients

    @model_validator(mode="after")
    def _consistent(self) -> AppConfig:
        if self.scopekeeper.report.email_to and self.smtp is None:
            raise ValueError("scopekeeper.report.email_to needs an [smtp] table to send from")
        sending = [c.name for c in self.clients if c.send_report]
        if sending and self.smtp is None:
            raise ValueError(f"send_report = true (client {sending[0]!r}) needs an [smtp] table to send from")
        if "notify" in self.model_fields_set and self.notify.email:
            if self.smtp is None:
                raise ValueError("notify.email = true needs an [smtp] table to send from; add one, or set "
                                 "notify.email = false and give notify.urls")
            if not self.notify_recipients:
                raise ValueError("notify.email = true needs an address: set notify.email_to (or "
                                 "scopekeeper.report.email_to)")
        return self

    @property
    def notify_recipients(self) -> list[str]:
        """Who gets the notification emails: notify.email_to, else the weekly report's addresses."""
        return self.notify.email_to or self.scopekeeper.report.email_to

    def signature(self, client: Client) -> str | None:
        """The name that signs this client's comments: the client's own choice, else the practice's."""
        return client.signature or self.scopekeeper.signature

    def client(self, name: str) -> Client:
        """The client with this name (case-insensitive); KeyError naming the known clients."""
        for client in self.clients:
            if client.name.casefold() == name.casefold():
                return client
        raise KeyError(f"no client named {name!r}; clients: " + ", ".join(repr(c.name) for c in self.clients))


def rules_for(client: Client) -> ClientRules:
    """The client's contract compiled for evaluation."""
    return ClientRules(client.contract, language=client.language, timezone=ZoneInfo(client.timezone),
                       templates=client.templates, client=client.name, address=client.address)


def capacity(config: AppConfig) -> tuple[float, float | None]:
    """Contracted hours per week across clients, and the VA's weekly capacity (None if unset)."""
    return sum(c.weekly_hours for c in config.clients), config.scopekeeper.weekly_capacity_hours


def file_stamp(path: Path) -> tuple[int, int] | None:
    """What tells that a configuration file changed: its modification time and size (None: unreadable)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def load_config(path: str | Path) -> AppConfig:
    """Read and validate a configuration file; every problem raises ConfigError naming file and key."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(path, [f"file not found; copy config.example.toml to {path} and edit it"]) from None
    except UnicodeDecodeError as err:
        raise ConfigError(path, [f"not UTF-8 text (byte {err.start})"]) from None
    except OSError as err:
        raise ConfigError(path, [f"cannot read: {err.strerror or err}"]) from None
    return parse_config(text, path)


def parse_config(text: str, path: str | Path = "<config>") -> AppConfig:
    """Validate configuration text; `path` names it in errors."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(path, [f"not valid TOML: {err}"]) from None
    try:
        return AppConfig.model_validate(data)
    except ValidationError as err:
        raise ConfigError(path, describe_errors(err, AppConfig, data)) from None
    except RecursionError:
        raise ConfigError(path, ["nested too deeply to be a ScopeKeeper configuration"]) from None


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _close_zones(value: str) -> str:
    import difflib

    return " or ".join(difflib.get_close_matches(value, sorted(_zones()), n=2, cutoff=0.75))

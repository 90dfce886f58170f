"""What the inbox shows: per client the comments waiting for the VA, the cards she must answer herself, and
problems with what to do about them (read from the store; the findings re-evaluated from the stored cards)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from rules.findings import Finding, ScanResult
from scheduler.config.models import AppConfig, Client
from scheduler.config.secrets import get_secret
from scheduler.logs import redact
from scheduler.store.outbox import Intent, Outbox
from scheduler.store.scans import client_statuses
from scheduler.store.schema import APPROVED, PENDING, PENDING_REVIEW, REJECTED, UNKNOWN, BoardRow, CardRow
from scheduler.web.context import WebContext, card_fingerprints
from scheduler.worker.review import editable_text

WORDS_SHOWN = 600           # characters of the client's own words on a queued card
REJECTED_SHOWN = 5          # latest rejections per client she can undo from the inbox
FLAG_WORDS = {"discount_request": "asks for a discount", "urgent_deadline": "urgent deadline",
              "after_hours": "sent after hours", "vague_request": "vague request", "rescheduled": "rescheduled often"}
VERDICT_WORDS = {"in_scope": "in the plan", "out_of_scope": "not in the plan", "needs_review": "you decide"}


@dataclass
class Queued:
    """A comment waiting for her decision, with why it was written."""

    intent: Intent
    body: str
    words: str
    finding: Finding | None

    @property
    def flags(self) -> list[str]:
        return [FLAG_WORDS.get(f, f) for f in self.finding.flags] if self.finding else []


@dataclass
class Problem:
    """Something that stops ScopeKeeper doing its job, in plain words, with what to do."""

    what: str
    todo: str
    client: str | None = None


@dataclass
class ClientInbox:
    client: Client
    queued: list[Queued] = field(default_factory=list)
    approved: list[Intent] = field(default_factory=list)
    rejected: list[Intent] = field(default_factory=list)
    yours: list[Finding] = field(default_factory=list)
    result: ScanResult | None = None

    @property
    def empty(self) -> bool:
        return not (self.queued or self.approved or self.rejected or self.yours)


@dataclass
class Inbox:
    clients: list[ClientInbox]
    problems: list[Problem]

    @property
    def waiting(self) -> int:
        return sum(len(c.queued) for c in self.clients)


def build_inbox(context: WebContext) -> Inbox:
    """Everything waiting for the VA, grouped by client in the configuration's order."""
    config = context.current()
    outbox = Outbox(context.store)
    intents = outbox.listed((PENDING_REVIEW, APPROVED, REJECTED))
    by_client: dict[str, list[Intent]] = {}
    for intent in intents:
        by_client.setdefault(intent.client, []).append(intent)
    fingerprints = card_fingerprints(context.store)
    inboxes = []
    for client in config.clients:
        inbox = ClientInbox(client)
        mine = by_client.get(client.name, [])
        cards, inbox.result = context.evaluation(client, fingerprints,
                                                 {(i.provider, i.card_id) for i in mine if i.status == PENDING_REVIEW})
        findings = {f.card_id: f for f in inbox.result.findings} if inbox.result else {}
        words = {card.id: card.description for card in cards}
        for intent in mine:
            if intent.status == PENDING_REVIEW:
                inbox.queued.append(Queued(intent, editable_text(intent).rstrip(),
                                           _shortened(words.get(intent.card_id, "")), findings.get(intent.card_id)))
            elif intent.status == APPROVED:
                inbox.approved.append(intent)
            else:
                inbox.rejected.append(intent)
        inbox.rejected = inbox.rejected[-REJECTED_SHOWN:][::-1]
        commented = {i.card_id for i in mine}
        if inbox.result:
            yours = [f for f in inbox.result.findings
                     if (f.verdict == "needs_review" or set(f.flags) - {"discount_request"})
                     and f.period.key == inbox.result.period.key and f.card_id not in commented]
            gone = _gone_cards(context, client.name, [f.card_id for f in yours])
            inbox.yours = [f for f in yours if f.card_id not in gone]
        inboxes.append(inbox)
    return Inbox(inboxes, problems(context, config))


def queued_one(context: WebContext, intent: Intent) -> Queued:
    """One comment waiting for review, with why it was written (after an undo or an edit)."""
    client = next((c for c in context.current().clients if c.name == intent.client), None)
    cards, result = context.evaluation(client, cards=[(intent.provider, intent.card_id)]) if client else ([], None)
    finding = next((f for f in result.findings if f.card_id == intent.card_id), None) if result else None
    words = next((card.description for card in cards if card.id == intent.card_id), "")
    return Queued(intent, editable_text(intent).rstrip(), _shortened(words), finding)


def problems(context: WebContext, config: AppConfig) -> list[Problem]:
    """Failing scans, missing or refused tokens, boards gone, comments whose outcome is unknown, a bad config."""
    found: list[Problem] = []
    if context.problem:
        found.append(Problem(f"The configuration file has a mistake, so ScopeKeeper keeps using the last good "
                             f"version: {redact(context.problem)}",
                             "Fix it on the Clients page or in the file; nothing is lost meanwhile."))
    used = {board.provider for client in config.clients for board in client.boards}
    names = {"trello": [config.connections.trello.api_key_env, config.connections.trello.token_env],
             "asana": [config.connections.asana.token_env]}
    for provider in sorted(used):
        if not all(get_secret(name, required=False) for name in names[provider]):
            found.append(Problem(f"{provider.title()} is not connected, so its boards cannot be read.",
                                 "Connect it on the Connect page."))
    statuses = client_statuses(context.store)
    for client in config.clients:
        row = statuses.get(client.name)
        if row and row.outcome in ("error", "partial") and row.detail:
            found.append(Problem(f"The last check of {client.name}'s boards had trouble: {redact(row.detail)}",
                                 what_to_do(row.detail), client.name))
    with context.store.reading() as session:
        for row in session.scalars(select(BoardRow).where(BoardRow.outcome == "not_found")):
            found.append(Problem(f"A board of {row.client} ({row.provider} {row.board_id}) no longer exists or is "
                                 "no longer shared with you.",
                                 "Ask the client to share it again, or remove it from the client on the Clients page.",
                                 row.client))
    for intent in Outbox(context.store).listed((UNKNOWN, PENDING)):
        found.append(Problem(f"Comment #{intent.id} on \u201c{intent.card_title}\u201d ({intent.client}) was sent "
                             "but the answer was lost.",
                             "Nothing to do: ScopeKeeper checks the card at the next scan and never posts it twice.",
                             intent.client))
    return found


def what_to_do(detail: str) -> str:
    """Plain advice for a scan's trouble."""
    text = detail.lower()
    if any(w in text for w in ("401", "invalid token", "unauthorized", "expired", "revoked", "not set", "token")):
        return "Reconnect the account on the Connect page."
    if "not found" in text or "404" in text or "no longer exists" in text:
        return "Ask the client to share the board again, or remove it from the client on the Clients page."
    if "429" in text or "rate limit" in text:
        return "Nothing to do: the service asked ScopeKeeper to slow down; it tries again at the next scan."
    return "ScopeKeeper tries again at the next scan. If this stays for a day, look at the Status page."


def _gone_cards(context: WebContext, client: str, card_ids: list[str]) -> set[str]:
    """Which of these cards of the client left their boards (only these: the client's gone cards grow with time)."""
    gone: set[str] = set()
    with context.store.reading() as session:
        for start in range(0, len(card_ids), 500):  # bounded IN lists
            gone.update(session.scalars(select(CardRow.card_id).where(
                CardRow.client == client, CardRow.card_id.in_(card_ids[start:start + 500]),
                CardRow.gone_at.is_not(None))))
    return gone


def _shortened(text: str) -> str:
    text = text.strip()
    return text if len(text) <= WORDS_SHOWN else text[:WORDS_SHOWN].rsplit(" ", 1)[0] + " …"

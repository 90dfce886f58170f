"""A scan's decisions as data, without side effects: card changes, ledger, findings history, comments."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from integrations.models import Card, Comment
from integrations.reference import make_reference, references_in, with_reference
from rules.findings import Finding, ScanResult
from rules.periods import ContractPeriod, kind_of, period_of_day, periods_of_keys
from scheduler.records.codec import card_to_json, digest
from scheduler.records.state import CardKey, ClientState, FindingUpdate, IntentKey, LedgerEntry, NewIntent
from scheduler.records.status import Mode, OutboxStatus
from scheduler.worker.observe import BoardRead


@dataclass
class CardChanges:
    """The client's cards after this scan's reads, and what changed in the store's copy."""

    cards: dict[CardKey, Card]      # every known card, gone ones included: all of them count in the ledger
    gone: set[CardKey]
    new: list[tuple[Card, str]] = field(default_factory=list)        # (card, digest)
    changed: list[tuple[Card, str]] = field(default_factory=list)
    newly_gone: list[CardKey] = field(default_factory=list)
    returned: list[CardKey] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.new or self.changed or self.newly_gone or self.returned)


def apply_reads(state: ClientState, reads: Iterable[BoardRead]) -> CardChanges:
    """Merge the boards just read into the stored cards.

    A card missing from a whole read of its board is gone (archived, deleted, moved away), unless another
    board of the client had it this scan; it keeps its last state and still counts in the ledger.
    """
    changes = CardChanges({key: known.card for key, known in state.cards.items()},
                          {key for key, known in state.cards.items() if known.gone})
    seen: set[CardKey] = set()
    whole_boards: set[tuple[str, str]] = set()
    for read in reads:
        if read.cards is None:
            continue
        if read.full:
            whole_boards.add((read.provider, read.board_id))
        for card in read.cards:
            key = (card.provider, card.id)
            seen.add(key)
            known = state.cards.get(key)
            if known is None:
                changes.new.append((card, digest(card_to_json(card))))
            elif card is not known.card:  # an incremental read gives back the very cards it did not change
                fingerprint = digest(card_to_json(card))
                if known.digest != fingerprint:
                    changes.changed.append((card, fingerprint))
            changes.cards[key] = card
            if key in changes.gone:
                changes.gone.discard(key)
                changes.returned.append(key)
    for key, known in state.cards.items():
        if key not in seen and key not in changes.gone and (known.card.provider, known.card.board_id) in whole_boards:
            changes.gone.add(key)
            changes.newly_gone.append(key)
    return changes


def planned_comments(result: ScanResult, live: Mapping[str, Card], signature: str | None = None) -> list[NewIntent]:
    """One comment per message of each finding on a live card, keyed (provider, card, kind, period).

    Cards gone from their board get none: their hours still count, but nobody would read a comment there.
    Nor do cards from before the previous contract period: connecting a board with a long history must
    not answer requests the client made months ago.
    """
    planned = []
    oldest = previous_period_start(result.period)
    for finding in result.findings:
        card = live.get(finding.card_id)
        if card is None or finding.period.start < oldest:
            continue
        for kind, text in finding.messages:
            reference = make_reference(card.provider, card.id, kind, finding.period.key)
            planned.append(NewIntent(card.provider, card.board_id, card.id, kind, finding.period.key,
                                     reference, with_reference(text, reference, signature), card.title, card.url))
    return planned


def previous_period_start(current: ContractPeriod) -> date:
    """The first day of the contract period before `current` (a week or a month, as its key says)."""
    kind = "week" if "-W" in current.key else "month"
    return period_of_day(current.start - timedelta(days=1), kind).start


def new_and_reworded(planned: Iterable[NewIntent], state: ClientState) -> tuple[list[NewIntent], list[tuple[int, str]]]:
    """Comments not recorded yet; and queued ones (not edited by the VA) whose wording the findings changed."""
    new, reworded = [], []
    for intent in planned:
        entry = state.intents.get(intent_key(intent))
        if entry is None:
            new.append(intent)
        elif entry.status == OutboxStatus.PENDING_REVIEW and not entry.edited and not entry.reads(intent.text):
            reworded.append((entry.id, intent.text))
    return new, reworded


def posted_before(intents: Iterable[NewIntent], comments: Mapping[CardKey, Sequence[Comment]]
                  ) -> tuple[list[NewIntent], list[tuple[NewIntent, str]]]:
    """The comments still to record, and those whose reference a comment on their card already carries (posted
    before the state store was lost, emptied or restored from a backup) with that comment's id."""
    still, found = [], []
    for intent in intents:
        on_card = next((c.id for c in comments.get((intent.provider, intent.card_id), ())
                        if intent.reference in references_in(c.text)), None)
        if on_card is None:
            still.append(intent)
        else:
            found.append((intent, on_card))
    return still, found


def intent_key(intent: NewIntent) -> IntentKey:
    return intent.provider, intent.card_id, intent.kind, intent.period_key


def finding_updates(result: ScanResult, cards: Mapping[str, Card],
                    known: Mapping[str, str | None]) -> list[FindingUpdate]:
    """Findings that differ from the card's previous one (`known`: card id -> its finding digest)."""
    updates = []
    for f in result.findings:
        fingerprint = finding_digest(f)
        if known.get(f.card_id) != fingerprint:
            updates.append(FindingUpdate(cards[f.card_id].provider, fingerprint, f))
    return updates


def finding_digest(f: Finding) -> str:
    return digest([f.period.key, f.verdict, f.service, f.category, f.response, list(f.flags), str(f.hours),
                   str(f.extra_hours), str(f.extra_amount), [list(message) for message in f.messages]])


def ledger(result: ScanResult, whole_from: date | None = None, known: Iterable[str] = ()) -> list[LedgerEntry]:
    """Hours per contract period of every card evaluated, and the current period even when it has none; of the
    periods from `whole_from` on, when only those were evaluated whole, where the periods of the ledger's `known`
    keys that no card has hours in any more have none."""
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    periods = {result.period.key: result.period}
    if whole_from is not None:
        periods.update((p.key, p) for p in periods_of_keys(known, kind_of(result.period))
                       if whole_from <= p.start <= result.period.start)
    for f in result.findings:
        periods[f.period.key] = f.period
        for part in f.periods:  # in-scope hours, by the period they were worked in
            periods[part.period.key] = part.period
            row = totals[part.period.key]
            row[0] += part.hours
            row[1] += part.extra_hours
            row[2] += part.extra_amount
    hours = result.hours
    entries = []
    for key, period in sorted(periods.items()):
        if whole_from is not None and period.start < whole_from:
            continue
        done, extra_hours, extra_amount = totals[key]
        entries.append(LedgerEntry(key, period.start, period.end, hours.contracted, done, extra_hours, extra_amount,
                                   hours.currency))
    return entries


def plan_text(client: str, new: list[NewIntent], mode: Mode, waiting: int, budget: int) -> str:
    """What a dry run prints for one client."""
    if not new and not waiting:
        return f"{client}: nothing new to comment on."
    action = "post" if mode is Mode.AUTO else "queue for review"
    lines = [f"{client}: {len(new)} new comment(s) this scan would {action}:"] if new else [f"{client}:"]
    for intent in new:
        lines += ["", f"  {intent.card_title}  ({intent.kind}, {intent.period_key})  {intent.card_url}",
                  *(f"    {line}" if line else "" for line in intent.text.splitlines())]
    if waiting:
        lines += ["", f"  {waiting} approved comment(s) are waiting to be posted."]
    queued = (len(new) if mode is Mode.AUTO else 0) + waiting
    if queued > budget:
        lines += [f"  At most {budget} would be posted this scan (scopekeeper.max_comments_per_run); "
                  "the rest at the next scans."]
    return "\n".join(lines)

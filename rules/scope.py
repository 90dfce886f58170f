"""Scope decision of one card: label first, then out-of-scope keywords, then service keywords."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import NamedTuple

from .clauses import FieldText
from .contract import Contract, OutOfScope, Service
from .findings import Verdict
from .matching import Hit
from .text import fold, locate

Target = Service | OutOfScope


class Scope(NamedTuple):
    """The verdict, the service or category that decided it, and why (a named tuple: a board's varied evidence
    makes thousands, and a tuple is built in one call where a frozen dataclass sets its fields one at a time)."""

    verdict: Verdict
    service: Service | None
    category: OutOfScope | None
    evidence: tuple[str, ...]


class Field(NamedTuple):
    """A piece of card text with its tokens and phrase hits, named for evidence ('title', 'description')
    (a named tuple: two are built per card read, and a tuple is quicker to build than a frozen dataclass)."""

    name: str
    text: str
    words: list[str]                  # as written (rules.text.words)
    hits: Sequence[Hit[int]]          # service and category keywords (target: index)
    flag_hits: Sequence[Hit[str]]     # discount and urgency words (target: kind)

    def written(self, hit: Hit[Hashable]) -> str:
        """The words of a hit as the client wrote them."""
        if hit.last == hit.first + 1:
            return self.words[hit.first]
        where = locate(self.text, self.words[:hit.last])  # on demand: only quoted phrases need positions
        return self.text[where[hit.first][0]:where[hit.last - 1][1]]


class ScopeMatcher:
    """A contract's services and categories; `entries` are its keywords for the client's phrase matcher."""

    def __init__(self, contract: Contract) -> None:
        targets: list[Target] = [*contract.out_of_scope, *contract.services]
        self.entries: list[tuple[int, str]] = [(i, k) for i, target in enumerate(targets) for k in target.keywords]
        self._targets = targets
        self._is_category = [isinstance(target, OutOfScope) for target in targets]
        # Cards decided by the same target for the same reasons share one (frozen) Scope: a board has few.
        self._scopes: dict[tuple[int, tuple[str, ...]], Scope] = {}
        self._labels: dict[str, int] = {}
        self._worded: dict[tuple[int, str, str, str, bool], str] = {}
        # Out-of-scope categories come first, so they win a label both name.
        for i, target in enumerate(targets):
            for label in (*target.labels, target.name):
                self._labels.setdefault(fold(label.strip()), i)

    def unasked(self, field: Field, text: FieldText | None,
                billing: Callable[[str], bool] | None) -> tuple[Field, list[str]]:
        """The field without category keywords that ask for nothing: negated in their clause ("no
        strategy work needed", when `text` holds the field's negations), or, on a card that asks for a
        lower price, the VA's own bill ("$100 off the invoice"; `billing` tells such a word)."""
        kept: list[Hit[int]] = []
        notes: list[str] = []
        for hit in field.hits:
            if self._is_category[hit.target]:
                negation = text.negation_of(hit.first, _NEGATION_REACH) if text else None
                if negation or (billing and billing(field.words[hit.first])):
                    why = f"negated ('{field.words[negation.first]}')" if negation else "your bill, in a discount request"
                    notes.append(f"{_keyword_evidence(hit, field)} not counted: {why}")
                    continue
            kept.append(hit)
        return (field._replace(hits=kept), notes) if notes else (field, notes)

    def decide(self, labels: Sequence[str], fields: Sequence[Field], notes: Sequence[str] = ()) -> Scope:
        """Label naming a service or category decides; else out-of-scope beats service; else review."""
        if labels:
            labelled = sorted({(self._labels[fold(name.strip())], name) for name in labels
                               if fold(name.strip()) in self._labels})
            if labelled:
                index, label = labelled[0]
                return self._scope(index, (f"label '{label}'",))
        found: list[tuple[Hit[int], Field]] = [(h, f) for f in fields for h in f.hits]
        if not found:
            return _NOTHING_MATCHED._replace(evidence=_NOTHING_MATCHED.evidence + tuple(notes)) if notes else _NOTHING_MATCHED
        is_category = self._is_category
        categories = [(h, f) for h, f in found if is_category[h.target]]
        hit, field = (categories or found)[0]
        evidence = [self._said(hit, field)]
        if categories:
            evidence += [self._said(h, f, also=True) for h, f in found[:3] if not is_category[h.target]]
        return self._scope(hit.target, (*evidence, *notes))

    def _said(self, hit: Hit[int], field: Field, also: bool = False) -> str:
        """Why a keyword counts, or (`also`) why its service lost to a category; worded once per keyword, word as
        written and field: a board's cards repeat a few keywords."""
        key = (hit.target, hit.keyword, field.written(hit), field.name, also)
        said = self._worded.get(key)
        if said is None:
            if len(self._worded) >= _SCOPES_MEMO:
                self._worded.clear()
            said = _keyword_evidence(hit, field)
            if also:
                said = f"also matched service '{self._targets[hit.target].name}' by {said}; out of scope takes precedence"
            self._worded[key] = said
        return said

    def _scope(self, index: int, evidence: tuple[str, ...]) -> Scope:
        key = (index, evidence)
        scope = self._scopes.get(key)
        if scope is None:
            target = self._targets[index]
            if isinstance(target, OutOfScope):
                scope = Scope("out_of_scope", None, target, evidence)
            else:
                scope = Scope("in_scope", target, None, evidence)
            if len(self._scopes) >= _SCOPES_MEMO:
                self._scopes.clear()
            self._scopes[key] = scope
        return scope


# A negation reaches a category keyword across this many words at most ("no logo changes", "pas
# besoin de stratégie"); further away it more likely negates something else.
_NEGATION_REACH = 3
_SCOPES_MEMO = 10_000
_NOTHING_MATCHED = Scope("needs_review", None, None, ("no service, category or label matched",))


def _keyword_evidence(hit: Hit[int], field: Field) -> str:
    text = field.written(hit)
    if text == hit.keyword or fold(text) == fold(hit.keyword):
        return f"keyword '{hit.keyword}' in {field.name}"
    return f"keyword '{hit.keyword}' matched '{text}' in {field.name}"

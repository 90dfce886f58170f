"""The clients' read-only pages in the store: issue a token (replacing the client's last one), revoke, find."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime

from sqlalchemy import delete, select

from scheduler.store.schema import ClientPageRow
from scheduler.store.store import Store

TOKEN_BYTES = 32                     # 256 bits from `secrets`
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32): 43 characters


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ClientPages:
    """Only each token's SHA-256 is stored: a copy of the database opens no client's page."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def issue(self, client: str) -> str:
        """A new token for the client's page; the client's previous link stops working."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self.store.session() as session:
            session.execute(delete(ClientPageRow).where(ClientPageRow.client == client))
            session.add(ClientPageRow(client=client, token_hash=token_digest(token), created_at=datetime.now(UTC)))
        return token

    def revoke(self, client: str) -> bool:
        """Turn the client's page off; False when it had none."""
        with self.store.session() as session:
            gone = session.scalars(delete(ClientPageRow).where(ClientPageRow.client == client)
                                   .returning(ClientPageRow.client))
            return bool(list(gone))

    def issued(self) -> dict[str, datetime]:
        """When each client's current link was made (clients without a page are absent)."""
        with self.store.reading() as session:
            return dict(session.execute(select(ClientPageRow.client, ClientPageRow.created_at)).all())

    def client_of(self, token: str) -> str | None:
        """The client whose page this token opens, or None (unknown, revoked or malformed: no difference)."""
        if not TOKEN_SHAPE.fullmatch(token):
            return None
        digest = token_digest(token)
        with self.store.reading() as session:
            rows = session.execute(select(ClientPageRow.client, ClientPageRow.token_hash)).all()
        found = None
        for client, stored in rows:  # every row compared in constant time: no early exit, no timing oracle
            if hmac.compare_digest(stored.encode(), digest.encode()):
                found = client
        return found

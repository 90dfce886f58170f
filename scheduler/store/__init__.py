"""The worker's durable state: card snapshots, hours ledger, findings history, outbox, report claims."""
from .engine import StoreError
from .store import Store, open_store

__all__ = ["Store", "StoreError", "open_store"]

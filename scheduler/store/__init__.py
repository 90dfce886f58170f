"""The worker's durable state: card snapshots, hours ledger, findings history, outbox, report claims."""
from scheduler.store.engine import StoreError
from scheduler.store.store import Store, open_store

__all__ = ["Store", "StoreError", "open_store"]

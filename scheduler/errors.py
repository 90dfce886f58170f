"""The product's error base, for the scheduler's own errors (the adapters' errors share it)."""
from integrations.errors import ScopeKeeperError

__all__ = ["ScopeKeeperError"]

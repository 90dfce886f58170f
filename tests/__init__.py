"""ScopeKeeper's tests, one package per area (rules, trello, asana, worker with its store, reports)."""

"""The worker side of ScopeKeeper: configuration, CLI, jobs and side effects."""

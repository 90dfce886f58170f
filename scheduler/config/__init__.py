"""The configuration: models with DESIGN.md's names, loading, errors, editing, secrets, durations."""

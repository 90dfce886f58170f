"""Plain records shared by the worker's planner and the state store (no I/O)."""

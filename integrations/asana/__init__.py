"""Asana: the official SDK's adapter, transport and task JSON mapping."""

"""Adapters that read board services and normalise them to provider-neutral cards."""

"""Stub."""
routes = []

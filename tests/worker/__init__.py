"""Tests of the worker and its state store: real `scopekeeper run` processes on both sandboxes, SQLite and PostgreSQL."""

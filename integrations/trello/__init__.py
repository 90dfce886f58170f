"""Trello: py-trello adapter, HTTP budgets and failures, board JSON mapping."""

"""Tests of the Trello adapter against the sandbox behind `responses`."""

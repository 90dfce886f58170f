"""Tests of the Asana adapter against the sandbox served on loopback."""

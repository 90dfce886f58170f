"""Tests of the reports: a four-client practice in four languages (support.py)."""

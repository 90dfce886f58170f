"""Tests of the rules: pure decisions on cards built in a few lines (support.py)."""

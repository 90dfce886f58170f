"""Telling the VA: problems once until resolved, budget thresholds once per period, by email and apprise URLs."""

"""The worker: read boards, plan actions, carry them out, on a schedule."""

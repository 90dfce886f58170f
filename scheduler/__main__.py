"""`python -m scheduler ...` is `scopekeeper ...` (what the service files run: no PATH needed)."""
from scheduler.cli.main import main

main()

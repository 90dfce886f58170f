"""Lemma tables: the first lemma in each language (its table loaded or built), CPU seconds and peak memory.

Run: .venv/bin/python benchmarks/lemma_load.py [--cold] [LANGUAGE ...]
--cold builds every table in a new empty cache folder (a machine's very first run); without it the
tables come from $SCOPEKEEPER_CACHE_DIR (default ~/.cache/scopekeeper), as on every later run.
"""
from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="Build the tables in an empty cache folder.")
    parser.add_argument("languages", nargs="*", default=["en", "fr", "es", "pl"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as empty:
        if args.cold:
            os.environ["SCOPEKEEPER_CACHE_DIR"] = empty
        from rules.lemmas import lemmatize

        for language in args.languages:
            started = time.process_time()
            lemmatize("domami", language)
            spent = time.process_time() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{language}: first lemma {spent:.3f} s CPU; process peak so far {peak:.0f} MB")


if __name__ == "__main__":
    main()

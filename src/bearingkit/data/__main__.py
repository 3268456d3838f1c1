"""Command line of the data layer.

``python -m bearingkit.data fetch [--dataset cwru]``
    fetch and verify every pinned file (cache, mirror or download); unpinned files are listed as skipped.
``python -m bearingkit.data verify [--dataset cwru]``
    check every pinned file already in the cache or the mirror, without downloading.

Both exit with status 1 when any file fails (and ``verify`` also when a pinned file is missing).
"""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from bearingkit.data.fetching import fetch, locate, verify
from bearingkit.data.registry import entries, list_datasets
from bearingkit.errors import DataError


def _fetch_all(dataset: str | None) -> int:
    pinned, unpinned = entries(dataset, pinned=True), entries(dataset, pinned=False)
    failures = []
    for item in tqdm(pinned, desc="fetch + verify", unit="file"):
        try:
            fetch(item.key)
        except DataError as exc:
            failures.append(f"FAILED {item.key}: {exc}")
    for item in unpinned:
        print(f"skipped {item.key} (sha256 not pinned; BEARINGKIT_ALLOW_UNPINNED=1 and fetch() to get it)")
    for line in failures:
        print(line, file=sys.stderr)
    print(f"{len(pinned) - len(failures)} of {len(pinned)} pinned files verified, "
          f"{len(unpinned)} unpinned skipped")
    return 1 if failures else 0


def _verify_all(dataset: str | None) -> int:
    pinned = entries(dataset, pinned=True)
    bad = 0
    for item in tqdm(pinned, desc="verify", unit="file"):
        path = locate(item.key)
        if path is None:
            bad += 1
            print(f"MISSING {item.key} (neither in the cache nor in the mirror)", file=sys.stderr)
            continue
        try:
            verify(item, path)
        except DataError as exc:
            bad += 1
            print(f"BAD {exc}", file=sys.stderr)
    print(f"{len(pinned) - bad} of {len(pinned)} pinned files present and verified")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bearingkit.data", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("fetch", "verify"))
    parser.add_argument("--dataset", choices=list_datasets(), help="only this data set (default: all)")
    args = parser.parse_args(argv)
    return (_fetch_all if args.command == "fetch" else _verify_all)(args.dataset)


if __name__ == "__main__":
    raise SystemExit(main())

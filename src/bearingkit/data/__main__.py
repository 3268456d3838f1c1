"""Command line of the data layer.

``python -m bearingkit.data fetch [--dataset cwru] [FILE_ID ...]``
    fetch and verify the pinned files (all, one data set's, or the file ids given) from the cache, the mirror
    or their URLs; the total size is printed first (every pinned file together is about 20 GB, mostly the
    Paderborn and MAFAULDA archives); unpinned files are listed as skipped.
``python -m bearingkit.data verify [--dataset cwru]``
    check every pinned file already in the cache or the mirror, without downloading; files on neither are
    counted, not fetched.

Both exit with status 1 when any file fails: it cannot be had (``fetch``) or is not the registered file.
"""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from bearingkit.data.fetching import fetch, locate, verify
from bearingkit.data.registry import Entry, entries, entry, list_datasets
from bearingkit.errors import DataError, UnknownNameError

__all__ = ["main"]


def _selected(dataset: str | None, keys: list[str], *, pinned: bool) -> list[Entry]:
    """Registry rows of ``keys`` (file ids) if any are given, else of ``dataset`` (all data sets if None)."""
    if keys:
        return [item for item in map(entry, keys) if item.pinned == pinned]
    return entries(dataset, pinned=pinned)


def _fetch_all(dataset: str | None, keys: list[str]) -> int:
    pinned, unpinned = _selected(dataset, keys, pinned=True), _selected(dataset, keys, pinned=False)
    total_mb = sum(item.size for item in pinned) / 1e6
    print(f"{len(pinned)} pinned files, {total_mb:,.0f} MB in all (files already in the cache or the mirror "
          f"are only verified)")
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


def _verify_all(dataset: str | None, keys: list[str]) -> int:
    pinned = _selected(dataset, keys, pinned=True)
    present = [(item, path) for item in pinned if (path := locate(item.key)) is not None]
    bad = 0
    for item, path in tqdm(present, desc="verify", unit="file"):
        try:
            verify(item, path)
        except DataError as exc:
            bad += 1
            print(f"BAD {exc}", file=sys.stderr)
    print(f"{len(present) - bad} of {len(present)} pinned files present verified; "
          f"{len(pinned) - len(present)} more are registered but on neither the cache nor the mirror")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bearingkit.data", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("fetch", "verify"))
    parser.add_argument("keys", nargs="*", metavar="FILE_ID", help="file ids (cwru/98.mat); default: all")
    parser.add_argument("--dataset", choices=list_datasets(), help="only this data set (default: all)")
    args = parser.parse_args(argv)
    try:
        return (_fetch_all if args.command == "fetch" else _verify_all)(args.dataset, args.keys)
    except UnknownNameError as exc:
        parser.error(str(exc))


if __name__ == "__main__":
    raise SystemExit(main())

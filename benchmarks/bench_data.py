"""Data layer: hashing the mirror and loading CWRU (each case runs in a fresh process: hashes are cold)."""

from __future__ import annotations

import os
from pathlib import Path

from harness import case

from bearingkit.data import cwru_files, entries, load_cwru
from bearingkit.data.fetching import locate, verify

MIRROR = Path(__file__).resolve().parents[2] / "shared" / "data"


def _use_mirror() -> None:
    if not os.environ.get("BEARINGKIT_DATA_MIRROR") and MIRROR.is_dir():
        os.environ["BEARINGKIT_DATA_MIRROR"] = str(MIRROR)


@case("verify sha256 of all 55 mirrored files (~133 MB)", target_s=1.0, target_mib=300)
def verify_mirror():
    _use_mirror()
    present = [(item, path) for item in entries(pinned=True) if (path := locate(item.key)) is not None]
    assert len(present) == 55, f"expected the 55 mirrored files, found {len(present)}"

    def work():
        for item, path in present:
            verify(item, path)

    return work


@case("load all 37 mirrored CWRU files, DE channel (verified)", target_s=2.0, target_mib=600)
def load_all_cwru():
    _use_mirror()
    numbers = [n for n in cwru_files("12k_DE") + cwru_files("normal") if locate(f"cwru/{n}.mat") is not None]
    assert len(numbers) == 37, f"expected the 37 mirrored CWRU files, found {len(numbers)}"
    return lambda: [load_cwru(n) for n in numbers]

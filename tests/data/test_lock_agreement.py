"""The registry against an independent public catalogue: the lock files of ``bearing-datasets`` 0.3.0.

The package is a test-only dependency; its ``datasets/<name>/files.lock.json`` and ``datasets/cwru/files.csv``
are read as data from the installed distribution, never imported.
"""

from __future__ import annotations

import csv
import importlib.metadata
import json
from pathlib import Path

import pytest

from bearingkit.data import cwru_catalogue, entries
from bearingkit.data.registry import entry

DATASETS = ("cwru", "paderborn", "mfpt", "mafaulda")
#: bearing-datasets' fault element -> our catalogue's location code.
LOCATION_OF_ELEMENT = {"": "normal", "inner_race": "IR", "rolling_element": "B", "outer_race": "OR"}


def _package_file(relative: str) -> Path:
    try:
        distribution = importlib.metadata.distribution("bearing-datasets")
    except importlib.metadata.PackageNotFoundError:
        pytest.fail("bearing-datasets==0.3.0 is a test dependency: pip install -e '.[dev]'")
    assert distribution.version == "0.3.0", f"the registry pins come from 0.3.0, found {distribution.version}"
    return Path(distribution.locate_file(f"bearing_datasets/datasets/{relative}"))


def _lock(dataset: str) -> dict[str, dict]:
    rows = json.loads(_package_file(f"{dataset}/files.lock.json").read_text(encoding="utf-8"))
    return {row["name"]: row for row in rows}


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_file_the_lock_hashes_is_registered_with_its_hash_and_size(dataset):
    lock = _lock(dataset)
    registered = {name: (entry(f"{dataset}/{name}").sha256, entry(f"{dataset}/{name}").size) for name in lock}
    assert registered == {name: (row["sha256"], row["size"]) for name, row in lock.items()}


def test_lock_sizes_are_what_the_issue_counts():
    assert [len(_lock(d)) for d in DATASETS] == [161, 32, 1, 6]


def test_only_files_no_public_source_hashes_stay_unpinned():
    assert [e.key for e in entries(pinned=False)] == ["mafaulda/full.zip"]


def test_registered_files_outside_the_lock_are_the_mirrored_ones():
    locked = {f"{d}/{name}" for d in DATASETS for name in _lock(d)}
    outside = {e.key for e in entries(pinned=True)} - locked
    assert outside == {f"paderborn/KATData{i}.mat" for i in range(4)} | {
        f"mfpt/{kind}RaceFault_vload_{i}.mat" for kind in ("Inner", "Outer") for i in range(1, 8)}


def _their_cwru_rows() -> dict[int, dict[str, str]]:
    with _package_file("cwru/files.csv").open(encoding="utf-8") as fh:
        return {int(row["file"].removesuffix(".mat")): row for row in csv.DictReader(fh)}


def test_cwru_catalogue_numbers_are_theirs():
    assert sorted(_their_cwru_rows()) == sorted(cwru_catalogue()["number"])
    assert {f"{n}.mat" for n in _their_cwru_rows()} == set(_lock("cwru"))


def test_cwru_metadata_equal_theirs_wherever_they_carry_it():
    ours = cwru_catalogue()
    differences = []
    for number, theirs in _their_cwru_rows().items():
        row = ours.loc[number]
        pairs = {
            "fs": (int(row["fs"]), int(theirs["fs"])),
            "load_hp": (int(row["load_hp"]), int(theirs["load_hp"])),
            "rpm": (int(row["rpm_nominal"]), int(theirs["rpm"])),
            "fault_end": (row["fault_end"], theirs["fault_end"]),
            "location": (row["location"], LOCATION_OF_ELEMENT[theirs["sub_element"]]),
        }
        if theirs["fault_size_in"]:
            pairs["fault_size_in"] = (float(row["fault_size_in"]), float(theirs["fault_size_in"]))
        if theirs["or_position"]:
            pairs["or_position"] = (int(row["or_position"]), int(theirs["or_position"].split(":")[0]))
        differences += [(number, name, a, b) for name, (a, b) in pairs.items() if a != b]
    assert differences == []

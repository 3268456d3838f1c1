"""The registry against the mirror's MANIFESTs, and the CWRU catalogue against the data center's tables."""

from __future__ import annotations

import csv

import pytest

from bearingkit.data import cwru_catalogue, cwru_files, dataset_info, entries, list_datasets
from bearingkit.data.registry import entry
from bearingkit.errors import ParameterError, UnknownNameError

SUPERGRAPH = "https://raw.githubusercontent.com/ChaoyingYang/SuperGraph/044518ffc8197e654971f47329adb3cf506d3067"


def _manifest_rows(mirror):
    for manifest in sorted(mirror.glob("*/MANIFEST.tsv")):
        with manifest.open() as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                yield manifest.parent.name, row


def test_registry_pins_every_mirrored_file_with_its_manifest_hash_and_size(mirror):
    rows = list(_manifest_rows(mirror))
    assert len(rows) == 37 + 4 + 14
    for dataset, row in rows:
        item = entry(f"{dataset}/{row['file']}")
        assert item.pinned
        assert item.sha256 == row["sha256"]
        assert item.size == int(row["bytes"])


def test_every_pin_names_its_source(mirror):
    mirrored = {f"{dataset}/{row['file']}" for dataset, row in _manifest_rows(mirror)}
    for item in entries(pinned=True):
        from_lock = "bearing-datasets 0.3.0 (MIT) datasets/" in item.note
        assert from_lock != (item.key in mirrored), item.key


def test_urls_follow_the_sources():
    for item in entries("cwru"):
        assert item.url == f"https://engineering.case.edu/sites/default/files/{item.file}"
    for i in range(4):
        assert entry(f"paderborn/KATData{i}.mat").url == f"{SUPERGRAPH}/data/KAT/KATData{i}.mat"
    assert entry("mfpt/InnerRaceFault_vload_6.mat").url == (
        "https://raw.githubusercontent.com/mathworks/RollingElementBearingFaultDiagnosis-Data/"
        "d3efefb6ce84fa1ee6c0311f80f7c89cf903ad1d/test_data/InnerRaceFault_vload_6.mat")


@pytest.mark.parametrize("number", [98, 99, 100])
def test_normal_baselines_at_1_to_3_hp_are_pinned_and_keep_their_git_blob_id(number):
    item = entry(f"cwru/{number}.mat")
    assert item.pinned
    assert item.size > 7_000_000
    assert len(item.git_sha1) == 40


def test_normal_baselines_at_1_to_3_hp_say_their_rate_is_assumed():
    for number in (98, 99, 100):
        assert "48000 assumed" in cwru_catalogue().loc[number, "note"]
        assert "not verified" in cwru_catalogue().loc[number, "note"]


def test_original_archives_are_pinned_except_mafaulda_full():
    originals = {e.file for e in entries("paderborn") if e.file.endswith(".rar")}
    assert originals >= {"K001.rar", "KA01.rar", "KI21.rar", "KB27.rar"}
    assert len(originals) == 32
    assert all(entry(f"paderborn/{name}").pinned for name in originals)
    assert [e.file for e in entries("mafaulda", pinned=False)] == ["full.zip"]
    assert entry("mfpt/MFPT-Fault-Data-Sets-20200227T131140Z-001.zip").url.startswith("https://web.archive.org/")


def test_cwru_registry_and_catalogue_list_the_same_numbers():
    assert {e.file for e in entries("cwru")} == {f"{n}.mat" for n in cwru_catalogue()["number"]}


def test_unknown_dataset_and_file_name_the_valid_ones():
    with pytest.raises(UnknownNameError, match="valid data sets: cwru, mafaulda, mfpt, paderborn"):
        entry("nasa/1.mat")
    with pytest.raises(UnknownNameError, match=r"unknown file '999.mat'.*105\.mat"):
        entry("cwru/999.mat")
    with pytest.raises(KeyError, match="valid data sets"):
        dataset_info("ims")


def test_dataset_info_has_licence_citation_and_url():
    assert list_datasets() == ("cwru", "mafaulda", "mfpt", "paderborn")
    for key in list_datasets():
        info = dataset_info(key)
        assert info.licence and info.citation and info.url.startswith("http")
    assert "CC BY-NC-SA 4.0" in dataset_info("mfpt").licence


def test_catalogue_series_sizes_match_the_data_center_tables():
    counts = cwru_catalogue()["series"].value_counts().to_dict()
    assert counts == {"12k_DE": 60, "48k_DE": 52, "12k_FE": 45, "normal": 4}
    assert cwru_catalogue()["number"].is_unique


@pytest.mark.parametrize(("number", "expected"), [
    (97, ("normal", "normal", 0.0, 0, 48000)),
    (130, ("12k_DE", "OR", 0.007, 0, 12000)),
    (146, ("12k_DE", "OR", 0.007, 2, 12000)),
    (158, ("12k_DE", "OR", 0.007, 1, 12000)),
    (217, ("48k_DE", "IR", 0.021, 3, 48000)),
    (309, ("12k_FE", "OR", 0.014, 1, 12000)),
    (313, ("12k_FE", "OR", 0.014, 0, 12000)),
    (3005, ("12k_DE", "B", 0.028, 0, 12000)),
])
def test_catalogue_rows(number, expected):
    row = cwru_catalogue().loc[number]
    assert (row["series"], row["location"], row["fault_size_in"], row["load_hp"], row["fs"]) == expected


def test_cwru_files_queries():
    assert cwru_files("12k_DE", location="OR", size=0.007, or_position=6) == [130, 131, 132, 133]
    assert cwru_files("12k_DE", location="OR", size=0.007, or_position=12) == [156, 158, 159, 160]
    assert cwru_files("normal") == [97, 98, 99, 100]
    assert cwru_files("12k_DE", location=["IR", "B"], size=0.021, load=1) == [210, 223]
    assert cwru_files("12k_FE", location="OR", size=0.021) == [315, 316, 317, 318]
    assert len(cwru_files("12k_DE", size=(0.007, 0.014, 0.021))) == 52
    with pytest.raises(ParameterError, match="valid"):
        cwru_files("24k_DE")
    with pytest.raises(ParameterError, match="unknown location"):
        cwru_files(location="inner")

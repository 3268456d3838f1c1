"""CWRU loader on every mirrored file and its errors."""

from __future__ import annotations

import csv
import re

import numpy as np
import pytest
import scipy.io

from bearingkit.data import cwru_files, load_cwru
from bearingkit.data.cwru import read_cwru_mat
from bearingkit.errors import DataError, UnknownNameError

# The mirror's MANIFEST notes, written from the source repositories' file names and the files' contents:
# an independent check of the catalogue (which comes from the data center's numbering).
NOTE = re.compile(r"^(?P<what>normal baseline|inner race fault|ball fault|outer race fault centred @6:00)"
                  r"(?: (?P<size>[\d.]+) in)?; load (?P<load>\d) HP; RPM variable=(?P<rpm>\d+); "
                  r"vars: X\d+_DE_time\[(?P<n>\d+)x1\]")
LABEL = {"normal baseline": "normal", "inner race fault": "inner", "ball fault": "ball",
         "outer race fault centred @6:00": "outer"}


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BEARINGKIT_CACHE", str(tmp_path / "cache"))


def _manifest(mirror):
    with (mirror / "cwru" / "MANIFEST.tsv").open() as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_every_mirrored_file_loads_with_catalogue_metadata_and_file_rpm(mirror):
    rows = _manifest(mirror)
    assert len(rows) == 37
    for row in rows:
        facts = NOTE.match(row["notes"]).groupdict()
        number = int(row["file"].removesuffix(".mat"))
        rec = load_cwru(number)
        assert rec.source == f"cwru/{number}.mat"
        assert rec.label == LABEL[facts["what"]]
        assert rec.fault_size == (float(facts["size"]) if facts["size"] else 0.0)
        assert rec.load == float(facts["load"])
        assert rec.rpm == float(facts["rpm"])
        assert rec.extra["rpm_source"] == f"X{number:03d}RPM"
        assert rec.n_samples == int(facts["n"])
        assert rec.sensor == ("DE",)
        assert rec.fs == (48_000.0 if number == 97 else 12_000.0)
        assert rec.extra["or_position"] == (6 if rec.label == "outer" else None)


def test_other_channels():
    fe = load_cwru(105, channel="FE")
    ba = load_cwru(105, channel="BA")
    assert fe.sensor == ("FE",) and ba.sensor == ("BA",)
    assert fe.n_samples == ba.n_samples == 121265
    assert not np.allclose(fe.signal, ba.signal)


def test_missing_variable_names_the_file_and_the_variable():
    with pytest.raises(DataError, match=r"97\.mat: expected variable 'X097_BA_time'.*X097_DE_time"):
        load_cwru(97, channel="BA")


def test_malformed_mat_file_names_the_file_and_the_variable(tmp_path):
    path = tmp_path / "105.mat"
    path.write_bytes(b"this is not a MATLAB file" * 10)
    with pytest.raises(DataError, match=r"105\.mat: not a readable MATLAB v5 file.*'X105_DE_time'"):
        read_cwru_mat(path, number=105)


def test_file_holding_another_numbers_variables_is_refused_unless_asked(tmp_path):
    path = tmp_path / "99.mat"
    scipy.io.savemat(path, {"X098_DE_time": np.ones((100, 1)), "ans": np.zeros(1)})
    with pytest.raises(DataError, match="expected variable 'X099_DE_time'.*'X098_DE_time'"):
        read_cwru_mat(path, number=99)
    rec = read_cwru_mat(path, number=99, variable="X098_DE_time")
    assert rec.extra["variable"] == "X098_DE_time"
    assert rec.rpm == 1750.0 and rec.extra["rpm_source"] == "catalogue (nominal)"


@pytest.mark.parametrize("kept", [60, 1000, 1_455_384, 2_910_758])
def test_truncated_mat_file_is_a_data_error_naming_the_file(mirror, tmp_path, kept):
    """scipy raises IndexError or OSError ("could not read bytes") on a cut file: both become a DataError."""
    path = tmp_path / "105.mat"
    path.write_bytes((mirror / "cwru" / "105.mat").read_bytes()[:kept])
    with pytest.raises(DataError, match=r"105\.mat: not a readable MATLAB v5 file, truncated") as err:
        read_cwru_mat(path, number=105)
    assert str(path) in str(err.value)
    assert isinstance(err.value.__cause__, IndexError | OSError)


def test_unknown_number_and_channel_are_unknown_names():
    with pytest.raises(UnknownNameError, match="no CWRU file number 101"):
        load_cwru(101)
    with pytest.raises(KeyError, match="valid channels: DE, FE, BA"):
        load_cwru(105, channel="XX")
    with pytest.raises(UnknownNameError, match=r"unknown series \['24k_DE'\]"):
        cwru_files("24k_DE")

"""Paderborn (preprocessed) and MFPT loaders on the mirror; MAFAULDA reader on CSV files the tests write."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.io

from bearingkit.data import load_mfpt, load_paderborn_preprocessed, read_mafaulda_csv
from bearingkit.data.mafaulda import COLUMNS
from bearingkit.data.mfpt import FILES, read_mfpt_mat
from bearingkit.data.paderborn import read_katdata
from bearingkit.errors import DataError, ParameterError, UnknownNameError


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BEARINGKIT_CACHE", str(tmp_path / "cache"))


@pytest.mark.parametrize(("condition", "code", "rpm", "torque", "force"), [
    (0, "N15_M07_F10", 1500, 0.7, 1000), (1, "N09_M07_F10", 900, 0.7, 1000),
    (2, "N15_M01_F10", 1500, 0.1, 1000), (3, "N15_M07_F04", 1500, 0.7, 400),
])
def test_paderborn_preprocessed(mirror, condition, code, rpm, torque, force):
    recordings = load_paderborn_preprocessed(condition)
    assert len(recordings) == 300
    assert {r.n_samples for r in recordings} == {2560}
    assert {r.fs for r in recordings} == {64_000.0}
    labels = [r.label for r in recordings]
    assert labels == ["normal"] * 100 + ["inner"] * 100 + ["outer"] * 100
    first = recordings[17]
    assert first.extra["condition"] == code and first.extra["row"] == 17
    assert first.extra["record"] == f"paderborn/KATData{condition}.mat#17"
    assert (first.rpm, first.load, first.load_unit) == (rpm, torque, "Nm")
    assert first.extra["radial_force_n"] == force
    assert load_paderborn_preprocessed(code)[17].extra["record"] == first.extra["record"]


def test_paderborn_errors(tmp_path):
    with pytest.raises(UnknownNameError, match=r"valid: 0 \(N15_M07_F10\)"):
        load_paderborn_preprocessed(4)
    path = tmp_path / "KATData0.mat"
    scipy.io.savemat(path, {"data": np.zeros((3, 100)), "label": np.ones((3, 1))})
    with pytest.raises(DataError, match=r"expected 'data' of shape \(n, 2560\)"):
        read_katdata(path, condition=0)
    scipy.io.savemat(path, {"data": np.zeros((2, 2560)), "label": np.array([[1], [7]])})
    with pytest.raises(DataError, match=r"'label' holds \[7\]"):
        read_katdata(path, condition=0)
    scipy.io.savemat(path, {"signals": np.zeros((2, 2560))})
    with pytest.raises(DataError, match="expected variable 'data'"):
        read_katdata(path, condition=0)


@pytest.mark.parametrize("name", sorted(FILES))
def test_mfpt_files(mirror, name):
    rec = load_mfpt(name.removesuffix(".mat"))
    label, load = FILES[name]
    assert (rec.label, rec.load, rec.load_unit) == (label, float(load), "lbs")
    assert (rec.fs, rec.rpm, rec.n_samples) == (48_828.0, 1500.0, 146_484)
    assert rec.extra["fault_frequencies_hz"]["BPFI"] == pytest.approx(118.875)


def test_mfpt_errors(tmp_path):
    with pytest.raises(UnknownNameError, match="valid files: InnerRaceFault_vload_1.mat"):
        load_mfpt("baseline_1")
    with pytest.raises(KeyError, match="unknown MFPT file 'baseline_1.mat'"):
        read_mfpt_mat(tmp_path / "baseline_1.mat", name="baseline_1.mat")
    path = tmp_path / "InnerRaceFault_vload_1.mat"
    scipy.io.savemat(path, {"bearing": {"sr": 48828, "rate": 25, "load": "0"}})
    with pytest.raises(DataError, match="struct with field 'gs'"):
        read_mfpt_mat(path, name="InnerRaceFault_vload_1.mat")
    scipy.io.savemat(path, {"bearing": {"sr": 48828, "rate": 25, "load": "75", "gs": np.ones((10, 1))}})
    with pytest.raises(DataError, match="bearing.load is 75 lbs, the registry table says 0 lbs"):
        read_mfpt_mat(path, name="InnerRaceFault_vload_1.mat")


def _write_csv(path, n_rows=1000, n_cols=8):
    data = np.arange(n_rows * n_cols, dtype=float).reshape(n_rows, n_cols) / 1000
    np.savetxt(path, data, delimiter=",", fmt="%.6f")
    return data


def test_mafaulda_csv_reader(tmp_path):
    path = tmp_path / "14.1312.csv"
    data = _write_csv(path)
    rec = read_mafaulda_csv(path, label="ball", bearing="overhang", added_mass_g=20)
    assert rec.signal.shape == (6, 1000)
    np.testing.assert_allclose(rec.signal, data[:, 1:7].T)
    assert rec.sensor == COLUMNS[1:7]
    assert (rec.fs, rec.rpm, rec.fault_size, rec.fault_size_unit) == (50_000.0, 60 * 14.1312, 20, "g")
    assert rec.extra["bearing"] == "overhang" and rec.extra["rotation_hz"] == 14.1312
    one = read_mafaulda_csv(path, label="normal", channels="tachometer", fs=51_200.0)
    np.testing.assert_allclose(one.signal, data[:, 0])
    assert one.fs == 51_200.0 and one.sensor == ("tachometer",)


def test_mafaulda_csv_errors(tmp_path):
    seven = tmp_path / "20.0.csv"
    _write_csv(seven, n_cols=7)
    with pytest.raises(DataError, match="expected 8 columns .*tachometer.*microphone.*got 7"):
        read_mafaulda_csv(seven, label="normal")
    text = tmp_path / "21.0.csv"
    text.write_text("a,b,c,d,e,f,g,h\n")
    with pytest.raises(DataError, match="numeric CSV"):
        read_mafaulda_csv(text, label="normal")
    unnamed = tmp_path / "run1.csv"
    _write_csv(unnamed, n_rows=10)
    with pytest.raises(ParameterError, match="rotation_hz"):
        read_mafaulda_csv(unnamed, label="normal")
    assert read_mafaulda_csv(unnamed, label="normal", rotation_hz=30.0).rpm == 1800.0
    with pytest.raises(UnknownNameError, match="unknown MAFAULDA channel"):
        read_mafaulda_csv(unnamed, label="normal", rotation_hz=30.0, channels=("underhang_x",))
    with pytest.raises(ParameterError, match="unknown label"):
        read_mafaulda_csv(unnamed, label="imbalance", rotation_hz=30.0)

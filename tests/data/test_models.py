"""Pretrained model files: registered with the model mirror's hashes, fetched and verified like data."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from bearingkit.data import fetch_model, list_models, model_entries
from bearingkit.data.registry import model_entry
from bearingkit.errors import ChecksumError, MissingDataError, UnknownNameError

from .conftest import files_under

pytestmark = pytest.mark.usefixtures("cache")

SPECTROGRAM = "yamnet/yamnet_scores_spectrogram.tflite"


@pytest.fixture
def model_mirror() -> Path:
    """The model mirror; the tests that read the real files fail loudly (never skip) when it is absent."""
    value = os.environ.get("BEARINGKIT_MODEL_MIRROR")
    assert value and Path(value).is_dir(), "set BEARINGKIT_MODEL_MIRROR to a mirror such as ../shared/models"
    return Path(value)


def _manifest(model_mirror: Path) -> list[dict[str, str]]:
    with (model_mirror / "yamnet" / "MANIFEST.tsv").open() as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_registry_holds_the_manifest_hashes_sizes_and_source_urls(model_mirror):
    manifest = _manifest(model_mirror)
    assert {row["file"] for row in manifest} == {e.file for e in model_entries("yamnet")}
    for row in manifest:
        item = model_entry(f"yamnet/{row['file']}")
        assert (item.sha256, item.size, item.kind) == (row["sha256"], int(row["bytes"]), "model")
        assert item.url == (f"https://raw.githubusercontent.com/{row['source_repo']}/{row['source_commit']}/"
                            f"{row['source_path']}")


def test_mirror_file_is_used_in_place_after_verification(model_mirror, cache):
    assert fetch_model(SPECTROGRAM) == (model_mirror / SPECTROGRAM).resolve()
    assert files_under(cache) == []


def test_download_enters_the_model_cache_verified(model_mirror, cache, fake_download, monkeypatch):
    monkeypatch.delenv("BEARINGKIT_MODEL_MIRROR")
    calls = fake_download((model_mirror / "yamnet" / "yamnet_class_map.csv").read_bytes())
    path = fetch_model("yamnet/yamnet_class_map.csv")
    assert path == cache / "models" / "yamnet" / "yamnet_class_map.csv"
    assert calls == [model_entry("yamnet/yamnet_class_map.csv").url]


def test_corrupt_model_in_the_mirror_is_refused(model_mirror, tmp_path, monkeypatch, cache):
    bad = tmp_path / "models" / "yamnet" / "yamnet_class_map.csv"
    bad.parent.mkdir(parents=True)
    good = (model_mirror / "yamnet" / "yamnet_class_map.csv").read_bytes()
    bad.write_bytes(good.replace(b"Speech", b"Spooch"))
    monkeypatch.setenv("BEARINGKIT_MODEL_MIRROR", str(tmp_path / "models"))
    with pytest.raises(ChecksumError, match="sha256 mismatch.*cdf24d19.*unset BEARINGKIT_MODEL_MIRROR"):
        fetch_model("yamnet/yamnet_class_map.csv")
    assert files_under(cache) == []


def test_unreachable_model_names_the_url_and_the_variables(cache, monkeypatch):
    monkeypatch.delenv("BEARINGKIT_MODEL_MIRROR", raising=False)
    with pytest.raises(MissingDataError) as err:
        fetch_model(SPECTROGRAM)
    for text in (SPECTROGRAM, model_entry(SPECTROGRAM).url, "BEARINGKIT_MODEL_MIRROR", "BEARINGKIT_CACHE"):
        assert text in str(err.value)
    assert files_under(cache) == []


def test_unknown_model_or_file_is_an_unknown_name():
    assert list_models() == ("yamnet",)
    with pytest.raises(UnknownNameError, match="unknown model 'vggish'; registered models: yamnet"):
        fetch_model("vggish/vggish.ckpt")
    with pytest.raises(KeyError, match="valid files: yamnet/yamnet_scores_spectrogram.tflite"):
        fetch_model("yamnet/yamnet.tflite")

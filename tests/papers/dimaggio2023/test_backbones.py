"""Which pretrained networks a run of Di Maggio (2023) has, and why the others are not run."""

from __future__ import annotations

import pytest

from bearingkit.errors import MissingDataError, ParameterError
from bearingkit.models import pretrained
from bearingkit.papers.dimaggio2023 import backbones
from bearingkit.papers.dimaggio2023.settings import settings_for


@pytest.fixture(scope="module")
def offline():
    return backbones.load_backbones("off")


def test_pretrained_off_runs_no_downloaded_network_and_says_why(offline):
    assert offline.vggish is None and offline.yamnet is not None
    assert dict(offline.vgg16_weights) == {"VGG16 (random init)": None}
    assert set(offline.unavailable) == {"VGGish transfer", "VGGish transfer (ReLU on fc2)",
                                        "VGG16 (ImageNet)", "VGG16 (ImageNet, block 5 fine-tuned)"}
    assert all("pretrained='off'" in why for why in offline.unavailable.values())
    assert "int8" in offline.yamnet_provenance


def test_unreachable_weights_are_not_run_with_the_reason(monkeypatch):
    def unreachable(handle, **_):
        raise MissingDataError(f"cannot load {handle}: host unreachable. Download it elsewhere")

    monkeypatch.setattr(pretrained, "load_vggish", unreachable)
    monkeypatch.setattr(pretrained, "vgg16_imagenet_unavailable", lambda: "no route to host")
    loaded = backbones.load_backbones("auto", vggish_handle="https://example.invalid/vggish")
    assert loaded.vggish is None
    assert loaded.unavailable["VGGish transfer"] == ("not run: VGGish weights unreachable (cannot load "
                                                     "https://example.invalid/vggish: host unreachable)")
    assert loaded.unavailable["VGG16 (ImageNet)"].endswith("(no route to host)")


def test_reachable_imagenet_weights_add_the_imagenet_vgg16(monkeypatch):
    monkeypatch.setattr(pretrained, "load_vggish", lambda handle, **_: "a VGGish model")
    monkeypatch.setattr(pretrained, "vgg16_imagenet_unavailable", lambda: None)
    loaded = backbones.load_backbones("auto")
    assert loaded.vggish == "a VGGish model" and not loaded.unavailable
    assert dict(loaded.vgg16_weights) == {"VGG16 (random init)": None, "VGG16 (ImageNet)": "imagenet"}


def test_an_unknown_choice_is_refused():
    with pytest.raises(ParameterError, match="'auto' or 'off'"):
        backbones.load_backbones("sometimes")


def test_from_scratch_is_not_run_only_where_the_profile_trains_it_nowhere(offline):
    quick = backbones.not_run_reasons(offline, settings=settings_for("quick"), profile="quick")
    full = backbones.not_run_reasons(offline, settings=settings_for("full"), profile="full")
    assert quick["VGGish from scratch"] == backbones.from_scratch_reason("quick")
    assert "quick profile: 216 updates" in quick["VGGish from scratch"]
    assert "VGGish from scratch" not in full and full == dict(offline.unavailable)


def test_availability_table_names_every_source(offline):
    table = backbones.availability_table(offline)
    assert list(table.index) == ["VGGish (TF-Hub)", "VGG16 ImageNet (Keras)", "YAMNet (TFLite)"]
    assert table.loc["VGGish (TF-Hub)", "status"] == offline.unavailable["VGGish transfer"]
    assert table.loc["YAMNet (TFLite)", "source"].endswith(".tflite")

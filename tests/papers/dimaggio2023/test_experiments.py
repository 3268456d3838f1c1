"""Every method of Di Maggio (2023)'s Table 7 on every split, and the rerun under the older simulator."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.papers.dimaggio2023 import experiments
from bearingkit.papers.dimaggio2023.backbones import Backbones
from bearingkit.papers.dimaggio2023.data import stratified_split
from bearingkit.papers.dimaggio2023.frontend import Inputs
from bearingkit.papers.dimaggio2023.settings import Seeds, Settings

FAST = Settings(iterations=4, n_chunks=1, resampler="polyphase", plateau_iterations=8,
                scratch_on=(("simulated", "held-out speeds"),))


def _inputs(separable, *, imagenet: bool = False) -> Inputs:
    X, y = separable(n_per_class=20)
    embeddings = {"VGGish transfer": None, "VGGish transfer (ReLU on fc2)": None, "YAMNet transfer": X,
                  "VGG16 (random init)": X[:, ::-1]}
    if imagenet:
        embeddings["VGG16 (ImageNet)"] = X
    return Inputs(y=y, patches=np.zeros((len(y), 96, 64), np.float32), embeddings=embeddings, features=X,
                  seconds={}, images=None)


def test_run_split_trains_each_available_method_once_per_seed_plus_probes_and_the_baseline(separable):
    pytest.importorskip("keras")
    inputs = _inputs(separable)
    split = stratified_split(inputs.y, seed=0)
    runs = experiments.run_split(inputs, split, "paper", settings=FAST, seeds=[1, 2], from_scratch=False)
    methods = [(r.method, r.seed) for r in runs]
    assert methods == [("YAMNet transfer", 1), ("YAMNet transfer", 2), ("YAMNet transfer: plateau", 1),
                       ("YAMNet transfer: linear probe", None), ("VGG16 (random init)", 1),
                       ("VGG16 (random init)", 2), ("46 features + logistic regression", None)]
    assert all(r.split == "paper" for r in runs)
    assert runs[0].schedule["iterations"] == 4             # 48 training chunks: 2 steps x 2 epochs
    assert runs[2].schedule["iterations"] == 8             # FAST's plateau: 2 steps x 4 epochs


def test_run_splits_keys_runs_by_data_set_and_split_and_trains_from_scratch_where_settings_say(separable,
                                                                                               monkeypatch):
    calls = []

    def run_split(inputs, split, name, *, from_scratch, finetune_vgg16, **_):
        calls.append((name, from_scratch, finetune_vgg16))
        return [name]

    monkeypatch.setattr(experiments, "run_split", run_split)
    inputs = _inputs(separable, imagenet=True)
    runs = experiments.run_splits(inputs, {"paper": (), "held-out speeds": ()}, dataset="simulated",
                                  settings=FAST, seeds=[1])
    assert runs == {("simulated", "paper"): ["paper"], ("simulated", "held-out speeds"): ["held-out speeds"]}
    assert calls == [("paper", False, True), ("held-out speeds", True, True)]
    experiments.run_splits(_inputs(separable), {"paper": ()}, dataset="CWRU", settings=FAST, seeds=[1])
    assert calls[-1] == ("paper", False, False)          # no ImageNet VGG16 features: nothing to fine-tune


class _FakeYamnet:
    """A stand-in for the TFLite YAMNet: the spread of each clip in 16 blocks as its embedding."""

    def embeddings(self, waveforms):
        return np.asarray(waveforms)[:, :15_584].reshape(len(waveforms), 16, -1).std(axis=-1)


def test_rerun_before_issue_19_simulates_the_older_physics_with_the_same_design(monkeypatch):
    pytest.importorskip("keras")
    trained = []
    monkeypatch.setattr(experiments, "run_split", lambda inputs, split, name, **kw: trained.append(
        (inputs, name, kw["from_scratch"])) or [name])
    n = 3 * 40                                              # 3 classes x 40 conditions x 1 chunk
    splits = {"paper": stratified_split(np.repeat(np.arange(3), 40), seed=0), "held-out speeds": ()}
    backbones = Backbones(vggish="a VGGish model", yamnet=_FakeYamnet(),
                          vgg16_weights={"VGG16 (random init)": None}, vggish_handle="", unavailable={})
    runs = experiments.rerun_before_issue_19(splits, settings=FAST, seeds=Seeds(0, 1, (2, 3)),
                                             backbones=backbones)
    assert runs == {("simulated", "paper"): ["paper"], ("simulated", "held-out speeds"): ["held-out speeds"]}
    inputs = trained[0][0]
    assert len(inputs.y) == n and inputs.embeddings["YAMNet transfer"].shape == (n, 16)
    assert inputs.embeddings["VGGish transfer"] is None and "VGG16 (random init)" not in inputs.embeddings
    assert not any(from_scratch for _, _, from_scratch in trained)


def test_run_details_record_seeds_settings_and_hardware():
    details = experiments.run_details(FAST, Seeds(0, 1, (2, 3)))
    assert details["run_seeds"] == [2, 3] and details["settings"]["iterations"] == 4
    assert "cores visible" in details["hardware"]

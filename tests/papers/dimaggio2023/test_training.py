"""The methods of Di Maggio (2023)'s Table 7 on one split: the transfer head, its schedule, the linear probe,
the 46-feature baseline and the VGG16 fine-tuning."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.papers.dimaggio2023 import training
from bearingkit.papers.dimaggio2023.data import stratified_split
from bearingkit.papers.dimaggio2023.settings import Settings


def test_transfer_head_learns_separable_embeddings_the_same_way_twice(separable):
    pytest.importorskip("keras")
    X, y = separable()
    split = stratified_split(y, seed=0)
    # 20 steps at Table 2's 5e-4 barely move a fresh head; iterations=None: 4 epochs as given
    fast = Settings(learning_rate=3e-2, epochs=4, iterations=None)
    first, second = (training.run_head(X, y, split, settings=fast, seed=7, method="YAMNet transfer",
                                       split_name="paper") for _ in range(2))
    assert first.test_accuracy >= 90
    assert first.test_accuracy == second.test_accuracy
    np.testing.assert_allclose(first.history["loss"], second.history["loss"], rtol=1e-5)
    assert len(first.history["val_loss"]) == 4
    assert first.schedule == {"steps_per_epoch": 5, "epochs": 4, "iterations": 20, "drop_every": 10}
    assert first.sizes == {"train": 144, "validation": 18, "test": 18} and first.seed == 7
    once = training.run_head(X, y, split, settings=fast, seed=7, method="YAMNet transfer", split_name="paper",
                             loss_every_epoch=False)
    assert len(once.history["val_loss"]) == 1 and len(once.history["loss"]) == 4
    assert once.test_accuracy == first.test_accuracy
    np.testing.assert_allclose(once.history["loss"], first.history["loss"], rtol=1e-5)


def test_head_makes_tables_216_updates_whatever_the_training_set_size(separable):
    pytest.importorskip("keras")
    X, y = separable(n_per_class=360)
    split = stratified_split(y, seed=0)                         # 864 training chunks: 27 steps per epoch
    run = training.run_head(X, y, split, seed=1, method="YAMNet transfer", split_name="paper")
    assert run.schedule == {"steps_per_epoch": 27, "epochs": 8, "iterations": 216, "drop_every": 108}
    assert len(run.history["loss"]) == 8                        # twice Table 2's 4 epochs of 54 steps


@pytest.mark.parametrize(("n_train", "expected"), [
    (1728, {"steps_per_epoch": 54, "epochs": 4, "iterations": 216, "drop_every": 108}),   # Table 2
    (384, {"steps_per_epoch": 12, "epochs": 18, "iterations": 216, "drop_every": 108}),    # quick profile
    (336, {"steps_per_epoch": 11, "epochs": 20, "iterations": 220, "drop_every": 108})])
def test_training_schedule_keeps_the_papers_number_of_updates(n_train, expected):
    assert training.training_schedule(n_train) == expected
    assert training.training_schedule(n_train, iterations=None)["epochs"] == 4
    with pytest.raises(ParameterError):
        training.training_schedule(0)


def test_class_weights_balance_the_loss():
    weights = training.balanced_class_weights([0] * 4 + [1] * 100 + [2] * 100)
    assert weights[0] == pytest.approx(204 / 12) and weights[1] == pytest.approx(0.68)
    assert training.balanced_class_weights(np.repeat([0, 1, 2], 5)) == {0: 1.0, 1: 1.0, 2: 1.0}


def test_standardise_uses_the_training_rows_only():
    features = np.array([[0.0, 5.0], [2.0, 5.0], [100.0, 7.0]])
    scaled = training.standardise(features, [0, 1])
    np.testing.assert_allclose(scaled[:2, 0], [-1, 1])
    assert scaled[2, 0] == pytest.approx(99) and scaled[2, 1] == pytest.approx(2)   # constant column: std 1


def test_linear_probe_converges_and_says_so(separable):
    X, y = separable()
    split = stratified_split(y, seed=0)
    probe = training.run_linear_probe(X, y, split, method="YAMNet transfer", split_name="paper")
    assert probe.method == "YAMNet transfer: linear probe"
    assert probe.test_accuracy >= 90 and probe.schedule["converged"]


def test_baseline_reports_accuracies_precision_and_recall(separable):
    X, y = separable()
    split = stratified_split(y, seed=0)
    run = training.run_baseline(X, y, split, split_name="paper")
    assert run.method == "46 features + logistic regression" and run.test_accuracy >= 90
    assert run.precision_recall().shape == (3, 2)
    assert run.confusion().sum() == len(split[2])


def test_precision_recall_and_confusion_of_a_result(make_result):
    run = make_result("YAMNet transfer", 0.0, n_test=6, y_pred=[0, 0, 0, 0, 2, 2])
    np.testing.assert_array_equal(run.confusion(), [[2, 0, 0], [2, 0, 0], [0, 0, 2]])
    scores = run.precision_recall()
    assert list(scores.index) == ["Normal", "IR", "OR"]
    assert scores.loc["Normal"].tolist() == [50.0, 100.0] and scores.loc["IR"].tolist() == [0.0, 0.0]


def test_first_run_per_method_keeps_the_order_methods_appear_in(make_result):
    runs = [make_result("YAMNet transfer", 50, seed=1), make_result("baseline", 60),
            make_result("YAMNet transfer", 70, seed=2)]
    first = training.first_run_per_method(runs)
    assert list(first) == ["YAMNet transfer", "baseline"] and first["YAMNet transfer"].seed == 1


def test_hardware_names_the_cpu_and_its_cores():
    assert "cores visible" in training.hardware()


@pytest.mark.slow  # builds and trains VGG16's 14.7 M convolution parameters
def test_vgg16_fine_tuning_runs_with_the_shared_schedule():
    pytest.importorskip("keras")
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), 6)
    images = rng.uniform(0, 255, (18, 32, 32, 3)).astype(np.float32)
    split = stratified_split(y, fractions=(0.6, 0.2, 0.2), seed=0)
    run = training.run_vgg16_finetune(images, y, split, settings=Settings(iterations=2, batch_size=8),
                                      split_name="paper", weights=None)
    assert run.method == "VGG16 (ImageNet, block 5 fine-tuned)"
    assert run.schedule["iterations"] == 2 and 0 <= run.test_accuracy <= 100

"""The methods of Di Maggio (2023), Table 7, each trained on one split of precomputed inputs.

VGGish transfer (frozen embedding + :func:`bearingkit.models.vggish.transfer_head`, Table 2), VGGish from
scratch, YAMNet transfer (its 1024-d embedding + the same head), VGG16 on CWT scalograms (frozen convolutional
base + the same head, or block 5 fine-tuned), a baseline of the 46 hand-made features with a logistic
regression, and a converged linear probe on each embedding. Table 2 covers only the VGGish transfer; the other
models train with the same options (our choice, :class:`~bearingkit.papers.dimaggio2023.settings.Settings`).
"""

from __future__ import annotations

import dataclasses
import math
import os
import platform
import time

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from bearingkit.checks import check_seed
from bearingkit.errors import ParameterError
from bearingkit.papers.dimaggio2023.settings import CLASSES, DEFAULT_SETTINGS, LABELS, METHODS, Settings

__all__ = [
    "MethodResult", "balanced_class_weights", "first_run_per_method", "hardware", "run_baseline",
    "run_from_scratch", "run_head", "run_linear_probe", "run_vgg16_finetune", "standardise", "train_keras",
    "training_schedule",
]


@dataclasses.dataclass
class MethodResult:
    """One method on one split: accuracies (%), the test predictions, training time and loss curves."""

    method: str
    split: str
    train_accuracy: float
    validation_accuracy: float
    test_accuracy: float
    train_seconds: float
    y_test: np.ndarray
    y_pred: np.ndarray
    history: dict = dataclasses.field(default_factory=dict)
    seed: int | None = None
    #: Chunks in each set (``train``, ``validation``, ``test``) and the schedule actually run (Keras models).
    sizes: dict = dataclasses.field(default_factory=dict)
    schedule: dict = dataclasses.field(default_factory=dict)

    def precision_recall(self) -> pd.DataFrame:
        """Precision and recall (%) of each class on the test set (Table 8)."""
        precision, recall, _, _ = precision_recall_fscore_support(
            self.y_test, self.y_pred, labels=range(len(CLASSES)), zero_division=0)
        return pd.DataFrame({"precision": 100 * precision, "recall": 100 * recall}, index=list(LABELS))

    def confusion(self) -> np.ndarray:
        """Test confusion matrix, rows true class, columns predicted (Fig. 11)."""
        return confusion_matrix(self.y_test, self.y_pred, labels=range(len(CLASSES)))


def _accuracy(y_true, y_pred) -> float:
    return float(100 * np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def _sizes(split) -> dict:
    return {"train": len(split[0]), "validation": len(split[1]), "test": len(split[2])}


def training_schedule(n_train: int, *, batch_size: int = 32, iterations: int | None = 216, epochs: int = 4,
                      drop_period: int = 2) -> dict:
    """Epochs, steps per epoch and learning-rate drop interval that give Table 2's number of updates.

    The paper trains 4 epochs of 54 iterations (1,728 chunks / 32; §4: "four (216 iterations)") and halves
    the rate every 2 epochs, i.e. after 108 updates. A smaller training set gives fewer steps per epoch, so
    the same 4 epochs would make fewer updates; here the number of updates is kept instead: ``epochs =
    round(iterations / steps_per_epoch)`` and the rate drops every ``iterations * drop_period / epochs``
    updates. Keras takes ``ceil(n_train / batch_size)`` steps per epoch, the last one partial (MATLAB drops
    the partial mini-batch: ``floor``; the same for 1,728 chunks).

    Parameters
    ----------
    n_train : int >= 1
        Training chunks.
    batch_size : int >= 1
    iterations : int >= 1 or None
        Updates to make (216); None: ``epochs`` epochs as they are.
    epochs, drop_period : int >= 1
        Table 2's 4 epochs and 2-epoch drop period.

    Returns
    -------
    dict
        ``steps_per_epoch``, ``epochs``, ``iterations`` (made), ``drop_every`` (updates).

    Examples
    --------
    >>> training_schedule(1728)
    {'steps_per_epoch': 54, 'epochs': 4, 'iterations': 216, 'drop_every': 108}
    >>> training_schedule(384)
    {'steps_per_epoch': 12, 'epochs': 18, 'iterations': 216, 'drop_every': 108}
    """
    if min(n_train, batch_size, epochs, drop_period) < 1 or (iterations is not None and iterations < 1):
        raise ParameterError(f"need n_train, batch_size, epochs, drop_period and iterations >= 1; got "
                             f"{n_train}, {batch_size}, {epochs}, {drop_period}, {iterations}")
    steps = math.ceil(n_train / batch_size)
    if iterations is None:
        return {"steps_per_epoch": steps, "epochs": epochs, "iterations": steps * epochs,
                "drop_every": steps * drop_period}
    run_epochs = max(1, round(iterations / steps))
    return {"steps_per_epoch": steps, "epochs": run_epochs, "iterations": steps * run_epochs,
            "drop_every": max(1, round(iterations * drop_period / epochs))}


def balanced_class_weights(y, n_classes: int = len(CLASSES)) -> dict[int, float]:
    """Loss weight ``n / (k n_c)`` of each class ``c`` present in the training labels ``y`` (sklearn's
    ``"balanced"``): 1.0 for every class of a balanced set.

    Examples
    --------
    >>> balanced_class_weights([0, 1, 1, 2, 2, 2])
    {0: 2.0, 1: 1.0, 2: 0.6666666666666666}
    """
    counts = np.bincount(np.asarray(y, dtype=int), minlength=n_classes)
    present = counts > 0
    return {int(c): float(counts.sum() / (present.sum() * counts[c])) for c in np.flatnonzero(present)}


def train_keras(model, X, y, split, *, settings: Settings = DEFAULT_SETTINGS, seed: int = 0,
                method: str, split_name: str, loss_every_epoch: bool = True) -> MethodResult:
    """Train ``model`` (softmax over 3 classes) with Table 2's options; accuracies on the three sets.

    The training accuracy is evaluated on the whole training set after training, dropout off (MATLAB's
    training-progress accuracy is that of the last mini-batch). The number of updates is Table 2's 216
    whatever the training set's size (:func:`training_schedule`); classes are weighted by
    :func:`balanced_class_weights` when ``settings.class_weighted``. The validation loss is measured after
    every epoch (Fig. 10's curves), or only after the last one when ``loss_every_epoch`` is False (a long
    run of a small head: the per-epoch evaluation was 40 % of its time); the accuracies are the same.
    """
    import keras

    from bearingkit.models.vggish import piecewise_adam

    keras.utils.set_random_seed(check_seed(seed))
    train, validation, test = split
    schedule = training_schedule(len(train), batch_size=settings.batch_size, iterations=settings.iterations,
                                 epochs=settings.epochs, drop_period=settings.drop_period)
    optimizer = piecewise_adam(steps_per_epoch=schedule["drop_every"], learning_rate=settings.learning_rate,
                               drop_period=1, drop_factor=settings.drop_factor, epsilon=settings.adam_epsilon)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    weights = balanced_class_weights(y[train]) if settings.class_weighted else None
    start = time.perf_counter()
    fitted = model.fit(X[train], y[train], validation_data=(X[validation], y[validation]) if len(validation)
                       else None, batch_size=settings.batch_size, epochs=schedule["epochs"], shuffle=True,
                       class_weight=weights, verbose=0,
                       validation_freq=1 if loss_every_epoch else schedule["epochs"])
    seconds = time.perf_counter() - start
    y_pred = _predict(model, X, test)
    return MethodResult(method=method, split=split_name,
                        train_accuracy=_accuracy(y[train], _predict(model, X, train)),
                        validation_accuracy=_accuracy(y[validation], _predict(model, X, validation)),
                        test_accuracy=_accuracy(y[test], y_pred), train_seconds=seconds, y_test=y[test],
                        y_pred=y_pred, history={k: list(map(float, v)) for k, v in fitted.history.items()},
                        seed=int(seed), sizes=_sizes(split), schedule=schedule)


def _predict(model, X, index, batch: int = 128) -> np.ndarray:
    """Class of each chunk in ``index``: direct calls in inference mode (no compiled predict function
    retraced for every model)."""
    scores = [np.asarray(model(X[index[i:i + batch]], training=False)) for i in range(0, len(index), batch)]
    return np.argmax(np.concatenate(scores), axis=1)


def standardise(features, train) -> np.ndarray:
    """Features centred and scaled by the mean and standard deviation of the training rows only."""
    features = np.asarray(features, dtype=np.float32)
    mean, std = features[train].mean(axis=0), features[train].std(axis=0)
    return (features - mean) / np.where(std > 0, std, 1)


def run_head(embeddings, y, split, *, settings: Settings = DEFAULT_SETTINGS, seed: int = 0, method: str,
             split_name: str, standardised: bool = False, loss_every_epoch: bool = True) -> MethodResult:
    """Transfer learning on frozen embeddings (§2.3): the new dropout + dense(3) + softmax, Table 2.

    With the backbone frozen and no dropout inside it, training the head on embeddings computed once is the
    same computation as the paper's whole network with frozen layers, minus the repeated forward passes.
    ``standardised`` scales the embeddings by training-set statistics first (:func:`standardise`; our choice
    for VGG16's pooled features, whose scale differs from the audio embeddings' by orders of magnitude);
    YAMNet's and VGGish's embeddings enter the head as they are, as in the paper's network.
    """
    import keras

    from bearingkit.models.vggish import transfer_head

    if standardised:
        embeddings = standardise(embeddings, split[0])
    keras.utils.set_random_seed(check_seed(seed))

    head = transfer_head(n_inputs=embeddings.shape[1], n_classes=len(CLASSES), dropout=settings.dropout,
                         l2=settings.l2)
    return train_keras(head, embeddings, y, split, settings=settings, seed=seed, method=method,
                       split_name=split_name, loss_every_epoch=loss_every_epoch)


def run_from_scratch(patches, y, split, *, settings: Settings = DEFAULT_SETTINGS, seed: int = 0,
                     split_name: str) -> MethodResult:
    """VGGish with every layer trainable, from Keras' default initialisation (Table 7, second row)."""
    import keras

    from bearingkit.models.vggish import build_vggish, classifier

    keras.utils.set_random_seed(check_seed(seed))
    model = classifier(build_vggish(), n_classes=len(CLASSES), dropout=settings.dropout, l2=settings.l2)
    return train_keras(model, patches, y, split, settings=settings, seed=seed, method="VGGish from scratch",
                       split_name=split_name)


def run_vgg16_finetune(images, y, split, *, settings: Settings = DEFAULT_SETTINGS, seed: int = 0,
                       split_name: str, weights: str | None = "imagenet",
                       trainable_from: str = "block5_conv1",
                       method: str = "VGG16 (ImageNet, block 5 fine-tuned)") -> MethodResult:
    """VGG16 with its last convolution block retrained, global pooling and the shared head (Table 7, §4).

    The paper fine-tunes an ImageNet VGG16 on wavelet time-frequency images after Shao et al. and blames its
    69 % on too few retrained layers; which layers it retrains is not stated. Here every layer from
    ``trainable_from`` on (block 5: 3 convolutions, 7.1 M parameters) trains with the head, for Table 2's
    216 updates. It needs the ImageNet weights (``weights="imagenet"``); ``weights=None`` runs the same code
    from a random initialisation (tests).
    """
    import keras

    from bearingkit.models.vggish import transfer_head

    keras.utils.set_random_seed(check_seed(seed))
    base = keras.applications.VGG16(include_top=False, weights=weights, input_shape=images.shape[1:],
                                    pooling="avg")
    trainable = False
    for layer in base.layers:
        trainable = trainable or layer.name == trainable_from
        layer.trainable = trainable
    head = transfer_head(n_inputs=base.output_shape[-1], n_classes=len(CLASSES), dropout=settings.dropout,
                         l2=settings.l2)
    model = keras.Model(base.input, head(base.output), name="vgg16_finetune")
    inputs = keras.applications.vgg16.preprocess_input(np.array(images, dtype=np.float32))
    return train_keras(model, inputs, y, split, settings=settings, seed=seed, method=method,
                       split_name=split_name)


def _logistic(features, y, split, *, method: str, split_name: str, max_iter: int) -> MethodResult:
    train, validation, test = split
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=max_iter, class_weight="balanced"))
    start = time.perf_counter()
    model.fit(features[train], y[train])
    seconds = time.perf_counter() - start
    y_pred = model.predict(features[test])
    n_iter = int(np.max(model[-1].n_iter_))
    return MethodResult(method=method, split=split_name,
                        train_accuracy=_accuracy(y[train], model.predict(features[train])),
                        validation_accuracy=_accuracy(y[validation], model.predict(features[validation]))
                        if len(validation) else float("nan"),
                        test_accuracy=_accuracy(y[test], y_pred), train_seconds=seconds, y_test=y[test],
                        y_pred=y_pred, sizes=_sizes(split),
                        schedule={"solver_iterations": n_iter, "converged": n_iter < max_iter})


def run_baseline(features, y, split, *, split_name: str) -> MethodResult:
    """46 hand-made features, standardised, and a multinomial logistic regression (our baseline), classes
    weighted ``"balanced"``."""
    return _logistic(features, y, split, method=METHODS[-1], split_name=split_name, max_iter=2000)


def run_linear_probe(embeddings, y, split, *, method: str, split_name: str, max_iter: int = 10_000,
                     ) -> MethodResult:
    """A linear probe: the frozen embeddings, standardised, and a logistic regression solved to convergence.

    The same model class as the transfer head (a linear map and a softmax on the embedding, §2.3) without
    dropout, fitted by L-BFGS until its gradient vanishes rather than for 216 Adam updates: what the head
    can reach on these embeddings, so that a low head accuracy can be told from an unfinished one.
    ``schedule`` records the solver's iterations and whether it converged.
    """
    return _logistic(embeddings, y, split, method=f"{method}: linear probe", split_name=split_name,
                     max_iter=max_iter)


def hardware() -> str:
    """The CPU this run trained on, as Table 7 names the paper's."""
    model = next((line.split(":", 1)[1].strip() for line in _cpuinfo().splitlines()
                  if line.startswith("model name")), platform.processor() or platform.machine())
    return f"{model}, {os.cpu_count()} cores visible"


def _cpuinfo() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            return handle.read()
    except OSError:
        return ""


def first_run_per_method(results) -> dict[str, MethodResult]:
    """Each method's first run, in the order the methods first appear."""
    first: dict[str, MethodResult] = {}
    for r in results:
        first.setdefault(r.method, r)
    return first

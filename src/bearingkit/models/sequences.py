"""Observation sequences for the HMM classifier (Sedira et al. 2026, §6.1).

A hidden Markov model scores a *sequence* of observations ``O = (o_1, ..., o_T)``. The compendium forms one
sequence per window: the window is cut into ``T`` contiguous sub-frames (:func:`frame_sequences`), each
sub-frame gives one feature vector, and the feature pipeline (scaling, PCA, ...) is applied to every step
alike (:class:`StepwiseTransformer`). scikit-learn wants 2-D inputs, so a batch of sequences travels as
``(n_sequences, n_steps * n_features)``: row ``i`` is ``o_1, ..., o_T`` concatenated
(:func:`flatten_sequences`, :func:`unflatten_sequences`).
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context, clone
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from bearingkit.errors import ParameterError

__all__ = ["StepwiseTransformer", "flatten_sequences", "frame_sequences", "unflatten_sequences"]


def _check_n_steps(n_steps) -> int:
    if isinstance(n_steps, bool) or not isinstance(n_steps, Integral) or n_steps < 1:
        raise ParameterError(f"n_steps must be an integer >= 1, got {n_steps!r}")
    return int(n_steps)


def frame_sequences(X_segments, n_steps: int) -> np.ndarray:
    """Cut each segment into ``n_steps`` contiguous, non-overlapping sub-frames.

    Parameters
    ----------
    X_segments : np.ndarray [shape=(n_segments, segment_length)]
        One signal window per row.
    n_steps : int >= 1
        Number of sub-frames per window: the length ``T`` of the observation sequence.

    Returns
    -------
    frames : np.ndarray [shape=(n_segments, n_steps, segment_length // n_steps)]
        ``frames[i, t]`` is sub-frame ``t`` of window ``i``. The last ``segment_length % n_steps``
        samples of each window are dropped so every sub-frame has the same length.

    Raises
    ------
    ParameterError
        If ``X_segments`` is not 2-D or a sub-frame would be empty.

    Examples
    --------
    >>> frame_sequences(np.arange(10.0).reshape(1, 10), 3)
    array([[[0., 1., 2.],
            [3., 4., 5.],
            [6., 7., 8.]]])
    """
    n_steps = _check_n_steps(n_steps)
    X_segments = np.asarray(X_segments)
    if X_segments.ndim != 2:
        raise ParameterError(
            f"X_segments must be 2-D (n_segments, segment_length), got shape {X_segments.shape}"
        )
    n_segments, length = X_segments.shape
    frame_length = length // n_steps
    if frame_length == 0:
        raise ParameterError(
            f"segments of {length} samples cannot be cut into {n_steps} sub-frames: use longer segments "
            f"or fewer steps"
        )
    return X_segments[:, : n_steps * frame_length].reshape(n_segments, n_steps, frame_length)


def unflatten_sequences(X, n_steps: int) -> np.ndarray:
    """View flattened sequences ``(n, n_steps * n_features)`` as ``(n, n_steps, n_features)``.

    Parameters
    ----------
    X : np.ndarray [shape=(n_sequences, n_steps * n_features)]
        One sequence per row, its ``n_steps`` feature vectors concatenated.
    n_steps : int >= 1
        Sequence length ``T``.

    Returns
    -------
    sequences : np.ndarray [shape=(n_sequences, n_steps, n_features)]

    Raises
    ------
    ParameterError
        If the number of columns is not a multiple of ``n_steps``.
    """
    n_steps = _check_n_steps(n_steps)
    X = np.asarray(X)
    n_sequences, n_columns = X.shape
    if n_columns % n_steps:
        raise ParameterError(
            f"X has {n_columns} columns, which is not a multiple of n_steps={n_steps}: each row must hold "
            f"n_steps feature vectors of equal length, concatenated"
        )
    return X.reshape(n_sequences, n_steps, n_columns // n_steps)


def flatten_sequences(sequences) -> np.ndarray:
    """Inverse of :func:`unflatten_sequences`: ``(n, n_steps, n_features)`` to ``(n, n_steps * n_features)``.

    Examples
    --------
    >>> flatten_sequences(np.zeros((5, 4, 3))).shape
    (5, 12)
    """
    sequences = np.asarray(sequences)
    if sequences.ndim != 3:
        raise ParameterError(
            f"sequences must be 3-D (n_sequences, n_steps, n_features), got shape {sequences.shape}"
        )
    return sequences.reshape(sequences.shape[0], -1)


class StepwiseTransformer(TransformerMixin, BaseEstimator):
    """Apply one 2-D transformer to every step of flattened sequences alike.

    ``fit`` stacks the steps of all sequences into ``(n_sequences * n_steps, n_features)`` rows and fits a
    clone of ``transformer`` on them, so a scaler or PCA sees every sub-frame as one observation (the
    HMM's emission space, §6.1). ``transform`` maps each step and concatenates the results again.

    Parameters
    ----------
    transformer : estimator with ``fit`` and ``transform``
        Applied per step, e.g. ``make_pipeline(StandardScaler(), PCA(3))``. Cloned on ``fit``.
    n_steps : int >= 1, default=1
        Sequence length ``T``; the input has ``n_steps * n_features`` columns.

    Attributes
    ----------
    transformer_ : estimator
        The fitted clone.
    n_features_in_ : int
        ``n_steps * n_features``.

    Examples
    --------
    >>> from sklearn.preprocessing import StandardScaler
    >>> X = np.arange(12.0).reshape(3, 4)            # 3 sequences, 2 steps of 2 features
    >>> StepwiseTransformer(StandardScaler(), n_steps=2).fit_transform(X).shape
    (3, 4)
    """

    _parameter_constraints: dict = {
        "transformer": [HasMethods(["fit", "transform"])],
        "n_steps": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, transformer, n_steps=1):
        self.transformer = transformer
        self.n_steps = n_steps

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit ``transformer`` on the steps of all sequences, stacked as rows.

        A supervised transformer (e.g. Fisher selection) gets each sequence's label repeated for its steps.
        """
        X = validate_data(self, X)
        steps = unflatten_sequences(X, self.n_steps)
        y_steps = None if y is None else np.repeat(np.asarray(y), self.n_steps)
        self.transformer_ = clone(self.transformer).fit(steps.reshape(-1, steps.shape[2]), y_steps)
        return self

    def transform(self, X):
        """Transform every step; returns ``(n_sequences, n_steps * n_output_features)``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        steps = unflatten_sequences(X, self.n_steps)
        out = self.transformer_.transform(steps.reshape(-1, steps.shape[2]))
        return np.asarray(out).reshape(X.shape[0], -1)

"""One left-right Gaussian HMM per class, classification by maximum log-likelihood (Sedira et al. 2026, §6.1).

Each health state ``k`` gets its own model ``λ_k = (A, B, π)`` (Table 6), trained by Baum-Welch on that
class's observation sequences (Eqs. 25-29, Rabiner 1989 [1]_). A new sequence ``O`` goes to the class whose
model explains it best, ``argmax_k log P(O | λ_k)`` (Eq. 32), with ``P(O | λ_k)`` from the forward algorithm
(Eqs. 25-26). The models are left-right (Bakis 1976 [2]_): they start in the first state and never move
back, as wear never reverses (§4.1, Fig. 5).

References
----------
.. [1] L. R. Rabiner, "A tutorial on hidden Markov models and selected applications in speech
       recognition", Proc. IEEE 77(2), 257-286, 1989.
.. [2] R. Bakis, "Continuous speech recognition via centisecond acoustic states", J. Acoust. Soc. Am. 59,
       S97, 1976.
"""

from __future__ import annotations

import contextlib
import logging
from numbers import Integral, Real

import numpy as np
from hmmlearn.hmm import GaussianHMM
from scipy.special import logsumexp, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from bearingkit.errors import ParameterError
from bearingkit.models.sequences import unflatten_sequences

__all__ = ["COVARIANCE_TYPES", "LeftRightHMMClassifier", "equal_chunk_states", "forward_log_likelihood",
           "left_right_transmat", "min_sequences_per_class"]

COVARIANCE_TYPES = ("diag", "spherical", "full", "tied")


def left_right_transmat(n_states: int, *, max_jump: int = 1) -> np.ndarray:
    """Initial transition matrix of a left-right (Bakis) model.

    State ``i`` may stay or move forward by at most ``max_jump`` states, all allowed moves equally likely;
    the last state is absorbing. Baum-Welch re-estimation keeps the zero entries at zero (Rabiner 1989,
    §IV.A), so the left-right structure survives training.

    Parameters
    ----------
    n_states : int >= 1
    max_jump : int >= 1
        ``1``: self or next state only; ``2``: the Bakis model, which may skip one state.

    Returns
    -------
    transmat : np.ndarray [shape=(n_states, n_states)]
        Upper-triangular, band ``max_jump``, rows summing to 1.

    Examples
    --------
    >>> left_right_transmat(3)
    array([[0.5, 0.5, 0. ],
           [0. , 0.5, 0.5],
           [0. , 0. , 1. ]])
    """
    offset = np.arange(n_states)[None, :] - np.arange(n_states)[:, None]
    allowed = (offset >= 0) & (offset <= max_jump)
    return allowed / allowed.sum(axis=1, keepdims=True)


def equal_chunk_states(n_steps: int, n_states: int) -> np.ndarray:
    """State assigned to each step for initialisation: ``n_states`` equal, contiguous chunks.

    Step ``t`` goes to state ``floor(t * n_states / n_steps)``, the uniform segmentation that seeds
    left-right models (Rabiner 1989, §V.A). Unlike k-means on pooled frames, it gives every state frames
    from the part of the sequence the state is meant to model, so no state starts unused.

    Parameters
    ----------
    n_steps : int >= n_states
    n_states : int >= 1

    Returns
    -------
    states : np.ndarray [shape=(n_steps,), dtype=int]
        Non-decreasing, every state present.

    Examples
    --------
    >>> equal_chunk_states(6, 4)
    array([0, 0, 1, 2, 2, 3])
    """
    return np.arange(n_steps) * n_states // n_steps


def forward_log_likelihood(log_emission, startprob, transmat) -> np.ndarray:
    """``log P(O | λ)`` of each sequence by the forward algorithm in the log domain (Eqs. 25-26).

    ``log α_1(j) = log π_j + log b_j(o_1)``,
    ``log α_{t+1}(j) = logsumexp_i(log α_t(i) + log a_ij) + log b_j(o_{t+1})``,
    ``log P(O | λ) = logsumexp_j log α_T(j)`` (Rabiner 1989, Eqs. 19-21), for all sequences at once.

    Parameters
    ----------
    log_emission : np.ndarray [shape=(n_sequences, n_steps, n_states)]
        ``log b_j(o_t)``, the emission log-density of each observation under each state.
    startprob : np.ndarray [shape=(n_states,)]
        ``π``; zeros allowed.
    transmat : np.ndarray [shape=(n_states, n_states)]
        ``A``; zeros allowed.

    Returns
    -------
    log_likelihood : np.ndarray [shape=(n_sequences,)]
    """
    with np.errstate(divide="ignore"):
        log_start, log_trans = np.log(startprob), np.log(transmat)
    log_alpha = log_start + log_emission[:, 0]
    for t in range(1, log_emission.shape[1]):
        log_alpha = logsumexp(log_alpha[:, :, None] + log_trans, axis=1) + log_emission[:, t]
    return logsumexp(log_alpha, axis=1)


def min_sequences_per_class(*, n_steps: int, n_states: int, covariance_type: str, n_features: int) -> int:
    """Fewest training sequences a class needs, so that every state can be estimated.

    Equal-chunk initialisation (:func:`equal_chunk_states`) gives each state ``n_seq * chunk`` frames, where
    ``chunk`` is its number of steps per sequence. Each state needs at least ``n_features + 1`` frames for
    ``covariance_type="full"`` (a non-singular covariance matrix) and 2 frames otherwise (a variance needs two
    points), so the smallest chunk decides.

    Parameters
    ----------
    n_steps, n_states, n_features : int >= 1
        With ``n_states <= n_steps``.
    covariance_type : {"diag", "spherical", "full", "tied"}

    Returns
    -------
    n_min : int >= 1

    Examples
    --------
    >>> min_sequences_per_class(n_steps=4, n_states=4, covariance_type="diag", n_features=5)
    2
    >>> min_sequences_per_class(n_steps=8, n_states=4, covariance_type="full", n_features=5)
    3
    """
    frames_needed = n_features + 1 if covariance_type == "full" else 2
    smallest_chunk = np.bincount(equal_chunk_states(n_steps, n_states)).min()
    return int(-(-frames_needed // smallest_chunk))


@contextlib.contextmanager
def _quiet_convergence_monitor():
    """Silence hmmlearn's "Model is not converging" warnings while fitting.

    The covariance floor added after each M-step can lower the log-likelihood by a hair (1e-3 here), which
    hmmlearn reports as non-convergence; EM still stops at ``tol`` or ``n_iter`` as usual.
    """
    logger = logging.getLogger("hmmlearn.base")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _finite_parameters(model) -> bool:
    return all(np.all(np.isfinite(v)) for v in (model.transmat_, model.means_, model._covars_))


class _LeftRightGaussianHMM(GaussianHMM):
    """``GaussianHMM`` with a covariance floor and an absorbing state wherever a row of ``A`` empties.

    After each M-step ``min_covar`` is added to every variance (as ``reg_covar`` in scikit-learn's
    ``GaussianMixture``), so no state collapses onto a few frames. A state that no training sequence ever
    leaves (the last state when sequences end there) has no observed transitions; its row of ``A`` would
    be all zeros, and it becomes a self-loop instead. A state no training frame occupies (zero posterior
    weight: its re-estimate would be 0 / 0) keeps its mean and covariance.
    """

    def _do_mstep(self, stats):
        means, covars = self.means_.copy(), self._covars_.copy()
        super()._do_mstep(stats)
        full = self.covariance_type in ("full", "tied")
        self._covars_ = self._covars_ + self.min_covar * (np.eye(self.n_features) if full else 1.0)
        unused = np.asarray(stats["post"]) <= 0
        if unused.any():
            self.means_[unused] = means[unused]
            if self.covariance_type != "tied":
                self._covars_[unused] = covars[unused]
        empty = self.transmat_.sum(axis=1) == 0
        self.transmat_[empty, empty] = 1.0

    def log_emission(self, frames) -> np.ndarray:
        """``log b_j(o)`` of each frame under each state, ``(n_frames, n_states)``, as hmmlearn scores it."""
        return self._compute_log_likelihood(frames)


class LeftRightHMMClassifier(ClassifierMixin, BaseEstimator):
    """One left-right Gaussian HMM per class; predicts the class of highest log-likelihood (§6.1, Eq. 32).

    Each row of ``X`` is one observation sequence of ``n_steps`` feature vectors, concatenated (see
    :mod:`bearingkit.models.sequences`). For each class a Gaussian HMM is trained by Baum-Welch (hmmlearn's
    ``GaussianHMM``) with

    * start probabilities ``π = (1, 0, ..., 0)`` and a left-right ``A`` (:func:`left_right_transmat`), both
      set here and never re-initialised; ``π`` is not re-estimated, and zeros in ``A`` stay zero;
    * state means initialised from equal chunks of every sequence (:func:`equal_chunk_states`), covariances
      from the class's pooled frames, and ``min_covar`` added to every variance after each M-step (in place
      of hmmlearn's default ``covars_prior``, which is set to 0).

    A sequence of ``T`` frames that starts in the first state can occupy at most ``T`` states, so the models
    have ``n_states_ = min(n_states, n_steps)`` states. With ``n_steps=1`` each class is one Gaussian.

    Parameters
    ----------
    n_states : int >= 1, default=4
        Hidden states per model (4 in the paper, Fig. 5).
    n_steps : int >= 1, default=1
        Sequence length ``T``; ``X`` has ``n_steps * n_features`` columns.
    covariance_type : {"diag", "spherical", "full", "tied"}, default="diag"
        Emission covariance of each state (hmmlearn's meaning).
    max_jump : int >= 1, default=1
        Largest forward move per step: 1 = self or next state, 2 = the Bakis skip.
    min_covar : float > 0, default=1e-3
        Added to every emission variance after each M-step.
    n_iter : int >= 1, default=100
        Most Baum-Welch iterations per model.
    tol : float >= 0, default=1e-2
        Stop when the log-likelihood of the class's training sequences gains less than this in one iteration.

    Attributes
    ----------
    classes_ : np.ndarray [shape=(n_classes,)]
    models_ : list of hmmlearn.hmm.GaussianHMM
        ``models_[k]`` is ``λ_k`` for ``classes_[k]`` (a subclass that applies the covariance floor).
    n_states_ : int
        ``min(n_states, n_steps)``.
    n_features_in_ : int
        ``n_steps * n_features``.

    Raises
    ------
    ParameterError
        On ``fit``, if the number of columns is not a multiple of ``n_steps``, or if a class has fewer
        training sequences than :func:`min_sequences_per_class` requires.

    Notes
    -----
    Fitting draws no random numbers, so the same data always give the same models.
    ``decision_function`` follows scikit-learn: ``(n, n_classes)`` log-likelihoods, or for two classes the
    log-likelihood ratio ``log P(O | λ_1) - log P(O | λ_0)``. :meth:`log_likelihoods` always returns the
    matrix.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat([0, 1], 20)
    >>> X = rng.normal(size=(40, 4 * 2)) + np.where(y[:, None] == 1, np.linspace(0, 3, 8), 0)
    >>> clf = LeftRightHMMClassifier(n_steps=4).fit(X, y)
    >>> clf.log_likelihoods(X).shape
    (40, 2)
    """

    _parameter_constraints: dict = {
        "n_states": [Interval(Integral, 1, None, closed="left")],
        "n_steps": [Interval(Integral, 1, None, closed="left")],
        "covariance_type": [StrOptions(set(COVARIANCE_TYPES))],
        "max_jump": [Interval(Integral, 1, None, closed="left")],
        "min_covar": [Interval(Real, 0, None, closed="neither")],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self, n_states=4, n_steps=1, covariance_type="diag", max_jump=1, min_covar=1e-3, n_iter=100, tol=1e-2
    ):
        self.n_states = n_states
        self.n_steps = n_steps
        self.covariance_type = covariance_type
        self.max_jump = max_jump
        self.min_covar = min_covar
        self.n_iter = n_iter
        self.tol = tol

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train one HMM per class on the sequences in ``X`` by Baum-Welch (Eqs. 27-29, 32).

        Parameters
        ----------
        X : array-like [shape=(n_sequences, n_steps * n_features)]
        y : array-like [shape=(n_sequences,)]

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        sequences = unflatten_sequences(X, self.n_steps)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        self.n_states_ = min(self.n_states, self.n_steps)
        self._check_class_sizes(np.bincount(y_index), sequences.shape[2])
        self.models_ = [self._fit_one(sequences[y_index == k]) for k in range(len(self.classes_))]
        return self

    def _check_class_sizes(self, counts, n_features):
        n_min = min_sequences_per_class(
            n_steps=self.n_steps, n_states=self.n_states_, covariance_type=self.covariance_type,
            n_features=n_features,
        )
        small = counts < n_min
        if small.any():
            k = int(np.argmax(small))
            per_state = n_features + 1 if self.covariance_type == "full" else 2
            raise ParameterError(
                f"class {self.classes_[k]} has {counts[k]} sample(s) (training sequences); a "
                f"{self.n_states_}-state model with covariance_type={self.covariance_type!r} over "
                f"{self.n_steps} steps needs at least {n_min} per class, so that splitting every sequence "
                f"into {self.n_states_} equal chunks gives each state >= {per_state} frames to estimate its "
                f"covariance from. Collect more sequences of this class, use fewer states, or use longer "
                f"sequences (n_steps)."
            )

    def _fit_one(self, sequences):
        """Baum-Welch with scaled forward-backward (Rabiner 1989, §V.A), in log space if that underflows.

        The scaled recursions give the same re-estimates as the log-space ones (to ~1e-10 nats on the CWRU
        features) about 3x faster; a frame whose density underflows under every state makes them fail, and
        the model is then refitted in log space.
        """
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                model = self._baum_welch(sequences, implementation="scaling")
            if _finite_parameters(model):
                return model
        except (ValueError, FloatingPointError, ZeroDivisionError):
            pass
        return self._baum_welch(sequences, implementation="log")

    def _baum_welch(self, sequences, *, implementation: str):
        n_sequences, n_steps, n_features = sequences.shape
        states = equal_chunk_states(n_steps, self.n_states_)
        model = _LeftRightGaussianHMM(
            n_components=self.n_states_, covariance_type=self.covariance_type, min_covar=self.min_covar,
            covars_prior=0.0, n_iter=self.n_iter, tol=self.tol, params="tmc", init_params="c",
            implementation=implementation,
        )
        model.startprob_ = np.eye(self.n_states_)[0]
        model.transmat_ = left_right_transmat(self.n_states_, max_jump=self.max_jump)
        model.means_ = np.stack([sequences[:, states == s].reshape(-1, n_features).mean(axis=0)
                                 for s in range(self.n_states_)])
        with _quiet_convergence_monitor():
            return model.fit(sequences.reshape(-1, n_features), lengths=np.full(n_sequences, n_steps))

    def log_likelihoods(self, X) -> np.ndarray:
        """``log P(O | λ_k)`` of each sequence under each class model, by the forward algorithm (Eqs. 25-26).

        Parameters
        ----------
        X : array-like [shape=(n_sequences, n_steps * n_features)]

        Returns
        -------
        log_likelihood : np.ndarray [shape=(n_sequences, n_classes)]
            Column ``k`` belongs to ``classes_[k]``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        sequences = unflatten_sequences(X, self.n_steps)
        n_sequences, n_steps, n_features = sequences.shape
        frames = sequences.reshape(-1, n_features)
        return np.column_stack([
            forward_log_likelihood(
                m.log_emission(frames).reshape(n_sequences, n_steps, -1),
                m.startprob_, m.transmat_,
            )
            for m in self.models_
        ])

    def decision_function(self, X) -> np.ndarray:
        """Log-likelihoods ``(n, n_classes)``; for two classes the log-likelihood ratio ``(n,)``."""
        log_likelihood = self.log_likelihoods(X)
        if len(self.classes_) == 2:
            return log_likelihood[:, 1] - log_likelihood[:, 0]
        return log_likelihood

    def predict(self, X) -> np.ndarray:
        """The class of highest log-likelihood, ``argmax_k log P(O | λ_k)`` (Eq. 32)."""
        log_likelihood = self.log_likelihoods(X)
        return self.classes_[np.argmax(log_likelihood, axis=1)]

    def predict_proba(self, X) -> np.ndarray:
        """``P_HMM``: the softmax of the log-likelihoods over the classes (§6.3.1).

        Equal to the class posterior under equal class priors. Rows sum to 1.
        """
        return softmax(self.log_likelihoods(X), axis=1)

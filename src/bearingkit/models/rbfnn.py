"""Radial basis function network classifier (Sedira et al. 2026, §4.2 and §6.2).

A hidden layer of Gaussian units ``φ_j(x) = exp(-||x - μ_j||² / σ²)`` (Eq. 31) feeds a linear output layer
with bias, ``y_k = Σ_j w_jk φ_j(x) + b_k`` (Eq. 30), trained on one-hot targets (§6.2.1). Learning has the
paper's three steps: choose the centres ``μ_j`` (k-means, or incremental growth as MATLAB's ``newrb``
[2]_, which picks each new unit by the orthogonal least squares of Chen et al. (1991) [3]_), fix the width
``σ`` (``newrb``'s ``spread``, or Haykin's (1999) [1]_ rule from the centres), and solve the output weights
by linear least squares. The predicted class is the largest output (§6.2.3).

References
----------
.. [1] S. Haykin, *Neural Networks: A Comprehensive Foundation*, 2nd ed., Prentice Hall, 1999, §5.11
       (fixed centres selected at random, width ``d_max / sqrt(2 M)``).
.. [2] MathWorks, ``newrb``: design radial basis network (Deep Learning Toolbox), where ``spread`` is the
       distance at which a unit's output falls to 0.5.
.. [3] S. Chen, C. F. N. Cowan, P. M. Grant, "Orthogonal least squares learning algorithm for radial basis
       function networks", IEEE Trans. Neural Netw. 2(2), 302-309, 1991.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from scipy.spatial.distance import cdist, pdist
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.cluster import KMeans
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from bearingkit.errors import ParameterError

__all__ = ["RBFNetworkClassifier", "fit_output_layer", "grow_newrb", "haykin_sigma", "rbf_activations",
           "spread_to_sigma"]


def spread_to_sigma(spread: float) -> float:
    """Eq. 31 width ``σ`` of a unit whose output is 0.5 at distance ``spread`` (MATLAB ``newrb``).

    ``exp(-spread² / σ²) = 0.5`` gives ``σ = spread / sqrt(ln 2)``.

    Examples
    --------
    >>> float(np.exp(-1.0 / spread_to_sigma(1.0) ** 2))
    0.5
    """
    return spread / np.sqrt(np.log(2.0))


def haykin_sigma(centers) -> float:
    """Eq. 31 width ``σ = d_max / sqrt(M)`` for ``M`` centres ``d_max`` apart at most (Haykin 1999, §5.11).

    Haykin's unit ``exp(-M ||x - μ||² / d_max²)`` is a Gaussian of standard deviation ``d_max / sqrt(2M)``;
    in Eq. 31's form ``exp(-||x - μ||² / σ²)`` that is ``σ = d_max / sqrt(M)``: neither too peaked nor too
    flat for centres spread over the data.

    Parameters
    ----------
    centers : np.ndarray [shape=(M, n_features)]

    Raises
    ------
    ParameterError
        If all centres coincide (``d_max = 0``).
    """
    d_max = pdist(centers).max(initial=0.0)
    if d_max == 0:
        raise ParameterError(
            f"all {len(centers)} centres coincide, so the Haykin width d_max / sqrt(M) is 0: use more "
            f"centres or give spread as a number"
        )
    return float(d_max / np.sqrt(len(centers)))


def rbf_activations(X, centers, sigma: float) -> np.ndarray:
    """Hidden-layer outputs ``φ_j(x) = exp(-||x - μ_j||² / σ²)`` (Eq. 31).

    Parameters
    ----------
    X : np.ndarray [shape=(n_samples, n_features)]
    centers : np.ndarray [shape=(M, n_features)]
    sigma : float > 0

    Returns
    -------
    phi : np.ndarray [shape=(n_samples, M)]
    """
    return np.exp(-cdist(X, centers, "sqeuclidean") / sigma**2)


def fit_output_layer(phi, targets, alpha: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares output weights and bias of Eq. 30, optionally ridge-penalised.

    Minimises ``||targets - phi @ W - b||² + alpha ||W||²`` (the bias is not penalised) by centring ``phi``
    and ``targets`` and solving the augmented system ``[phi_c; sqrt(alpha) I] W = [targets_c; 0]`` with
    ``numpy.linalg.lstsq`` (the minimum-norm solution when ``phi`` is rank-deficient).

    Parameters
    ----------
    phi : np.ndarray [shape=(n_samples, M)]
    targets : np.ndarray [shape=(n_samples, n_outputs)]
    alpha : float >= 0

    Returns
    -------
    coef : np.ndarray [shape=(M, n_outputs)]
    intercept : np.ndarray [shape=(n_outputs,)]
    """
    phi_mean, target_mean = phi.mean(axis=0), targets.mean(axis=0)
    n_units = phi.shape[1]
    design = np.vstack([phi - phi_mean, np.sqrt(alpha) * np.eye(n_units)])
    rhs = np.vstack([targets - target_mean, np.zeros((n_units, targets.shape[1]))])
    coef = np.linalg.lstsq(design, rhs)[0]
    return coef, target_mean - phi_mean @ coef


def grow_newrb(X, targets, *, sigma: float, goal: float, max_neurons: int, alpha: float = 0.0):
    """Grow the hidden layer one unit at a time until the training MSE reaches ``goal`` (as MATLAB ``newrb``).

    Start with no hidden unit (outputs = bias = the class frequencies). While the mean squared error over
    all outputs exceeds ``goal``, fewer than ``max_neurons`` units exist and unused samples remain: put a
    new centre on the training sample with the largest squared output error ``Σ_k (t_k - y_k)²``, then
    refit all output weights (:func:`fit_output_layer`). MATLAB's ``newrb`` instead adds the sample whose
    unit most reduces the error after orthogonalisation (Chen et al. 1991), which needs all ``n²`` candidate
    columns; the largest-error rule needs one column per step and targets the same misfit.

    Parameters
    ----------
    X : np.ndarray [shape=(n_samples, n_features)]
    targets : np.ndarray [shape=(n_samples, n_outputs)]
    sigma : float > 0
        Width ``σ`` of Eq. 31, shared by all units.
    goal : float >= 0
        Target training MSE.
    max_neurons : int >= 0
    alpha : float >= 0
        Ridge penalty of the output layer.

    Returns
    -------
    center_index : np.ndarray [shape=(M,), dtype=int]
        Rows of ``X`` used as centres, in the order they were added.
    coef, intercept : np.ndarray
        Output layer for those centres.
    mse : np.ndarray [shape=(M + 1,)]
        Training MSE with 0, 1, ..., M units.
    """
    n_samples = X.shape[0]
    phi = np.empty((n_samples, 0))
    coef, intercept = fit_output_layer(phi, targets, alpha)
    center_index, mse = [], []
    while True:
        sq_error = ((targets - phi @ coef - intercept) ** 2).sum(axis=1)
        mse.append(sq_error.sum() / targets.size)
        if mse[-1] <= goal or len(center_index) >= min(max_neurons, n_samples):
            break
        sq_error[center_index] = -np.inf
        new = int(np.argmax(sq_error))
        center_index.append(new)
        phi = np.column_stack([phi, rbf_activations(X, X[new : new + 1], sigma)])
        coef, intercept = fit_output_layer(phi, targets, alpha)
    return np.asarray(center_index, dtype=int), coef, intercept, np.asarray(mse)


class RBFNetworkClassifier(ClassifierMixin, BaseEstimator):
    """Gaussian radial basis function network with a least-squares linear output layer (§4.2, §6.2).

    Parameters
    ----------
    centers : {"newrb", "kmeans"}, default="newrb"
        How the hidden layer is built.

        * ``"newrb"``: grown one unit at a time on training samples until the training MSE is at most
          ``goal`` or ``max_neurons`` units exist (:func:`grow_newrb`; §6.2.2).
        * ``"kmeans"``: ``n_centers`` k-means centres of all training samples, pooled over classes: the
          hidden layer models the input distribution, unsupervised (§4.2).
    spread : float > 0 or "haykin", default=1.0
        Width of every unit, as the distance at which its output falls to 0.5 (MATLAB ``newrb``), i.e.
        ``σ = spread / sqrt(ln 2)`` in Eq. 31 (:func:`spread_to_sigma`). ``"haykin"`` (k-means only): ``σ =
        d_max / sqrt(M)`` from the centres (:func:`haykin_sigma`). Inputs should be standardised.
    n_centers : int >= 1, default=10
        Number of k-means centres (``centers="kmeans"``).
    goal : float >= 0, default=0.0
        Target training MSE of the one-hot outputs (``centers="newrb"``; MATLAB's default 0).
    max_neurons : int >= 0, default=100
        Most hidden units (``centers="newrb"``; MATLAB's default is the number of samples).
    alpha : float >= 0, default=0.0
        Ridge penalty on the output weights (0: plain least squares, as the paper).
    random_state : int, RandomState or None, default=None
        Seeds k-means; ``"newrb"`` is deterministic.

    Attributes
    ----------
    classes_ : np.ndarray [shape=(n_classes,)]
    centers_ : np.ndarray [shape=(M, n_features)]
        ``μ_j`` of Eq. 31.
    sigma_ : float
        ``σ`` of Eq. 31.
    coef_ : np.ndarray [shape=(M, n_classes)]
        ``w_j(k)`` of Eq. 30.
    intercept_ : np.ndarray [shape=(n_classes,)]
        ``b`` of Eq. 30, one per output.
    training_mse_ : np.ndarray
        ``"newrb"``: training MSE with 0, 1, ..., M units; ``"kmeans"``: the final training MSE only.
    n_features_in_ : int

    Raises
    ------
    ParameterError
        On ``fit``, if ``spread="haykin"`` is asked with ``"newrb"`` (the width must be known before the
        first unit), or if ``n_centers`` exceeds the number of training samples.

    Notes
    -----
    :meth:`predict_proba` clips negative outputs to 0 and renormalises each row. Least squares on one-hot
    targets with a bias makes the outputs of every input sum to exactly 1, so the largest output is
    positive, the clipped row never sums to 0, and the arg-max (the prediction) is unchanged.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2))
    >>> y = (np.hypot(X[:, 0], X[:, 1]) > 1.2).astype(int)         # a ring: not linearly separable
    >>> clf = RBFNetworkClassifier(goal=0.01, max_neurons=40).fit(X, y)
    >>> bool(clf.score(X, y) > 0.95)
    True
    """

    _parameter_constraints: dict = {
        "centers": [StrOptions({"newrb", "kmeans"})],
        "spread": [Interval(Real, 0, None, closed="neither"), StrOptions({"haykin"})],
        "n_centers": [Interval(Integral, 1, None, closed="left")],
        "goal": [Interval(Real, 0, None, closed="left")],
        "max_neurons": [Interval(Integral, 0, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        centers="newrb",
        spread=1.0,
        n_centers=10,
        goal=0.0,
        max_neurons=100,
        alpha=0.0,
        random_state=None,
    ):
        self.centers = centers
        self.spread = spread
        self.n_centers = n_centers
        self.goal = goal
        self.max_neurons = max_neurons
        self.alpha = alpha
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Choose the centres, the width and the output weights (§4.2).

        Parameters
        ----------
        X : array-like [shape=(n_samples, n_features)]
        y : array-like [shape=(n_samples,)]

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        targets = np.eye(len(self.classes_))[y_index]
        if self.centers == "newrb":
            if isinstance(self.spread, str):
                raise ParameterError(
                    "spread='haykin' needs the centres first and works with centers='kmeans' only; give "
                    "spread as a number for centers='newrb'"
                )
            self.sigma_ = spread_to_sigma(self.spread)
            index, self.coef_, self.intercept_, self.training_mse_ = grow_newrb(
                X, targets, sigma=self.sigma_, goal=self.goal, max_neurons=self.max_neurons, alpha=self.alpha
            )
            self.centers_ = X[index]
            return self
        if self.n_centers > X.shape[0]:
            raise ParameterError(
                f"n_centers={self.n_centers} k-means centres need at least as many training samples, got "
                f"n_samples={X.shape[0]}: lower n_centers"
            )
        kmeans = KMeans(self.n_centers, n_init=10, random_state=self.random_state).fit(X)
        self.centers_ = kmeans.cluster_centers_
        haykin = isinstance(self.spread, str)
        self.sigma_ = haykin_sigma(self.centers_) if haykin else spread_to_sigma(self.spread)
        phi = rbf_activations(X, self.centers_, self.sigma_)
        self.coef_, self.intercept_ = fit_output_layer(phi, targets, self.alpha)
        self.training_mse_ = np.atleast_1d(np.mean((targets - phi @ self.coef_ - self.intercept_) ** 2))
        return self

    def _outputs(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return rbf_activations(X, self.centers_, self.sigma_) @ self.coef_ + self.intercept_

    def predict(self, X) -> np.ndarray:
        """The class of the largest output (the max rule, §6.2.3)."""
        outputs = self._outputs(X)
        return self.classes_[np.argmax(outputs, axis=1)]

    def predict_proba(self, X) -> np.ndarray:
        """``S_RBF``: outputs clipped below at 0 and divided by their row sum (§6.3.1). Rows sum to 1."""
        outputs = np.clip(self._outputs(X), 0.0, None)
        return outputs / outputs.sum(axis=1, keepdims=True)

"""The three search engines of Lee et al.'s container (§2.4): LHS, Kriging with EI, and BOHB.

* :func:`latin_hypercube` (McKay et al. 2000): ``n`` space-filling points, one per stratum of every
  dimension (``scipy.stats.qmc.LatinHypercube``, seeded).
* :func:`kriging_proposal` (Jones et al. 1998): a Gaussian process fitted on the observations proposes the
  point of largest expected improvement (scikit-optimize). §2.4: Matérn 5/2 covariance, RBF "when the number
  of observations was small" (we switch below ``2 * n_dimensions + 1`` observations: the paper gives no
  threshold), a white-noise term and normalised responses.
* :func:`bohb_sampler` and :func:`bohb_pruner` (Falkner et al. 2018): BOHB as Optuna composes it, a TPE
  sampler (the density-ratio model BOHB uses) with the Hyperband pruner at reduction factor η = 3.
* :class:`StageSampler`: the Optuna sampler of a stage, proposing each trial's parameters with Kriging or with
  BOHB's TPE as the trial's phase says.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import optuna
from scipy.stats import qmc

from bearingkit.checks import check_seed
from bearingkit.errors import ParameterError
from bearingkit.hpo.space import SearchSpace

__all__ = ["REDUCTION_FACTOR", "StageSampler", "bohb_pruner", "bohb_sampler", "kriging_kernel",
           "kriging_proposal", "latin_hypercube"]

#: Hyperband's reduction factor η (§2.4).
REDUCTION_FACTOR = 3


def latin_hypercube(space: SearchSpace, n: int, *, seed: int) -> list[dict]:
    """``n`` parameter sets from a Latin hypercube over ``space`` (the same seed gives the same points).

    Examples
    --------
    >>> from bearingkit.hpo.space import real
    >>> points = latin_hypercube(SearchSpace((real("x", 0.0, 1.0),)), 4, seed=0)
    >>> sorted(int(p["x"] * 4) for p in points)
    [0, 1, 2, 3]
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ParameterError(f"n must be a positive integer number of points, got {n!r}")
    unit = qmc.LatinHypercube(d=len(space.dimensions), seed=check_seed(seed)).random(n)
    return [space.from_unit(u) for u in unit]


def kriging_kernel(n_observations: int, n_dimensions: int):
    """Constant x (Matérn 5/2, or RBF while observations are few) + white noise, one length per dimension."""
    # scikit-optimize (with scikit-learn) takes seconds to import: loaded when Kriging is first used, so
    # that a worker process starts fast
    from skopt.learning.gaussian_process.kernels import RBF, ConstantKernel, Matern, WhiteKernel

    lengths = np.ones(n_dimensions)
    shape = RBF(lengths) if n_observations < 2 * n_dimensions + 1 else Matern(lengths, nu=2.5)
    return ConstantKernel(1.0) * shape + WhiteKernel(1e-3)


def kriging_proposal(space: SearchSpace, observed: Sequence[dict], values: Sequence[float], *,
                     seed: int) -> dict:
    """The next point by Kriging + expected improvement, for *maximising* ``values``.

    Parameters
    ----------
    space : SearchSpace
    observed : sequence of dict
        Parameters already evaluated (at least 2).
    values : sequence of float
        Their objective values (larger is better); non-finite ones are left out.
    seed : int

    Returns
    -------
    dict
        Plain-Python parameters (scikit-optimize's ``np.int64`` converted), never one already observed.
    """
    import skopt
    from skopt.learning import GaussianProcessRegressor
    from skopt.space import Space
    from skopt.utils import normalize_dimensions

    keep = [i for i, v in enumerate(values) if np.isfinite(v)]
    if len(keep) < 2:
        raise ParameterError(f"Kriging needs at least 2 finite observations, got {len(keep)}")
    # categorical dimensions are one-hot encoded for the GP: one length scale per encoded column
    n_dim = Space(normalize_dimensions(space.to_skopt())).transformed_n_dims
    gp = GaussianProcessRegressor(kernel=kriging_kernel(len(keep), n_dim), normalize_y=True,
                                  n_restarts_optimizer=2, random_state=check_seed(seed))
    optimizer = skopt.Optimizer(space.to_skopt(), base_estimator=gp, acq_func="EI", acq_optimizer="sampling",
                                n_initial_points=0, random_state=check_seed(seed))
    optimizer.tell([space.as_list(observed[i]) for i in keep], [-float(values[i]) for i in keep])
    return space.as_dict(optimizer.ask())


def bohb_sampler(*, seed: int) -> optuna.samplers.TPESampler:
    """BOHB's model: Optuna's multivariate TPE sampler, seeded."""
    return optuna.samplers.TPESampler(seed=check_seed(seed), multivariate=True)


def bohb_pruner(*, min_resource: int, max_resource: int) -> optuna.pruners.HyperbandPruner:
    """BOHB's budget allocation: Hyperband over ``min_resource..max_resource`` (epochs, segments, folds)."""
    if not 1 <= min_resource <= max_resource:
        raise ParameterError(f"need 1 <= min_resource <= max_resource, got {min_resource}, {max_resource}")
    return optuna.pruners.HyperbandPruner(min_resource=min_resource, max_resource=max_resource,
                                          reduction_factor=REDUCTION_FACTOR)


class StageSampler(optuna.samplers.BaseSampler):
    """The Optuna sampler of a container stage: a trial's phase picks the engine that proposes its parameters.

    A stage queues every trial with its phase in the user attribute ``phase``
    (:mod:`bearingkit.hpo.container`). An ``"lhs"`` trial and a re-run arrive with all their parameters, and
    nothing is sampled for them. A ``"kriging"`` trial gets :func:`kriging_proposal` fitted on every complete
    trial of the study, read afresh from ``storage`` (under a Hyperband pruner Optuna shows a sampler only
    the trials of one bracket). Any other trial gets BOHB's TPE (:func:`bohb_sampler`, on the trials of its
    bracket, as Optuna composes BOHB). Both are seeded with ``seed + trial.number``: the same seed gives the
    same proposals, and workers that sample at the same moment propose different points.

    Parameters
    ----------
    space : SearchSpace
    seed : int
    storage : optuna.storages.BaseStorage or str
        The storage of the studies this sampler serves (the History DB's).
    """

    def __init__(self, space: SearchSpace, *, seed: int, storage):
        self.space, self.seed, self.storage = space, check_seed(seed), storage
        self.tpe = bohb_sampler(seed=self.seed)

    def before_trial(self, study, trial) -> None:
        self.tpe = bohb_sampler(seed=self.seed + trial.number)
        self.tpe.before_trial(study, trial)

    def infer_relative_search_space(self, study, trial) -> dict:
        if trial.user_attrs.get("phase") == "kriging":
            return self.space.to_optuna()
        return self.tpe.infer_relative_search_space(study, trial)

    def sample_relative(self, study, trial, search_space: dict) -> dict:
        if trial.user_attrs.get("phase") != "kriging":
            return self.tpe.sample_relative(study, trial, search_space)
        whole = optuna.load_study(study_name=study.study_name, storage=self.storage, sampler=self)
        done = whole.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
        return kriging_proposal(self.space, [t.params for t in done], [t.value for t in done],
                                seed=self.seed + trial.number)

    def sample_independent(self, study, trial, param_name: str, param_distribution):
        return self.tpe.sample_independent(study, trial, param_name, param_distribution)

    def after_trial(self, study, trial, state, values) -> None:
        self.tpe.after_trial(study, trial, state, values)

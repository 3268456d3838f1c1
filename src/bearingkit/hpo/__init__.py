"""The unified optimisation container of Lee et al. (2026), §2.4, built from well-kept libraries.

* :mod:`.space`: one search-space definition, readable by every engine below;
* :mod:`.engines`: LHS (``scipy.stats.qmc``), Kriging with expected improvement (scikit-optimize: Matérn 5/2,
  RBF while observations are few, a white-noise term, normalised responses), and BOHB as Optuna's TPE sampler
  with its Hyperband pruner (η = 3);
* :mod:`.history`: the History DB, one SQLAlchemy database (SQLite by default, any URL such as PostgreSQL)
  holding Optuna's studies and our own records (candidates, CSS, splits, bounds, posteriors, weights);
* :mod:`.container`: a stage run as LHS -> Kriging -> BOHB in one Optuna study, with the paper's stop rule;
  several worker processes may share a stage, and ``time_budget_s`` runs it in resumable pieces.

This subpackage sits beside :mod:`bearingkit.evaluation` and imports nothing from ``papers`` or ``report``.
"""

from bearingkit.hpo.container import StageResult, converged, run_stage
from bearingkit.hpo.history import HistoryDB
from bearingkit.hpo.space import Dimension, SearchSpace, categorical, integer, real

__all__ = ["Dimension", "HistoryDB", "SearchSpace", "StageResult", "categorical", "converged", "integer",
           "real", "run_stage"]

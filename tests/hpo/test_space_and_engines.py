"""The container's search space and engines: LHS, Kriging + EI (scikit-optimize), BOHB (Optuna)."""

import json

import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.hpo import engines
from bearingkit.hpo.space import SearchSpace, categorical, integer, real

SPACE = SearchSpace((real("lr", 1e-4, 1e-1, log=True), integer("width", 8, 64),
                     categorical("opt", ["adam", "sgd"])))


def test_lhs_puts_one_point_in_every_stratum_and_repeats_with_the_seed():
    points = engines.latin_hypercube(SPACE, 8, seed=3)
    strata = sorted(int(8 * (np.log(p["lr"]) - np.log(1e-4)) / (np.log(1e-1) - np.log(1e-4))) for p in points)
    assert strata == list(range(8))
    assert all(isinstance(p["width"], int) and 8 <= p["width"] <= 64 for p in points)
    assert {p["opt"] for p in points} == {"adam", "sgd"}
    assert points == engines.latin_hypercube(SPACE, 8, seed=3)
    assert points != engines.latin_hypercube(SPACE, 8, seed=4)


def test_kriging_proposal_is_plain_python_inside_the_space_and_json_ready():
    observed = engines.latin_hypercube(SPACE, 6, seed=0)
    values = [-(np.log10(p["lr"]) + 2) ** 2 - (p["width"] - 40) ** 2 / 500 for p in observed]
    proposal = engines.kriging_proposal(SPACE, observed, values, seed=0)
    assert type(proposal["width"]) is int and type(proposal["lr"]) is float
    assert 1e-4 <= proposal["lr"] <= 1e-1 and proposal["opt"] in ("adam", "sgd")
    json.dumps(proposal)


def test_kriging_moves_towards_the_maximum_of_a_smooth_function():
    space = SearchSpace((real("x", 0.0, 1.0),))
    observed = [{"x": x} for x in (0.05, 0.3, 0.5, 0.95)]
    values = [-(p["x"] - 0.4) ** 2 for p in observed]
    assert abs(engines.kriging_proposal(space, observed, values, seed=1)["x"] - 0.4) < 0.15


def test_kriging_switches_from_rbf_to_matern_as_observations_grow():
    assert "RBF" in str(engines.kriging_kernel(3, 3)) and "Matern" in str(engines.kriging_kernel(7, 3))
    assert "WhiteKernel" in str(engines.kriging_kernel(7, 3))


def test_bohb_pruner_uses_eta_three_and_refuses_bad_budgets():
    assert engines.bohb_pruner(min_resource=1, max_resource=9)._reduction_factor == 3
    with pytest.raises(ParameterError, match="min_resource"):
        engines.bohb_pruner(min_resource=5, max_resource=2)


def test_space_refuses_duplicate_names_and_bad_ranges():
    with pytest.raises(ParameterError, match="distinct"):
        SearchSpace((real("a", 0, 1), real("a", 0, 2)))
    with pytest.raises(ParameterError, match="positive"):
        real("lr", 0.0, 1.0, log=True)

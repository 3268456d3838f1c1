"""The run's History DB refuses another run's database; pieces end at their deadline; posteriors by digest."""

import dataclasses
import time

import pytest

from bearingkit import paths
from bearingkit.errors import ParameterError
from bearingkit.hpo.history import sqlite_url
from bearingkit.papers.lee2026.history import (
    notebook_history,
    open_history,
    params_key,
    piece_deadline,
    remaining,
)
from bearingkit.papers.lee2026.settings import Settings


def test_history_db_refuses_another_runs_configuration(tmp_path):
    url = sqlite_url(tmp_path / "h.db")
    config = {"profile": "quick", "seed": 0, "settings": dataclasses.asdict(Settings())}
    open_history(url, config, resume=False)
    open_history(url, config, resume=True)        # same run: continued
    with pytest.raises(ParameterError, match="already holds a run"):
        open_history(url, config, resume=False)
    with pytest.raises(ParameterError, match=r"another configuration .*seed"):
        open_history(url, {**config, "seed": 1}, resume=True)


def test_the_notebooks_own_database_starts_afresh_unless_resumed():
    settings = Settings()
    kwargs = {"notebook": "02_test", "profile": "quick", "seed": 7, "settings": settings}
    first = notebook_history(None, resume=False, **kwargs)
    assert first.url.endswith("history_quick_seed7.db")
    assert (paths.BUILD_DIR / "lee2026" / "history_quick_seed7.db").exists()
    notebook_history(None, resume=True, **kwargs)          # continued
    notebook_history(None, resume=False, **kwargs)         # deleted and started again
    with pytest.raises(ParameterError, match="another configuration"):
        notebook_history(None, resume=True, **{**kwargs, "settings": Settings(folds=3)})


def test_a_piece_ends_its_seconds_after_its_start():
    assert piece_deadline(None) is None and remaining(None) is None
    start = time.monotonic()
    assert piece_deadline(10, start=start) == start + 10
    assert remaining(piece_deadline(0, start=start)) == 0.0


def test_the_posteriors_key_depends_on_the_parameters_not_their_order():
    assert params_key({"a": 1, "b": 0.5}) == params_key({"b": 0.5, "a": 1}) != params_key({"a": 2, "b": 0.5})

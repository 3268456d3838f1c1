"""Paths from the repository root, and the variables that move the root, the cache and the mirrors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bearingkit import paths

REPO = Path(__file__).resolve().parents[1]


def _paths_in_a_fresh_interpreter(cwd: Path, **variables: str) -> list[str]:
    """PROJ_ROOT, RESULTS_DIR and cache_dir() as a new process sees them (the root is read at import)."""
    code = "from bearingkit import paths as p; print(p.PROJ_ROOT); print(p.RESULTS_DIR); print(p.cache_dir())"
    env = {k: v for k, v in os.environ.items() if k not in ("BEARINGKIT_ROOT", "BEARINGKIT_CACHE")}
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env | variables, capture_output=True,
                          text=True, check=True)
    return done.stdout.split()


def test_default_root_is_the_repository_whatever_the_working_directory(tmp_path):
    assert _paths_in_a_fresh_interpreter(tmp_path) == [
        str(REPO), str(REPO / "build" / "results"), str(REPO / "data" / "raw")]


def test_root_override_moves_every_path_and_is_made_absolute(tmp_path):
    root = tmp_path.resolve() / "elsewhere"
    assert _paths_in_a_fresh_interpreter(tmp_path, BEARINGKIT_ROOT="elsewhere") == [
        str(root), str(root / "build" / "results"), str(root / "data" / "raw")]


def test_every_directory_hangs_from_the_root():
    assert paths.RESULTS_DIR == paths.PROJ_ROOT / "build" / "results"
    assert paths.REFERENCE_DIR == paths.PROJ_ROOT / "data" / "reference"
    assert paths.NOTEBOOKS_DIR == paths.PROJ_ROOT / "notebooks"
    assert paths.FIGURES_DIR == paths.PROJ_ROOT / "figures"


def test_cache_defaults_to_data_raw_and_follows_its_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("BEARINGKIT_CACHE", raising=False)
    assert paths.cache_dir() == paths.DATA_DIR / "raw"
    monkeypatch.setenv("BEARINGKIT_CACHE", "  ")
    assert paths.cache_dir() == paths.DATA_DIR / "raw"
    monkeypatch.setenv("BEARINGKIT_CACHE", str(tmp_path / "c"))
    assert paths.cache_dir() == tmp_path / "c"
    assert paths.model_cache_dir() == tmp_path / "c" / "models"


def test_cache_variable_expands_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("BEARINGKIT_CACHE", "~/bk-cache")
    assert paths.cache_dir() == tmp_path.resolve() / "bk-cache"


@pytest.mark.parametrize(("variable", "read"), [("BEARINGKIT_DATA_MIRROR", paths.mirror_dir),
                                                ("BEARINGKIT_MODEL_MIRROR", paths.model_mirror_dir)])
def test_mirrors_are_none_unless_their_variable_is_set(variable, read, tmp_path, monkeypatch):
    monkeypatch.delenv(variable, raising=False)
    assert read() is None
    monkeypatch.setenv(variable, "")
    assert read() is None
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(variable, "mirror")
    assert read() == tmp_path.resolve() / "mirror"

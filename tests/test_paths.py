"""Paths from the repository root; the variables that move the root, outputs, cache and mirrors."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from bearingkit import paths

REPO = Path(__file__).resolve().parents[1]
#: The variables a fresh interpreter starts without, unless a test names them.
MOVING = ("BEARINGKIT_ROOT", "BEARINGKIT_BUILD_DIR", "BEARINGKIT_FIGURES_DIR", "BEARINGKIT_CACHE")


def _in_a_fresh_interpreter(code: str, cwd: Path, **variables: str) -> list[str]:
    """The lines ``code`` prints in a new process, started without :data:`MOVING` but with ``variables``."""
    env = {k: v for k, v in os.environ.items() if k not in MOVING}
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env | variables, capture_output=True,
                          text=True, check=True)
    return done.stdout.splitlines()


def _paths_on_first_import(monkeypatch, cwd: Path, **variables: str) -> list[str]:
    """PROJ_ROOT, BUILD_DIR, RESULTS_DIR, FIGURES_DIR and cache_dir() as a new process sees them: the module
    bearingkit/paths.py executed afresh, as at its first import, in ``cwd``, without :data:`MOVING` but with
    ``variables`` (the environment is restored after the test)."""
    for variable in MOVING:
        monkeypatch.delenv(variable, raising=False)
    for variable, value in variables.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.chdir(cwd)
    p = runpy.run_path(paths.__file__)
    return [str(path) for path in (p["PROJ_ROOT"], p["BUILD_DIR"], p["RESULTS_DIR"], p["FIGURES_DIR"],
                                   p["cache_dir"]())]


def _expected(root: Path, build: Path | None = None, figures: Path | None = None) -> list[str]:
    build, figures = build or root / "build", figures or root / "figures"
    return [str(p) for p in (root, build, build / "results", figures, root / "data" / "raw")]


def test_default_root_is_the_repository_whatever_the_working_directory(tmp_path, monkeypatch):
    assert _paths_on_first_import(monkeypatch, tmp_path) == _expected(REPO)


def test_root_override_moves_every_path_and_is_made_absolute(tmp_path, monkeypatch):
    root = tmp_path.resolve() / "elsewhere"
    assert _paths_on_first_import(monkeypatch, tmp_path, BEARINGKIT_ROOT="elsewhere") == _expected(root)


def test_build_and_figures_variables_move_the_outputs_only(tmp_path, monkeypatch):
    build, figures = tmp_path.resolve() / "b", tmp_path.resolve() / "f"
    assert _paths_on_first_import(monkeypatch, tmp_path, BEARINGKIT_BUILD_DIR=str(build)) == _expected(
        REPO, build)
    monkeypatch.delenv("BEARINGKIT_BUILD_DIR")
    assert _paths_on_first_import(monkeypatch, tmp_path, BEARINGKIT_FIGURES_DIR=str(figures)) == _expected(
        REPO, figures=figures)


def test_relative_output_directories_are_taken_from_the_root_not_the_working_directory(tmp_path, monkeypatch):
    found = _paths_on_first_import(monkeypatch, tmp_path, BEARINGKIT_BUILD_DIR="out/b",
                                   BEARINGKIT_FIGURES_DIR=" out/f ")
    assert found == _expected(REPO, REPO / "out" / "b", REPO / "out" / "f")


def test_blank_output_variables_keep_the_defaults(tmp_path, monkeypatch):
    assert _paths_on_first_import(monkeypatch, tmp_path, BEARINGKIT_BUILD_DIR=" ",
                                  BEARINGKIT_FIGURES_DIR="") == _expected(REPO)


def test_every_input_directory_hangs_from_the_root_and_results_from_the_build_directory():
    assert paths.REFERENCE_DIR == paths.PROJ_ROOT / "data" / "reference"
    assert paths.NOTEBOOKS_DIR == paths.PROJ_ROOT / "notebooks"
    assert paths.RESULTS_DIR == paths.BUILD_DIR / "results"


def test_the_test_session_writes_outside_the_repository_and_cleans_up(tmp_path):
    """conftest.py as a session without the variables runs it: a temporary directory, removed at the end."""
    code = ("import runpy, sys\n"
            f"session = runpy.run_path({str(REPO / 'conftest.py')!r})\n"
            "from bearingkit import paths\n"
            "print(session['SESSION_OUTPUTS']); print(paths.BUILD_DIR); print(paths.FIGURES_DIR)\n"
            "(paths.RESULTS_DIR).mkdir(parents=True)\n"
            "session['pytest_unconfigure'](None)\n"
            "print(session['SESSION_OUTPUTS'].exists())")
    outputs, build, figures, left = _in_a_fresh_interpreter(code, tmp_path)
    assert (build, figures) == (str(Path(outputs) / "build"), str(Path(outputs) / "figures"))
    assert not Path(outputs).is_relative_to(REPO)
    assert left == "False"


def test_the_test_session_keeps_output_directories_the_caller_named(tmp_path):
    code = (f"import runpy; session = runpy.run_path({str(REPO / 'conftest.py')!r})\n"
            "from bearingkit import paths; print(session['SESSION_OUTPUTS']); print(paths.BUILD_DIR)")
    named = tmp_path.resolve() / "kept"
    assert _in_a_fresh_interpreter(code, tmp_path, BEARINGKIT_BUILD_DIR=str(named),
                                   BEARINGKIT_FIGURES_DIR=str(named)) == ["None", str(named)]


@pytest.mark.notebook  # starts a kernel: seconds, and more on busy cores
def test_a_notebook_kernel_writes_where_this_session_does(tmp_path):
    """Kernels started by papermill (as the notebook tests start them) inherit the session's output paths."""
    import nbformat
    import papermill as pm

    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell(
        "from bearingkit import paths\nprint(paths.RESULTS_DIR)\nprint(paths.FIGURES_DIR)"))
    nbformat.write(notebook, tmp_path / "where.ipynb")
    pm.execute_notebook(tmp_path / "where.ipynb", tmp_path / "ran.ipynb", kernel_name="python3",
                        cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False)
    printed = nbformat.read(tmp_path / "ran.ipynb", as_version=4).cells[0].outputs[0]["text"].split()
    assert printed == [str(paths.RESULTS_DIR), str(paths.FIGURES_DIR)]


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

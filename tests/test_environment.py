"""The two routes to the environment (pip via pyproject.toml, conda via environment.yml) pin the same set."""

import re
import tomllib

from bearingkit import paths


def _pyproject_pins() -> set[str]:
    project = tomllib.loads((paths.PROJ_ROOT / "pyproject.toml").read_text())["project"]
    return {*project["dependencies"], *project["optional-dependencies"]["dev"]}


def _environment_pins() -> set[str]:
    text = (paths.PROJ_ROOT / "environment.yml").read_text()
    return set(re.findall(r'^\s+- "([^"]+)"$', text, flags=re.MULTILINE))


def test_environment_yml_mirrors_pyproject_pins():
    assert _environment_pins() == _pyproject_pins()


def test_every_runtime_dependency_is_pinned_or_bounded():
    unpinned = [dep for dep in _pyproject_pins() if not re.search(r"==|<", dep)]
    assert unpinned == []


def test_environment_yml_asks_for_python_311():
    assert re.search(r"^\s+- python=3\.11$", (paths.PROJ_ROOT / "environment.yml").read_text(), re.MULTILINE)

"""One environment, three descriptions that must agree: the direct pins of pyproject.toml, the whole resolved
set with hashes in requirements/lock.txt (what `make setup` installs), and environment.yml (the conda route).

The tests that resolve the lock ask the package index (PyPI) for its wheels' tags, so they need the network;
their names say so (`..._from_the_package_index_...`).
"""

import importlib.metadata
import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from bearingkit import paths

LOCK = paths.PROJ_ROOT / "requirements" / "lock.txt"
# One requirement line of the lock: `name==version` and an optional `; marker`, before its `--hash` lines.
_LOCK_ENTRY = re.compile(r"^([A-Za-z0-9][^\s\\]*(?: ; [^\\]+?)?)\s*\\?$", re.MULTILINE)
# One package's block of the lock: its requirement line and the indented lines under it (hashes, `# via`).
_LOCK_BLOCK = re.compile(r"^[A-Za-z0-9].*\n(?:[ \t]+.*\n)*", re.MULTILINE)
# The Linux wheels a newcomer's (and CI's) x86_64 machine installs.
_PLATFORM = "x86_64-manylinux_2_28"


def _project() -> dict:
    return tomllib.loads((paths.PROJ_ROOT / "pyproject.toml").read_text())["project"]


def _direct_requirements() -> list[Requirement]:
    project = _project()
    return [Requirement(dep) for dep in (*project["dependencies"], *project["optional-dependencies"]["dev"])]


def _lock_entries() -> list[str]:
    return _LOCK_ENTRY.findall(LOCK.read_text())


def _locked_versions() -> dict[str, set[str]]:
    """Each locked package's versions (two where the lock forks on a marker, e.g. by Python version)."""
    versions: dict[str, set[str]] = {}
    for entry in _lock_entries():
        requirement = Requirement(entry)
        versions.setdefault(canonicalize_name(requirement.name), set()).add(_pinned_version(requirement))
    return versions


def _pinned_version(requirement: Requirement) -> str:
    (specifier,) = requirement.specifier
    assert specifier.operator == "==", f"{requirement} in {LOCK.name} is not pinned with =="
    return specifier.version


def _entries_for(environment: dict[str, str]) -> set[str]:
    """The lock's `name==version` entries whose markers hold in `environment` (PEP 508 marker variables)."""
    requirements = [Requirement(entry) for entry in _lock_entries()]
    return {_pin(r) for r in requirements if r.marker is None or r.marker.evaluate(environment)}


def _pin(requirement: Requirement) -> str:
    """`name==version`, the name in its canonical form."""
    return f"{canonicalize_name(requirement.name)}=={_pinned_version(requirement)}"


def _linux_cpython(python_version: str) -> dict[str, str]:
    """The marker variables of CPython `python_version`.0 on Linux x86_64, as uv assumes for `_PLATFORM`."""
    return default_environment() | {
        "python_version": python_version,
        "python_full_version": f"{python_version}.0",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "x86_64",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }


def _minor_versions(specifier: str) -> list[str]:
    """The Python 3 minor versions (`3.N`) whose first release `specifier` admits."""
    return [f"3.{minor}" for minor in range(8, 20) if Version(f"3.{minor}.0") in SpecifierSet(specifier)]


def _supported_pythons() -> list[str]:
    return _minor_versions(_project()["requires-python"])


def _resolve_lock(uv: str, python_version: str) -> subprocess.CompletedProcess:
    """Resolve the lock for one Python on Linux without installing anything (uv checks each wheel's tags).

    The running interpreter stands in for the target one (`--python`), so no other Python is looked for or
    downloaded.
    """
    command = [
        uv, "pip", "compile", str(LOCK), "--python-version", python_version, "--python-platform", _PLATFORM,
        "--python", sys.executable, "--no-python-downloads", "--no-header", "--no-annotate", "--quiet",
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=100, check=False)


@pytest.fixture(scope="module")
def uv() -> str:
    try:
        from uv import find_uv_bin
    except ImportError:
        pytest.fail("uv (a dev dependency) is not installed in this environment: run `make setup`")
    return find_uv_bin()


def test_every_direct_pin_is_the_locked_version():
    locked = _locked_versions()
    disagreements = {}
    for requirement in _direct_requirements():
        versions = locked.get(canonicalize_name(requirement.name), set())
        if not versions or not all(version in requirement.specifier for version in versions):
            disagreements[str(requirement)] = sorted(versions)
    assert disagreements == {}, f"pin -> {LOCK.name}'s versions: regenerate the lock (command in its header)"


def test_every_locked_package_has_hashes():
    blocks = _LOCK_BLOCK.findall(LOCK.read_text())
    without_hashes = [block.split()[0] for block in blocks if "--hash=sha256:" not in block]
    assert len(blocks) == len(_lock_entries())
    assert without_hashes == []


def test_environment_yml_lists_exactly_the_lock():
    environment = yaml.safe_load((paths.PROJ_ROOT / "environment.yml").read_text())
    (pip_section,) = [dep["pip"] for dep in environment["dependencies"] if isinstance(dep, dict)]
    only_in_environment_yml = sorted(set(pip_section) - set(_lock_entries()))
    only_in_lock = sorted(set(_lock_entries()) - set(pip_section))
    assert (only_in_environment_yml, only_in_lock) == ([], [])
    assert len(pip_section) == len(_lock_entries())


def test_environment_yml_asks_for_the_pythons_of_requires_python():
    environment = yaml.safe_load((paths.PROJ_ROOT / "environment.yml").read_text())
    (python,) = [dep for dep in environment["dependencies"] if str(dep).startswith("python")]
    assert _minor_versions(python.removeprefix("python")) == _supported_pythons()


def test_make_setup_accepts_the_pythons_of_requires_python():
    makefile = (paths.PROJ_ROOT / "Makefile").read_text()
    (accepted,) = re.findall(r"^PYTHON_VERSIONS := (.+)$", makefile, flags=re.MULTILINE)
    assert accepted.split() == _supported_pythons()


def test_installed_environment_is_the_lock():
    expected = _entries_for(default_environment())
    installed = set()
    for entry in expected:
        name = entry.split("==")[0]
        try:
            installed.add(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            installed.add(f"{name} (not installed)")
    differing = sorted(installed - expected)
    assert differing == [], f"this environment is not the lock (run make setup): {differing}"


@pytest.mark.network
@pytest.mark.slow  # a resolution against the package index per Python: seconds of network each
@pytest.mark.parametrize("python_version", _supported_pythons())
def test_lock_resolves_from_the_package_index_for_python(uv, python_version):
    resolution = _resolve_lock(uv, python_version)
    assert resolution.returncode == 0, resolution.stderr
    resolved = {_pin(Requirement(line)) for line in resolution.stdout.split()}
    assert resolved == _entries_for(_linux_cpython(python_version))


@pytest.mark.network
@pytest.mark.slow
def test_lock_does_not_resolve_from_the_package_index_past_requires_python(uv):
    next_python = "3.{}".format(int(_supported_pythons()[-1].split(".")[1]) + 1)
    resolution = _resolve_lock(uv, next_python)
    assert resolution.returncode != 0, f"the lock resolves for Python {next_python}: widen requires-python"
    assert "no wheels with a matching Python" in resolution.stderr

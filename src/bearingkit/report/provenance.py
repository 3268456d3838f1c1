"""Where a result came from, collected while the notebook runs: versions, commit, data hashes, hardware.

The site shows this block on every page (showyourwork's rule: every figure traceable to the code and data that
made it); :func:`bearingkit.report.results.write_results` stores it in each results file's ``meta``, so the
site never reconstructs it after the fact.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata

from bearingkit import paths

__all__ = ["PACKAGES", "collect", "git_state", "hardware", "package_versions"]

#: The distributions whose versions decide a notebook's numbers.
PACKAGES = ("bearingkit", "numpy", "scipy", "pandas", "scikit-learn", "hmmlearn", "PyWavelets",
            "matplotlib", "tensorflow", "keras", "tensorflow-hub", "ai-edge-litert", "lightgbm",
            "scikit-optimize", "optuna", "resampy", "papermill")


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str | None]:
    """Installed version of each distribution; None for one that is not installed.

    Examples
    --------
    >>> package_versions(["numpy", "no-such-distribution"])["no-such-distribution"] is None
    True
    """
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _git(*args: str) -> str | None:
    if shutil.which("git") is None:
        return None
    try:
        done = subprocess.run(["git", "-C", str(paths.PROJ_ROOT), *args], capture_output=True, text=True,
                              timeout=10, check=True)
    except (subprocess.SubprocessError, OSError):
        return None
    return done.stdout.strip()


def git_state() -> dict[str, object]:
    """The commit checked out at the project root and whether tracked files differ from it.

    ``commit`` is None outside a git checkout (an unpacked release); ``dirty`` then is None too.
    """
    commit = _git("rev-parse", "HEAD")
    if not commit:
        return {"commit": None, "dirty": None}
    changes = _git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": None if changes is None else bool(changes)}


def _memory_gib() -> float | None:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        return None


def _gpus() -> list[str]:
    if shutil.which("nvidia-smi") is None:
        return []
    try:
        done = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                              capture_output=True, text=True, timeout=10, check=True)
    except (subprocess.SubprocessError, OSError):
        return []
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def hardware() -> dict[str, object]:
    """The machine: operating system, processor, logical cores, memory (GiB) and NVIDIA GPUs, if any."""
    return {"system": f"{platform.system()} {platform.release()}", "machine": platform.machine(),
            "processor": platform.processor() or None, "cpu_count": os.cpu_count(),
            "memory_gib": _memory_gib(), "gpus": _gpus(), "python": platform.python_version()}


def collect(*, data_files: Mapping[str, str] | None = None) -> dict[str, object]:
    """Everything that identifies a run: time, versions, git state, hardware and the data files it read.

    Parameters
    ----------
    data_files : mapping of file id to sha256, or None
        The registered files the run read (``bearingkit.data.files_read()``); None when not tracked.
    """
    return {"collected_utc": datetime.now(UTC).isoformat(timespec="seconds"), "packages": package_versions(),
            **git_state(), "hardware": hardware(), "data_files": dict(sorted((data_files or {}).items()))}

"""Get a registered file onto this machine, verified: from the cache, the mirror, or the public URL.

Order of look-up for file id ``<dataset>/<file>``:

1. the cache, ``$BEARINGKIT_CACHE/<dataset>/<file>``, default ``data/raw``
   (:func:`bearingkit.paths.cache_dir`);
2. the read-only mirror, ``$BEARINGKIT_DATA_MIRROR/<dataset>/<file>``, used in place;
3. the registry's URL, downloaded with pooch (progress bar by tqdm) to a temporary file in the cache folder,
   verified, then renamed: the cache never holds a half-written or unverified file.

Every file is checked against the registry's sha256 when it enters the cache and whenever it is used; the
result is remembered for the process, keyed by path, size and modification time, so repeated loads hash once.
Files whose hash is not pinned are refused unless ``BEARINGKIT_ALLOW_UNPINNED=1`` (or
``allow_unpinned=True``); then the computed sha256 is printed so that it can be pinned in
``bearingkit/registry/files.tsv``.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import warnings
from pathlib import Path

import pooch

from bearingkit import paths
from bearingkit.data.registry import Entry, entry
from bearingkit.errors import DataError

_CHUNK = 1 << 20
_DIGESTS: dict[tuple[str, int, int, str], str] = {}


def _digest(path: Path, algorithm: str) -> str:
    """Hex digest of a file; ``git`` gives the git blob id (SHA-1 over ``blob <size>\\0`` + content)."""
    if algorithm == "git":
        hasher = hashlib.sha1(f"blob {path.stat().st_size}\0".encode())
    else:
        hasher = hashlib.new(algorithm)
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


def file_hash(path: str | os.PathLike, *, algorithm: str = "sha256") -> str:
    """Digest of a file, computed once per process for a given path, size and modification time.

    Parameters
    ----------
    path : path-like
        The file.
    algorithm : str
        ``"sha256"`` (default), any :mod:`hashlib` name, or ``"git"`` for the git blob id.
    """
    path = Path(path).resolve()
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns, algorithm)
    if key not in _DIGESTS:
        _DIGESTS[key] = _digest(path, algorithm)
    return _DIGESTS[key]


def unpinned_allowed() -> bool:
    """True when ``$BEARINGKIT_ALLOW_UNPINNED`` is set to 1/true/yes."""
    return os.environ.get("BEARINGKIT_ALLOW_UNPINNED", "").strip().lower() in {"1", "true", "yes"}


def cache_path(item: Entry) -> Path:
    """Where ``item`` lives in the cache (whether or not it is there)."""
    return paths.cache_dir() / item.dataset / item.file


def mirror_path(item: Entry) -> Path | None:
    """Where ``item`` would live in the mirror, or None when no mirror is configured."""
    mirror = paths.mirror_dir()
    return None if mirror is None else mirror / item.dataset / item.file


def locate(key: str) -> Path | None:
    """Path of a file already on this machine (cache first, then mirror), unverified; None when absent."""
    item = entry(key)
    for candidate in (cache_path(item), mirror_path(item)):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def verify(item: Entry, path: Path) -> None:
    """Check ``path`` against the registry (size, then sha256, or the git blob id of an unpinned file).

    Raises
    ------
    DataError
        The file is not the registered one; the message shows the expected and the actual value.
    """
    where = f"{item.key} ({path})"
    size = path.stat().st_size
    if item.size is not None and size != item.size:
        raise DataError(f"size mismatch for {where}: expected {item.size} bytes, got {size}; "
                        f"sha256 expected {item.sha256}, got {file_hash(path)}")
    if item.pinned:
        actual = file_hash(path)
        if actual != item.sha256:
            raise DataError(f"sha256 mismatch for {where}: expected {item.sha256}, got {actual}")
    elif item.git_sha1 is not None:
        actual = file_hash(path, algorithm="git")
        if actual != item.git_sha1:
            raise DataError(f"git blob id mismatch for {where}: expected {item.git_sha1}, got {actual}")


def _refuse_unpinned(item: Entry) -> None:
    raise DataError(
        f"{item.key}: its sha256 is not pinned in the registry, so bearingkit will not use it unverified. "
        f"To fetch it anyway from {item.url}, set BEARINGKIT_ALLOW_UNPINNED=1 (or pass allow_unpinned=True); "
        f"the computed sha256 is then printed: pin it in bearingkit/registry/files.tsv.")


def _report_unpinned(item: Entry, path: Path) -> None:
    checked = " (git blob id matches the documented copy)" if item.git_sha1 else ""
    print(f"bearingkit: {item.key} is unpinned{checked}; size {path.stat().st_size} bytes, "
          f"sha256 {file_hash(path)}: pin it in bearingkit/registry/files.tsv", file=sys.stderr)


def _download(url: str, target: Path, *, progress: bool) -> None:
    """Download ``url`` (http or https) to ``target`` with pooch; a tqdm progress bar if ``progress``."""
    pooch.HTTPDownloader(progressbar=progress)(url, str(target), None)


def _missing(item: Entry, reason: BaseException) -> DataError:
    mirror = mirror_path(item)
    mirror_text = f"nor in the mirror ({mirror})" if mirror else "and BEARINGKIT_DATA_MIRROR is unset"
    return DataError(
        f"{item.key} is not in the cache ({cache_path(item)}) {mirror_text}, and downloading it from "
        f"{item.url} failed ({type(reason).__name__}: {reason}). Set BEARINGKIT_DATA_MIRROR to a directory "
        f"holding {item.key}, or set BEARINGKIT_CACHE to a writable directory and retry where {item.url} "
        f"can be reached, or save that URL by hand as {cache_path(item)}.")


def _download_verified(item: Entry, target: Path, *, progress: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{item.file}.", suffix=".part")
    os.close(fd)
    tmp = Path(name)
    try:
        try:
            _download(item.url, tmp, progress=progress)
        except Exception as exc:  # any transport failure means: the file is missing here
            raise _missing(item, exc) from exc
        try:
            verify(item, tmp)
        except DataError as exc:
            raise DataError(f"{exc}. The download was refused and deleted; the cache holds nothing for "
                            f"{item.key}.") from None
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def fetch(key: str, *, progress: bool = True, allow_unpinned: bool | None = None) -> Path:
    """Path to a verified local copy of registered file ``key``.

    Parameters
    ----------
    key : str
        File id, ``<dataset>/<file>`` (``"cwru/105.mat"``).
    progress : bool
        Show a tqdm progress bar while downloading.
    allow_unpinned : bool or None
        Accept a file whose hash is not pinned; None reads ``$BEARINGKIT_ALLOW_UNPINNED``.

    Returns
    -------
    Path
        The cached file, or the mirror's file used in place.

    Raises
    ------
    ParameterError
        Unknown data set or file id.
    DataError
        The file is unpinned and not allowed; it is missing and cannot be downloaded (the message names the
        URL and the variables to set); or its hash does not match (a bad cached copy is deleted first, a bad
        download is never moved into the cache, a bad mirror file is left alone and refused).
    """
    item = entry(key)
    if not item.pinned and not (unpinned_allowed() if allow_unpinned is None else allow_unpinned):
        _refuse_unpinned(item)
    cached = cache_path(item)
    if cached.is_file():
        try:
            verify(item, cached)
        except DataError as exc:
            cached.unlink()
            warnings.warn(f"{exc}; the cached copy was deleted and is fetched again", stacklevel=2)
        else:
            return cached
    mirrored = mirror_path(item)
    if mirrored is not None and mirrored.is_file():
        try:
            verify(item, mirrored)
        except DataError as exc:
            raise DataError(f"{exc}. The mirror's copy is not the registered file: replace it, or unset "
                            f"BEARINGKIT_DATA_MIRROR to download {item.url}.") from None
        path = mirrored
    else:
        _download_verified(item, cached, progress=progress)
        path = cached
    if not item.pinned:
        _report_unpinned(item, path)
    return path

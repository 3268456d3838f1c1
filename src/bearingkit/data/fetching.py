"""Get a registered file onto this machine, verified: from the cache, the mirror, or the public URL.

Order of look-up for data file id ``<dataset>/<file>`` (:func:`fetch`):

1. the cache, ``$BEARINGKIT_CACHE/<dataset>/<file>``, default ``data/raw``
   (:func:`bearingkit.paths.cache_dir`);
2. the read-only mirror, ``$BEARINGKIT_DATA_MIRROR/<dataset>/<file>``, used in place;
3. the registry's URL, downloaded with pooch (progress bar by tqdm) to a temporary file in the cache folder,
   verified, then renamed: the cache never holds a half-written or unverified file.

Pretrained model files, ``<model>/<file>`` (:func:`fetch_model`), follow the same order with the cache
``$BEARINGKIT_CACHE/models/<model>/<file>`` and the mirror ``$BEARINGKIT_MODEL_MIRROR/<model>/<file>``.

Every file is checked against the registry's sha256 when it enters the cache and whenever it is used; the
result is remembered for the process, keyed by path, size and modification time, so repeated loads hash once.
Files whose hash is not pinned are refused unless ``BEARINGKIT_ALLOW_UNPINNED=1`` (or
``allow_unpinned=True``); then the computed sha256 is printed so that it can be pinned in
``bearingkit/registry/files.tsv``.

Errors come by kind (:mod:`bearingkit.errors`): :class:`~bearingkit.errors.MissingDataError` when a file can
be had from nowhere, :class:`~bearingkit.errors.ChecksumError` when a copy is not the registered file,
:class:`~bearingkit.errors.UnknownNameError` for a file id the registry does not hold.
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
from bearingkit.data.registry import Entry, entry, model_entry
from bearingkit.errors import ChecksumError, DataError, MissingDataError

__all__ = ["MIRROR_VARIABLE", "cache_path", "fetch", "fetch_model", "file_hash", "files_read", "locate",
           "mirror_path", "unpinned_allowed", "verify"]

_CHUNK = 1 << 20
#: The variable that names the mirror of each kind of registered file.
MIRROR_VARIABLE = {"data": "BEARINGKIT_DATA_MIRROR", "model": "BEARINGKIT_MODEL_MIRROR"}
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
    root = paths.cache_dir() if item.kind == "data" else paths.model_cache_dir()
    return root / item.dataset / item.file


def mirror_path(item: Entry) -> Path | None:
    """Where ``item`` would live in its mirror, or None when no mirror of its kind is configured."""
    mirror = paths.mirror_dir() if item.kind == "data" else paths.model_mirror_dir()
    return None if mirror is None else mirror / item.dataset / item.file


def locate(key: str) -> Path | None:
    """Path of a data file already on this machine (cache, then mirror), unverified; None when absent."""
    item = entry(key)
    for candidate in (cache_path(item), mirror_path(item)):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def verify(item: Entry, path: Path) -> None:
    """Check ``path`` against the registry: size, then sha256, then the git blob id where one is documented.

    Raises
    ------
    ChecksumError
        The file is not the registered one; the message shows the expected and the actual value.
    """
    where = f"{item.key} ({path})"
    size = path.stat().st_size
    if item.size is not None and size != item.size:
        raise ChecksumError(f"size mismatch for {where}: expected {item.size} bytes, got {size}; "
                            f"sha256 expected {item.sha256}, got {file_hash(path)}")
    if item.pinned:
        actual = file_hash(path)
        if actual != item.sha256:
            raise ChecksumError(f"sha256 mismatch for {where}: expected {item.sha256}, got {actual}")
    if item.git_sha1 is not None:
        actual = file_hash(path, algorithm="git")
        if actual != item.git_sha1:
            raise ChecksumError(f"git blob id mismatch for {where}: expected {item.git_sha1}, got {actual}")


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


def _missing(item: Entry, reason: BaseException) -> MissingDataError:
    variable = MIRROR_VARIABLE[item.kind]
    mirror = mirror_path(item)
    mirror_text = f"nor in the mirror ({mirror})" if mirror else f"and {variable} is unset"
    return MissingDataError(
        f"{item.key} is not in the cache ({cache_path(item)}) {mirror_text}, and downloading it from "
        f"{item.url} failed ({type(reason).__name__}: {reason}). Set {variable} to a directory holding "
        f"{item.key}, or set BEARINGKIT_CACHE to a writable directory and retry where {item.url} can be "
        f"reached, or save that URL by hand as {cache_path(item)}.")


def _unwritable_cache(item: Entry, folder: Path, reason: OSError) -> MissingDataError:
    variable = MIRROR_VARIABLE[item.kind]
    return MissingDataError(
        f"{item.key} must be downloaded from {item.url}, but the cache folder {folder} cannot be written "
        f"({type(reason).__name__}: {reason}). Set BEARINGKIT_CACHE to a writable directory, or {variable} "
        f"to a directory holding {item.key}.")


def _temporary_file(item: Entry, folder: Path) -> Path:
    """An empty temporary file in ``folder`` (created if needed), for a download that is not verified yet."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{item.file}.", suffix=".part")
    except OSError as exc:
        raise _unwritable_cache(item, folder, exc) from exc
    os.close(fd)
    return Path(name)


def _download_verified(item: Entry, target: Path, *, progress: bool) -> None:
    tmp = _temporary_file(item, target.parent)
    try:
        try:
            _download(item.url, tmp, progress=progress)
        except Exception as exc:  # any transport failure means: the file is missing here
            raise _missing(item, exc) from exc
        try:
            verify(item, tmp)
        except ChecksumError as exc:
            raise ChecksumError(f"{exc}. The download was refused and deleted; the cache holds nothing for "
                                f"{item.key}.") from None
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


#: sha256 of every registered file this process has fetched or verified, by file id (see :func:`files_read`).
_FILES_READ: dict[str, str] = {}


def files_read() -> dict[str, str]:
    """The registered files this process has read, ``{file id: sha256}``: a run's data provenance.

    Every :func:`fetch` and :func:`fetch_model` adds its file once it is verified, so a notebook's results can
    name the exact bytes they came from.
    """
    return dict(_FILES_READ)


def _fetch_entry(item: Entry, *, progress: bool, allow_unpinned: bool | None) -> Path:
    """Cache, then mirror, then download of one registry row, verified and recorded (see :func:`fetch`)."""
    path = _verified_copy(item, progress=progress, allow_unpinned=allow_unpinned)
    _FILES_READ[item.key if item.kind == "data" else f"models/{item.key}"] = item.sha256 or file_hash(path)
    return path


def _verified_copy(item: Entry, *, progress: bool, allow_unpinned: bool | None) -> Path:
    """Cache, then mirror, then download of one registry row, verified (see :func:`fetch`)."""
    if not item.pinned and not (unpinned_allowed() if allow_unpinned is None else allow_unpinned):
        _refuse_unpinned(item)
    cached = cache_path(item)
    if cached.is_file():
        try:
            verify(item, cached)
        except ChecksumError as exc:
            cached.unlink()
            warnings.warn(f"{exc}; the cached copy was deleted and is fetched again", stacklevel=3)
        else:
            return cached
    mirrored = mirror_path(item)
    if mirrored is not None and mirrored.is_file():
        try:
            verify(item, mirrored)
        except ChecksumError as exc:
            raise ChecksumError(f"{exc}. The mirror's copy is not the registered file: replace it, or unset "
                                f"{MIRROR_VARIABLE[item.kind]} to download {item.url}.") from None
        path = mirrored
    else:
        _download_verified(item, cached, progress=progress)
        path = cached
    if not item.pinned:
        _report_unpinned(item, path)
    return path


def fetch(key: str, *, progress: bool = True, allow_unpinned: bool | None = None) -> Path:
    """Path to a verified local copy of registered data file ``key``.

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
    UnknownNameError
        Unknown data set or file id.
    MissingDataError
        The file is in neither the cache nor the mirror and cannot be downloaded, or the cache cannot be
        written; the message names the URL and the variables to set.
    ChecksumError
        A copy's size or hash is not the registered one: a bad cached copy is deleted and fetched again, a
        bad download is never moved into the cache, a bad mirror file is left alone and refused.
    DataError
        The file is unpinned and not allowed (the base class of the two above).
    """
    return _fetch_entry(entry(key), progress=progress, allow_unpinned=allow_unpinned)


def fetch_model(key: str, *, progress: bool = True) -> Path:
    """Path to a verified local copy of a pretrained model file, fetched like data (see :func:`fetch`).

    Parameters
    ----------
    key : str
        Model file id, ``<model>/<file>`` (``"yamnet/yamnet_scores_spectrogram.tflite"``), a row of
        ``bearingkit/registry/models.tsv``.
    progress : bool
        Show a tqdm progress bar while downloading.

    Returns
    -------
    Path
        ``$BEARINGKIT_CACHE/models/<model>/<file>``, or ``$BEARINGKIT_MODEL_MIRROR/<model>/<file>`` used in
        place.

    Raises
    ------
    UnknownNameError
        Unknown model or file.
    MissingDataError
        The file cannot be had from the cache, the mirror or its URL; the message names the URL,
        ``BEARINGKIT_MODEL_MIRROR`` and ``BEARINGKIT_CACHE``.
    ChecksumError
        A copy's size or sha256 is not the registered one (handled as for data).
    """
    return _fetch_entry(model_entry(key), progress=progress, allow_unpinned=False)

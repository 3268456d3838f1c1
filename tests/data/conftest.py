"""Fixtures of the data-layer tests: a fresh cache with no network, and downloads the tests fake."""

from __future__ import annotations

import pytest

from bearingkit.data import fetching as fetch_module


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh cache per test; downloads fail unless a test fakes them (no network here)."""
    path = tmp_path / "cache"
    monkeypatch.setenv("BEARINGKIT_CACHE", str(path))
    monkeypatch.delenv("BEARINGKIT_ALLOW_UNPINNED", raising=False)

    def offline(url, target, *, progress):
        raise ConnectionError(f"no network in the tests ({url})")

    monkeypatch.setattr(fetch_module, "_download", offline)
    return path


@pytest.fixture
def fake_download(monkeypatch):
    """``fake_download(payload)`` makes each download write ``payload``; returns the URLs asked for."""
    def install(payload: bytes) -> list[str]:
        calls = []

        def download(url, target, *, progress):
            calls.append(url)
            target.write_bytes(payload)

        monkeypatch.setattr(fetch_module, "_download", download)
        return calls

    return install


def files_under(directory) -> list[str]:
    """Relative paths of the files below ``directory`` (hidden temporary files included), sorted."""
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()) \
        if directory.exists() else []

"""Fetching: mirror, cache, (fake) download, hash refusal, unpinned policy, errors, and the CLI."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import os
import shutil
import threading

import pytest

from bearingkit.data import fetching as fetch_module
from bearingkit.data.__main__ import main
from bearingkit.data.fetching import fetch, file_hash
from bearingkit.data.registry import entry
from bearingkit.errors import DataError, ParameterError

REAL_DOWNLOAD = fetch_module._download


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    """A fresh cache per test; downloads fail unless a test fakes them (no network here)."""
    path = tmp_path / "cache"
    monkeypatch.setenv("BEARINGKIT_CACHE", str(path))
    monkeypatch.delenv("BEARINGKIT_ALLOW_UNPINNED", raising=False)

    def offline(url, target, *, progress):
        raise ConnectionError(f"no network in the tests ({url})")

    monkeypatch.setattr(fetch_module, "_download", offline)
    return path


def _files(directory):
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()) \
        if directory.exists() else []


def _fake_download(monkeypatch, payload: bytes):
    calls = []

    def download(url, target, *, progress):
        calls.append(url)
        target.write_bytes(payload)

    monkeypatch.setattr(fetch_module, "_download", download)
    return calls


def _corrupt(data: bytes) -> bytes:
    return data[:1000] + bytes([data[1000] ^ 0xFF]) + data[1001:]


def test_mirror_file_is_used_in_place_and_nothing_is_cached(mirror, cache):
    path = fetch("cwru/105.mat")
    assert path == (mirror / "cwru" / "105.mat").resolve()
    assert _files(cache) == []


def test_hash_mismatch_in_the_mirror_is_refused_with_both_hashes(mirror, cache, tmp_path, monkeypatch):
    bad_mirror = tmp_path / "mirror"
    (bad_mirror / "cwru").mkdir(parents=True)
    (bad_mirror / "cwru" / "105.mat").write_bytes(_corrupt((mirror / "cwru" / "105.mat").read_bytes()))
    monkeypatch.setenv("BEARINGKIT_DATA_MIRROR", str(bad_mirror))
    expected = entry("cwru/105.mat").sha256
    with pytest.raises(DataError, match="sha256 mismatch") as err:
        fetch("cwru/105.mat")
    assert expected in str(err.value)
    assert file_hash(bad_mirror / "cwru" / "105.mat") in str(err.value)
    assert _files(cache) == []


def test_corrupt_cached_copy_is_deleted_and_replaced_from_the_mirror(mirror, cache):
    cached = cache / "cwru" / "105.mat"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not the file")
    with pytest.warns(UserWarning, match="deleted"):
        path = fetch("cwru/105.mat")
    assert path == (mirror / "cwru" / "105.mat").resolve()
    assert not cached.exists()


def test_download_enters_the_cache_verified_and_is_reused(mirror, cache, monkeypatch):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    calls = _fake_download(monkeypatch, (mirror / "mfpt" / "InnerRaceFault_vload_1.mat").read_bytes())
    path = fetch("mfpt/InnerRaceFault_vload_1.mat")
    assert path == cache / "mfpt" / "InnerRaceFault_vload_1.mat"
    assert file_hash(path) == entry("mfpt/InnerRaceFault_vload_1.mat").sha256
    assert fetch("mfpt/InnerRaceFault_vload_1.mat") == path
    assert calls == [entry("mfpt/InnerRaceFault_vload_1.mat").url]
    assert _files(cache) == ["mfpt/InnerRaceFault_vload_1.mat"]


def test_corrupt_download_is_refused_and_leaves_nothing_in_the_cache(mirror, cache, monkeypatch):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    _fake_download(monkeypatch, _corrupt((mirror / "cwru" / "105.mat").read_bytes()))
    with pytest.raises(DataError, match="sha256 mismatch.*expected f80b0ea0.*got .*refused and deleted"):
        fetch("cwru/105.mat")
    assert _files(cache) == []


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def web(tmp_path, monkeypatch):
    """A local HTTP server over a folder, and the real (pooch) downloader instead of the offline fake."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(fetch_module, "_download", REAL_DOWNLOAD)
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    yield root, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _serve(monkeypatch, key, url):
    item = dataclasses.replace(entry(key), url=url)
    monkeypatch.setattr(fetch_module, "entry", lambda k: item if k == key else entry(k))


def test_real_download_through_pooch_from_a_local_server(mirror, cache, web, monkeypatch):
    root, base = web
    shutil.copyfile(mirror / "mfpt" / "OuterRaceFault_vload_2.mat", root / "orf2.mat")
    _serve(monkeypatch, "mfpt/OuterRaceFault_vload_2.mat", f"{base}/orf2.mat")
    path = fetch("mfpt/OuterRaceFault_vload_2.mat", progress=True)
    assert path == cache / "mfpt" / "OuterRaceFault_vload_2.mat"
    assert _files(cache) == ["mfpt/OuterRaceFault_vload_2.mat"]


def test_http_error_is_a_missing_file_and_leaves_nothing(cache, web, monkeypatch):
    _, base = web
    _serve(monkeypatch, "mfpt/OuterRaceFault_vload_2.mat", f"{base}/nothing-here.mat")
    with pytest.raises(DataError, match=r"downloading it from http://127\.0\.0\.1:\d+/nothing-here\.mat"):
        fetch("mfpt/OuterRaceFault_vload_2.mat", progress=False)
    assert _files(cache) == []


def test_missing_file_names_the_url_and_the_variables(cache, monkeypatch):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    with pytest.raises(DataError) as err:
        fetch("cwru/106.mat")
    message = str(err.value)
    for text in ("cwru/106.mat", "https://engineering.case.edu/sites/default/files/106.mat",
                 "BEARINGKIT_DATA_MIRROR", "BEARINGKIT_CACHE", "ConnectionError"):
        assert text in message
    assert _files(cache) == []


def test_missing_from_the_mirror_too(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("BEARINGKIT_DATA_MIRROR", str(tmp_path / "empty-mirror"))
    with pytest.raises(DataError, match="nor in the mirror"):
        fetch("paderborn/KATData0.mat")


def test_unpinned_file_is_refused_by_default(cache):
    with pytest.raises(DataError, match="not pinned.*BEARINGKIT_ALLOW_UNPINNED=1"):
        fetch("cwru/98.mat")
    assert _files(cache) == []


def test_unpinned_file_with_opt_in_is_fetched_and_its_sha256_printed(cache, monkeypatch, capsys):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    monkeypatch.setenv("BEARINGKIT_ALLOW_UNPINNED", "1")
    _fake_download(monkeypatch, b"any bytes: 109.mat has no documented hash")
    path = fetch("cwru/109.mat")
    assert path.read_bytes().startswith(b"any bytes")
    assert file_hash(path) in capsys.readouterr().err


def test_unpinned_file_is_checked_against_a_documented_git_blob_id(cache, monkeypatch):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    _fake_download(monkeypatch, b"not the real 98.mat")
    with pytest.raises(DataError, match="git blob id mismatch.*883b4d24"):
        fetch("cwru/98.mat", allow_unpinned=True)
    assert _files(cache) == []


def test_git_blob_id_is_the_one_git_computes(tmp_path):
    path = tmp_path / "hello"
    path.write_bytes(b"hello\n")
    assert file_hash(path, algorithm="git") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_verification_is_cached_by_path_size_and_mtime(mirror, tmp_path, monkeypatch):
    copy = tmp_path / "105.mat"
    shutil.copyfile(mirror / "cwru" / "105.mat", copy)
    calls = []
    digest = fetch_module._digest
    monkeypatch.setattr(fetch_module, "_digest",
                        lambda path, algorithm: calls.append(path) or digest(path, algorithm))
    first = file_hash(copy)
    assert file_hash(copy) == first
    assert len(calls) == 1
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert file_hash(copy) == first
    assert len(calls) == 2


def test_unknown_file_id_is_a_parameter_error():
    with pytest.raises(ParameterError, match="valid files"):
        fetch("mfpt/baseline_1.mat")


def test_cli_verify_passes_on_the_mirror(mirror, capsys):
    assert main(["verify"]) == 0
    assert "55 of 55 pinned files present and verified" in capsys.readouterr().out


def test_cli_verify_fails_on_a_corrupt_file(mirror, tmp_path, monkeypatch, capsys):
    bad_mirror = tmp_path / "mirror"
    shutil.copytree(mirror / "mfpt", bad_mirror / "mfpt")
    target = bad_mirror / "mfpt" / "OuterRaceFault_vload_3.mat"
    target.write_bytes(_corrupt(target.read_bytes()))
    monkeypatch.setenv("BEARINGKIT_DATA_MIRROR", str(bad_mirror))
    assert main(["verify", "--dataset", "mfpt"]) == 1
    assert "BAD sha256 mismatch for mfpt/OuterRaceFault_vload_3.mat" in capsys.readouterr().err
    assert main(["verify", "--dataset", "cwru"]) == 1


def test_cli_fetch_lists_unpinned_as_skipped(mirror, capsys):
    assert main(["fetch", "--dataset", "paderborn"]) == 0
    out = capsys.readouterr().out
    assert "skipped paderborn/K001.rar" in out
    assert "4 of 4 pinned files verified, 32 unpinned skipped" in out


def test_cli_fetch_fails_when_a_file_cannot_be_had(monkeypatch, capsys):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    assert main(["fetch", "--dataset", "mfpt"]) == 1
    assert "FAILED mfpt/InnerRaceFault_vload_1.mat" in capsys.readouterr().err

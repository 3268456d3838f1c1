"""Fetching: mirror, cache, fake and local-server downloads, hash refusal, unpinned files, errors, the CLI."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import http.server
import os
import shutil
import threading

import pytest

from bearingkit.data import fetching as fetch_module
from bearingkit.data.__main__ import main
from bearingkit.data.fetching import fetch, file_hash
from bearingkit.data.registry import entry
from bearingkit.errors import ChecksumError, DataError, MissingDataError, UnknownNameError

from .conftest import files_under

pytestmark = pytest.mark.usefixtures("cache")

REAL_DOWNLOAD = fetch_module._download


def _corrupt(data: bytes) -> bytes:
    return data[:1000] + bytes([data[1000] ^ 0xFF]) + data[1001:]


def _replace_entry(monkeypatch, key, **changes):
    """Make the registry answer ``key`` with a changed row (another URL, another pin)."""
    item = dataclasses.replace(entry(key), **changes)
    monkeypatch.setattr(fetch_module, "entry", lambda k: item if k == key else entry(k))
    return item


def test_mirror_file_is_used_in_place_and_nothing_is_cached(mirror, cache):
    path = fetch("cwru/105.mat")
    assert path == (mirror / "cwru" / "105.mat").resolve()
    assert files_under(cache) == []


def test_hash_mismatch_in_the_mirror_is_refused_with_both_hashes(mirror, cache, tmp_path, monkeypatch):
    bad_mirror = tmp_path / "mirror"
    (bad_mirror / "cwru").mkdir(parents=True)
    (bad_mirror / "cwru" / "105.mat").write_bytes(_corrupt((mirror / "cwru" / "105.mat").read_bytes()))
    monkeypatch.setenv("BEARINGKIT_DATA_MIRROR", str(bad_mirror))
    with pytest.raises(ChecksumError, match="sha256 mismatch.*unset BEARINGKIT_DATA_MIRROR") as err:
        fetch("cwru/105.mat")
    assert entry("cwru/105.mat").sha256 in str(err.value)
    assert file_hash(bad_mirror / "cwru" / "105.mat") in str(err.value)
    assert files_under(cache) == []


def test_corrupt_cached_copy_is_deleted_and_replaced_from_the_mirror(mirror, cache):
    cached = cache / "cwru" / "105.mat"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not the file")
    with pytest.warns(UserWarning, match="size mismatch.*deleted"):
        path = fetch("cwru/105.mat")
    assert path == (mirror / "cwru" / "105.mat").resolve()
    assert not cached.exists()


def test_download_enters_the_cache_verified_and_is_reused(mirror, cache, fake_download, monkeypatch):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    calls = fake_download((mirror / "mfpt" / "InnerRaceFault_vload_1.mat").read_bytes())
    path = fetch("mfpt/InnerRaceFault_vload_1.mat")
    assert path == cache / "mfpt" / "InnerRaceFault_vload_1.mat"
    assert file_hash(path) == entry("mfpt/InnerRaceFault_vload_1.mat").sha256
    assert fetch("mfpt/InnerRaceFault_vload_1.mat") == path
    assert calls == [entry("mfpt/InnerRaceFault_vload_1.mat").url]
    assert files_under(cache) == ["mfpt/InnerRaceFault_vload_1.mat"]


def test_corrupt_download_is_refused_and_leaves_nothing(mirror, cache, fake_download, monkeypatch):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    fake_download(_corrupt((mirror / "cwru" / "105.mat").read_bytes()))
    with pytest.raises(ChecksumError, match="sha256 mismatch.*expected f80b0ea0.*got .*refused and deleted"):
        fetch("cwru/105.mat")
    assert files_under(cache) == []


def test_short_download_is_a_size_mismatch_and_leaves_nothing(mirror, cache, fake_download, monkeypatch):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    fake_download((mirror / "cwru" / "105.mat").read_bytes()[:1_000_000])
    with pytest.raises(ChecksumError, match="size mismatch.*expected 2910768 bytes, got 1000000"):
        fetch("cwru/105.mat")
    assert files_under(cache) == []


def test_unwritable_cache_is_a_clear_missing_data_error(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("BEARINGKIT_CACHE", str(blocker / "cache"))
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    with pytest.raises(MissingDataError, match=r"cache folder .*a-file/cache/cwru cannot be written") as err:
        fetch("cwru/105.mat")
    for text in ("cwru/105.mat", entry("cwru/105.mat").url, "BEARINGKIT_CACHE", "BEARINGKIT_DATA_MIRROR"):
        assert text in str(err.value)


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
    # shutdown() waits for the loop's next poll: 0.5 s by default, at every test's teardown
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    monkeypatch.setattr(fetch_module, "_download", REAL_DOWNLOAD)
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    yield root, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_real_download_through_pooch_from_a_local_server(mirror, cache, web, monkeypatch):
    root, base = web
    shutil.copyfile(mirror / "mfpt" / "OuterRaceFault_vload_2.mat", root / "orf2.mat")
    _replace_entry(monkeypatch, "mfpt/OuterRaceFault_vload_2.mat", url=f"{base}/orf2.mat")
    path = fetch("mfpt/OuterRaceFault_vload_2.mat", progress=True)
    assert path == cache / "mfpt" / "OuterRaceFault_vload_2.mat"
    assert files_under(cache) == ["mfpt/OuterRaceFault_vload_2.mat"]


def test_first_download_of_a_lock_pinned_file_is_verified(cache, web, monkeypatch):
    """98.mat is pinned from the bearing-datasets lock, mirrored nowhere: a wrong copy is refused at once."""
    root, base = web
    item = entry("cwru/98.mat")
    (root / "98.mat").write_bytes(b"\0" * item.size)
    _replace_entry(monkeypatch, "cwru/98.mat", url=f"{base}/98.mat")
    with pytest.raises(ChecksumError, match=f"sha256 mismatch for cwru/98.mat.*expected {item.sha256}"):
        fetch("cwru/98.mat", progress=False)
    assert files_under(cache) == []


def test_short_file_from_a_server_is_refused(mirror, cache, web, monkeypatch):
    root, base = web
    (root / "short.mat").write_bytes((mirror / "cwru" / "106.mat").read_bytes()[:-1])
    _replace_entry(monkeypatch, "cwru/106.mat", url=f"{base}/short.mat")
    expected = "size mismatch for cwru/106.mat .*: expected 2928192 bytes, got 2928191;"
    with pytest.raises(ChecksumError, match=expected):
        fetch("cwru/106.mat", progress=False)
    assert files_under(cache) == []


def test_http_error_is_a_missing_file_and_leaves_nothing(cache, web, monkeypatch):
    _, base = web
    _replace_entry(monkeypatch, "mfpt/OuterRaceFault_vload_2.mat", url=f"{base}/nothing-here.mat")
    with pytest.raises(MissingDataError, match=r"downloading it from http://127\.0\.0\.1:\d+/nothing-here\.mat"):
        fetch("mfpt/OuterRaceFault_vload_2.mat", progress=False)
    assert files_under(cache) == []


def test_missing_file_names_the_url_and_the_variables(cache, monkeypatch):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    with pytest.raises(MissingDataError) as err:
        fetch("cwru/106.mat")
    for text in ("cwru/106.mat", "https://engineering.case.edu/sites/default/files/106.mat",
                 "BEARINGKIT_DATA_MIRROR", "BEARINGKIT_CACHE", "ConnectionError"):
        assert text in str(err.value)
    assert files_under(cache) == []


def test_missing_from_the_mirror_too(tmp_path, monkeypatch):
    monkeypatch.setenv("BEARINGKIT_DATA_MIRROR", str(tmp_path / "empty-mirror"))
    with pytest.raises(MissingDataError, match="nor in the mirror"):
        fetch("paderborn/KATData0.mat")


def test_error_kinds_share_one_base():
    assert issubclass(MissingDataError, DataError) and issubclass(ChecksumError, DataError)


def test_unpinned_file_is_refused_by_default(cache):
    with pytest.raises(DataError, match="not pinned.*BEARINGKIT_ALLOW_UNPINNED=1"):
        fetch("mafaulda/full.zip")
    assert files_under(cache) == []


def test_unpinned_file_with_opt_in_is_fetched_and_its_sha256_printed(fake_download, monkeypatch, capsys):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    monkeypatch.setenv("BEARINGKIT_ALLOW_UNPINNED", "1")
    fake_download(b"any bytes: full.zip has no published hash")
    path = fetch("mafaulda/full.zip")
    assert path.read_bytes().startswith(b"any bytes")
    assert file_hash(path) in capsys.readouterr().err


def test_a_documented_git_blob_id_is_checked_too(cache, fake_download, monkeypatch):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    payload = b"a copy whose sha256 and size are right but whose git blob id is not the documented one"
    _replace_entry(monkeypatch, "cwru/98.mat", sha256=hashlib.sha256(payload).hexdigest(), size=len(payload))
    fake_download(payload)
    with pytest.raises(ChecksumError, match="git blob id mismatch.*883b4d24"):
        fetch("cwru/98.mat")
    assert files_under(cache) == []


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


def test_unknown_file_id_is_an_unknown_name_listing_the_valid_ones():
    with pytest.raises(UnknownNameError, match="valid files"):
        fetch("mfpt/baseline_1.mat")
    with pytest.raises(KeyError, match="valid data sets"):
        fetch("nasa/1.mat")


def test_cli_verify_passes_on_the_mirror_and_counts_what_is_elsewhere(mirror, capsys):
    assert main(["verify"]) == 0
    assert "55 of 55 pinned files present verified; 163 more are registered" in capsys.readouterr().out


def test_cli_verify_fails_on_a_corrupt_file(mirror, tmp_path, monkeypatch, capsys):
    bad_mirror = tmp_path / "mirror"
    shutil.copytree(mirror / "mfpt", bad_mirror / "mfpt")
    target = bad_mirror / "mfpt" / "OuterRaceFault_vload_3.mat"
    target.write_bytes(_corrupt(target.read_bytes()))
    monkeypatch.setenv("BEARINGKIT_DATA_MIRROR", str(bad_mirror))
    assert main(["verify", "--dataset", "mfpt"]) == 1
    assert "BAD sha256 mismatch for mfpt/OuterRaceFault_vload_3.mat" in capsys.readouterr().err
    assert main(["verify", "mfpt/InnerRaceFault_vload_1.mat"]) == 0


def test_cli_fetch_of_named_files_lists_unpinned_as_skipped(mirror, capsys):
    assert main(["fetch", "paderborn/KATData0.mat", "cwru/105.mat", "mafaulda/full.zip"]) == 0
    out = capsys.readouterr().out
    assert "skipped mafaulda/full.zip" in out
    assert "2 of 2 pinned files verified, 1 unpinned skipped" in out


def test_cli_fetch_fails_when_a_file_cannot_be_had(monkeypatch, capsys):
    monkeypatch.delenv("BEARINGKIT_DATA_MIRROR")
    assert main(["fetch", "--dataset", "mfpt"]) == 1
    printed = capsys.readouterr()
    assert "15 pinned files, 77 MB in all" in printed.out
    assert "FAILED mfpt/InnerRaceFault_vload_1.mat" in printed.err


def test_cli_names_an_unknown_file_id(capsys):
    with pytest.raises(SystemExit):
        main(["fetch", "cwru/1.mat"])
    assert "unknown file '1.mat' in data set 'cwru'" in capsys.readouterr().err


def test_every_fetched_file_is_recorded_with_its_hash(mirror):
    from bearingkit.data import fetch, files_read
    from bearingkit.data.registry import entry

    fetch("cwru/105.mat", progress=False)
    assert files_read()["cwru/105.mat"] == entry("cwru/105.mat").sha256

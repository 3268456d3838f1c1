"""What the History DB's tests share: a toy search space and objective, and History DB URLs on two backends.

A History DB is an SQLite file, or a fresh database on a real PostgreSQL server: a throwaway cluster started
from Debian's ``postgresql`` binaries (``initdb`` and ``pg_ctl``; run as the ``postgres`` user when the tests
run as root, since ``initdb`` refuses root) on 127.0.0.1, a free port, trust authentication, in a temporary
directory. The cluster is started once per test session: the first of the session's processes
(pytest-xdist's workers) to need it starts it, the others use it, and the last one to finish stops it (a
count of users under a lock, in a file of the session's temporary directory). ``BEARINGKIT_TEST_POSTGRES_URL``
names a server to use instead (its role must be allowed to create databases).

Without the binaries (or that URL) the PostgreSQL cases are skipped, unless ``BEARINGKIT_REQUIRE_POSTGRES=1``
(as ``.ci/run`` sets): then they fail.
"""

from __future__ import annotations

import fcntl
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from bearingkit.hpo import SearchSpace, real
from bearingkit.hpo.history import sqlite_url

URL_VARIABLE = "BEARINGKIT_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "BEARINGKIT_REQUIRE_POSTGRES"

SPACE = SearchSpace((real("x", 0.0, 1.0), real("y", 0.0, 1.0)))


def quadratic(params, report):
    """A smooth toy objective with its maximum 1 at (0.3, 0.7), reported at budgets 1, 2, 3."""
    value = 1.0 - (params["x"] - 0.3) ** 2 - (params["y"] - 0.7) ** 2
    for step in (1, 2, 3):
        report(step, value - 0.1 * (3 - step))
    return value


def postgres_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: ``pg_config --bindir``, Debian's layout, or PATH."""
    candidates = []
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(found.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]),
                         reverse=True)
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb")).parent))
    for directory in filter(None, candidates):
        if all((Path(directory) / tool).is_file() for tool in ("initdb", "pg_ctl")):
            return Path(directory)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_user() -> str | None:
    """The unprivileged user that runs the server when we are root (``initdb`` refuses root), else None."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name).pw_name
        except KeyError:
            continue
    raise RuntimeError("running as root and no 'postgres' or 'nobody' user to run PostgreSQL as")


def _run_as(user: str | None, command: list[str]) -> None:
    prefix = ["runuser", "-u", user, "--"] if user else []
    subprocess.run(prefix + command, check=True, capture_output=True, text=True, timeout=120)


def _start_server(bindir: Path, root: Path, user: str | None) -> str:
    """Start the cluster in ``root`` on a free port; its URL."""
    for _ in range(3):                                   # another process may take the free port first
        port = _free_port()
        options = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off"
        try:
            _run_as(user, [str(bindir / "pg_ctl"), "-D", str(root / "cluster"), "-l",
                           str(root / "server.log"), "-o", options, "-w", "-t", "60", "start"])
            return f"postgresql+psycopg2://bearingkit@127.0.0.1:{port}/postgres"
        except subprocess.CalledProcessError:
            continue
    log = (root / "server.log").read_text(errors="replace") if (root / "server.log").exists() else ""
    raise RuntimeError(f"PostgreSQL did not start; its log ends: {log[-2000:]}")


def _start_cluster(bindir: Path) -> dict:
    """A new cluster in a temporary directory, started: its URL, directory and server user."""
    user = _server_user()
    root = Path(tempfile.mkdtemp(prefix="bearingkit-postgres-"))
    if user:
        shutil.chown(root, user)
    cluster = {"root": str(root), "user": user}
    try:
        _run_as(user, [str(bindir / "initdb"), "-D", str(root / "cluster"), "-A", "trust", "-U", "bearingkit",
                       "-E", "UTF8", "--no-sync", "--no-instructions"])
        cluster["url"] = _start_server(bindir, root, user)
    except BaseException:
        _stop_cluster(bindir, cluster)
        raise
    return cluster


def _stop_cluster(bindir: Path, cluster: dict) -> None:
    root = Path(cluster["root"])
    if (root / "cluster" / "postmaster.pid").exists():
        _run_as(cluster["user"], [str(bindir / "pg_ctl"), "-D", str(root / "cluster"), "-m", "immediate",
                                  "stop"])
    shutil.rmtree(root, ignore_errors=True)


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file ``lock`` (made if absent); wait while another process holds it."""
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _join_cluster(record: Path, bindir: Path) -> str:
    """Count one more user of the session's cluster, starting it for the first; its URL."""
    cluster = json.loads(record.read_text()) if record.exists() else {"users": 0}
    if cluster["users"] == 0:
        cluster = {**_start_cluster(bindir), "users": 0}
    cluster["users"] += 1
    record.write_text(json.dumps(cluster))
    return cluster["url"]


def _leave_cluster(record: Path, bindir: Path) -> None:
    """Count one user less of the session's cluster, stopping it after the last."""
    cluster = json.loads(record.read_text())
    cluster["users"] -= 1
    if cluster["users"] == 0:
        _stop_cluster(bindir, cluster)
    record.write_text(json.dumps(cluster))


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A URL of a running PostgreSQL server whose role may create databases."""
    if os.environ.get(URL_VARIABLE):
        yield os.environ[URL_VARIABLE]
        return
    bindir = postgres_bindir()
    if bindir is None:
        message = f"no PostgreSQL: set {URL_VARIABLE} or install Debian's postgresql (initdb, pg_ctl)"
        if os.environ.get(REQUIRE_VARIABLE) == "1":
            pytest.fail(message)
        pytest.skip(message)
    session = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):            # the workers' directories share their parent
        session = session.parent
    lock, record = session / "postgres.lock", session / "postgres.json"
    with _exclusive(lock):
        url = _join_cluster(record, bindir)
    try:
        yield url
    finally:
        with _exclusive(lock):
            _leave_cluster(record, bindir)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the server, dropped after the test."""
    name = f"bearingkit_test_{uuid.uuid4().hex[:12]}"
    server = sa.engine.make_url(postgres_server)
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def history_url(request, tmp_path) -> str:
    """The URL of an empty History DB on each backend."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "history.db")
    return request.getfixturevalue("postgres_url")

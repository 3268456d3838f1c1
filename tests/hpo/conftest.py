"""History DB URLs for the tests: an SQLite file, and a database on a real PostgreSQL server.

The server is the one ``BEARINGKIT_TEST_POSTGRES_URL`` names (``.ci/run`` starts one and sets it; its role
must be allowed to create databases), or else a throwaway cluster this fixture starts from Debian's
``postgresql`` binaries (``initdb`` and ``pg_ctl``, run as the ``postgres`` user when the tests run as root:
``initdb`` refuses root) on 127.0.0.1, a free port, trust authentication, in a temporary directory. Under
pytest-xdist each worker process starts its own. Every test gets a fresh database on that server.

Without binaries or URL the PostgreSQL cases are skipped, unless ``BEARINGKIT_REQUIRE_POSTGRES=1`` (as in CI):
then they fail.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from bearingkit.hpo.history import sqlite_url

URL_VARIABLE = "BEARINGKIT_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "BEARINGKIT_REQUIRE_POSTGRES"


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


def _start_cluster(bindir: Path, root: Path, user: str | None) -> str:
    cluster = root / "cluster"
    _run_as(user, [str(bindir / "initdb"), "-D", str(cluster), "-A", "trust", "-U", "bearingkit",
                   "-E", "UTF8", "--no-sync", "--no-instructions"])
    for _ in range(3):                                   # another process may take the free port first
        port = _free_port()
        options = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off"
        try:
            _run_as(user, [str(bindir / "pg_ctl"), "-D", str(cluster), "-l", str(root / "server.log"),
                           "-o", options, "-w", "-t", "60", "start"])
            return f"postgresql+psycopg2://bearingkit@127.0.0.1:{port}/postgres"
        except subprocess.CalledProcessError:
            continue
    raise RuntimeError(f"PostgreSQL did not start; see {root / 'server.log'}")


@pytest.fixture(scope="session")
def postgres_server():
    """A URL of a running PostgreSQL server whose role may create databases."""
    if os.environ.get(URL_VARIABLE):
        yield os.environ[URL_VARIABLE]
        return
    bindir = postgres_bindir()
    if bindir is None:
        message = (f"no PostgreSQL: set {URL_VARIABLE} or install Debian's postgresql (initdb, pg_ctl)")
        if os.environ.get(REQUIRE_VARIABLE) == "1":
            pytest.fail(message)
        pytest.skip(message)
    user = _server_user()
    root = Path(tempfile.mkdtemp(prefix="bearingkit-postgres-"))
    if user:
        shutil.chown(root, user)
    try:
        yield _start_cluster(bindir, root, user)
    finally:
        if (root / "cluster" / "postmaster.pid").exists():
            _run_as(user, [str(bindir / "pg_ctl"), "-D", str(root / "cluster"), "-m", "immediate", "stop"])
        shutil.rmtree(root, ignore_errors=True)


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

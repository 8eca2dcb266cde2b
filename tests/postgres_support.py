"""A real PostgreSQL server for the tests, and a fresh schema per test.

.ci/run starts a throw-away server (scripts/pg_server.sh) and exports its URL as ADAPT_TEST_POSTGRES
with ADAPT_REQUIRE_POSTGRES=1, so in CI a missing server fails the PostgreSQL tests instead of skipping
them. Run locally without it, the first test that needs PostgreSQL starts a server of its own in a
temporary folder when PostgreSQL is installed, and stops it when the session ends.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "pg_server.sh"


def required() -> bool:
    return os.environ.get("ADAPT_REQUIRE_POSTGRES") == "1"


def _unavailable(reason: str) -> None:
    if required():
        pytest.fail(f"PostgreSQL tests are required (ADAPT_REQUIRE_POSTGRES=1) but {reason}")
    pytest.skip(f"no PostgreSQL for this run: {reason} (.ci/run starts one)")


@contextmanager
def server() -> Iterator[str | None]:
    """The URL of a server to test against: ADAPT_TEST_POSTGRES, else one started here, else None."""
    url = os.environ.get("ADAPT_TEST_POSTGRES")
    if url:
        yield url
        return
    if not SCRIPT.exists() or not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        yield None
        return
    folder = tempfile.mkdtemp(prefix="adapt-pg-")
    try:
        started = subprocess.run(["bash", str(SCRIPT), "start", folder], capture_output=True, text=True, timeout=120)
        yield started.stdout.strip() if started.returncode == 0 else None
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", folder], capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(url: str | None) -> Iterator[str]:
    """A URL whose search path is a new, empty schema; the schema is dropped afterwards."""
    if url is None:
        _unavailable("PostgreSQL is not installed and ADAPT_TEST_POSTGRES is not set")
    try:
        import psycopg
    except ImportError:
        _unavailable("psycopg is not installed (pip install .[scale])")
    from adapt.store.postgres import with_search_path

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_search_path(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")

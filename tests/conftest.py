"""Shared fixtures: real SQLite in tmp_path, the real service, the shared data folder."""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

import pytest

from adapt.settings import Settings, apply_offline_environment

apply_offline_environment()

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _origin_checkout() -> Path | None:
    """The local checkout this one was cloned from (`git clone . /tmp/x`), if it was cloned from one."""
    try:
        url = subprocess.run(["git", "-C", str(REPO), "config", "--get", "remote.origin.url"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(url.removeprefix("file://")) if url else None
    return path if path is not None and path.is_absolute() and path.is_dir() else None


@cache
def _find_shared_data() -> Path | None:
    env = os.environ.get("ADAPT_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared" / "data", REPO / "shared" / "data"]
    origin = _origin_checkout()
    if origin is not None:
        candidates.append(origin.parent / "shared" / "data")
    return next((candidate for candidate in candidates if candidate.is_dir()), None)


def shared_data() -> Path:
    """`../shared/data` beside the checkout (CI lays it there too), else beside the local checkout this
    clone came from; ADAPT_SHARED_DATA overrides."""
    found = _find_shared_data()
    if found is None:
        pytest.fail("the shared data folder is missing: expected ../shared/data beside the checkout "
                    "(or set ADAPT_SHARED_DATA to its path)")
    return found


# The evaluation CLI and benchmark scripts the tests run look for the data themselves: point them at it.
if _find_shared_data() is not None:
    os.environ.setdefault("ADAPT_SHARED_DATA", str(_find_shared_data()))


@pytest.fixture
def shared() -> Path:
    return shared_data()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db_path=tmp_path / "adapt.db", cache_dir=tmp_path / "cache", data_dir=tmp_path / "data",
                    user="tester")


@pytest.fixture
def service(settings: Settings):
    from adapt.service import AdaptService

    svc = AdaptService(settings)
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def llm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for every test that loads the packaged SmolLM2: `models.simplifiers.llm.load`
    keeps one model per process, so a test that loaded it with another folder would leave this one empty.
    A developer may point ADAPT_TEST_MODEL_CACHE at a lasting folder to skip the ~30 s conversion."""
    shared = os.environ.get("ADAPT_TEST_MODEL_CACHE")
    return Path(shared) if shared else tmp_path_factory.mktemp("llm-cache")


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server's URL for the session (tests/postgres_support.py), or None."""
    from tests.postgres_support import server

    with server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty PostgreSQL schema for one test (skips, or fails in CI, without a server)."""
    from tests.postgres_support import fresh_database

    yield from fresh_database(postgres_server)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path: Path):
    """Where a store lives: a SQLite file, or a fresh PostgreSQL schema. The store suite runs on both."""
    if request.param == "sqlite":
        return tmp_path / "store.db"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(database):
    from adapt.store import Store

    s = Store(database)
    yield s
    s.close()


def _hypothesis_profiles() -> None:
    from hypothesis import settings as hsettings

    hsettings.register_profile("thorough", max_examples=5000, deadline=None)
    profile = os.environ.get("HYPOTHESIS_PROFILE")
    if profile:
        hsettings.load_profile(profile)


_hypothesis_profiles()

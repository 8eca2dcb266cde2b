"""Shared fixtures: real SQLite in tmp_path, the real service, the shared data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from adapt.settings import Settings, apply_offline_environment

apply_offline_environment()

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_data() -> Path:
    """`../shared/data` beside the checkout (CI lays it there too); ADAPT_SHARED_DATA overrides."""
    env = os.environ.get("ADAPT_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared" / "data", REPO / "shared" / "data"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    pytest.fail("the shared data folder is missing: expected ../shared/data beside the checkout")


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


@pytest.fixture
def store(tmp_path: Path):
    from adapt.store import Store

    s = Store(tmp_path / "store.db")
    yield s
    s.close()


def _hypothesis_profiles() -> None:
    from hypothesis import settings as hsettings

    hsettings.register_profile("thorough", max_examples=5000, deadline=None)
    profile = os.environ.get("HYPOTHESIS_PROFILE")
    if profile:
        hsettings.load_profile(profile)


_hypothesis_profiles()

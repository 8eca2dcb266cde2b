"""Sessions and the login guard on real SQLite: expiry, ending, the Gradio token view, and locks per name,
address and known browser that survive a new process (a second Store on the same file)."""

from __future__ import annotations

import pytest

from adapt.login_guard import Limits, LoginGuard
from adapt.sessions import Sessions, TokenMap
from adapt.store import Store


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def db(tmp_path):
    return tmp_path / "s.db"


def test_sessions_expire_end_and_hold_across_processes(db):
    clock = Clock()
    sessions = Sessions(Store(db), lifetime_s=60, clock=clock)
    a, b, c = sessions.create("ana"), sessions.create("ana"), sessions.create("bo")
    assert Sessions(Store(db), clock=clock).user(a) == "ana"  # another process, same database
    tokens = TokenMap(sessions)
    assert tokens.get(b) == "ana" and tokens.get("forged") is None and tokens.get(None) is None
    sessions.end_all("ana")
    assert sessions.user(a) is None and sessions.user(b) is None and sessions.user(c) == "bo"
    clock.now += 61
    assert sessions.user(c) is None  # expired
    sessions.prune()
    assert Store(db).read(lambda conn: conn.execute("SELECT COUNT(*) FROM web_sessions").fetchone()[0]) == 0


def test_only_token_hashes_are_stored(db):
    store = Store(db)
    token = Sessions(store).create("ana")
    stored = store.read(lambda conn: conn.execute("SELECT token_hash FROM web_sessions").fetchone()[0])
    assert token not in stored and len(stored) == 64


def test_name_lock_spares_the_owners_known_browser_and_survives_a_restart(db):
    clock = Clock()
    guard = LoginGuard(Store(db), limits=Limits(name_free=2, client_free=100), clock=clock)
    guard.succeeded("ana", "10.0.0.1", "ana-browser")  # ana logged in from her browser once
    for _ in range(3):
        guard.failed("ana", "10.9.9.9", "attacker")
    restarted = LoginGuard(Store(db), limits=Limits(name_free=2, client_free=100), clock=clock)
    assert restarted.wait_seconds("ana", "10.9.9.9", "attacker") == 30
    assert restarted.wait_seconds("ana", "10.0.0.2", "new-browser") == 30  # any unknown browser
    assert restarted.wait_seconds("ana", "10.9.9.9", "ana-browser") == 0  # but not hers, from anywhere
    clock.now += 31
    assert restarted.wait_seconds("ana", "10.0.0.2", "new-browser") == 0  # locks run out


def test_client_lock_across_names(db):
    clock = Clock()
    guard = LoginGuard(Store(db), limits=Limits(name_free=100, client_free=3), clock=clock)
    for n in range(4):
        guard.failed(f"user{n}", "10.9.9.9", None)
    assert guard.wait_seconds("bo", "10.9.9.9", None) == 30
    assert guard.wait_seconds("bo", "10.0.0.5", None) == 0


def test_locks_double_and_stop_at_the_longest(db):
    clock = Clock()
    guard = LoginGuard(Store(db), limits=Limits(name_free=0, first_lock_s=30, longest_lock_s=100), clock=clock)
    assert [guard.failed("ana") for _ in range(4)] == [30, 60, 100, 100]
    guard.succeeded("ana")
    assert guard.wait_seconds("ana") == 0

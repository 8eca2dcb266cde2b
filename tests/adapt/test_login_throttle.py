"""Password guessing is slowed: a name locks after repeated wrong passwords, a right one clears it."""

from __future__ import annotations

import time

import pytest


def test_the_service_refuses_even_the_right_password_while_a_name_is_locked(service) -> None:
    service.people.add("tina", "teacher", "password-1")
    assert service.people.authenticate("tina", "password-1").name == "tina"
    for _ in range(5):
        assert service.people.authenticate("tina", "wrong-guess") is None
    assert service.people.authenticate("tina", "password-1").name == "tina"  # five free failures: not locked yet
    for _ in range(6):
        service.people.authenticate("tina", "wrong-guess")
    assert service.people.authenticate("tina", "password-1") is None  # locked: the password is not even checked
    throttle = service.people.login_throttle
    assert throttle.wait_seconds("tina") > 0
    throttle.clock = lambda: time.time() + throttle.limits.longest_lock_s + 1  # the lock has run out
    assert service.people.authenticate("tina", "password-1").name == "tina"
    assert service.people.authenticate("nobody", "x") is None


@pytest.mark.parametrize("name", ["", "a" * 10_000, "robert'); DROP TABLE users;--"])
def test_odd_names_fail_like_any_wrong_login(service, name: str) -> None:
    assert service.people.authenticate(name, "password-1") is None

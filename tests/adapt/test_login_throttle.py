"""Password guessing is slowed: a name locks after repeated wrong passwords, a right one clears it."""

from __future__ import annotations

import time

import pytest

from adapt.login_throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_locks_double_after_the_free_failures_and_a_success_clears_them() -> None:
    clock = Clock()
    throttle = LoginThrottle(free_failures=3, first_lock_s=30, longest_lock_s=100, clock=clock)
    assert [throttle.failed("ana") for _ in range(3)] == [0, 0, 0]
    assert throttle.wait_seconds("ana") == 0
    assert throttle.failed("ana") == 30 and throttle.wait_seconds("ana") == 30
    clock.now += 31
    assert throttle.wait_seconds("ana") == 0
    assert throttle.failed("ana") == 60
    clock.now += 61
    assert throttle.failed("ana") == 100  # capped
    assert throttle.wait_seconds("bob") == 0  # per name
    throttle.succeeded("ana")
    assert throttle.wait_seconds("ana") == 0 and throttle.failed("ana") == 0


def test_guessing_many_names_keeps_memory_bounded() -> None:
    throttle = LoginThrottle(max_names=100, clock=Clock())
    for n in range(1000):
        throttle.failed(f"user{n}")
    assert len(throttle._failures) <= 100


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

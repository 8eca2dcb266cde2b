"""Slowing down password guessing: after a few wrong passwords for a name, that name is locked for a while.

Each wrong password in a row past `free_failures` doubles the lock (30 s, 60 s, ... up to 15 minutes); a
right password clears the count. While a name is locked, no password is checked at all, so guessing costs
the attacker the lock time, not just scrypt's. The count lives in memory: a restart clears it, and a
person locked out can ask an admin to restart or simply wait.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Failures:
    count: int = 0
    locked_until: float = 0.0


class LoginThrottle:
    def __init__(self, *, free_failures: int = 5, first_lock_s: float = 30.0, longest_lock_s: float = 900.0,
                 clock: Callable[[], float] = time.monotonic, max_names: int = 10_000) -> None:
        self.free_failures = free_failures
        self.first_lock_s = first_lock_s
        self.longest_lock_s = longest_lock_s
        self.clock = clock
        self.max_names = max_names  # guessing at many made-up names cannot grow memory without bound
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, name: str) -> float:
        """How long `name` stays locked (0 when a password may be tried now)."""
        with self._lock:
            entry = self._failures.get(name)
            return max(0.0, entry.locked_until - self.clock()) if entry else 0.0

    def failed(self, name: str) -> float:
        """Count a wrong password; returns the lock it starts (0 while failures are still free)."""
        with self._lock:
            if name not in self._failures and len(self._failures) >= self.max_names:
                self._forget_oldest()
            entry = self._failures.setdefault(name, _Failures())
            entry.count += 1
            over = entry.count - self.free_failures
            if over <= 0:
                return 0.0
            lock = min(self.longest_lock_s, self.first_lock_s * 2 ** (over - 1))
            entry.locked_until = self.clock() + lock
            return lock

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)

    def _forget_oldest(self) -> None:
        now = self.clock()
        unlocked = [name for name, entry in self._failures.items() if entry.locked_until <= now]
        for name in unlocked[: max(1, len(unlocked) // 2)] or [next(iter(self._failures))]:
            del self._failures[name]

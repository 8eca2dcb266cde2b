"""Login throttling kept in the database: per name, per client address, and per known device.

- A *name* gets `name_free` wrong passwords, then a lock that doubles with each further one (30 s, 60 s,
  ... at most 15 minutes). While locked, no password is checked for it: guessing costs the lock time.
- A *client* (an address) gets `client_free` wrong passwords across all names, then the same doubling
  lock: guessing many names from one place is slowed too.
- A *device* that has logged in as a name before (its cookie, set at a right password, is on record) is
  exempt from both locks for that name, with its own count. So anyone can slow a known name from elsewhere,
  but cannot lock its owner out of their usual browser: the "cannot lock a real user out for long" rule.

The counts live in SQLite (adapt.store), so they hold across restarts and several servers. On a
read-only database they live in memory. Wall-clock time: a lock must mean the same on every server.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from adapt.sessions import token_hash
from adapt.store import Store

NAME, CLIENT, DEVICE = "name", "client", "device"


@dataclass(frozen=True)
class Limits:
    name_free: int = 5
    client_free: int = 20
    device_free: int = 5
    first_lock_s: float = 30.0
    longest_lock_s: float = 900.0


class LoginGuard:
    def __init__(self, store: Store, *, limits: Limits | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.limits = limits or Limits()
        self.clock = clock
        self._memory: dict[tuple[str, str], tuple[int, float]] = {}
        self._lock = threading.Lock()

    # what a login attempt is checked against ---------------------------------------------------------
    def _keys(self, name: str, client: str | None, device: str | None) -> list[tuple[str, str]]:
        if device and self.known_device(name, device):
            return [(DEVICE, f"{name}\n{token_hash(device)}")]
        keys = [(NAME, name)]
        if client:
            keys.append((CLIENT, client))
        return keys

    def wait_seconds(self, name: str, client: str | None = None, device: str | None = None) -> float:
        """How long until a password may be tried for `name` from here (0: now)."""
        moment = self.clock()
        return max([0.0, *(self._get(scope, key)[1] - moment for scope, key in self._keys(name, client, device))])

    def failed(self, name: str, client: str | None = None, device: str | None = None) -> float:
        """Count a wrong password; returns the longest lock it starts (0 while failures are still free)."""
        longest = 0.0
        for scope, key in self._keys(name, client, device):
            free = {NAME: self.limits.name_free, CLIENT: self.limits.client_free,
                    DEVICE: self.limits.device_free}[scope]
            failures = self._get(scope, key)[0] + 1
            over = failures - free
            lock = 0.0 if over <= 0 else min(self.limits.longest_lock_s, self.limits.first_lock_s * 2 ** (over - 1))
            self._put(scope, key, failures, self.clock() + lock if lock else 0.0)
            longest = max(longest, lock)
        return longest

    def succeeded(self, name: str, client: str | None = None, device: str | None = None) -> None:
        """A right password: clear the counts that led here and remember the device for this name."""
        for scope, key in self._keys(name, client, device):
            self._delete(scope, key)
        if device and not self.store.read_only:
            digest = token_hash(device)
            self.store.write(lambda c: (
                c.execute("DELETE FROM known_devices WHERE user_name = ? AND device_hash = ?", (name, digest)),
                c.execute("INSERT INTO known_devices (user_name, device_hash, last_login) VALUES (?, ?, ?)",
                          (name, digest, self.clock()))), what=f"the login of {name}")

    def known_device(self, name: str, device: str) -> bool:
        if self.store.read_only:
            return False
        digest = token_hash(device)
        row = self.store.read(lambda c: c.execute(
            "SELECT 1 FROM known_devices WHERE user_name = ? AND device_hash = ?", (name, digest)).fetchone())
        return row is not None

    # storage ---------------------------------------------------------------------------------------
    def _get(self, scope: str, key: str) -> tuple[int, float]:
        if self.store.read_only:
            with self._lock:
                return self._memory.get((scope, key), (0, 0.0))
        row = self.store.read(lambda c: c.execute(
            "SELECT failures, locked_until FROM login_failures WHERE scope = ? AND key = ?", (scope, key)).fetchone())
        return (int(row[0]), float(row[1])) if row else (0, 0.0)

    def _put(self, scope: str, key: str, failures: int, locked_until: float) -> None:
        if self.store.read_only:
            with self._lock:
                if len(self._memory) > 10_000:  # made-up names cannot grow memory without bound
                    self._memory.clear()
                self._memory[(scope, key)] = (failures, locked_until)
            return
        moment = self.clock()
        self.store.write(lambda c: (
            c.execute("DELETE FROM login_failures WHERE scope = ? AND key = ?", (scope, key)),
            c.execute("INSERT INTO login_failures (scope, key, failures, locked_until, updated_at) "
                      "VALUES (?, ?, ?, ?, ?)", (scope, key, failures, locked_until, moment)),
            # Old entries of names nobody has tried for a day go: guessing made-up names cannot fill the disk.
            c.execute("DELETE FROM login_failures WHERE updated_at < ? AND locked_until < ?",
                      (moment - 86_400, moment))), what="a failed login")

    def _delete(self, scope: str, key: str) -> None:
        if self.store.read_only:
            with self._lock:
                self._memory.pop((scope, key), None)
            return
        self.store.write(lambda c: c.execute("DELETE FROM login_failures WHERE scope = ? AND key = ?", (scope, key)),
                         what="a login")

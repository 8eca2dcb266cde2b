"""Web sessions in the database: a login makes a random token (the cookie); the table keeps its hash.

Because the sessions live in SQLite, not in one server's memory, they hold across a restart and across
several servers on one database, and changing a person's password or role, or removing them, ends every
session they have (adapt.people deletes the rows in the same transaction). A database on a read-only
mount cannot keep them: then they live in this process's memory, and a restart ends them.

The same goes for the export files the review UI offers: each is recorded by content hash with its
resource, so that a download is given only to someone who may read that resource.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, MutableMapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from adapt.store import Store, now

SESSION_SECONDS = 7 * 24 * 3600
# The session already looked up for the request being handled (set by ui.security): Gradio asks again for
# the same token in its own checks, and each SQLite round trip costs a GIL hand-over under load.
_this_request: ContextVar[tuple[str, str | None] | None] = ContextVar("adapt_session_of_request", default=None)


def remember_for_request(token: str, user: str | None) -> None:
    _this_request.set((token, user))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def end_sessions(conn: sqlite3.Connection, name: str) -> int:
    """Inside a write: end every session of `name`. Returns how many ended."""
    return conn.execute("DELETE FROM web_sessions WHERE user_name = ?", (name,)).rowcount


class Sessions:
    """Create, look up and end sessions. `clock` is wall time: expiry is shared between servers."""

    def __init__(self, store: Store, *, lifetime_s: float = SESSION_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.lifetime_s = lifetime_s
        self.clock = clock
        self._memory: dict[str, tuple[str, float]] = {}  # read-only database: token hash -> (user, expiry)
        self._lock = threading.Lock()

    def create(self, name: str, *, client: str | None = None, token: str | None = None) -> str:
        token = token or secrets.token_urlsafe(32)
        digest, expires = token_hash(token), self.clock() + self.lifetime_s
        if self.store.read_only:
            with self._lock:
                self._memory[digest] = (name, expires)
            return token
        self.store.write(lambda c: c.execute(
            "INSERT INTO web_sessions (token_hash, user_name, client, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (digest, name, client, now(), expires)), what=f"the login of {name}")
        return token

    def user(self, token: str | None) -> str | None:
        """Who the token belongs to, or None (unknown, ended or expired)."""
        if not token:
            return None
        known = _this_request.get()
        if known is not None and known[0] == token:
            return known[1]
        digest, moment = token_hash(token), self.clock()
        if self.store.read_only:
            with self._lock:
                found = self._memory.get(digest)
            return found[0] if found and found[1] > moment else None
        row = self.store.read(lambda c: c.execute(
            "SELECT user_name FROM web_sessions WHERE token_hash = ? AND expires_at > ?", (digest, moment)).fetchone())
        return row[0] if row else None

    def end(self, token: str | None) -> None:
        if not token:
            return
        digest = token_hash(token)
        if self.store.read_only:
            with self._lock:
                self._memory.pop(digest, None)
            return
        self.store.write(lambda c: c.execute("DELETE FROM web_sessions WHERE token_hash = ?", (digest,)),
                         what="the logout")

    def end_all(self, name: str) -> None:
        if self.store.read_only:
            with self._lock:
                for digest in [d for d, (user, _) in self._memory.items() if user == name]:
                    del self._memory[digest]
            return
        self.store.write(lambda c: end_sessions(c, name), what=f"ending the sessions of {name}")

    def prune(self) -> None:
        """Forget expired sessions (called now and then; an expired one is refused anyway)."""
        if not self.store.read_only:
            moment = self.clock()
            self.store.write(lambda c: c.execute("DELETE FROM web_sessions WHERE expires_at <= ?", (moment,)),
                             what="pruning expired sessions")


class TokenMap(MutableMapping[str, str]):
    """Gradio keeps `app.tokens` as {token: user name} in memory; this is that mapping over `Sessions`, so
    Gradio's own checks (every API and file route) see the database. Listing all tokens is not possible
    (only hashes are kept); Gradio needs it only for "log out everywhere", which `ui.security` handles."""

    def __init__(self, sessions: Sessions) -> None:
        self.sessions = sessions

    def __getitem__(self, token: str) -> str:
        user = self.sessions.user(token)
        if user is None:
            raise KeyError(token)
        return user

    def __setitem__(self, token: str, user: str) -> None:
        self.sessions.create(user, token=token)

    def __delitem__(self, token: str) -> None:
        self.sessions.end(token)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


# -- export downloads ----------------------------------------------------------------------------


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ExportFiles:
    """Which resource each offered export file belongs to (by content, so any copy of it is covered)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._memory: dict[str, set[int]] = {}
        self._lock = threading.Lock()

    def record(self, path: Path, resource_id: int) -> None:
        digest = file_hash(path)
        with self._lock:
            self._memory.setdefault(digest, set()).add(resource_id)
        if not self.store.read_only:
            self.store.write(lambda c: c.execute(
                "INSERT OR IGNORE INTO export_files (content_hash, resource_id, created_at) VALUES (?, ?, ?)",
                (digest, resource_id, now())), what="the record of an export")

    def resources_of(self, path: Path) -> set[int]:
        """The resources a file is an export of (empty: it is not an export)."""
        digest = file_hash(path)
        with self._lock:
            found = set(self._memory.get(digest, ()))
        rows = self.store.read(lambda c: c.execute(
            "SELECT resource_id FROM export_files WHERE content_hash = ?", (digest,)).fetchall())
        return found | {int(r[0]) for r in rows}


def web_state(service: Any) -> tuple[Sessions, ExportFiles, Path]:
    """The sessions and export records of a service's database, and that database's path (the web front
    end asks here rather than reaching into the store)."""
    return Sessions(service.store), ExportFiles(service.store), Path(service.store.path)

"""The one module that owns the database: schema by numbered migrations, writes in transactions.

SQLite (WAL mode) is the default; a `postgresql://` URL opens PostgreSQL 15+ instead, through
`adapt.store.postgres`, which holds every dialect difference.

Review state changes are methods (`accept`, `edit`, `reject`, `undo`) that append a decision event and
update the suggestion's derived state in the same `BEGIN IMMEDIATE` transaction. Other modules keep
their own tables through migrations in `migrations/` and reach the database with `read` and `write`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any, TypeVar, cast

from adapt.errors import (
    ConflictError,
    DiskFull,
    InvalidDecision,
    ReadOnlyDatabase,
    StoreError,
    UnknownResource,
    UnknownSuggestion,
)
from adapt.store import postgres

T = TypeVar("T")
STATUSES = ("pending", "accepted", "edited", "rejected")
ACTIONS = ("accept", "edit", "reject", "undo")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- records -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    id: int
    content_hash: str
    format: str
    source_name: str
    language: str | None
    title: str | None
    license: str | None
    metadata: dict[str, Any]
    owner: str | None
    created_at: str


@dataclass(frozen=True)
class NewResource:
    format: str
    source_name: str
    source_bytes: bytes
    language: str | None = None
    title: str | None = None
    license: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    owner: str | None = None


@dataclass(frozen=True)
class SegmentRecord:
    id: int
    resource_id: int
    key: str
    position: int
    kind: str
    source_text: str
    placeholders: list[dict[str, Any]]
    translatable: bool


@dataclass(frozen=True)
class NewSuggestion:
    resource_id: int
    segment_id: int | None
    task: str
    target_language: str | None
    source_text: str
    text: str
    model_signature: dict[str, Any]
    qa_flags: list[dict[str, str]] = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)
    origin: str = "model"
    rejected_by: str | None = None  # a guard that refused it: stored rejected by that actor, in the same transaction


@dataclass(frozen=True)
class Suggestion:
    id: int
    resource_id: int
    segment_id: int | None
    segment_key: str | None
    position: int | None
    task: str
    target_language: str | None
    source_text: str
    text: str
    model_signature: dict[str, Any]
    qa_flags: list[dict[str, str]]
    scores: dict[str, Any]
    origin: str
    created_at: str
    status: str
    final_text: str | None
    version: int
    decided_at: str | None
    decided_by: str | None

    @property
    def current_text(self) -> str:
        """What the reviewer sees now: their edit if there is one, else the model's text."""
        return self.final_text if self.final_text is not None else self.text

    @property
    def flagged(self) -> bool:
        return bool(self.qa_flags)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "resource": self.resource_id,
            "segment": self.segment_key,
            "task": self.task,
            "target_language": self.target_language,
            "source": self.source_text,
            "suggestion": self.text,
            "final": self.final_text,
            "status": self.status,
            "version": self.version,
            "qa_flags": self.qa_flags,
            "scores": self.scores,
            "origin": self.origin,
            "model": self.model_signature,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at,
        }


@dataclass(frozen=True)
class Decision:
    id: int
    suggestion_id: int
    action: str
    text: str | None
    actor: str
    created_at: str


def replay(decisions: Iterable[Decision]) -> tuple[str, str | None, Decision | None]:
    """A suggestion's review state from its decision log: (status, edited text, deciding event).

    Each accept / edit / reject is pushed on a stack; each undo pops one, so undo walks back
    through the reviewer's own steps and never destroys them (the log keeps everything).
    """
    stack: list[Decision] = []
    for decision in decisions:
        if decision.action == "undo":
            if stack:
                stack.pop()
        else:
            stack.append(decision)
    if not stack:
        return "pending", None, None
    top = stack[-1]
    status = {"accept": "accepted", "edit": "edited", "reject": "rejected"}[top.action]
    if top.action == "edit":
        return status, top.text, top
    if top.action == "accept":
        # Accepting confirms the reviewer's text: the accept's own text, else the last edit it sits on
        # (logs written before accepts carried their text). A decision never drops an edit silently.
        return status, top.text if top.text is not None else _text_below(stack), top
    return status, None, top


def _text_below(stack: Sequence[Decision]) -> str | None:
    """The reviewer's text in force just below the top of the stack (None: the machine's)."""
    for decision in reversed(stack[:-1]):
        if decision.action == "accept" and decision.text is None:
            continue
        return decision.text if decision.action in ("edit", "accept") else None
    return None


# -- the store -----------------------------------------------------------------------------------


class Store:
    """SQLite behind methods. One connection per thread; every write inside BEGIN IMMEDIATE."""

    def __init__(self, path: Path | str) -> None:
        # A postgresql:// URL stays a string (Path would fold its //); anything else is a SQLite file.
        self.url: str | None = str(path) if postgres.is_url(path) else None
        self.path: Path | str = postgres.redact(self.url) if self.url else Path(path)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._migrated = False
        self._read_only: bool | None = None  # found on first use (see `read_only`)

    @property
    def dialect(self) -> str:
        return "postgresql" if self.url else "sqlite"

    @property
    def _row_lock(self) -> str:
        return " FOR UPDATE" if self.url else ""

    # connections and transactions ----------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        """True when the database sits where it cannot be written (a read-only mount, a locked-down folder):
        then reads work and every write raises ReadOnlyDatabase instead of SQLite's "unable to open".
        A PostgreSQL server says so itself (its errors pass through)."""
        if self._read_only is None:
            self._read_only = False if self.url else _cannot_write(Path(self.path))
        return self._read_only

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None and self.url is not None:
            conn = postgres.connect(self.url)
            self._local.conn = conn
            if not self._migrated:
                self._migrate(conn)
        if conn is None:
            assert isinstance(self.path, Path)
            if str(self.path) != ":memory:" and not self.path.parent.exists():
                raise StoreError(
                    f"the folder for the database {self.path} does not exist", hint="create it or pass --db"
                )
            conn = self._open_read_only() if self.read_only else self._open()
            self._local.conn = conn
            if not self._migrated:
                if self.read_only:
                    self._check_migrated(conn)
                else:
                    self._migrate(conn)
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 30000")
            if str(self.path) != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}", hint="check --db / ADAPT_DB") from None
        return conn

    def _open_read_only(self) -> sqlite3.Connection:
        """Open for reading only. A WAL database needs its -shm file: where the folder cannot be written
        SQLite cannot make one, so the file is opened immutable (nothing can change it on a read-only mount)."""
        assert isinstance(self.path, Path)  # only SQLite databases are opened read-only
        if not self.path.exists():
            raise ReadOnlyDatabase(
                f"the database {self.path} does not exist and its folder is read-only, so it cannot be created",
                hint="pass --db with a writable path",
            )
        uri = self.path.resolve().as_uri()
        last: sqlite3.Error | None = None
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                conn = sqlite3.connect(uri + query, uri=True, timeout=30, isolation_level=None,
                                       check_same_thread=False)
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA query_only = ON")
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.Error as exc:
                last = exc
        raise StoreError(f"cannot open the read-only database {self.path}: {last}",
                         hint="check --db / ADAPT_DB, or copy the database somewhere writable")

    def _check_migrated(self, conn: sqlite3.Connection) -> None:
        """A read-only database cannot be migrated: say so when it needs it, rather than failing later."""
        try:
            applied = {row[0] for row in conn.execute("SELECT number FROM schema_migrations")}
        except sqlite3.Error:
            applied = set()
        missing = [name for number, name, _ in self.migrations() if number not in applied]
        if missing:
            raise ReadOnlyDatabase(
                f"the database {self.path} is read-only and needs upgrading ({', '.join(missing)})",
                hint="open it once where it can be written, or copy it somewhere writable",
            )
        self._migrated = True

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return fn(self._connection())

    def write(self, fn: Callable[[sqlite3.Connection], T], *, serialize: bool = True, what: str | None = None) -> T:
        """Run `fn` in one immediate transaction: all of it lands, or none of it. `what` names the change
        for the message when the disk refuses it ("the decision on suggestion 7").

        On PostgreSQL the transaction takes the store-wide write lock, so writers queue exactly as on
        SQLite; `serialize=False` leaves it out for code that locks its own rows (job claims, decisions)."""
        conn = self._connection()
        if self.read_only:
            raise ReadOnlyDatabase(f"the database is read-only: {what or 'the change'} was not saved",
                                   hint=f"{self.path} is on a read-only mount or folder; make it writable")
        with self._write_lock:
            try:
                self._begin(conn, serialize)
                try:
                    result = fn(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    # SQLite rolls back by itself on some errors (a full disk, an I/O error): then there is
                    # no transaction left, and a second ROLLBACK would hide the real error.
                    if getattr(conn, "in_transaction", True):
                        try:
                            conn.execute("ROLLBACK")
                        except Exception:  # noqa: BLE001 - the first error is the one to report
                            pass
                    raise
            except sqlite3.OperationalError as exc:
                raise _storage_fault(exc, self.path, what) from exc
            return result

    # migrations -----------------------------------------------------------------------------------
    @staticmethod
    def migrations() -> list[tuple[int, str, str]]:
        """(number, name, sql) of every migration shipped, in order."""
        folder = importlib_resources.files("adapt.store") / "migrations"
        found = []
        for entry in folder.iterdir():
            name = entry.name
            if name.endswith(".sql") and name[:4].isdigit():
                found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
        found.sort()
        numbers = [n for n, _, _ in found]
        if len(set(numbers)) != len(numbers):
            raise StoreError("two migrations share a number", hint="renumber adapt/store/migrations")
        return found

    def _begin(self, conn: Any, serialize: bool = True) -> None:
        if self.url is None:
            conn.execute("BEGIN IMMEDIATE")
            return
        # One round trip for both: on a busy machine each costs milliseconds.
        conn.execute_ddl(f"BEGIN; SELECT pg_advisory_xact_lock({postgres.WRITE_LOCK_KEY})" if serialize else "BEGIN")

    def _migrate(self, conn: Any) -> None:
        with self._write_lock:
            try:
                self._begin(conn)
            except sqlite3.OperationalError as exc:
                raise _storage_fault(exc, Path(self.path), "the database upgrade") from exc
            try:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                    "applied_at TEXT NOT NULL)"
                )
                applied = {row[0] for row in conn.execute("SELECT number FROM schema_migrations")}
                shipped = self.migrations()
                newest = max((n for n, _, _ in shipped), default=0)
                if applied and max(applied) > newest:
                    raise StoreError(
                        f"{self.path} was written by a newer OER Adapt (migration {max(applied)})",
                        hint="upgrade OER Adapt",
                    )
                for number, name, sql in shipped:
                    if number in applied:
                        continue
                    for statement in _split_sql(sql):
                        if self.url is None:
                            conn.execute(statement)
                        else:
                            for translated in postgres.schema_statements(statement):
                                conn.execute_ddl(translated)
                    conn.execute(
                        "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
                        (number, name, now()),
                    )
            except BaseException:
                if getattr(conn, "in_transaction", True):
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        self._migrated = True

    def applied_migrations(self) -> list[int]:
        return [r[0] for r in self.read(lambda c: c.execute("SELECT number FROM schema_migrations ORDER BY number"))]

    # resources ------------------------------------------------------------------------------------
    def add_resource(self, new: NewResource, segments: Sequence[Any]) -> tuple[int, bool]:
        """Store a resource and its segments. Returns (id, created); the same bytes give the same id."""
        digest = content_hash(new.source_bytes)

        def insert(conn: sqlite3.Connection) -> tuple[int, bool]:
            row = conn.execute("SELECT id FROM resources WHERE content_hash = ?", (digest,)).fetchone()
            if row:
                return int(row[0]), False
            cur = conn.execute(
                "INSERT INTO resources (content_hash, format, source_name, source_bytes, language, title, license, "
                "metadata, owner, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    digest,
                    new.format,
                    new.source_name,
                    new.source_bytes,
                    new.language,
                    new.title,
                    new.license,
                    json.dumps(new.metadata, ensure_ascii=False),
                    new.owner,
                    now(),
                ),
            )
            resource_id = _row_id(cur)
            conn.executemany(
                "INSERT INTO segments (resource_id, key, position, kind, source_text, placeholders, translatable) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        resource_id,
                        seg.key,
                        position,
                        seg.kind,
                        seg.text,
                        json.dumps([p.to_json() for p in seg.placeholders], ensure_ascii=False),
                        int(seg.translatable),
                    )
                    for position, seg in enumerate(segments)
                ],
            )
            return resource_id, True

        return self.write(insert, what=f"the resource {new.source_name}")

    def resource(self, resource_id: int) -> Resource:
        row = self.read(lambda c: c.execute("SELECT * FROM resources WHERE id = ?", (resource_id,)).fetchone())
        if row is None:
            raise UnknownResource(
                f"there is no resource {resource_id} in {self.path}", hint="list them with `adapt resources`"
            )
        return _resource(row)

    def _require_resource(self, resource_id: int) -> None:
        """UnknownResource unless the resource exists (without reading its row, source bytes included)."""
        found = self.read(lambda c: c.execute("SELECT 1 FROM resources WHERE id = ?", (resource_id,)).fetchone())
        if found is None:
            raise UnknownResource(
                f"there is no resource {resource_id} in {self.path}", hint="list them with `adapt resources`"
            )

    def resource_source(self, resource_id: int) -> bytes:
        row = self.read(
            lambda c: c.execute("SELECT source_bytes FROM resources WHERE id = ?", (resource_id,)).fetchone()
        )
        if row is None:
            self._require_resource(resource_id)
        return bytes(row[0])

    def resources(self, owner: str | None = None) -> list[Resource]:
        sql, args = "SELECT * FROM resources", cast(tuple[Any, ...], ())
        if owner is not None:
            sql, args = sql + " WHERE owner = ?", (owner,)
        return [_resource(r) for r in self.read(lambda c: c.execute(sql + " ORDER BY id", args).fetchall())]

    def update_resource(self, resource_id: int, **fields: Any) -> None:
        """Change a resource's descriptive fields (language, title, license, metadata, owner)."""
        allowed = {"language", "title", "license", "metadata", "owner"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        self.resource(resource_id)
        if "metadata" in fields:
            fields["metadata"] = json.dumps(fields["metadata"], ensure_ascii=False)
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self.write(
            lambda c: c.execute(f"UPDATE resources SET {assignments} WHERE id = ?", (*fields.values(), resource_id))
        )

    def segments(self, resource_id: int) -> list[SegmentRecord]:
        self._require_resource(resource_id)
        rows = self.read(
            lambda c: c.execute(
                "SELECT * FROM segments WHERE resource_id = ? ORDER BY position", (resource_id,)
            ).fetchall()
        )
        return [
            SegmentRecord(
                r["id"], r["resource_id"], r["key"], r["position"], r["kind"], r["source_text"],
                json.loads(r["placeholders"]), bool(r["translatable"]),
            )
            for r in rows
        ]

    # suggestions ----------------------------------------------------------------------------------
    def add_suggestions(self, new: Sequence[NewSuggestion]) -> list[int | None]:
        """Add suggestions; one equal to an existing one for the same segment and task is not added again
        (its slot in the result is None), so re-running a model never piles up copies."""

        def insert(conn: sqlite3.Connection) -> list[int | None]:
            ids: list[int | None] = []
            for s in new:
                same = conn.execute(
                    "SELECT id FROM suggestions WHERE resource_id = ? AND segment_id IS ? AND task = ? "
                    "AND target_language IS ? AND source_text = ? AND text = ?",
                    (s.resource_id, s.segment_id, s.task, s.target_language, s.source_text, s.text),
                ).fetchone()
                if same:
                    ids.append(None)
                    continue
                cur = conn.execute(
                    "INSERT INTO suggestions (resource_id, segment_id, task, target_language, source_text, text, "
                    "model_signature, qa_flags, scores, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        s.resource_id, s.segment_id, s.task, s.target_language, s.source_text, s.text,
                        json.dumps(s.model_signature, ensure_ascii=False, sort_keys=True),
                        json.dumps(s.qa_flags, ensure_ascii=False), json.dumps(s.scores, ensure_ascii=False),
                        s.origin, now(),
                    ),
                )
                new_id = int(cast(int, cur.lastrowid))  # an INSERT always sets it
                if s.rejected_by:  # with its row: a crash cannot leave a refused output pending
                    self._append(conn, new_id, "reject", None, s.rejected_by, None)
                ids.append(new_id)
            return ids

        return self.write(insert, what=f"{len(new)} suggestions")

    _SUGGESTION_SELECT = (
        "SELECT s.*, g.key AS segment_key, g.position AS position FROM suggestions s "
        "LEFT JOIN segments g ON g.id = s.segment_id"
    )

    def suggestion(self, suggestion_id: int) -> Suggestion:
        row = self.read(
            lambda c: c.execute(self._SUGGESTION_SELECT + " WHERE s.id = ?", (suggestion_id,)).fetchone()
        )
        if row is None:
            raise UnknownSuggestion(
                f"there is no suggestion {suggestion_id}", hint="list them with `adapt suggestions RESOURCE`"
            )
        return _suggestion(row)

    def suggestions(
        self,
        resource_id: int,
        *,
        status: str | None = None,
        task: str | None = None,
        tasks: Sequence[str] | None = None,
        target_language: str | None = None,
    ) -> list[Suggestion]:
        self._require_resource(resource_id)
        if status is not None and status not in STATUSES:
            raise InvalidDecision(f"unknown status {status!r}", hint=f"use one of {', '.join(STATUSES)}")
        where: list[str] = ["s.resource_id = ?"]
        args: list[Any] = [resource_id]
        if status:
            where.append("s.status = ?")
            args.append(status)
        if task:
            where.append("s.task = ?")
            args.append(task)
        if tasks:
            where.append(f"s.task IN ({', '.join('?' * len(tasks))})")
            args.extend(tasks)
        if target_language:
            where.append("s.target_language = ?")
            args.append(target_language)
        sql = self._SUGGESTION_SELECT + " WHERE " + " AND ".join(where) + " ORDER BY COALESCE(g.position, -1), s.id"
        return [_suggestion(r) for r in self.read(lambda c: c.execute(sql, args).fetchall())]

    def decisions(self, suggestion_id: int) -> list[Decision]:
        rows = self.read(
            lambda c: c.execute(
                "SELECT * FROM decisions WHERE suggestion_id = ? ORDER BY id", (suggestion_id,)
            ).fetchall()
        )
        return [_decision(r) for r in rows]

    def decisions_for_resource(self, resource_id: int) -> list[Decision]:
        rows = self.read(
            lambda c: c.execute(
                "SELECT d.* FROM decisions d JOIN suggestions s ON s.id = d.suggestion_id WHERE s.resource_id = ? "
                "ORDER BY d.id",
                (resource_id,),
            ).fetchall()
        )
        return [_decision(r) for r in rows]

    # review state ---------------------------------------------------------------------------------
    def accept(
        self, suggestion_id: int, *, actor: str, expected_version: int | None = None, text: str | None = None
    ) -> Suggestion:
        """Accept the suggestion as it reads now (a reviewer's edit included), or with `text`: the
        reviewer's unsaved edit, confirmed and accepted in one decision."""
        if text is not None and not text.strip():
            raise InvalidDecision("an accepted text cannot be empty", hint="reject the suggestion instead")
        return self._decide(suggestion_id, "accept", text=text, actor=actor, expected_version=expected_version)

    def edit(
        self, suggestion_id: int, text: str, *, actor: str, expected_version: int | None = None
    ) -> Suggestion:
        if not text.strip():
            raise InvalidDecision("an edit cannot be empty", hint="reject the suggestion instead")
        text = self._checked_tag_edit(suggestion_id, text)
        return self._decide(suggestion_id, "edit", text=text, actor=actor, expected_version=expected_version)

    def _checked_tag_edit(self, suggestion_id: int, text: str) -> str:
        """Some tags have a grammar: an edited Language tag must be a BCP 47 tag (refused with a message
        otherwise, stored in its conventional case). Other edits pass unchanged."""
        from adapt.tagging.edits import check_tag_edit

        row = self.read(lambda conn: conn.execute("SELECT task FROM suggestions WHERE id = ?",
                                                  (suggestion_id,)).fetchone())
        return check_tag_edit(row["task"], text) if row is not None else text

    def reject(self, suggestion_id: int, *, actor: str, expected_version: int | None = None) -> Suggestion:
        return self._decide(suggestion_id, "reject", actor=actor, expected_version=expected_version)

    def undo(self, suggestion_id: int, *, actor: str, expected_version: int | None = None) -> Suggestion:
        return self._decide(suggestion_id, "undo", actor=actor, expected_version=expected_version)

    def accept_all(
        self,
        resource_id: int,
        *,
        actor: str,
        only_unflagged: bool = False,
        suggestion_ids: Sequence[int] | None = None,
    ) -> list[int]:
        """Accept every pending suggestion of a resource (or those listed); returns the ids accepted."""
        self.resource(resource_id)

        def accept_many(conn: sqlite3.Connection) -> list[int]:
            rows = conn.execute(
                "SELECT id, qa_flags FROM suggestions WHERE resource_id = ? AND status = 'pending' ORDER BY id",
                (resource_id,),
            ).fetchall()
            wanted = set(suggestion_ids) if suggestion_ids is not None else None
            done = []
            for row in rows:
                if wanted is not None and row["id"] not in wanted:
                    continue
                if only_unflagged and json.loads(row["qa_flags"]):
                    continue
                self._append(conn, row["id"], "accept", None, actor, None)
                done.append(row["id"])
            return done

        return self.write(accept_many, serialize=False,
                          what=f"accepting the suggestions of resource {resource_id}")

    def _decide(
        self, suggestion_id: int, action: str, *, actor: str, text: str | None = None, expected_version: int | None
    ) -> Suggestion:
        if action not in ACTIONS:
            raise InvalidDecision(f"unknown action {action!r}")
        if not actor:
            raise InvalidDecision("a decision needs the reviewer's name", hint="set ADAPT_USER or pass --as NAME")
        # Decisions lock only their suggestion's row (see _append), so reviewers of different
        # suggestions do not queue behind one another on PostgreSQL.
        self.write(lambda conn: self._append(conn, suggestion_id, action, text, actor, expected_version),
                   serialize=False, what=f"the {action} of suggestion {suggestion_id}")
        return self.suggestion(suggestion_id)

    def _append(
        self,
        conn: sqlite3.Connection,
        suggestion_id: int,
        action: str,
        text: str | None,
        actor: str,
        expected_version: int | None,
    ) -> None:
        # On PostgreSQL the row lock makes the version check and the append one step for everyone;
        # SQLite's BEGIN IMMEDIATE already admits one writer at a time.
        row = conn.execute(
            "SELECT version, decided_by, decided_at FROM suggestions WHERE id = ?" + self._row_lock, (suggestion_id,)
        ).fetchone()
        if row is None:
            raise UnknownSuggestion(
                f"there is no suggestion {suggestion_id}", hint="list them with `adapt suggestions RESOURCE`"
            )
        if expected_version is not None and row["version"] != expected_version:
            raise ConflictError(
                f"suggestion {suggestion_id} was changed by {row['decided_by'] or 'someone'} at {row['decided_at']} "
                "after you loaded it; nothing of yours or theirs was lost",
                hint="reload to see the current text, then decide again",
            )
        history = [
            _decision(r)
            for r in conn.execute("SELECT * FROM decisions WHERE suggestion_id = ? ORDER BY id", (suggestion_id,))
        ]
        if action == "undo" and replay(history)[0] == "pending":
            raise InvalidDecision(f"suggestion {suggestion_id} has no decision to undo")
        if action == "accept" and text is None:
            text = replay(history)[1]  # the edit being confirmed, logged with the accept
        stamp = now()
        cur = conn.execute(
            "INSERT INTO decisions (suggestion_id, action, text, actor, created_at) VALUES (?, ?, ?, ?, ?)",
            (suggestion_id, action, text, actor, stamp),
        )
        history.append(Decision(_row_id(cur), suggestion_id, action, text, actor, stamp))
        status, final_text, _ = replay(history)
        conn.execute(
            "UPDATE suggestions SET status = ?, final_text = ?, version = version + 1, decided_at = ?, decided_by = ? "
            "WHERE id = ?",
            (status, final_text, stamp, actor, suggestion_id),
        )


def _cannot_write(path: Path) -> bool:
    """Whether SQLite could not write `path` (or make its -wal/-shm files beside it). access(2) answers
    EROFS for a read-only mount even to root, which file permissions alone would not stop."""
    if str(path) == ":memory:":
        return False
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return True
    return folder.exists() and not os.access(folder, os.W_OK)


_FULL = ("database or disk is full", "disk i/o error", "no space left")
_READ_ONLY = ("readonly database", "read-only", "unable to open database file")


def _storage_fault(exc: sqlite3.OperationalError, path: Path | str, what: str | None) -> Exception:
    """SQLite's errors for a full or read-only disk as the user errors they are; anything else unchanged."""
    text = str(exc).lower()
    thing = what or "the change"
    if any(word in text for word in _FULL):
        return DiskFull(f"disk full: {thing} was not saved (SQLite: {exc})",
                        hint=f"free space on the disk that holds {path}, then do it again; nothing was half written")
    if any(word in text for word in _READ_ONLY):
        return ReadOnlyDatabase(f"the database is read-only: {thing} was not saved (SQLite: {exc})",
                                hint=f"make {path} and its folder writable")
    return exc


def _decision(row: sqlite3.Row) -> Decision:
    return Decision(row["id"], row["suggestion_id"], row["action"], row["text"], row["actor"], row["created_at"])


def _resource(row: sqlite3.Row) -> Resource:
    return Resource(
        row["id"], row["content_hash"], row["format"], row["source_name"], row["language"], row["title"],
        row["license"], json.loads(row["metadata"]), row["owner"], row["created_at"],
    )


def _suggestion(row: sqlite3.Row) -> Suggestion:
    return Suggestion(
        id=row["id"],
        resource_id=row["resource_id"],
        segment_id=row["segment_id"],
        segment_key=row["segment_key"],
        position=row["position"],
        task=row["task"],
        target_language=row["target_language"],
        source_text=row["source_text"],
        text=row["text"],
        model_signature=json.loads(row["model_signature"]),
        qa_flags=json.loads(row["qa_flags"]),
        scores=json.loads(row["scores"]),
        origin=row["origin"],
        created_at=row["created_at"],
        status=row["status"],
        final_text=row["final_text"],
        version=row["version"],
        decided_at=row["decided_at"],
        decided_by=row["decided_by"],
    )


def _row_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just wrote (always set after an INSERT)."""
    if cursor.lastrowid is None:
        raise StoreError("the database did not return the new row's id", hint="report this as a bug")
    return int(cursor.lastrowid)


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements; trigger bodies (BEGIN ... END;) stay whole."""
    statements: list[str] = []
    buffer: list[str] = []
    for line in sql.splitlines():
        stripped = line.strip()
        if stripped.startswith("--") and not buffer:
            continue
        buffer.append(line)
        joined = "\n".join(buffer)
        if sqlite3.complete_statement(joined):
            if joined.strip():
                statements.append(joined.strip())
            buffer = []
    if "\n".join(buffer).strip():
        statements.append("\n".join(buffer).strip())
    return statements

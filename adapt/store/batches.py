"""Bulk decisions as one group: accept many rows in one transaction (one logged decision per row)
and undo the whole group later with one action. An undo never takes back a row someone decided on
again since the bulk action: those rows are left as they are and reported."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from adapt.errors import InvalidDecision
from adapt.store import Decision, Store, _decision, now, replay


@dataclass(frozen=True)
class Batch:
    id: int
    resource_id: int
    action: str
    actor: str
    created_at: str
    suggestion_ids: list[int] = field(default_factory=list)
    undone_by: str | None = None
    undone_at: str | None = None


@dataclass(frozen=True)
class BatchUndo:
    batch: Batch
    undone: list[int]  # rows taken back to what they were before the bulk action
    kept: list[int]  # rows someone decided on since: left as they are


def pending_unflagged(store: Store, resource_id: int, suggestion_ids: Sequence[int] | None = None) -> list[int]:
    """The rows a bulk "accept without flags" would change (for its confirmation), in id order."""
    store.resource(resource_id)
    rows = store.read(lambda c: c.execute(
        "SELECT id, qa_flags FROM suggestions WHERE resource_id = ? AND status = 'pending' AND segment_id IS NOT NULL "
        "ORDER BY id", (resource_id,)).fetchall())
    wanted = set(suggestion_ids) if suggestion_ids is not None else None
    return [r[0] for r in rows if (wanted is None or r[0] in wanted) and not json.loads(r[1])]


def accept_batch(store: Store, resource_id: int, suggestion_ids: Sequence[int], *, actor: str) -> Batch:
    """Accept the pending, unflagged rows among `suggestion_ids` as one group."""
    if not actor:
        raise InvalidDecision("a decision needs the reviewer's name", hint="log in again")

    def write(conn) -> int:
        stamp = now()
        batch_id = int(conn.execute(
            "INSERT INTO decision_batches (resource_id, action, actor, created_at) VALUES (?, 'accept', ?, ?)",
            (resource_id, actor, stamp)).lastrowid)
        wanted = set(suggestion_ids)
        rows = conn.execute("SELECT id, qa_flags FROM suggestions WHERE resource_id = ? AND status = 'pending' "
                            "AND segment_id IS NOT NULL ORDER BY id", (resource_id,)).fetchall()
        for row in rows:
            if row["id"] not in wanted or json.loads(row["qa_flags"]):
                continue
            store._append(conn, row["id"], "accept", None, actor, None)
            decision_id = conn.execute("SELECT max(id) FROM decisions WHERE suggestion_id = ?",
                                       (row["id"],)).fetchone()[0]
            conn.execute("INSERT INTO decision_batch_items (batch_id, decision_id, suggestion_id) VALUES (?, ?, ?)",
                         (batch_id, decision_id, row["id"]))
        return batch_id

    store.resource(resource_id)
    return batch(store, store.write(write))


def batch(store: Store, batch_id: int) -> Batch:
    row = store.read(lambda c: c.execute("SELECT * FROM decision_batches WHERE id = ?", (batch_id,)).fetchone())
    if row is None:
        raise InvalidDecision(f"there is no bulk action {batch_id}")
    ids = [r[0] for r in store.read(lambda c: c.execute(
        "SELECT suggestion_id FROM decision_batch_items WHERE batch_id = ? ORDER BY decision_id",
        (batch_id,)).fetchall())]
    return Batch(row["id"], row["resource_id"], row["action"], row["actor"], row["created_at"], ids,
                 row["undone_by"], row["undone_at"])


def latest_batch(store: Store, resource_id: int) -> Batch | None:
    """The newest bulk action on a resource that was not undone yet."""
    row = store.read(lambda c: c.execute(
        "SELECT id FROM decision_batches WHERE resource_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
        (resource_id,)).fetchone())
    return batch(store, row[0]) if row else None


def undo_batch(store: Store, batch_id: int, *, actor: str) -> BatchUndo:
    """Undo a bulk action: one undo decision per row whose standing decision is still the bulk one."""
    def write(conn) -> tuple[list[int], list[int]]:
        row = conn.execute("SELECT undone_at FROM decision_batches WHERE id = ?", (batch_id,)).fetchone()
        if row is None:
            raise InvalidDecision(f"there is no bulk action {batch_id}")
        if row["undone_at"]:
            raise InvalidDecision(f"bulk action {batch_id} was already undone")
        undone, kept = [], []
        for item in conn.execute("SELECT decision_id, suggestion_id FROM decision_batch_items WHERE batch_id = ? "
                                 "ORDER BY decision_id", (batch_id,)).fetchall():
            history: list[Decision] = [_decision(r) for r in conn.execute(
                "SELECT * FROM decisions WHERE suggestion_id = ? ORDER BY id", (item["suggestion_id"],))]
            standing = replay(history)[2]
            if standing is not None and standing.id == item["decision_id"]:
                store._append(conn, item["suggestion_id"], "undo", None, actor, None)
                undone.append(item["suggestion_id"])
            else:
                kept.append(item["suggestion_id"])
        conn.execute("UPDATE decision_batches SET undone_by = ?, undone_at = ? WHERE id = ?", (actor, now(), batch_id))
        return undone, kept

    undone, kept = store.write(write)
    return BatchUndo(batch(store, batch_id), undone, kept)

"""SQL for the catalogue tables (migration 0030): the only module here that writes them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from adapt.catalogue.embedding_cache import text_hash
from adapt.catalogue.records import Entry
from adapt.store import now

_METADATA = ("title", "description", "url", "language", "license", "subject", "source", "format", "resource_id")


@dataclass(frozen=True)
class Item:
    id: int
    key: str
    title: str | None
    description: str | None
    url: str | None
    language: str | None
    license: str | None
    subject: list[str]
    source: str
    format: str
    resource_id: int | None
    content_hash: str

    def to_json(self) -> dict[str, Any]:
        return {"item": self.id, "title": self.title, "url": self.url, "language": self.language,
                "license": self.license, "subject": self.subject, "source": self.source, "format": self.format,
                "resource": self.resource_id}


def item_from_row(row: sqlite3.Row) -> Item:
    return Item(row["id"], row["key"], row["title"], row["description"], row["url"], row["language"],
                row["license"], json.loads(row["subject"] or "[]"), row["source"], row["format"],
                row["resource_id"], row["content_hash"])


def _values(entry: Entry) -> dict[str, Any]:
    return {"title": entry.title, "description": entry.description, "url": entry.url, "language": entry.language,
            "license": entry.license, "subject": json.dumps(list(entry.subject), ensure_ascii=False),
            "source": entry.source, "format": entry.format, "resource_id": entry.resource_id}


def existing(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, sqlite3.Row]:
    found: dict[str, sqlite3.Row] = {}
    unique = list(dict.fromkeys(keys))
    for i in range(0, len(unique), 500):
        part = unique[i : i + 500]
        marks = ",".join("?" * len(part))
        for row in conn.execute(f"SELECT * FROM catalogue_items WHERE key IN ({marks})", part):
            found[row["key"]] = row
    return found


@dataclass
class WriteCounts:
    added: int = 0
    updated: int = 0  # text changed: passages replaced
    relabelled: int = 0  # only metadata changed (licence, url...): nothing to embed
    unchanged: int = 0
    chunks_written: int = 0


def write_entries(conn: sqlite3.Connection, entries: Sequence[Entry], counts: WriteCounts) -> list[int]:
    """Insert or update items and their passages; returns the item ids in order. Bumps the generation
    when passages changed, so that the index knows to catch up."""
    have = existing(conn, [e.key for e in entries])
    stamp = now()
    ids: list[int] = []
    chunk_rows: list[tuple[int, int, str, str]] = []
    chunks_changed = False
    for entry in entries:
        values = _values(entry)
        row = have.get(entry.key)
        if row is not None and row["content_hash"] == entry.content_hash:
            changed = {name: value for name, value in values.items() if row[name] != value}
            if changed:
                sets = ", ".join(f"{name} = ?" for name in changed)
                conn.execute(f"UPDATE catalogue_items SET {sets}, updated_at = ? WHERE id = ?",
                             (*changed.values(), stamp, row["id"]))
                counts.relabelled += 1
            else:
                counts.unchanged += 1
            ids.append(int(row["id"]))
            continue
        if row is not None:
            item_id = int(row["id"])
            conn.execute("DELETE FROM catalogue_chunks WHERE item_id = ?", (item_id,))
            sets = ", ".join(f"{name} = ?" for name in values)
            conn.execute(f"UPDATE catalogue_items SET {sets}, content_hash = ?, updated_at = ? WHERE id = ?",
                         (*values.values(), entry.content_hash, stamp, item_id))
            counts.updated += 1
        else:
            cur = conn.execute(
                f"INSERT INTO catalogue_items (key, content_hash, {', '.join(_METADATA)}, created_at, updated_at) "
                f"VALUES (?, ?, {', '.join('?' * len(_METADATA))}, ?, ?)",
                (entry.key, entry.content_hash, *values.values(), stamp, stamp))
            item_id = int(cur.lastrowid or 0)
            counts.added += 1
        chunk_rows += [(item_id, position, text, text_hash(text)) for position, text in enumerate(entry.passages)]
        counts.chunks_written += len(entry.passages)
        chunks_changed = True
        ids.append(item_id)
    conn.executemany("INSERT INTO catalogue_chunks (item_id, position, text, text_hash) VALUES (?, ?, ?, ?)",
                     chunk_rows)
    if chunks_changed:
        bump_generation(conn)
    return ids


def bump_generation(conn: sqlite3.Connection) -> None:
    conn.execute(
        "UPDATE catalogue_state SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE name = 'generation'"
    )


def generation(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT value FROM catalogue_state WHERE name = 'generation'").fetchone()[0])


def remove_items(conn: sqlite3.Connection, item_ids: Sequence[int]) -> int:
    removed = 0
    for item_id in item_ids:
        removed += conn.execute("DELETE FROM catalogue_items WHERE id = ?", (item_id,)).rowcount
    if removed:
        bump_generation(conn)
    return removed


def items_by_id(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, Item]:
    out: dict[int, Item] = {}
    unique = list(dict.fromkeys(int(i) for i in ids))
    for i in range(0, len(unique), 500):
        part = unique[i : i + 500]
        marks = ",".join("?" * len(part))
        for row in conn.execute(f"SELECT * FROM catalogue_items WHERE id IN ({marks})", part):
            out[int(row["id"])] = item_from_row(row)
    return out


def chunk_texts(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    unique = list(dict.fromkeys(int(i) for i in ids))
    for i in range(0, len(unique), 500):
        part = unique[i : i + 500]
        marks = ",".join("?" * len(part))
        out.update((int(r[0]), r[1]) for r in conn.execute(
            f"SELECT id, text FROM catalogue_chunks WHERE id IN ({marks})", part))
    return out

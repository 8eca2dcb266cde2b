"""`adapt db copy SRC DST`: move a whole database between SQLite and PostgreSQL, verified by counts.

Both sides get their schema from the same numbered migrations, so the tables are the same and their
creation order in the migrations is an order in which every foreign key points backwards. Rows keep
their ids (suggestion 7 stays suggestion 7, so links and exports do not change).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapt.errors import UserError
from adapt.settings import database_location
from adapt.store import Store

_CREATE_TABLE = re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
# Rows a migration itself inserts (the catalogue's generation counter): replaced by the source's rows.
SEEDED_TABLES = frozenset({"catalogue_state"})
BATCH_ROWS = 1000


@dataclass(frozen=True)
class CopyResult:
    source: str
    destination: str
    tables: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "destination": self.destination, "tables": self.tables,
                "rows": sum(self.tables.values()), "verified": True}


def tables_in_order() -> list[str]:
    """Every table the migrations create, parents before children."""
    names: list[str] = []
    for _, _, sql in Store.migrations():
        for found in _CREATE_TABLE.finditer(sql):
            if found.group(1) not in names:
                names.append(found.group(1))
    return names


def count_rows(store: Store, table: str) -> int:
    return int(store.read(lambda c: c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]))


def copy_database(source: Store, destination: Store, *,
                  progress: Callable[[str, int, int], None] | None = None) -> CopyResult:
    """Copy every row of `source` into the empty `destination` in one transaction, then check the counts."""
    if str(source.path) == str(destination.path):
        raise UserError("the source and the destination are the same database", hint="name two databases")
    tables = tables_in_order()
    counts = {t: count_rows(source, t) for t in tables}
    busy = [t for t in tables if t not in SEEDED_TABLES and count_rows(destination, t)]
    if busy:
        raise UserError(f"{destination.path} already holds data (tables {', '.join(busy[:4])}...)",
                        hint="copy into a new, empty database")

    def copy_all(conn: Any) -> None:
        for table in tables:
            if table in SEEDED_TABLES:
                conn.execute(f"DELETE FROM {table}")
            done = 0
            for batch in _batches(source, table):
                columns = batch[0].keys()
                conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                    [tuple(row) for row in batch],
                )
                done += len(batch)
                if progress is not None:
                    progress(table, done, counts[table])
            if destination.dialect == "postgresql":
                from adapt.store.postgres import resync_identity

                resync_identity(conn, table)

    destination.write(copy_all)
    copied = {t: count_rows(destination, t) for t in tables}
    wrong = {t: (counts[t], copied[t]) for t in tables if counts[t] != copied[t]}
    if wrong:
        raise UserError(f"the copy does not match the source: {wrong} (source, copy)",
                        hint="the source changed during the copy? copy again into an empty database")
    return CopyResult(str(source.path), str(destination.path), counts)


def _batches(store: Store, table: str) -> Any:
    """The table's rows in key order, BATCH_ROWS at a time (no table is ever read whole)."""
    order = _order_columns(store, table)
    offset = 0
    while True:
        def page(conn: Any, offset: int = offset) -> list[Any]:
            return list(conn.execute(f"SELECT * FROM {table} ORDER BY {order} LIMIT ? OFFSET ?",
                                     (BATCH_ROWS, offset)).fetchall())

        rows = store.read(page)
        if not rows:
            return
        yield rows
        offset += len(rows)


def _order_columns(store: Store, table: str) -> str:
    row = store.read(lambda c: c.execute(f"SELECT * FROM {table} LIMIT 1").fetchone())
    if row is None:
        return "1"
    keys = row.keys()
    return "id" if "id" in keys else ", ".join(keys)


def open_store(location: str, *, must_exist: bool) -> Store:
    """A Store for a --db style location; a SQLite source must already exist (opening would create it)."""
    where = database_location(location)
    if isinstance(where, Path):
        if must_exist and not where.is_file():
            raise UserError(f"there is no database at {where}", hint="give the path of an existing adapt.db")
        if not where.parent.exists():
            raise UserError(f"the folder for {where} does not exist", hint="create it first")
    return Store(where)


def copy_locations(source: str, destination: str, *,
                   progress: Callable[[str, int, int], None] | None = None) -> CopyResult:
    """`adapt db copy SOURCE DESTINATION`: each a SQLite path or a postgresql:// URL."""
    src = open_store(source, must_exist=True)
    dst = open_store(destination, must_exist=False)
    try:
        return copy_database(src, dst, progress=progress)
    finally:
        src.close()
        dst.close()

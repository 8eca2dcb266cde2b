"""Growing past one machine: `adapt db copy` (SQLite <-> PostgreSQL) and `adapt batch` (Ray)."""

from __future__ import annotations

from pathlib import Path

import click

from adapt.cli.common import emit, json_option, progress_bar
from adapt.errors import UserError
from adapt.settings import database_location


def open_store(location: str, *, must_exist: bool) -> object:
    """A Store for a --db style location; a SQLite source must already exist (opening would create it)."""
    from adapt.store import Store

    where = database_location(location)
    if isinstance(where, Path):
        if must_exist and not where.is_file():
            raise UserError(f"there is no database at {where}", hint="give the path of an existing adapt.db")
        if not where.parent.exists():
            raise UserError(f"the folder for {where} does not exist", hint="create it first")
    return Store(where)


@click.group("db")
def db() -> None:
    """Move a database between SQLite and PostgreSQL."""


@db.command("copy")
@click.argument("source")
@click.argument("destination")
@json_option
def copy_cmd(source: str, destination: str, as_json: bool) -> None:
    """Copy every table of SOURCE into the empty DESTINATION and check the row counts.

    Each is a SQLite file or a postgresql:// URL: `adapt db copy adapt.db postgresql://me@db/adapt`
    moves a database over, and the same command the other way moves it back."""
    from adapt.store.copy import copy_database

    src = open_store(source, must_exist=True)
    dst = open_store(destination, must_exist=False)
    try:
        with progress_bar("copying", enabled=True) as bar:
            seen: dict[str, int] = {}

            def report(table: str, done: int, total: int) -> None:
                seen[table] = done
                bar(sum(seen.values()), max(1, sum(seen.values())))

            result = copy_database(src, dst, progress=report)  # type: ignore[arg-type]
    finally:
        src.close()  # type: ignore[attr-defined]
        dst.close()  # type: ignore[attr-defined]
    lines = [f"copied {sum(result.tables.values())} rows from {result.source} to {result.destination} "
             "(row counts checked):"]
    lines += [f"  {table}: {n}" for table, n in result.tables.items() if n]
    emit(as_json, result.to_json(), "\n".join(lines))


COMMANDS = [db]

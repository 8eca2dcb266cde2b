"""PostgreSQL behind the same calls the store makes on SQLite: every dialect difference lives here.

The store and the modules that keep their own tables write SQLite-flavoured SQL (`?` parameters,
`INSERT OR IGNORE`, `IS ?`, `cursor.lastrowid`, rows read by name or position). `PgConnection`
translates those statements for PostgreSQL 15+ through psycopg 3, and `schema_statements` turns the
numbered migrations into PostgreSQL DDL, so both databases get the same schema from the same files.
psycopg is imported on first use only: it is the optional `[scale]` extra.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

URL_SCHEMES = ("postgresql://", "postgres://")
# Every write of every process takes this transaction-scoped advisory lock: PostgreSQL writes are then
# serialised exactly like SQLite's BEGIN IMMEDIATE, so read-check-write code (version checks, dedup on
# insert) stays correct across servers. Job claims skip it and use row locks (FOR UPDATE SKIP LOCKED).
WRITE_LOCK_KEY = 0x4F4552  # "OER"

# Primary keys of tables written with INSERT OR REPLACE (ON CONFLICT needs them named).
REPLACE_KEYS: dict[str, tuple[str, ...]] = {"embedding_cache": ("embedder", "text_hash")}


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(URL_SCHEMES)


def redact(url: str) -> str:
    """The URL without its password, for messages and for naming derived folders."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def with_search_path(url: str, schema: str) -> str:
    """The same database URL with `schema` as the search path (tests give each store its own schema)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-c search_path={schema}"))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        from adapt.errors import UserError

        raise UserError(
            "a postgresql:// database needs psycopg, which is not installed",
            hint="install the scale extra: pip install 'oer-adapt[scale]' (or use a SQLite file)",
        ) from None
    return psycopg


def database_errors() -> tuple[type[BaseException], ...]:
    """Exception classes a failed statement raises on PostgreSQL (for callers that catch both)."""
    try:
        import psycopg
    except ImportError:
        return ()
    return (psycopg.Error,)


# -- rows and cursors ------------------------------------------------------------------------------


class Row(Sequence[Any]):
    """A result row read by position or by column name, like sqlite3.Row."""

    __slots__ = ("_values", "_index")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = tuple(values)
        self._index = index

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, (Row, tuple)) else other)

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values))!r})"

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Any:
    names = [column.name for column in cursor.description or ()]
    index = {name: i for i, name in enumerate(names)}
    return lambda values: Row(values, index)


class PgCursor:
    """What `PgConnection.execute` returns: fetchone/fetchall/iteration, rowcount, lastrowid."""

    def __init__(self, cursor: Any, lastrowid: int | None = None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    def fetchone(self) -> Row | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Row]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


class PgConnection:
    """A psycopg connection in autocommit mode that accepts the store's SQLite-flavoured statements."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self._id_tables: frozenset[str] | None = None

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        translated = translate(sql)
        table = _insert_table(translated)
        wants_id = table is not None and table in self.id_tables() and " RETURNING " not in translated.upper()
        if wants_id:
            translated += " RETURNING id"
        cursor = self.raw.cursor(row_factory=_row_factory)
        cursor.execute(translated, tuple(params) if params is not None else None)
        lastrowid = None
        if wants_id:
            row = cursor.fetchone()
            lastrowid = int(row[0]) if row is not None else None
        return PgCursor(cursor, lastrowid)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> PgCursor:
        cursor = self.raw.cursor(row_factory=_row_factory)
        cursor.executemany(translate(sql), [tuple(r) for r in rows])
        return PgCursor(cursor)

    def execute_ddl(self, sql: str) -> None:
        """A statement already in PostgreSQL's SQL (migrations, transaction control): sent as is."""
        self.raw.execute(sql)
        self._id_tables = None

    def id_tables(self) -> frozenset[str]:
        """Tables of the current schema whose `id` is an identity column (INSERTs return it)."""
        if self._id_tables is None:
            rows = self.raw.execute(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND column_name = 'id' AND is_identity = 'YES'"
            ).fetchall()
            self._id_tables = frozenset(r[0] for r in rows)
        return self._id_tables

    def close(self) -> None:
        self.raw.close()


def connect(url: str) -> PgConnection:
    psycopg = _psycopg()
    from adapt.errors import UserError  # a wrong URL or a stopped server: the user can fix it (exit 1)

    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=30)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError(
            f"cannot open the database {redact(url)}: {first}",
            hint="check --db / ADAPT_DB, that the server runs and that the database exists",
        ) from None
    major = raw.info.server_version // 10000
    if major < 15:
        raw.close()
        raise UserError(f"{redact(url)} is PostgreSQL {major}; OER Adapt needs 15 or newer",
                         hint="upgrade the server or use a SQLite file")
    return PgConnection(raw)


# -- statement translation -------------------------------------------------------------------------

_LITERAL = re.compile(r"('(?:[^']|'')*')")
_IS_NOT_PARAM = re.compile(r"\bIS\s+NOT\s+\?", re.IGNORECASE)
_IS_PARAM = re.compile(r"\bIS\s+\?", re.IGNORECASE)
_GROUP_CONCAT = re.compile(r"\bGROUP_CONCAT\s*\(", re.IGNORECASE)
_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+", re.IGNORECASE)
_INSERT_TABLE = re.compile(r"^\s*INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
_COLUMNS = re.compile(r"^\s*INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)", re.IGNORECASE)


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """One SQLite-flavoured statement as PostgreSQL (psycopg `%s` parameters)."""
    conflict = ""
    mode = _INSERT_OR.match(sql)
    if mode:
        sql = _INSERT_OR.sub("INSERT INTO ", sql, count=1)
        conflict = " ON CONFLICT DO NOTHING" if mode.group(1).upper() == "IGNORE" else _upsert(sql)
    pieces = []
    for i, piece in enumerate(_LITERAL.split(sql)):
        piece = piece.replace("%", "%%")
        if i % 2 == 0:  # outside string literals
            piece = _IS_NOT_PARAM.sub("IS DISTINCT FROM ?", piece)
            piece = _IS_PARAM.sub("IS NOT DISTINCT FROM ?", piece)
            piece = _GROUP_CONCAT.sub("STRING_AGG(", piece)
            piece = piece.replace("?", "%s")
        pieces.append(piece)
    return "".join(pieces).rstrip().rstrip(";") + conflict


def _upsert(sql: str) -> str:
    found = _COLUMNS.match(sql)
    if not found or found.group(1) not in REPLACE_KEYS:
        raise ValueError(f"INSERT OR REPLACE needs the table's key in REPLACE_KEYS: {sql[:80]}")
    keys = REPLACE_KEYS[found.group(1)]
    columns = [c.strip() for c in found.group(2).split(",")]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in keys)
    return f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"


def _insert_table(sql: str) -> str | None:
    found = _INSERT_TABLE.match(sql)
    return found.group(1).lower() if found else None


# -- schema translation ----------------------------------------------------------------------------

_ID_PRIMARY_KEY = re.compile(r"\bid(\s+)INTEGER\s+PRIMARY\s+KEY\b", re.IGNORECASE)
_TRIGGER_NAME = re.compile(r"^\s*CREATE\s+TRIGGER\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)


def _raising_trigger(name: str, timing: str, table: str, message: str, condition: str = "TRUE") -> list[str]:
    quoted = message.replace("'", "''")
    returned = "OLD" if "DELETE" in timing else "NEW"
    return [
        f"CREATE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF {condition} THEN RAISE EXCEPTION '{quoted}'; END IF; RETURN {returned}; END $$",
        f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_fn()",
    ]


# SQLite trigger bodies (RAISE(ABORT, ...)) have no direct PostgreSQL spelling: each migration trigger
# has its PostgreSQL twin here, by name. A migration adding a trigger adds its twin (a test checks).
TRIGGERS: dict[str, list[str]] = {
    "decisions_no_update": _raising_trigger("decisions_no_update", "BEFORE UPDATE", "decisions",
                                            "decisions are append-only"),
    "decisions_no_delete": _raising_trigger(
        "decisions_no_delete", "BEFORE DELETE", "decisions", "decisions are append-only",
        "EXISTS (SELECT 1 FROM suggestions WHERE id = OLD.suggestion_id)"),
    "suggestions_text_immutable": _raising_trigger(
        "suggestions_text_immutable", "BEFORE UPDATE OF text, source_text, model_signature", "suggestions",
        "a suggestion's model output never changes: add a new suggestion"),
    "license_confirmations_append_only": _raising_trigger(
        "license_confirmations_append_only", "BEFORE UPDATE", "license_confirmations",
        "licence confirmations are append-only"),
    "suggestion_comments_no_update": _raising_trigger("suggestion_comments_no_update", "BEFORE UPDATE",
                                                      "suggestion_comments", "comments are append-only"),
    "suggestion_comments_no_delete": _raising_trigger(
        "suggestion_comments_no_delete", "BEFORE DELETE", "suggestion_comments", "comments are append-only",
        "EXISTS (SELECT 1 FROM suggestions WHERE id = OLD.suggestion_id)"),
}


def schema_statements(statement: str) -> list[str]:
    """One statement of a numbered migration (SQLite DDL) as the PostgreSQL statements it becomes."""
    code = "\n".join(line for line in statement.splitlines() if not line.lstrip().startswith("--"))
    trigger = _TRIGGER_NAME.match(code)
    if trigger:
        name = trigger.group(1)
        if name not in TRIGGERS:
            raise ValueError(f"the migration trigger {name} has no PostgreSQL twin in adapt/store/postgres.py")
        return TRIGGERS[name]
    out = _ID_PRIMARY_KEY.sub(r"id\1INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", statement)
    out = re.sub(r"\bBLOB\b", "BYTEA", out)
    out = re.sub(r"\bREAL\b", "DOUBLE PRECISION", out)
    out = re.sub(r"\)\s*WITHOUT\s+ROWID\s*;?\s*$", ")", out, flags=re.IGNORECASE)
    return [out]


def resync_identity(conn: PgConnection, table: str) -> None:
    """After rows were copied in with their ids, move the table's id sequence past the largest one."""
    if table not in conn.id_tables():
        return
    conn.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, "
        "false)"
    )

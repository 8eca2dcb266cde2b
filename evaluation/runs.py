"""Evaluation runs in the SQLite store (migration 0050): save one, load one back, list them.
A loaded run holds everything a report needs, so reports can be rebuilt without rerunning models."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapt.errors import UserError
from evaluation.metrics.base import Score
from evaluation.significance import Comparison
from evaluation.suites import RunResult, SystemResult
from evaluation.systems import SystemOutput

if TYPE_CHECKING:
    from adapt.service import AdaptService
    from adapt.store import Store


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def save_run(store: Any, run: RunResult) -> int:
    def write(conn: sqlite3.Connection) -> int:
        cur = conn.execute(
            "INSERT INTO eval_runs (suite, task, settings, notes, created_at) VALUES (?, ?, ?, ?, ?)",
            (run.suite, run.task, _dump(run.settings), _dump(run.notes), run.created_at),
        )
        run_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO eval_segments (run_id, position, source, reference) VALUES (?, ?, ?, ?)",
            [(run_id, i, _dump(src), _dump(ref)) for i, (src, ref) in
             enumerate(zip(run.sources, run.references or [None] * len(run.sources)))],
        )
        for position, system in enumerate(run.systems):
            out = system.output
            cur = conn.execute(
                "INSERT INTO eval_systems (run_id, position, name, role, model_signature, seconds, outputs) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (run_id, position, out.name, out.role, _dump(out.signature) if out.signature else None, out.seconds,
                 _dump(out.outputs)),
            )
            system_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO eval_scores (system_id, metric, value, signature, score) VALUES (?, ?, ?, ?, ?)",
                [(system_id, s.metric, s.value, s.signature.format(), _dump(s.to_json())) for s in system.scores],
            )
        conn.executemany("INSERT INTO eval_comparisons (run_id, comparison) VALUES (?, ?)",
                         [(run_id, _dump(c.to_json())) for c in run.comparisons])
        return run_id

    run.id = store.write(write)
    return run.id


def load_run(store: Any, run_id: int) -> RunResult:
    def read(conn: sqlite3.Connection) -> RunResult:
        row = conn.execute("SELECT * FROM eval_runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise UserError(f"there is no evaluation run {run_id}", hint="list them with `adapt eval runs`")
        segments = conn.execute("SELECT source, reference FROM eval_segments WHERE run_id = ? ORDER BY position",
                                (run_id,)).fetchall()
        systems = []
        for srow in conn.execute("SELECT * FROM eval_systems WHERE run_id = ? ORDER BY position", (run_id,)):
            scores = [Score.from_json(json.loads(r["score"])) for r in
                      conn.execute("SELECT score FROM eval_scores WHERE system_id = ? ORDER BY id", (srow["id"],))]
            output = SystemOutput(srow["name"], srow["role"], json.loads(srow["outputs"]),
                                  json.loads(srow["model_signature"]) if srow["model_signature"] else None,
                                  srow["seconds"])
            systems.append(SystemResult(output, scores))
        comparisons = [Comparison.from_json(json.loads(r[0])) for r in
                       conn.execute("SELECT comparison FROM eval_comparisons WHERE run_id = ? ORDER BY id", (run_id,))]
        return RunResult(row["suite"], row["task"], json.loads(row["settings"]),
                         [json.loads(s["source"]) for s in segments], [json.loads(s["reference"]) for s in segments],
                         systems, comparisons, json.loads(row["notes"]), row["created_at"], row["id"])

    return store.read(read)


def list_runs(store: Any) -> list[dict[str, Any]]:
    def read(conn: sqlite3.Connection) -> list[dict[str, Any]]:
        rows = conn.execute(
            "SELECT r.id, r.suite, r.task, r.created_at, "
            "(SELECT COUNT(*) FROM eval_segments s WHERE s.run_id = r.id) AS segments, "
            "(SELECT GROUP_CONCAT(name, ', ') FROM eval_systems y WHERE y.run_id = r.id) AS systems "
            "FROM eval_runs r ORDER BY r.id"
        ).fetchall()
        return [dict(r) for r in rows]

    return store.read(read)


class RunLog:
    """The evaluation's door into a review database: the CLI holds one instead of reaching into the
    store (`RunLog.of(service)` for the service's database, `RunLog.open(path)` for another)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @classmethod
    def of(cls, service: AdaptService) -> RunLog:
        return cls(service.store)

    @classmethod
    def open(cls, path: Path) -> RunLog:
        from adapt.store import Store

        if not Path(path).is_file():
            raise UserError(f"there is no database at {path}", hint="pass the review store's path with --db")
        return cls(Store(path))

    @property
    def path(self) -> Path | str:  # a postgresql:// URL (without its password) for a PostgreSQL store
        return self._store.path

    def close(self) -> None:
        self._store.close()

    def save(self, run: RunResult) -> int:
        return save_run(self._store, run)

    def load(self, run_id: int) -> RunResult:
        return load_run(self._store, run_id)

    def list(self) -> list[dict[str, Any]]:
        return list_runs(self._store)

    def review_effort(self, groupings: Sequence[str]) -> RunResult:
        from evaluation.effort import review_run

        return review_run(self._store, groupings=groupings)

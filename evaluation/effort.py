"""Human-effort figures from a review store: per model, per language pair, per task, and overall."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from evaluation.metrics.base import Score
from evaluation.metrics.effort import EFFORT_METRICS, ReviewRecord

GROUPINGS = ("model", "pair", "task")


def _model_name(signature_json: str) -> str:
    try:
        sig = json.loads(signature_json)
    except (TypeError, ValueError):
        return "unknown"
    if not isinstance(sig, dict) or not sig:
        return "unknown"
    name = f"{sig.get('engine', '?')}:{sig.get('model', '?')}"
    return name + (f"@{sig['version']}" if sig.get("version") else "")


def load_records(store: Any) -> list[ReviewRecord]:
    """Every suggestion with its review outcome and the time of its first decision (undo excluded)."""

    def query(conn: sqlite3.Connection) -> list[sqlite3.Row]:
        return conn.execute(
            "SELECT s.id, s.task, r.language AS source_language, s.target_language, s.model_signature, s.text, "
            "s.final_text, s.status, s.created_at, "
            "(SELECT MIN(d.created_at) FROM decisions d WHERE d.suggestion_id = s.id AND d.action != 'undo') "
            "AS first_decision_at "
            "FROM suggestions s JOIN resources r ON r.id = s.resource_id ORDER BY s.id"
        ).fetchall()

    return [
        ReviewRecord(row["id"], row["task"], row["source_language"], row["target_language"],
                     _model_name(row["model_signature"]), row["text"], row["final_text"], row["status"],
                     row["created_at"], row["first_decision_at"])
        for row in store.read(query)
    ]


def _key(record: ReviewRecord, grouping: str) -> str:
    if grouping == "model":
        return record.model
    if grouping == "pair":
        if record.target_language is None:
            return record.source_language or "?"
        return f"{record.source_language or '?'}→{record.target_language}"
    if grouping == "task":
        return record.task
    if grouping == "all":
        return "all"
    raise ValueError(f"unknown grouping {grouping!r}")


@dataclass(frozen=True)
class EffortGroup:
    grouping: str  # all, model, pair, task
    key: str
    suggestions: int
    scores: list[Score]

    def to_json(self) -> dict[str, Any]:
        return {"grouping": self.grouping, "key": self.key, "suggestions": self.suggestions,
                "scores": [s.to_json() for s in self.scores]}


def effort_figures(records: Sequence[ReviewRecord], groupings: Sequence[str] = GROUPINGS) -> list[EffortGroup]:
    metrics = [cls() for cls in EFFORT_METRICS]
    out = []
    for grouping in ("all", *groupings):
        buckets: dict[str, list[ReviewRecord]] = defaultdict(list)
        for record in records:
            buckets[_key(record, grouping)].append(record)
        for key in sorted(buckets):
            rows = buckets[key]
            extra = {"group": f"{grouping}={key}"}
            scores = [m.compute(records=rows) for m in metrics]
            scores = [Score(s.metric, s.value, m.signature(extra=extra), s.details, s.higher_is_better, s.n)
                      for s, m in zip(scores, metrics)]
            out.append(EffortGroup(grouping, key, len(rows), scores))
    return out


def review_run(store: Any, *, groupings: Sequence[str] = GROUPINGS) -> Any:
    """The effort figures as an evaluation run (one row per group), so they are stored and reported
    like any other run."""
    from evaluation.suites import RunResult, SystemResult
    from evaluation.systems import SystemOutput

    records = load_records(store)
    groups = effort_figures(records, groupings)
    systems = [SystemResult(SystemOutput(f"{g.grouping}={g.key}" if g.grouping != "all" else "all", "group", [],
                                         None), g.scores) for g in groups]
    decided = sum(1 for r in records if r.decided)
    last = max((r.first_decision_at or "" for r in records), default="")
    run = RunResult("review", "review", {"db": str(getattr(store, "path", "")), "suggestions": len(records),
                                         "decided": decided, "last_decision": last, "groupings": list(groupings)},
                    [], [], systems)
    if not decided:
        run.notes.append("No suggestion has been decided yet: the effort figures need reviewed suggestions.")
    return run

"""Background jobs: run pipeline tasks on a resource in a worker thread, with progress kept in SQLite.

A job is a resource plus an ordered list of task requests (`{"task": "translate", "target": "pt"}`).
The jobs table is the truth: the UI polls it, so a page reload (or a second browser) sees the same
progress, and a job interrupted by a restart is queued again when the runner starts (a run is
idempotent: the store never adds a suggestion twice).

Tasks are pluggable: `job_tasks(service)` lists them (translate, simplify, tag), built on call (no
registration at import time). A task is an object with a `name`, a
`label`, `validate(...)` and `run(...)`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from adapt import languages
from adapt.errors import AdaptError, UserError
from adapt.progress import Progress
from adapt.store import Store, now

if TYPE_CHECKING:
    from adapt.service import AdaptService

log = logging.getLogger(__name__)
JOB_STATUSES = ("queued", "running", "done", "failed")
# What a running job is doing, in words, by the task it is on (the UI and `adapt jobs --json` show it).
PHASES = {"translate": "translating", "simplify": "simplifying", "tag": "tagging",
          "related": "finding related resources"}
# A job that was running when the process stopped is run again, at most this many times in all: one that
# keeps killing the server (a huge file, memory) must not crash it on every restart.
MAX_ATTEMPTS = 3


# -- tasks ---------------------------------------------------------------------------------------


class JobTask(Protocol):
    name: str  # what a request names: "translate"
    label: str  # what a person reads: "Translate"

    def validate(self, service: AdaptService, resource_id: int, params: Mapping[str, Any]) -> None:
        """Raise a UserError now, before the job is queued, if the request cannot run."""

    def describe(self, params: Mapping[str, Any]) -> str:
        """A short line for the job list: "translate to pt"."""

    def run(
        self, service: AdaptService, resource_id: int, params: Mapping[str, Any], progress: Progress
    ) -> dict[str, Any]:
        """Do the work and return a JSON-able summary."""


class TranslateTask:
    name = "translate"
    label = "Translate"

    def validate(self, service: AdaptService, resource_id: int, params: Mapping[str, Any]) -> None:
        target = str(params.get("target") or "").strip()
        if not target:
            raise UserError("translate needs a target language", hint="choose one, e.g. pt")
        resource = service.resource(resource_id)
        # given, stated, else detected from the text (English when unsure): adapt.source_language
        source = service.source_language(
            params.get("source"), resource.language or service.resource_source_language(resource_id).language)
        translator = service.translator(params.get("engine"))
        service.check_pair(translator, source, languages.parse(target))
        # The licence guard, now rather than as a failed job.
        service.licences.check(resource, "translate", params.get("assume_license"), actor=params.get("actor"))

    def describe(self, params: Mapping[str, Any]) -> str:
        return f"translate to {params.get('target')}"

    def run(
        self, service: AdaptService, resource_id: int, params: Mapping[str, Any], progress: Progress
    ) -> dict[str, Any]:
        licence = {k: params[k] for k in ("assume_license", "actor") if params.get(k)}
        summary = service.translate_resource(
            resource_id, target=params["target"], source=params.get("source"), engine=params.get("engine"),
            progress=progress, **licence,
        )
        found = service.resource_source_language(resource_id, params.get("source"))
        return {**summary.to_json(), "source_language": found.to_json()}


class SimplifyTask:
    name = "simplify"
    label = "Simplify"

    def validate(self, service: AdaptService, resource_id: int, params: Mapping[str, Any]) -> None:
        from adapt.simplify import parse_level

        service.resource(resource_id)
        if params.get("level") is not None:
            parse_level(params["level"])

    def describe(self, params: Mapping[str, Any]) -> str:
        return f"simplify to grade {params['level']}" if params.get("level") is not None else "simplify"

    def run(self, service: AdaptService, resource_id: int, params: Mapping[str, Any],
            progress: Progress) -> dict[str, Any]:
        return _summary(service.simplify_resource(
            resource_id, level=params.get("level", "grade:8"), simplifier=params.get("simplifier"),
            model=params.get("model"), keep_terms=params.get("keep_terms") or (), progress=progress,
            assume_license=params.get("assume_license"), actor=params.get("actor"),
        ))


class TagTask:
    name = "tag"
    label = "Tag"

    def validate(self, service: AdaptService, resource_id: int, params: Mapping[str, Any]) -> None:
        service.resource(resource_id)

    def describe(self, params: Mapping[str, Any]) -> str:
        return "suggest tags"

    def run(self, service: AdaptService, resource_id: int, params: Mapping[str, Any],
            progress: Progress) -> dict[str, Any]:
        return _summary(service.tag_resource(resource_id, embedder=params.get("embedder"), progress=progress))


def _summary(result: Any) -> dict[str, Any]:
    return result.to_json() if hasattr(result, "to_json") else dict(result or {})


def job_tasks(service: AdaptService) -> dict[str, JobTask]:
    """The tasks a job can run, by name, in the order the UI offers them."""
    return {
        "translate": TranslateTask(),
        "simplify": SimplifyTask(),
        "tag": TagTask(),
    }


# -- the jobs table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    id: int
    resource_id: int
    tasks: list[dict[str, Any]]
    status: str
    step: int
    done: int
    total: int
    summary: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    created_by: str = ""
    created_at: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    attempts: int = 0

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def fraction(self) -> float:
        """Overall progress in [0, 1]: finished tasks plus the share of the running one."""
        if self.status == "done":
            return 1.0
        if not self.tasks:
            return 0.0
        current = self.done / self.total if self.total else 0.0
        return min(1.0, (self.step + current) / len(self.tasks))

    @property
    def phase(self) -> str | None:
        """The running task in words ("translating"); None unless the job runs."""
        if self.status != "running" or not 0 <= self.step < len(self.tasks):
            return None
        name = str(self.tasks[self.step].get("task", ""))
        return PHASES.get(name, name)

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.id, "resource": self.resource_id, "tasks": self.tasks, "status": self.status,
            "phase": self.phase,
            "step": self.step, "done": self.done, "total": self.total, "progress": round(self.fraction, 4),
            "summary": self.summary, "error": self.error, "created_by": self.created_by,
            "created_at": self.created_at, "started_at": self.started_at, "finished_at": self.finished_at,
        }


def _job(row: sqlite3.Row) -> Job:
    return Job(
        row["id"], row["resource_id"], json.loads(row["tasks"]), row["status"], row["step"], row["done"],
        row["total"], json.loads(row["summary"]), row["error"], row["created_by"], row["created_at"],
        row["started_at"], row["finished_at"], row["attempts"],
    )


def create_job(store: Store, resource_id: int, tasks: Sequence[Mapping[str, Any]], *, created_by: str) -> Job:
    payload = json.dumps([dict(t) for t in tasks], ensure_ascii=False)
    job_id = store.write(
        lambda c: c.execute(
            "INSERT INTO jobs (resource_id, tasks, created_by, created_at) VALUES (?, ?, ?, ?)",
            (resource_id, payload, created_by, now()),
        ).lastrowid
    )
    return get_job(store, int(job_id or 0))


def get_job(store: Store, job_id: int) -> Job:
    row = store.read(lambda c: c.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone())
    if row is None:
        raise UserError(f"there is no job {job_id}", hint="start one from the review page")
    return _job(row)


def list_jobs(store: Store, *, created_by: str | None = None, resource_ids: Sequence[int] | None = None,
              limit: int = 20) -> list[Job]:
    where: list[str] = []
    args: list[Any] = []
    if created_by is not None:
        where.append("created_by = ?")
        args.append(created_by)
    if resource_ids is not None:
        if not resource_ids:
            return []
        where.append(f"resource_id IN ({', '.join('?' * len(resource_ids))})")
        args.extend(resource_ids)
    sql = "SELECT * FROM jobs" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ?"
    return [_job(r) for r in store.read(lambda c: c.execute(sql, (*args, limit)).fetchall())]


JOB_LOCK_SPACE = 0x4A4F42  # "JOB": PostgreSQL advisory locks (space, job id) held by the server running a job


def claim_next(store: Store) -> Job | None:
    """Take the oldest queued job and mark it running, atomically (safe with several workers)."""

    # On PostgreSQL several servers share the queue: lock the row taken and skip rows others hold.
    # SQLite's BEGIN IMMEDIATE already lets one writer in at a time.
    on_postgres = getattr(store, "dialect", "sqlite") == "postgresql"
    lock = " FOR UPDATE SKIP LOCKED" if on_postgres else ""

    def claim(conn: sqlite3.Connection) -> int | None:
        row = conn.execute("SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1" + lock).fetchone()
        if row is None:
            return None
        if on_postgres:
            # Held by this connection while the job runs (see requeue_interrupted); gone if the process dies.
            conn.execute("SELECT pg_advisory_lock(?, ?)", (JOB_LOCK_SPACE, row["id"]))
        conn.execute(
            "UPDATE jobs SET status = 'running', started_at = ?, attempts = attempts + 1 WHERE id = ?",
            (now(), row["id"]),
        )
        return int(row["id"])

    job_id = store.write(claim, serialize=not on_postgres)
    return get_job(store, job_id) if job_id is not None else None


def requeue_interrupted(store: Store, *, max_attempts: int = MAX_ATTEMPTS) -> list[int]:
    """Jobs left 'running' by a process that stopped: queue them again, or fail those already tried
    `max_attempts` times, with the reason. Returns the ids queued again.

    On PostgreSQL other servers may be running jobs right now: a job counts as interrupted only when nobody
    holds its advisory lock (the server running it took the lock on claiming it; a dead server's is released)."""
    on_postgres = getattr(store, "dialect", "sqlite") == "postgresql"

    def requeue(conn: sqlite3.Connection) -> list[int]:
        rows = conn.execute("SELECT id, attempts FROM jobs WHERE status = 'running'").fetchall()
        if on_postgres:
            rows = [r for r in rows
                    if conn.execute("SELECT pg_try_advisory_xact_lock(?, ?)", (JOB_LOCK_SPACE, r["id"])).fetchone()[0]]
        again = [r["id"] for r in rows if r["attempts"] < max_attempts]
        given_up = [r["id"] for r in rows if r["attempts"] >= max_attempts]
        for job_id in again:
            conn.execute("UPDATE jobs SET status = 'queued' WHERE id = ? AND status = 'running'", (job_id,))
        for job_id in given_up:
            conn.execute(
                "UPDATE jobs SET status = 'failed', error = ?, finished_at = ? WHERE id = ?",
                (f"stopped {max_attempts} times while it ran (the server was killed or ran out of memory); "
                 "not tried again: look at the server log, split the file or raise the limits, then start it again",
                 now(), job_id),
            )
        if given_up:
            log.warning("jobs %s failed: interrupted %d times", given_up, max_attempts)
        return again

    return store.write(requeue, what="the restart of interrupted jobs")


def release_job(store: Store, job_id: int) -> None:
    """The runner is done with a job it claimed: let go of its PostgreSQL advisory lock."""
    if getattr(store, "dialect", "sqlite") == "postgresql":
        store.read(lambda c: c.execute("SELECT pg_advisory_unlock(?, ?)", (JOB_LOCK_SPACE, job_id)).fetchone())


def _set_progress(store: Store, job_id: int, step: int, done: int, total: int) -> None:
    store.write(lambda c: c.execute("UPDATE jobs SET step = ?, done = ?, total = ? WHERE id = ?",
                                    (step, done, total, job_id)))


def _finish(store: Store, job_id: int, status: str, summary: list[dict[str, Any]], error: str | None) -> None:
    store.write(lambda c: c.execute(
        "UPDATE jobs SET status = ?, summary = ?, error = ?, finished_at = ? WHERE id = ?",
        (status, json.dumps(summary, ensure_ascii=False), error, now(), job_id),
    ))


def run_job(service: AdaptService, job: Job) -> Job:
    """Run every task of a claimed job in order; a failing task fails the job with its message."""
    store: Store = service.store
    tasks = job_tasks(service)
    summary: list[dict[str, Any]] = []
    for step, request in enumerate(job.tasks):
        name = request.get("task", "")
        task = tasks.get(name)
        if task is None:
            _finish(store, job.id, "failed", summary, f"this installation cannot run the task {name!r}")
            return get_job(store, job.id)
        params = {"actor": job.created_by, **{k: v for k, v in request.items() if k != "task"}}
        _set_progress(store, job.id, step, 0, 0)

        def report(done: int, total: int, step: int = step) -> None:
            _set_progress(store, job.id, step, done, total)

        try:
            result = task.run(service, job.resource_id, params, report)
        except AdaptError as exc:
            _finish(store, job.id, "failed", summary, exc.one_line())
            return get_job(store, job.id)
        except Exception as exc:  # noqa: BLE001 - a job must never kill the worker; the trace goes to the log
            log.error("job %s failed:\n%s", job.id, traceback.format_exc())
            _finish(store, job.id, "failed", summary, f"internal error in {name}: {type(exc).__name__}: {exc}")
            return get_job(store, job.id)
        summary.append({"task": name, **result})
    _finish(store, job.id, "done", summary, None)
    return get_job(store, job.id)


class JobRunner:
    """One worker thread that runs queued jobs one at a time (the models use every core already)."""

    def __init__(self, service: AdaptService, *, poll_seconds: float = 1.0) -> None:
        self.service = service
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> list[int]:
        requeued = requeue_interrupted(self.service.store)
        self._thread = threading.Thread(target=self._loop, name="adapt-jobs", daemon=True)
        self._thread.start()
        return requeued

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                job = claim_next(self.service.store)
                if job is None:
                    self._wake.wait(self.poll_seconds)
                    self._wake.clear()
                    continue
                try:
                    run_job(self.service, job)
                finally:
                    release_job(self.service.store, job.id)
            except Exception:  # noqa: BLE001 - keep the worker alive (e.g. a locked database); log and retry
                log.error("job worker error:\n%s", traceback.format_exc())
                self._stop.wait(self.poll_seconds)
        self.service.store.close()

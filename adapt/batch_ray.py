"""`adapt batch`: import many resources, run a pipeline step over their segments as Ray tasks.

One Ray actor per worker holds the loaded model (one load per worker, not per task); tasks are batches
of segments (`adapt.batch.run_step_batch`). The driver stores each finished batch through the store,
so a SQLite file works with a local cluster and PostgreSQL with a real one. An actor that dies is
restarted by Ray and its unfinished batches are retried (`max_restarts`, `max_task_retries`); a retried
batch can only repeat suggestions the store already has, and those are never added twice.
Ray is the optional `[scale]` extra, imported only here.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapt import languages
from adapt.batch import (
    DEFAULT_BATCH_SEGMENTS,
    BatchOutput,
    BatchSettings,
    ResourceTally,
    batches,
    pending_segments,
    run_step_batch,
    store_results,
    tally_json,
    whole_resource,
)
from adapt.errors import UserError
from adapt.pipeline import SegmentInput

Progress = Callable[[int, int], None]
ACTION = {"translate": "translate", "simplify": "simplify", "tag": "tag"}
# Ray's retry budget for a batch whose worker died (a killed process, an out-of-memory kill).
MAX_RESTARTS = 3
OBJECT_STORE_BYTES = 96 * 1024 * 1024  # small: batches are text; Ray's default takes 30% of RAM
START_ATTEMPTS = 3


@dataclass(frozen=True)
class BatchRequest:
    task: str
    paths: Sequence[Path]
    targets: Sequence[str] = ()
    source: str | None = None
    engine: str | None = None
    model: str | None = None
    level: str | None = None
    simplifier: str | None = None
    license: str | None = None
    assume_license: str | None = None
    memory: bool = True
    glossary: str | None = "default"
    workers: int = 2
    address: str | None = None
    batch_segments: int = DEFAULT_BATCH_SEGMENTS


@dataclass(frozen=True)
class WorkItem:
    settings: BatchSettings
    batch: list[SegmentInput]


class StepWorker:
    """A Ray actor: runs batches in one long-lived process, so each model loads once per worker."""

    def __init__(self) -> None:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    def run(self, settings: BatchSettings, batch: list[SegmentInput]) -> BatchOutput:
        return run_step_batch(settings.task, settings, batch)

    def pid(self) -> int:
        return os.getpid()


def validate(request: BatchRequest) -> None:
    if request.task not in ACTION:
        raise UserError(f"unknown batch task {request.task!r}", hint="use translate, simplify or tag")
    if not request.paths:
        raise UserError("name at least one file to adapt", hint="adapt batch translate FILE... --to pt")
    if request.task == "translate" and not request.targets:
        raise UserError("adapt batch translate needs --to LANG (once per language)", hint="e.g. --to pt --to es")
    if request.task == "simplify" and not request.level:
        raise UserError("adapt batch simplify needs --level grade:N", hint="e.g. --level grade:6")
    if request.workers < 1:
        raise UserError("--workers must be 1 or more", hint="e.g. --workers 2")
    missing = [str(p) for p in request.paths if not Path(p).is_file()]
    if missing:
        raise UserError(f"no such file: {missing[0]}", hint="check the paths")
    _ray()  # before anything is imported into the store


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise UserError("adapt batch needs Ray, which is not installed",
                        hint="install the scale extra: pip install 'oer-adapt[scale]'") from None
    return ray


def plan(service: Any, request: BatchRequest, tallies: dict[int, ResourceTally]) -> list[WorkItem]:
    """Check and import every file (the licence guard first, as `adapt translate` does), then cut the
    segments that still lack a suggestion into batches. Nothing is written for a file that fails."""
    from adapt.licenses.guard import preflight

    database = str(service.settings.db_path)
    items: list[WorkItem] = []
    checked = []
    for path in request.paths:
        document, data = service.read(Path(path))
        source = service.source_language(request.source, document.metadata.get("language"))
        if request.task == "translate":
            translator = service.translator(request.engine, model=request.model)
            for target in request.targets:
                service.check_pair(translator, source, languages.parse(target))
        if request.task == "simplify":
            from adapt.simplify import check_simplify_language, parse_level

            parse_level(request.level or "")
            check_simplify_language(source)
        preflight(service.store, document, data, ACTION[request.task], license=request.license,
                  assume_license=request.assume_license)
        checked.append((path, document, data, source))
    for path, document, data, source in checked:
        imported = service.import_document(document, data, language=source, license=request.license)
        rid = imported.resource_id
        tallies.setdefault(rid, ResourceTally(rid, str(path)))
        check = service.licences.check(service.store.resource(rid), ACTION[request.task], request.assume_license)
        segments = service.licences.adaptable_segments(rid, check)
        common = dict(task=request.task, database=database, resource_id=rid, source=source, engine=request.engine,
                      model=request.model, level=request.level, simplifier=request.simplifier,
                      memory=request.memory, glossary=request.glossary,
                      data_dir=str(service.settings.data_dir), cache_dir=str(service.settings.cache_dir))
        if request.task == "tag":
            items.append(WorkItem(BatchSettings(**common), whole_resource(rid)))
            continue
        targets = [languages.parse(t) for t in request.targets] if request.task == "translate" else [source]
        for target in targets:
            settings = BatchSettings(**{**common, "target": target if request.task == "translate" else None})
            todo = pending_segments(service.store, segments, request.task, target)
            tallies[rid].unchanged += len(segments) - len(todo)
            items += [WorkItem(settings, b) for b in batches(todo, request.batch_segments)]
    return items


def start_ray(workers: int, address: str | None) -> tuple[Any, bool]:
    """Connect to a cluster at `address`, or start a light local one with `workers` CPUs."""
    ray = _ray()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # offline: no usage reports
    if ray.is_initialized():
        return ray, False
    if address:
        try:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
        except Exception as exc:  # noqa: BLE001 - Ray raises several kinds; all mean "no cluster there"
            raise UserError(f"cannot join the Ray cluster at {address}: {exc}",
                            hint="check --ray (e.g. ray://head:10001 or auto) and that the cluster runs") from None
        return ray, True
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            ray.init(num_cpus=workers, num_gpus=0, include_dashboard=False, object_store_memory=OBJECT_STORE_BYTES,
                     log_to_driver=False, configure_logging=False)
            return ray, True
        except Exception as exc:  # noqa: BLE001 - Ray gives its raylet 30 s (fixed); a loaded machine needs more
            ray.shutdown()
            if attempt == START_ATTEMPTS:
                raise UserError(f"the local Ray cluster did not start ({exc})",
                                hint="the machine may be overloaded: try again, or start one with `ray start --head` "
                                     "and pass --ray auto") from None
            print(f"the local Ray cluster did not start in time ({exc}); trying again", file=sys.stderr)
    raise AssertionError("unreachable")


def run_batch(service: Any, request: BatchRequest, *, progress: Progress | None = None) -> dict[str, Any]:
    """Import, plan, run on Ray, store. Returns the --json report."""
    validate(request)
    started = time.perf_counter()
    tallies: dict[int, ResourceTally] = {}
    items = plan(service, request, tallies)
    total = sum(len(i.batch) for i in items)
    if progress:
        progress(0, total)
    workers = request.workers
    if items:
        # Ray prints retries and worker deaths on stdout; keep stdout for the --json report.
        with contextlib.redirect_stdout(sys.stderr):
            _run_on_ray(service, request, items, tallies, total, progress)
    return {"resources": tally_json(tallies), "workers": workers, "seconds": round(time.perf_counter() - started, 3)}


def _run_on_ray(service: Any, request: BatchRequest, items: list[WorkItem], tallies: dict[int, ResourceTally],
                total: int, progress: Progress | None) -> int:
    """Send every batch to a pool of actors, two in flight per worker, and store each as it finishes."""
    ray, owned = start_ray(request.workers, request.address)
    done = 0
    try:
        actor = ray.remote(num_cpus=1, max_restarts=MAX_RESTARTS, max_task_retries=MAX_RESTARTS)(StepWorker)
        pool = [actor.remote() for _ in range(min(request.workers, len(items)))]
        queue = list(items)
        running: dict[Any, WorkItem] = {}
        turn = 0
        while queue or running:
            while queue and len(running) < 2 * len(pool):
                item = queue.pop(0)
                running[pool[turn % len(pool)].run.remote(item.settings, item.batch)] = item
                turn += 1
            ready, _ = ray.wait(list(running), num_returns=1)
            for ref in ready:
                item = running.pop(ref)
                output: BatchOutput = ray.get(ref)
                added, unchanged = store_results(service.store, item.settings.resource_id, item.batch, output)
                tally = tallies[item.settings.resource_id]
                tally.added += added
                tally.unchanged += unchanged
                done += len(item.batch)
                if progress:
                    progress(done, total)
    finally:
        if owned:
            ray.shutdown()
    return done

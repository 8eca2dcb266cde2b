"""Batch adaptation: plan the work, run one batch of segments, store what came back.

Ray-free on purpose: `adapt.batch_ray` sends `run_step_batch` to Ray workers, and anything else (a test,
a plain loop) can call it directly. `run_step_batch(step_name, settings, batch)` is the one place that
builds a pipeline step from the existing translate / simplify / tag code; when the step runner of the
architecture issue lands, it is rewired here and nothing else changes.

A worker process keeps one service per database, so its models load once (`AdaptService` keeps every
loaded model) and its steps (with their translation memory and glossary) once per resource and task.
Workers never write: the driver stores each batch's results with `store_results`, which hands them to
the one step runner (`adapt.pipeline.run_step`: verdicts applied, nothing stored twice), so a retried
batch (a worker killed mid-batch) stores nothing twice.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adapt.pipeline import SegmentInput, StepResult, run_step
from adapt.settings import Settings, apply_offline_environment, database_location
from adapt.store import Store

TASKS = ("translate", "simplify", "tag")
DEFAULT_BATCH_SEGMENTS = 32


@dataclass(frozen=True)
class BatchSettings:
    """Everything a worker needs to build the step for one resource and task (picklable, no secrets
    beyond the database URL the driver already holds)."""

    task: str
    database: str  # SQLite path or postgresql:// URL
    resource_id: int
    source: str
    target: str | None = None  # translate
    engine: str | None = None
    model: str | None = None
    level: str | None = None  # simplify: grade:N
    simplifier: str | None = None
    memory: bool = True
    glossary: str | None = "default"
    data_dir: str | None = None
    cache_dir: str | None = None

    def step_key(self) -> tuple[Any, ...]:
        return (self.task, self.database, self.resource_id, self.source, self.target, self.engine, self.model,
                self.level, self.simplifier, self.memory, self.glossary)

    def to_settings(self) -> Settings:
        overrides: dict[str, Any] = {"db_path": database_location(self.database)}
        if self.data_dir:
            overrides["data_dir"] = Path(self.data_dir)
        if self.cache_dir:
            overrides["cache_dir"] = Path(self.cache_dir)
        return Settings.from_env(**overrides)


@dataclass(frozen=True)
class BatchOutput:
    """What one batch gave back: the step's results (verdicts included) and what the runner needs to
    store them as that step would."""

    step: str
    target_language: str | None
    one_per_segment: bool
    results: list[StepResult] = field(default_factory=list)
    segments: int = 0


# -- the worker side -------------------------------------------------------------------------------

_lock = threading.Lock()
_services: dict[tuple[str, str | None, str | None], Any] = {}
_steps: dict[tuple[Any, ...], Any] = {}


def _service(settings: BatchSettings) -> Any:
    from adapt.service import AdaptService

    key = (settings.database, settings.data_dir, settings.cache_dir)
    with _lock:
        if key not in _services:
            _services[key] = AdaptService(settings.to_settings())
        return _services[key]


def _step(settings: BatchSettings) -> Any:
    """The step for a resource and task, built once per worker (models stay loaded in the service)."""
    key = settings.step_key()
    with _lock:
        if key in _steps:
            return _steps[key]
    service = _service(settings)
    if settings.task == "translate":
        assert settings.target is not None
        translator = service.translator(settings.engine, model=settings.model)
        step: Any = service._translate_step(settings.resource_id, translator, settings.source, settings.target,
                                            memory=settings.memory, glossary=settings.glossary)
    elif settings.task == "simplify":
        from adapt.simplify import SimplifyStep, parse_level
        from adapt.simplify_guards import MEANING_EMBEDDER

        step = SimplifyStep(service.simplifier(settings.simplifier), target_grade=parse_level(settings.level or ""),
                            language=settings.source, embedder=service.engines.embedder(MEANING_EMBEDDER),
                            extra_checks=service.licences.credit_checks(settings.resource_id))
    elif settings.task == "tag":
        from adapt.formats import parse_stored
        from adapt.tagging.run import TagStep

        store = service.store
        resource = store.resource(settings.resource_id)
        document = parse_stored(resource.format, resource.source_name, store.resource_source(resource.id))
        if resource.title and not document.metadata.get("title"):
            document.metadata["title"] = resource.title
        step = TagStep(service.tagger(), resource, document)
    else:
        raise ValueError(f"unknown batch task {settings.task!r}; use one of {', '.join(TASKS)}")
    with _lock:
        if len(_steps) > 64:  # a worker that has seen many resources: drop old steps (memory), keep models
            _steps.clear()
        _steps[key] = step
    return step


def run_step_batch(step_name: str, settings: BatchSettings, batch: Sequence[SegmentInput]) -> BatchOutput:
    """Run one pipeline step over one batch of a resource's segments and return its results.

    translate / simplify: results for the segments in `batch`; tag: the resource's tags (tags are about
    the whole resource, so a tag batch is `whole_resource(resource_id)`)."""
    apply_offline_environment()
    if step_name != settings.task:
        raise ValueError(f"step {step_name!r} does not match the settings' task {settings.task!r}")
    step = _step(settings)
    results = list(step(batch))
    return BatchOutput(step.name, step.target_language, step.one_per_segment, results, len(batch))


def whole_resource(resource_id: int) -> list[SegmentInput]:
    """The one-item batch of a step about a whole resource (tagging), as adapt.tagging.run makes it."""
    return [SegmentInput(resource_id, 0, "", "resource", "")]


# -- the driver side -------------------------------------------------------------------------------

class _Finished:
    """A step whose results are already computed (by a worker): the runner stores them as it would the
    step's own, verdicts included."""

    def __init__(self, output: BatchOutput) -> None:
        self.name, self.target_language = output.step, output.target_language
        self.one_per_segment = output.one_per_segment
        self._results = output.results

    def __call__(self, batch: Sequence[SegmentInput]) -> list[StepResult]:
        return self._results


def store_results(store: Store, resource_id: int, batch: Sequence[SegmentInput],
                  output: BatchOutput) -> tuple[int, int]:
    """Store one batch's results through the one step runner; returns (added, unchanged). A result
    equal to a stored suggestion is not added again, so a retried batch stored twice adds nothing."""
    whole = max(1, len(batch))  # the worker's batch, stored as one (no small first batches)
    summary = run_step(store, resource_id, _Finished(output), segments=batch, batch_size=whole, first_batch=whole)
    added = summary.suggestions + summary.rejected
    return added, summary.unchanged


def pending_segments(store: Store, segments: Sequence[SegmentInput], task: str,
                     target: str | None) -> list[SegmentInput]:
    """The segments without a model suggestion for this task and target yet: a rerun (or a run resumed
    after a crash) only does what is left."""
    if not segments:
        return []
    done = {s.segment_id for s in store.suggestions(segments[0].resource_id, task=task)
            if s.target_language == target and s.origin in ("model", "memory", "rule")}
    return [s for s in segments if s.segment_id not in done]


def batches(segments: Sequence[SegmentInput], size: int = DEFAULT_BATCH_SEGMENTS) -> list[list[SegmentInput]]:
    if size < 1:
        raise ValueError("a batch holds at least one segment")
    return [list(segments[i:i + size]) for i in range(0, len(segments), size)]


@dataclass
class ResourceTally:
    resource: int
    path: str
    added: int = 0
    unchanged: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"resource": self.resource, "path": self.path, "added": self.added, "unchanged": self.unchanged}


def tally_json(tallies: Mapping[int, ResourceTally]) -> list[dict[str, Any]]:
    return [t.to_json() for t in tallies.values()]

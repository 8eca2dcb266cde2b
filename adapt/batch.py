"""Batch adaptation: plan the work, run one batch of segments, store what came back.

Ray-free on purpose: `adapt.batch_ray` sends `run_step_batch` to Ray workers, and anything else (a test,
a plain loop) can call it directly. `run_step_batch(step_name, settings, batch)` is the one place that
builds a pipeline step from the existing translate / simplify / tag code; when the step runner of the
architecture issue lands, it is rewired here and nothing else changes.

A worker process keeps one service per database, so its models load once (`AdaptService` keeps every
loaded model) and its steps (with their translation memory and glossary) once per resource and task.
Workers never write: the driver stores each batch's results with `store_results`, whose dedup makes a
retried batch (a worker killed mid-batch) store nothing twice.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adapt.pipeline import SegmentInput, StepResult
from adapt.settings import Settings, apply_offline_environment, database_location
from adapt.store import NewSuggestion, Store

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
    """What one batch gave back: suggestions to store (with the guard's verdict for simplifications)."""

    task: str
    suggestions: list[NewSuggestion]
    rejected_by_guard: list[bool] = field(default_factory=list)  # parallel to suggestions (simplify)
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
        step = service._translate_step(settings.resource_id, translator, settings.source, settings.target,
                                       memory=settings.memory, glossary=settings.glossary)
    elif settings.task == "simplify":
        from adapt.simplify import SimplifyStep, parse_level
        from adapt.simplify_guards import MEANING_EMBEDDER
        from models.embedders import get_embedder

        step = SimplifyStep(service.simplifier(settings.simplifier), target_grade=parse_level(settings.level or ""),
                            language=settings.source, embedder=get_embedder(MEANING_EMBEDDER),
                            extra_checks=service.licence_checks(settings.resource_id))
    elif settings.task == "tag":
        step = service.tagger()
    else:
        raise ValueError(f"unknown batch task {settings.task!r}; use one of {', '.join(TASKS)}")
    with _lock:
        if len(_steps) > 64:  # a worker that has seen many resources: drop old steps (memory), keep models
            _steps.clear()
        _steps[key] = step
    return step


def run_step_batch(step_name: str, settings: BatchSettings, batch: Sequence[SegmentInput]) -> BatchOutput:
    """Run one pipeline step over one batch of a resource's segments and return its suggestions.

    translate / simplify: the suggestions for the segments in `batch`; tag: the resource's tags (tags
    are about the whole resource, so a tag batch is one resource)."""
    apply_offline_environment()
    if step_name != settings.task:
        raise ValueError(f"step {step_name!r} does not match the settings' task {settings.task!r}")
    step = _step(settings)
    if step_name == "tag":
        return _tag(settings, step)
    results: list[StepResult] = step(batch)
    suggestions: list[NewSuggestion] = []
    verdicts: list[bool] = []
    if step_name == "simplify":
        from adapt.simplify import rejecting

        for result in results:
            suggestions.append(result.to_new_suggestion(step.name, step.target_language))
            verdicts.append(bool(rejecting(result.flags)))
    else:
        if len(results) != len(batch):
            raise RuntimeError(f"step {step_name} returned {len(results)} results for {len(batch)} segments")
        for result in results:
            suggestions.append(result.to_new_suggestion(step.name, step.target_language))
            verdicts.append(False)
            for extra in result.extra:
                suggestions.append(extra.to_new_suggestion(step.name, step.target_language))
                verdicts.append(False)
    return BatchOutput(step_name, suggestions, verdicts, len(batch))


def _tag(settings: BatchSettings, tagger: Any) -> BatchOutput:
    from adapt.formats import parse_stored

    store = _service(settings).store
    resource = store.resource(settings.resource_id)
    document = parse_stored(resource.format, resource.source_name, store.resource_source(resource.id))
    if resource.title and not document.metadata.get("title"):
        document.metadata["title"] = resource.title
    tags = tagger.tag_document(document, language=resource.language)
    source = f"resource {resource.id}: {resource.title or resource.source_name} ({resource.content_hash[:12]})"
    suggestions = list(tags.suggestions(resource.id, source))
    return BatchOutput("tag", suggestions, [False] * len(suggestions), 1)


# -- the driver side -------------------------------------------------------------------------------

def store_results(store: Store, output: BatchOutput) -> tuple[int, int]:
    """Store one batch's suggestions; returns (added, unchanged). A suggestion equal to a stored one is
    not added again, so storing a retried batch twice adds nothing the second time."""
    from adapt.simplify import GUARD_ACTOR

    ids = store.add_suggestions(output.suggestions)
    added = sum(1 for i in ids if i is not None)
    for new_id, guarded in zip(ids, output.rejected_by_guard):
        if new_id is not None and guarded:
            store.reject(new_id, actor=GUARD_ACTOR)  # as run_simplify does: kept, but rejected
    return added, len(ids) - added


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

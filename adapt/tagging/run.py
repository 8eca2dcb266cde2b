"""Tag a stored resource and keep the tags as suggestions (segment NULL) in the store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from adapt.document import Document
from adapt.formats import parse_stored
from adapt.pipeline import SegmentInput, StepResult, run_step
from adapt.store import Resource, Store, Suggestion
from adapt.tagging.tagger import TASKS, Tagger, TagSet


@dataclass(frozen=True)
class TagRun:
    resource_id: int
    tags: TagSet
    added: int  # new suggestions stored
    unchanged: int  # tags equal to ones already stored (not added again)

    def to_json(self) -> dict[str, Any]:
        return {"resource": self.resource_id, "added": self.added, "unchanged": self.unchanged,
                **self.tags.to_json()}


class TagStep:
    """The tagging step: one batch (the whole resource) in, one suggestion per tag out, each about the
    resource rather than a segment. It reads the parsed document it was given, never the store."""

    name = "tag"
    target_language = None
    one_per_segment = False

    def __init__(self, tagger: Tagger, resource: Resource, document: Document, *,
                 context_texts: Sequence[str] | None = None, context_title: str | None = None) -> None:
        self.tagger, self.resource, self.document, self.context_texts = tagger, resource, document, context_texts
        self.context_title = context_title
        self.tags: TagSet | None = None

    def __call__(self, batch: Sequence[SegmentInput]) -> list[StepResult]:
        self.tags = self.tagger.tag_document(self.document, language=self.resource.language,
                                             context_texts=self.context_texts,
                                             context_title=self.context_title)
        # What the tagger read: the resource, named so that re-running on the same source finds its own tags.
        res = self.resource
        source = f"resource {res.id}: {res.title or res.source_name} ({res.content_hash[:12]})"
        return [StepResult(None, n.text, n.model_signature, scores=n.scores, origin=n.origin, source_text=source,
                           task=n.task, resource_id=res.id) for n in self.tags.suggestions(res.id, source)]


def tag_resource(store: Store, resource_id: int, tagger: Tagger, *,
                 context_texts: Sequence[str] | None = None, context_title: str | None = None,
                 progress: Callable[[int, int], None] | None = None) -> TagRun:
    """Tag a stored resource through the step runner and add the tags as suggestions."""
    resource = store.resource(resource_id)
    document = parse_stored(resource.format, resource.source_name, store.resource_source(resource_id))
    if resource.title and not document.metadata.get("title"):
        document.metadata["title"] = resource.title
    step = TagStep(tagger, resource, document, context_texts=context_texts, context_title=context_title)
    whole = [SegmentInput(resource_id, 0, "", "resource", "")]  # one batch: the document itself
    run = run_step(store, resource_id, step, segments=whole, batch_size=1, progress=progress)
    assert step.tags is not None
    return TagRun(resource_id, step.tags, run.suggestions, run.unchanged)


def tag_suggestions(store: Store, resource_id: int, *, status: str | None = None) -> list[Suggestion]:
    return store.suggestions(resource_id, status=status, tasks=TASKS)

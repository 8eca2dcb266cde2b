"""Tag a stored resource and keep the tags as suggestions (segment NULL) in the store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from adapt.formats import parse_stored
from adapt.store import Store, Suggestion
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


def tag_resource(store: Store, resource_id: int, tagger: Tagger, *,
                 context_texts: Sequence[str] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> TagRun:
    """Tag a stored resource and add the tags as suggestions. `progress(done, total)` counts 3 stages:
    read, tag, store."""
    report = progress or (lambda done, total: None)
    report(0, 3)
    resource = store.resource(resource_id)
    document = parse_stored(resource.format, resource.source_name, store.resource_source(resource_id))
    if resource.title and not document.metadata.get("title"):
        document.metadata["title"] = resource.title
    report(1, 3)
    tags = tagger.tag_document(document, language=resource.language, context_texts=context_texts)
    report(2, 3)
    # What the tagger read: the resource, named so that re-running on the same source finds its own tags.
    source = f"resource {resource_id}: {resource.title or resource.source_name} ({resource.content_hash[:12]})"
    ids = store.add_suggestions(tags.suggestions(resource_id, source))
    added = sum(1 for i in ids if i is not None)
    report(3, 3)
    return TagRun(resource_id, tags, added, len(ids) - added)


def tag_suggestions(store: Store, resource_id: int, *, status: str | None = None) -> list[Suggestion]:
    return store.suggestions(resource_id, status=status, tasks=TASKS)

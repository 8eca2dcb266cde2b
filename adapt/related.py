"""Related resources for a file, a review resource or one of its segments (what AdaptService calls).

The query's own licence decides `license_compatible`: the file's metadata, the resource's licence, or
one given explicitly. The query never finds itself: the catalogue item made from the same file or the
same review resource is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapt.catalogue.catalogue import Catalogue, Related, document_entry, remix_predicate
from adapt.catalogue.chunking import chunk_texts
from adapt.document import Document, Placeholder, restore_placeholders
from adapt.errors import UserError
from adapt.pipeline import SegmentInput, StepResult
from adapt.store import Resource, SegmentRecord, Store

TASK_RELATED = "related"  # suggestions of related catalogue items, reviewed like tags (UserSession.review_related)
_TITLE_AND_LINK = re.compile(r"^(.*?)\s*<([^<>]*)>\s*$", re.S)
_URL = re.compile(r"^https?://\S+$", re.I)


def suggestion_text(result: dict[str, Any]) -> str:
    """A related catalogue item as a suggestion's text: "Title <url>" (or <catalogue item N>)."""
    title = result.get("title") or result.get("source") or f"item {result.get('item')}"
    where = result.get("url") or f"catalogue item {result.get('item')}"
    return f"{title} <{where}>"


def parse_suggestion_text(text: str) -> tuple[str, str | None, bool]:
    """(title, url, has_link) from a "Title <where>" text a reviewer may have edited; url is None when the
    part in <> is not a web address, has_link False when there is no <> part at all."""
    match = _TITLE_AND_LINK.match(text)
    if not match:
        return text.strip(), None, False
    link = match.group(2).strip()
    return match.group(1).strip(), link if _URL.match(link) else None, True


@dataclass(frozen=True)
class RelatedQuery:
    """What was asked (so the answer can say it) and what was found."""

    subject: str  # "file lesson.md", "resource 3", "segment p-2 of resource 3"
    license: str | None
    language: str | None
    results: list[Related]

    def to_json(self) -> dict[str, Any]:
        return {"query": self.subject, "license": self.license, "language_filter": self.language,
                "results": [r.to_json() for r in self.results]}


def _filters(catalogue: Catalogue, *, k: int, language: str | None, license_compatible: bool,
             source_license: str | None, exclude: list[int], what: str) -> dict[str, Any]:
    remix = None
    if license_compatible:
        if not source_license:
            raise UserError(f"the licence of {what} is unknown, so compatibility cannot be checked",
                            hint="pass --license ID (e.g. CC-BY-4.0) with --license-compatible")
        remix = remix_predicate()
    return {"k": k, "language": language, "license_of_source": source_license, "remix": remix, "exclude": exclude}


def record_text(record: SegmentRecord) -> str:
    phs = [Placeholder.from_json(p) for p in record.placeholders]
    return restore_placeholders(record.source_text, phs, atom=lambda p: "", pair=lambda p: ("", ""))


def related_to_document(catalogue: Catalogue, document: Document, path: Path, *, k: int = 10,
                        language: str | None = None, license_compatible: bool = False,
                        license: str | None = None) -> RelatedQuery:
    entry = document_entry(document, key=f"file:{path.resolve()}", source=str(path), license=license)
    exclude = [item.id for item in [catalogue.item_by_key(entry.key)] if item is not None]
    exclude += _same_content(catalogue.store, entry.content_hash)
    filters = _filters(catalogue, k=k, language=language, license_compatible=license_compatible,
                       source_license=entry.license, exclude=sorted(set(exclude)), what=path.name)
    results = catalogue.related_to_passages(list(entry.passages), **filters)
    return RelatedQuery(f"file {path.name}", entry.license, language, results)


def related_to_resource(catalogue: Catalogue, store: Store, resource_id: int, *, k: int = 10,
                        language: str | None = None, license_compatible: bool = False,
                        license: str | None = None) -> RelatedQuery:
    resource = store.resource(resource_id)
    passages = chunk_texts(record_text(r) for r in store.segments(resource_id) if r.translatable)
    source_license = license or resource.license
    filters = _filters(catalogue, k=k, language=language, license_compatible=license_compatible,
                       source_license=source_license, exclude=_made_from(store, resource_id),
                       what=f"resource {resource_id}")
    results = catalogue.related_to_passages(passages, **filters)
    return RelatedQuery(f"resource {resource_id}", source_license, language, results)


def related_to_segment(catalogue: Catalogue, store: Store, resource_id: int, segment: str | int, *, k: int = 5,
                       language: str | None = None, license_compatible: bool = False,
                       license: str | None = None) -> RelatedQuery:
    """For the review UI: items related to one segment (by key or segment id) of a review resource."""
    resource = store.resource(resource_id)
    records = store.segments(resource_id)
    match = [r for r in records if r.key == segment or r.id == segment]
    if not match:
        raise UserError(f"resource {resource_id} has no segment {segment!r}",
                        hint="use a segment key from `adapt suggestions`")
    text = record_text(match[0])
    source_license = license or resource.license
    filters = _filters(catalogue, k=k, language=language, license_compatible=license_compatible,
                       source_license=source_license, exclude=_made_from(store, resource_id),
                       what=f"resource {resource_id}")
    results = catalogue.related_to_text(text, **filters)
    return RelatedQuery(f"segment {match[0].key} of resource {resource_id}", source_license, language, results)


def prepare_resource(catalogue: Catalogue, store: Store, resource_id: int) -> int:
    """Embed every segment of a review resource in one batch, so that asking for any segment's related
    items later costs a search only. Returns how many texts were embedded (0 the second time)."""
    return catalogue.prepare([record_text(r) for r in store.segments(resource_id) if r.translatable])


def related_to_item(catalogue: Catalogue, item_id: int, *, k: int = 10, language: str | None = None,
                    license_compatible: bool = False, license: str | None = None) -> RelatedQuery:
    item = catalogue.item(item_id)
    source_license = license or item.license
    filters = _filters(catalogue, k=k, language=language, license_compatible=license_compatible,
                       source_license=source_license, exclude=[item_id], what=f"item {item_id}")
    results = catalogue.related_to_passages(catalogue.passages(item_id), **filters)
    return RelatedQuery(f"item {item_id} ({item.title})", source_license, language, results)


def resource_entry(store: Store, resource_id: int):
    """A catalogue entry for a review resource (the catalogue then points back to it)."""
    from adapt.formats import parse_stored

    resource = store.resource(resource_id)
    document = parse_stored(resource.format, resource.source_name, store.resource_source(resource_id))
    document.metadata.setdefault("title", resource.title)
    return document_entry(document, key=f"resource:{resource.content_hash}", source=f"resource {resource_id}",
                          language=resource.language, license=resource.license, resource_id=resource_id)


def _made_from(store: Store, resource_id: int) -> list[int]:
    return [r[0] for r in store.read(lambda c: c.execute(
        "SELECT id FROM catalogue_items WHERE resource_id = ?", (resource_id,)).fetchall())]


def _same_content(store: Store, content_hash: str) -> list[int]:
    return [r[0] for r in store.read(lambda c: c.execute(
        "SELECT id FROM catalogue_items WHERE content_hash = ?", (content_hash,)).fetchall())]


class RelatedStep:
    """Related resources as a pipeline step: the catalogue's results for a resource in, one suggestion
    each (about the whole resource, in rank order) out. The search happened before; the step only
    turns what was found into suggestions, so the one runner stores them."""

    name = TASK_RELATED
    target_language = None
    one_per_segment = False

    def __init__(self, resource: Resource, results: Sequence[dict[str, Any]], signature: dict[str, Any]) -> None:
        self.resource, self.results, self.signature = resource, list(results), signature

    def __call__(self, batch: Sequence[SegmentInput]) -> list[StepResult]:
        source = self.resource.title or self.resource.source_name
        return [StepResult(None, suggestion_text(r), self.signature, scores={**r, "rank": rank}, source_text=source,
                           resource_id=self.resource.id)
                for rank, r in enumerate(self.results, start=1)]

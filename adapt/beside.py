"""What a reviewer wants beside one translated segment: the translation memory's matches for its source
and the glossary terms that occur in it (issue 14, "work beside the text"). Read only; the review UI
shows them in the row's detail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from adapt.glossary import DEFAULT_PROJECT, _outside_placeholders, load_glossary
from adapt.memory import MemoryMatch, load_memory

if TYPE_CHECKING:
    from adapt.store import Store, Suggestion


@dataclass(frozen=True)
class TermHit:
    """A glossary entry whose term occurs in the segment's source."""

    term: str
    kind: str  # dnt (keep as is) | forced (use `translation`)
    translation: str | None
    note: str | None
    project: str


@dataclass(frozen=True)
class SegmentHelp:
    memory: list[MemoryMatch] = field(default_factory=list)  # exact first, then fuzzy, best first
    terms: list[TermHit] = field(default_factory=list)
    applies: bool = True  # False: not a translation (simplifications have no memory or glossary pair)


def segment_help(store: Store, suggestion: Suggestion, source_language: str, *, project: str = DEFAULT_PROJECT,
                 limit: int = 3) -> SegmentHelp:
    """Memory matches (the segment's own decision left out: it is in front of the reviewer already) and
    the glossary terms of `project` for the suggestion's language pair."""
    target = suggestion.target_language
    if suggestion.task != "translate" or not target or suggestion.segment_id is None:
        return SegmentHelp(applies=False)
    memory = load_memory(store, source_language, target)
    text = suggestion.source_text
    exact = memory.exact(text, exclude_segment=suggestion.segment_id)
    matches = ([exact] if exact else []) + memory.fuzzy(text, limit=limit, exclude_segment=suggestion.segment_id)
    glossary = load_glossary(store, project, source_language, target)
    terms = [TermHit(t.term, t.kind, t.translation, t.note, t.project) for t in glossary.terms
             if _outside_placeholders(text, t.pattern())]
    return SegmentHelp(matches[:limit], terms)

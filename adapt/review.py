"""What a review screen asks for: a filtered, paginated view of a resource's suggestions, counts, and
decisions made by a logged-in person with their role checked.

Filtering happens in Python over one indexed query: 1,000 suggestions load in a few milliseconds,
and the page shown is a small slice of them, so the browser never holds the whole table.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from adapt.errors import InvalidDecision
from adapt.people import User, require_reviewable
from adapt.store import STATUSES, Store, Suggestion

REVIEWED = ("accepted", "edited", "rejected")
STATUS_FILTERS = ("all", "pending", "reviewed", *REVIEWED)
FLAG_ANY, FLAG_FLAGGED, FLAG_NONE = "any", "flagged", "no flags"
DECISIONS = ("accept", "reject", "edit", "undo")


@dataclass(frozen=True)
class ReviewFilter:
    status: str = "all"  # one of STATUS_FILTERS
    flag: str = FLAG_ANY  # any, flagged, no flags, or one flag code
    task: str | None = None  # translate, simplify...; None: every segment task
    target_language: str | None = None
    search: str = ""  # words in the source, the suggestion or the reviewer's text (case and accents ignored)

    def matches(self, s: Suggestion) -> bool:
        if self.search.strip() and not text_matches(self.search, s.source_text, s.text, s.final_text):
            return False
        if self.status == "reviewed":
            if s.status not in REVIEWED:
                return False
        elif self.status != "all" and s.status != self.status:
            return False
        if self.flag == FLAG_FLAGGED and not s.qa_flags:
            return False
        if self.flag == FLAG_NONE and s.qa_flags:
            return False
        if self.flag not in (FLAG_ANY, FLAG_FLAGGED, FLAG_NONE) and self.flag not in {f["code"] for f in s.qa_flags}:
            return False
        if self.task and s.task != self.task:
            return False
        return not (self.target_language and s.target_language != self.target_language)


def fold(text: str) -> str:
    """Text for searching: case folded, accents dropped ("Água" and "agua" match), spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().split())


def text_matches(query: str, *texts: str | None) -> bool:
    """Whether every word of `query` occurs in one of `texts` (folded: case and accents ignored)."""
    words = fold(query).split()
    haystack = fold("\n".join(t for t in texts if t))
    return all(word in haystack for word in words)


@dataclass(frozen=True)
class ReviewCounts:
    total: int
    by_status: dict[str, int]
    flagged: int

    @property
    def reviewed(self) -> int:
        return sum(self.by_status.get(s, 0) for s in REVIEWED)

    @classmethod
    def of(cls, suggestions: Sequence[Suggestion]) -> ReviewCounts:
        counts = Counter(s.status for s in suggestions)
        return cls(len(suggestions), {s: counts.get(s, 0) for s in STATUSES}, sum(1 for s in suggestions if s.qa_flags))


@dataclass(frozen=True)
class ReviewPage:
    rows: list[Suggestion]
    page: int  # 1-based, clamped to [1, pages]
    pages: int
    matching: int  # suggestions that pass the filter
    matching_ids: list[int]  # all of them, for "accept all without flags" on the filtered view
    counts: ReviewCounts  # over all segment suggestions of the resource (the filter aside)
    flag_codes: list[str] = field(default_factory=list)  # every flag code present, for the filter menu
    tasks: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


def segment_suggestions(store: Store, resource_id: int) -> list[Suggestion]:
    """Suggestions about segments (translations, simplifications), in reading order."""
    return [s for s in store.suggestions(resource_id) if s.segment_id is not None]


@dataclass(frozen=True)
class _Entry:
    """The few columns filtering needs; full suggestions are loaded only for the page shown."""

    id: int
    status: str
    qa_flags: list[dict[str, str]]
    task: str
    target_language: str | None
    source_text: str = ""  # the texts are read only when the filter searches them
    text: str = ""
    final_text: str | None = None


def _entries(store: Store, resource_id: int, *, with_text: bool = False) -> list[_Entry]:
    store.resource(resource_id)
    texts = ", s.source_text, s.text, s.final_text" if with_text else ""
    rows = store.read(
        lambda c: c.execute(
            f"SELECT s.id, s.status, s.qa_flags, s.task, s.target_language{texts} FROM suggestions s "
            "JOIN segments g ON g.id = s.segment_id WHERE s.resource_id = ? ORDER BY g.position, s.id",
            (resource_id,),
        ).fetchall()
    )
    # Most suggestions carry no flags: skip parsing '[]' (a third of the time for 1,000 rows).
    return [_Entry(r[0], r[1], json.loads(r[2]) if r[2] != "[]" else [], r[3], r[4], *(tuple(r[5:8]) if with_text
                                                                                        else ())) for r in rows]


def review_page(
    store: Store, resource_id: int, flt: ReviewFilter, *, page: int = 1, page_size: int = 25
) -> ReviewPage:
    everything = _entries(store, resource_id, with_text=bool(flt.search.strip()))
    matching = [e for e in everything if flt.matches(e)]  # type: ignore[arg-type]  # same fields as a Suggestion
    pages = max(1, -(-len(matching) // page_size))
    page = min(max(1, page), pages)
    start = (page - 1) * page_size
    return ReviewPage(
        rows=[store.suggestion(e.id) for e in matching[start : start + page_size]],
        page=page,
        pages=pages,
        matching=len(matching),
        matching_ids=[e.id for e in matching],
        counts=ReviewCounts.of(everything),  # type: ignore[arg-type]
        flag_codes=sorted({f["code"] for e in everything for f in e.qa_flags}),
        tasks=sorted({e.task for e in everything}),
        languages=sorted({e.target_language for e in everything if e.target_language}),
    )


def decide(
    store: Store,
    who: User,
    suggestion_id: int,
    action: str,
    *,
    expected_version: int | None,
    text: str | None = None,
) -> Suggestion:
    """One reviewer decision, with the role checked and the version the reviewer saw (ConflictError
    if someone changed the suggestion since: nothing is written then, and nothing of theirs is lost)."""
    if action not in DECISIONS:
        raise InvalidDecision(f"unknown action {action!r}", hint=f"use one of {', '.join(DECISIONS)}")
    suggestion = store.suggestion(suggestion_id)
    require_reviewable(who, store.resource(suggestion.resource_id))
    if action == "edit":
        if text is None:
            raise InvalidDecision("an edit needs the new text")
        if text == suggestion.current_text and suggestion.status == "edited":
            return suggestion  # saving the same text twice is not a new decision
        return store.edit(suggestion_id, text, actor=who.name, expected_version=expected_version)
    if action == "accept":
        # Accept with the reviewer's text still in the edit box: that text is what they accept.
        keep = None if text is None or (text == suggestion.text and suggestion.final_text is None) else text
        return store.accept(suggestion_id, actor=who.name, expected_version=expected_version, text=keep)
    method = {"reject": store.reject, "undo": store.undo}[action]
    return method(suggestion_id, actor=who.name, expected_version=expected_version)


def accept_unflagged(store: Store, who: User, resource_id: int, suggestion_ids: Sequence[int]) -> list[int]:
    """Accept the pending, unflagged suggestions among `suggestion_ids` (the filtered view)."""
    require_reviewable(who, store.resource(resource_id))
    return store.accept_all(resource_id, actor=who.name, only_unflagged=True, suggestion_ids=list(suggestion_ids))


def edit_warnings(suggestion: Suggestion) -> list[str]:
    """What a reviewer's edit lost against the source (markup, numbers, links): said, never blocked."""
    from adapt.qa import QAInput, check_markup, check_numbers, check_placeholders, check_urls

    if suggestion.final_text is None:
        return []
    qa = QAInput(source=suggestion.source_text, output=suggestion.final_text, task=suggestion.task,
                 target_language=suggestion.target_language)
    return [f.message for check in (check_placeholders, check_markup, check_numbers, check_urls) for f in check(qa)]


def bulk_accept_candidates(store: Store, who: User, resource_id: int, suggestion_ids: Sequence[int]) -> list[int]:
    """The rows a bulk accept of the filtered view would change, on every page (for its confirmation)."""
    from adapt.store.batches import pending_unflagged

    require_reviewable(who, store.resource(resource_id))
    return pending_unflagged(store, resource_id, suggestion_ids)


def bulk_accept(store: Store, who: User, resource_id: int, suggestion_ids: Sequence[int]):
    """Accept the pending, unflagged rows among `suggestion_ids` as one group that one undo takes back
    (`adapt.store.batches.Batch`)."""
    from adapt.store.batches import accept_batch

    require_reviewable(who, store.resource(resource_id))
    return accept_batch(store, resource_id, suggestion_ids, actor=who.name)


def undo_bulk(store: Store, who: User, batch_id: int):
    """Take a bulk accept back, row by row (rows decided on since are kept: `BatchUndo.kept`)."""
    from adapt.store.batches import batch, undo_batch

    require_reviewable(who, store.resource(batch(store, batch_id).resource_id))
    return undo_batch(store, batch_id, actor=who.name)

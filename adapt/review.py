"""What a review screen asks for: a filtered, paginated view of a resource's suggestions, counts, and
decisions made by a logged-in person with their role checked.

Filtering happens in Python over one indexed query: 1,000 suggestions load in a few milliseconds,
and the page shown is a small slice of them, so the browser never holds the whole table.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from adapt.errors import AdaptError, ConflictError, InvalidDecision
from adapt.people import User, require_reviewable
from adapt.store import STATUSES, Decision, Store, Suggestion, replay

REVIEWED = ("accepted", "edited", "rejected")
REFUSED = "refused by the checks"  # a status filter: rejected by an automatic check, no human decision yet
STATUS_FILTERS = ("all", "pending", "reviewed", *REVIEWED, REFUSED)
# Who rejects a suggestion without a person: the simplifier's guards (adapt.simplify.GUARD_ACTOR). Such a
# row is not "reviewed": no human has decided on it until someone accepts, edits, rejects or undoes it.
CHECK_ACTORS = frozenset({"guard"})
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
        refused = refused_by_checks(s)
        if self.status == REFUSED:
            if not refused:
                return False
        elif self.status == "reviewed":
            if s.status not in REVIEWED or refused:
                return False
        elif self.status != "all" and (counted_status(s) != self.status or refused):
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


def refused_by_checks(s: Suggestion) -> bool:
    """Rejected by an automatic check (a simplifier guard), and no person has decided on it since."""
    return s.status == "rejected" and s.decided_by in CHECK_ACTORS


def counted_status(s: Suggestion) -> str:
    """The status a person reads in counts and filters: an edit then accepted is the reviewer's text,
    "edited", as the export's attribution counts it; otherwise the stored status."""
    confirmed_edit = getattr(s, "final_text", None) is not None or getattr(s, "has_final", False)
    if s.status == "accepted" and confirmed_edit:
        return "edited"
    return s.status


@dataclass(frozen=True)
class ReviewCounts:
    """`by_status` counts human decisions only: a row the checks refused is in `refused_by_checks`, not
    in "rejected", and it is not `reviewed` until a person decides on it."""

    total: int
    by_status: dict[str, int]
    flagged: int
    refused_by_checks: int = 0

    @property
    def reviewed(self) -> int:
        """Rows a person has decided on (accepted unchanged counts: that is a decision)."""
        return sum(self.by_status.get(s, 0) for s in REVIEWED)

    @property
    def undecided(self) -> int:
        """Rows no person has decided on: pending, and refused by the checks."""
        return self.total - self.reviewed

    @classmethod
    def of(cls, suggestions: Sequence[Suggestion]) -> ReviewCounts:
        refused = sum(1 for s in suggestions if refused_by_checks(s))
        counts = Counter(counted_status(s) for s in suggestions if not refused_by_checks(s))
        return cls(len(suggestions), {s: counts.get(s, 0) for s in STATUSES},
                   sum(1 for s in suggestions if s.qa_flags), refused)


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
    overruled: dict[int, Overruled] = field(default_factory=dict)  # rows shown whose decision someone replaced


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
    decided_by: str | None
    source_text: str = ""  # the texts are read only when the filter searches them
    text: str = ""
    final_text: str | None = None
    has_final: bool = False  # a reviewer's text is stored (read even when the texts are not)


def _entries(store: Store, resource_id: int, *, with_text: bool = False) -> list[_Entry]:
    store.resource(resource_id)
    texts = ", s.source_text, s.text, s.final_text" if with_text else ""
    rows = store.read(
        lambda c: c.execute(
            f"SELECT s.id, s.status, s.qa_flags, s.task, s.target_language, s.decided_by, "
            f"s.final_text IS NOT NULL{texts} FROM suggestions s "
            "JOIN segments g ON g.id = s.segment_id WHERE s.resource_id = ? ORDER BY g.position, s.id",
            (resource_id,),
        ).fetchall()
    )
    # Most suggestions carry no flags: skip parsing '[]' (a third of the time for 1,000 rows).
    return [_Entry(r[0], r[1], json.loads(r[2]) if r[2] != "[]" else [], r[3], r[4], r[5],
                   source_text=r[7] if with_text else "", text=r[8] if with_text else "",
                   final_text=r[9] if with_text else None, has_final=bool(r[6])) for r in rows]


def review_page(
    store: Store, resource_id: int, flt: ReviewFilter, *, page: int = 1, page_size: int = 25
) -> ReviewPage:
    everything = _entries(store, resource_id, with_text=bool(flt.search.strip()))
    matching = [e for e in everything if flt.matches(e)]  # type: ignore[arg-type]  # same fields as a Suggestion
    pages = max(1, -(-len(matching) // page_size))
    page = min(max(1, page), pages)
    start = (page - 1) * page_size
    shown = [e.id for e in matching[start : start + page_size]]
    return ReviewPage(
        rows=[store.suggestion(i) for i in shown],
        page=page,
        pages=pages,
        matching=len(matching),
        matching_ids=[e.id for e in matching],
        counts=ReviewCounts.of(everything),  # type: ignore[arg-type]
        flag_codes=sorted({f["code"] for e in everything for f in e.qa_flags}),
        tasks=sorted({e.task for e in everything}),
        languages=sorted({e.target_language for e in everything if e.target_language}),
        overruled=overruled_rows(store, shown),
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
        with _keeping_refused_text(store, who, suggestion_id, text):
            return store.edit(suggestion_id, text, actor=who.name, expected_version=expected_version)
    if action == "accept":
        # Accept with the reviewer's text still in the edit box: that text is what they accept.
        keep = None if text is None or (text == suggestion.text and suggestion.final_text is None) else text
        with _keeping_refused_text(store, who, suggestion_id, keep):
            return store.accept(suggestion_id, actor=who.name, expected_version=expected_version, text=keep)
    method = {"reject": store.reject, "undo": store.undo}[action]
    return method(suggestion_id, actor=who.name, expected_version=expected_version)


# The comment that keeps a reviewer's text when their save was refused (README "A review a teacher can
# trust", round 6). Fixed words, so a reader (and a test) can tell it from a comment a person wrote.
REFUSED_TEXT_NOTE = "Not saved: someone else decided first. The text was: "


@contextmanager
def _keeping_refused_text(store: Store, who: User, suggestion_id: int, text: str | None) -> Iterator[None]:
    """On a conflict, keep the reviewer's text as a comment on the row (append-only, with who and when)
    before the ConflictError goes on: a refused save then survives a reload. Keeping it is best effort:
    the conflict is reported either way."""
    try:
        yield
    except ConflictError:
        if text and text.strip():
            from adapt.comments import MAX_COMMENT_CHARS, add_comment

            kept = REFUSED_TEXT_NOTE + text
            try:  # a text longer than one comment goes in several, in order (never cut short)
                for at in range(0, len(kept), MAX_COMMENT_CHARS):
                    add_comment(store, suggestion_id, kept[at : at + MAX_COMMENT_CHARS], actor=who.name)
            except AdaptError:
                pass
        raise


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


@dataclass(frozen=True)
class Overruled:
    """A person's decision that someone else's later decision replaced, read from the decision log: the
    row says so (also after a reload), so that a changed decision never goes unnoticed."""

    earlier_actor: str
    earlier_action: str  # accept, edit, reject
    earlier_text: str | None  # the earlier reviewer's text (an edit), if any
    later_actor: str
    later_action: str  # accept, edit, reject, undo
    later_at: str


def overruled(history: Sequence[Decision]) -> Overruled | None:
    """Whether the newest decision of a suggestion replaced another person's decision with a different
    outcome (an accept that confirms someone's edit agrees with it; the checks are not a person)."""
    if len(history) < 2:
        return None
    last = history[-1]
    status_before, text_before, deciding = replay(history[:-1])
    if deciding is None or deciding.actor == last.actor or deciding.actor in CHECK_ACTORS:
        return None
    status_after, text_after, _ = replay(history)
    if (status_before, text_before) == (status_after, text_after):
        return None
    if status_before == "edited" and status_after == "accepted" and text_after == text_before:
        return None  # confirming their edit
    return Overruled(deciding.actor, deciding.action, text_before if deciding.action != "reject" else None,
                     last.actor, last.action, last.created_at)


def overruled_rows(store: Store, suggestion_ids: Sequence[int]) -> dict[int, Overruled]:
    """`overruled` for the rows of a page, in one query."""
    ids = [int(i) for i in suggestion_ids]
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = store.read(lambda c: c.execute(
        f"SELECT id, suggestion_id, action, text, actor, created_at FROM decisions WHERE suggestion_id IN ({marks}) "
        "ORDER BY id", ids).fetchall())
    logs: dict[int, list[Decision]] = {}
    for r in rows:
        logs.setdefault(int(r[1]), []).append(Decision(int(r[0]), int(r[1]), r[2], r[3], r[4], r[5]))
    found = {sid: overruled(log) for sid, log in logs.items()}
    return {sid: o for sid, o in found.items() if o is not None}

"""A real review store in tmp_path where the tests make decisions, for the human-effort figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

import pytest

from adapt.document import Segment
from adapt.store import NewResource, NewSuggestion, Store

BERGAMOT = {"engine": "bergamot", "model": "enpt.student.tiny11", "version": "1", "settings": {}}
OTHER = {"engine": "argos", "model": "en_pt", "version": "1.9", "settings": {}}


@dataclass
class ReviewedStore:
    store: Store
    ids: dict[str, int]


def _suggest(store: Store, resource: int, segment_ids: list[int], rows, *, language: str, task: str = "translate"):
    new = [NewSuggestion(resource_id=resource, segment_id=seg, task=task, target_language=language, source_text=src,
                         text=text, model_signature=model) for seg, (src, text, model) in zip(segment_ids, rows)]
    return store.add_suggestions(new)


@pytest.fixture
def reviewed_store(tmp_path) -> ReviewedStore:
    """Five suggestions from two models, decided by a reviewer:
    bergamot: accepted as is; edited (1 word of 4 changed); rejected; argos: edited (2 of 2 words), pending."""
    store = Store(tmp_path / "review.db")
    segments = [Segment(f"s{i}", "paragraph", text) for i, text in enumerate(
        ["The cat sleeps.", "The dog runs fast.", "Read the book.", "Good morning.", "See you."])]
    resource, _ = store.add_resource(NewResource("text", "lesson.txt", b"lesson", language="en"), segments)
    seg_ids = [s.id for s in store.segments(resource)]
    ids = _suggest(store, resource, seg_ids[:3], [
        ("The cat sleeps.", "O gato dorme.", BERGAMOT),
        ("The dog runs fast.", "O cão corre rápido.", BERGAMOT),
        ("Read the book.", "Leia o livro vermelho.", BERGAMOT),
    ], language="pt")
    ids += _suggest(store, resource, seg_ids[3:], [
        ("Good morning.", "Bom manhã.", OTHER),
        ("See you.", "Ver você.", OTHER),
    ], language="pt")
    # Known creation times, so that the time to decision is known (decisions are stamped now).
    from datetime import datetime, timedelta

    created = (datetime.now(UTC) - timedelta(seconds=100)).isoformat(timespec="microseconds")
    store.write(lambda c: c.execute("UPDATE suggestions SET created_at = ?", (created,)))
    store.accept(ids[0], actor="ana")
    store.edit(ids[1], "O cachorro corre rápido.", actor="ana")
    store.reject(ids[2], actor="ana")
    store.edit(ids[3], "Bom dia.", actor="rui")
    store.accept(ids[3], actor="rui")
    store.undo(ids[3], actor="rui")  # back to the edit: the log keeps all three events
    yield ReviewedStore(store, {"accepted": ids[0], "edited": ids[1], "rejected": ids[2], "edited2": ids[3],
                                "pending": ids[4]})
    store.close()
